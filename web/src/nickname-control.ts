import { loadNickname, saveNickname } from './storage.js';

export interface NicknameControlOptions {
  input: HTMLInputElement;
  hint: HTMLElement;
  /** Sends a chat line (`/nick NAME`); false when not connected. */
  send(text: string): boolean;
}

type Trigger = 'enter' | 'change' | 'blur';

/**
 * The nickname field. The server decides names, so the field only asks (`/nick NAME`) and the
 * answer is the server's: a nick notice about ourselves confirms, an error notice refuses.
 * Only confirmed names are remembered, so a refused one is not retried on every reconnect;
 * the remembered name is asked for again after each `welcome`, as each connection starts unnamed.
 */
export class NicknameControl {
  private readonly options: NicknameControlOptions;
  /** The name the server knows us by on this connection (`ip:port` until one is set). */
  private current: string | null = null;
  /** The name we want: the remembered one, or what the user entered while disconnected. */
  private desired: string | null;
  /** Asked for and not answered yet; stops Enter, change and blur from asking three times. */
  private pending: string | null = null;
  /** Last refused request, so leaving the field does not repeat a refusal (Enter still does). */
  private refused: string | null = null;

  constructor(options: NicknameControlOptions) {
    this.options = options;
    this.desired = loadNickname();
    options.input.value = this.desired ?? '';
    options.input.addEventListener('keydown', this.inputOnKeydown);
    options.input.addEventListener('change', this.inputOnChange);
    options.input.addEventListener('blur', this.inputOnBlur);
    options.input.addEventListener('input', this.inputOnInput);
  }

  get hasNickname(): boolean {
    return this.desired !== null;
  }

  /** A new connection starts unnamed: ask for the wanted name again. */
  onWelcome(name: string): void {
    this.current = name;
    this.pending = null;
    if (this.desired !== null && this.desired !== name) this.request(this.desired);
  }

  /** The server renamed us, whether asked from this field or by `/nick` typed as a message. */
  onOwnNick(name: string): void {
    this.current = name;
    this.desired = name;
    this.pending = null;
    this.refused = null;
    saveNickname(name);
    const { input } = this.options;
    if (document.activeElement !== input || input.value.trim() === name) input.value = name;
    this.showHint('', false);
  }

  /** The server refused a nickname; its words are shown beside the field. */
  onRefused(message: string): void {
    this.refused = this.pending ?? this.options.input.value.trim();
    this.pending = null;
    // Fall back to the last confirmed name, so the refused one is not asked for on reconnect.
    this.desired = loadNickname();
    this.showHint(message, true);
  }

  /**
   * Someone gave up a name (left, or renamed). If it is the one we want, ask for it: after a
   * network drop the server may still hold our old connection, which refuses our name until it
   * times out and leaves. "The one we want" is the server's comparison (`nickKey`: case, width and
   * look-alikes); its Unicode tables are ~100 kB, so the page loads them only when it has a name
   * to wait for.
   */
  onNameFreed(name: string): void {
    const { desired } = this;
    if (desired === null || desired === this.current) return;
    void import('../../shared/nick.js').then(({ nickKey }) => {
      if (this.desired === desired && desired !== this.current && nickKey(name) === nickKey(desired)) this.request(desired);
    });
  }

  private apply(trigger: Trigger): void {
    const { input } = this.options;
    const name = input.value.trim();
    if (name === '') {
      input.value = this.desired ?? '';
      this.showHint('', false);
      return;
    }
    if (name === this.current && name === this.desired) {
      this.showHint('', false);
      return;
    }
    if (name === this.pending) return;
    if (trigger !== 'enter' && name === this.refused) return;
    this.desired = name;
    this.request(name);
  }

  private request(name: string): void {
    if (name === this.current) {
      // Already ours (and remembered when it was confirmed): nothing to ask.
      this.pending = null;
      this.showHint('', false);
      return;
    }
    if (this.options.send(`/nick ${name}`)) {
      this.pending = name;
      return;
    }
    this.showHint('Not connected: the nickname will be set when the connection is back.', false);
  }

  private showHint(text: string, isError: boolean): void {
    const { input, hint } = this.options;
    hint.textContent = text;
    hint.classList.toggle('hint--error', isError);
    if (isError) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  private readonly inputOnKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.isComposing) return;
    event.preventDefault();
    this.apply('enter');
  };

  private readonly inputOnChange = (): void => {
    this.apply('change');
  };

  private readonly inputOnBlur = (): void => {
    this.apply('blur');
  };

  /** Editing the name withdraws the old complaint about it. */
  private readonly inputOnInput = (): void => {
    if (this.options.input.getAttribute('aria-invalid') === 'true') this.showHint('', false);
  };
}
