import type { ClientEvent, ServerEvent, WelcomeEvent } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { loadPassword, savePassword } from './storage.js';

export interface PasswordPromptElements {
  form: HTMLFormElement;
  input: HTMLInputElement;
  hint: HTMLElement;
}

/** The server's answers that mean the password was not taken: the socket closes after them. */
const REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['SB_ERR_BAD_PASSWORD', 'SB_ERR_PASSWORD_LOCKOUT', 'SB_ERR_PASSWORD_REQUIRED']);

/**
 * The server password (`--password`). A welcome saying `passwordRequired` is held back from the
 * rest of the page (which would join rooms and set the nickname, none of which the server takes
 * before the password); the password remembered for this tab is sent at once, else this small
 * form asks. The first event after it (the default room's `joined`) means it was right: the
 * password is remembered and the held welcome goes on, then that event. A refusal clears the
 * remembered one and asks again on the next connection.
 */
export class PasswordPrompt {
  private held: WelcomeEvent | null = null;
  /** Sent on this connection, not yet accepted. */
  private offered: string | null = null;
  /** Typed while there was no connection to send it on: sent on the next welcome. */
  private typed: string | null = null;

  constructor(
    private readonly elements: PasswordPromptElements,
    private readonly send: (event: ClientEvent) => boolean,
  ) {
    elements.form.addEventListener('submit', this.formOnSubmit);
  }

  /** The form is shown: the connection is waiting for the password, or was refused it. */
  get asking(): boolean {
    return !this.elements.form.hidden;
  }

  /** Every server event goes through here; `deliver` is the rest of the page. */
  filter(event: ServerEvent, deliver: (event: ServerEvent) => void): void {
    if (event.type === 'welcome') {
      this.held = null;
      this.offered = null;
      if (event.passwordRequired === true) {
        this.held = event;
        const candidate = this.typed ?? loadPassword();
        this.typed = null;
        if (candidate !== null && this.offer(candidate)) this.ask('Checking…', false);
        // Shown already: what it says (the last refusal) stays until the next try.
        else if (this.elements.form.hidden) this.ask('', false);
        return;
      }
      this.hide();
      deliver(event);
      return;
    }
    if (this.held === null) {
      deliver(event);
      return;
    }
    if (event.type === 'notice' && event.code !== undefined && REFUSALS.has(event.code)) {
      savePassword(null);
      this.offered = null;
      // This connection is over; the next one brings its own welcome.
      this.held = null;
      this.ask(event.code === 'SB_ERR_BAD_PASSWORD' ? 'Wrong password.' : event.text, true);
      return;
    }
    // Anything else after the password is the chat: it was right.
    const welcome = this.held;
    this.held = null;
    savePassword(this.offered);
    this.offered = null;
    this.hide();
    deliver(welcome);
    deliver(event);
  }

  private offer(password: string): boolean {
    if (!this.send({ type: 'pass', password })) return false;
    this.offered = password;
    return true;
  }

  private ask(text: string, isError: boolean): void {
    const { form, input, hint } = this.elements;
    const wasHidden = form.hidden;
    form.hidden = false;
    hint.textContent = text;
    hint.classList.toggle('hint--error', isError);
    if (isError) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (wasHidden || isError) input.focus();
  }

  private hide(): void {
    const { form, input, hint } = this.elements;
    form.hidden = true;
    input.value = '';
    hint.textContent = '';
    input.removeAttribute('aria-invalid');
  }

  private readonly formOnSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const password = this.elements.input.value;
    if (password === '') return;
    if (this.held !== null && this.offer(password)) {
      this.ask('Checking…', false);
      return;
    }
    this.typed = password;
    this.ask('Sent as soon as the connection is back.', false);
  };
}
