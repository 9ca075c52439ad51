import type { ClientEvent, SendEvent } from '../../shared/events.js';
import { DEFAULT_MAX_PAYLOAD } from '../../shared/limits.js';
import { isBlank } from '../../shared/text.js';

export type SendResult = 'sent' | 'offline';

/** The conversation the box writes to: what it is called, and what a line typed there sends. */
export interface ComposerTarget {
  /** The box's label, "Message #ops": a screen reader entering the box hears where it writes. */
  label: string;
  eventFor(text: string): ClientEvent;
}

export interface ComposerOptions {
  form: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  label: HTMLElement;
  hint: HTMLElement;
  send(event: ClientEvent): SendResult;
}

const encoder = new TextEncoder();

/** Bytes the server will see: the whole JSON event as UTF-8, which is what its limit applies to. */
export function eventSize(event: ClientEvent): number {
  return encoder.encode(JSON.stringify(event)).length;
}

/** eventSize of a plain `send` of this text. */
export function sendEventSize(text: string): number {
  const event: SendEvent = { type: 'send', text };
  return eventSize(event);
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * The message box, one for every conversation: each keeps its own draft, swapped in and out when
 * the page switches (switchTo). Enter sends and Shift+Enter breaks the line, as in most chat apps;
 * an IME composition's Enter is left alone. A message over the server's limit is refused here,
 * with the sizes shown, because the server would refuse it anyway and the text would be lost.
 * What cannot be sent stays in the box.
 */
export class Composer {
  private readonly options: ComposerOptions;
  private maxPayload = DEFAULT_MAX_PAYLOAD;
  private target: ComposerTarget | null = null;

  constructor(options: ComposerOptions) {
    this.options = options;
    options.form.addEventListener('submit', this.formOnSubmit);
    options.textarea.addEventListener('keydown', this.textareaOnKeydown);
    options.textarea.addEventListener('input', this.textareaOnInput);
  }

  /** Each welcome states the limit for that connection. */
  setMaxPayload(bytes: number): void {
    this.maxPayload = bytes;
    this.checkSize();
  }

  /**
   * Writes to another conversation from now on, with its draft (null keeps what is in the box:
   * the first conversation gets what was typed before it came); returns the draft it leaves.
   */
  switchTo(target: ComposerTarget, draft: string | null): string {
    const { textarea, label } = this.options;
    const left = textarea.value;
    this.target = target;
    label.textContent = target.label;
    textarea.placeholder = `${target.label}…`;
    if (draft !== null) textarea.value = draft;
    this.showHint('', false);
    this.checkSize();
    return left;
  }

  focus(): void {
    this.options.textarea.focus();
  }

  private submit(): void {
    const { textarea } = this.options;
    const text = textarea.value;
    if (isBlank(text) || this.target === null) return;
    if (!this.checkSize()) return;
    if (this.options.send(this.target.eventFor(text)) === 'offline') {
      this.showHint('Not connected: your message is kept here until the connection is back.', true);
      return;
    }
    textarea.value = '';
    this.showHint('', false);
  }

  /** True when the text fits; otherwise says by how much it does not. */
  private checkSize(): boolean {
    const text = this.options.textarea.value;
    const size = this.target === null ? sendEventSize(text) : eventSize(this.target.eventFor(text));
    if (size <= this.maxPayload) {
      if (this.options.textarea.getAttribute('aria-invalid') === 'true') this.showHint('', false);
      return true;
    }
    this.showHint(
      `Message too long to send: ${formatBytes(size)}, the limit is ${formatBytes(this.maxPayload)}.`,
      true,
    );
    return false;
  }

  private showHint(text: string, isError: boolean): void {
    const { textarea, hint } = this.options;
    hint.textContent = text;
    hint.classList.toggle('hint--error', isError);
    if (isError) textarea.setAttribute('aria-invalid', 'true');
    else textarea.removeAttribute('aria-invalid');
  }

  private readonly formOnSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.submit();
  };

  private readonly textareaOnKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.submit();
  };

  private readonly textareaOnInput = (): void => {
    this.checkSize();
  };
}
