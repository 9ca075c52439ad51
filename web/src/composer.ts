import type { SendEvent } from '../../shared/events.js';
import { DEFAULT_MAX_PAYLOAD } from '../../shared/limits.js';
import { isBlank } from '../../shared/text.js';

export type SendResult = 'sent' | 'offline';

export interface ComposerOptions {
  form: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  hint: HTMLElement;
  send(event: SendEvent): SendResult;
}

const encoder = new TextEncoder();

/** Bytes the server will see: the whole JSON event as UTF-8, which is what its limit applies to. */
export function sendEventSize(text: string): number {
  const event: SendEvent = { type: 'send', text };
  return encoder.encode(JSON.stringify(event)).length;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * The message box. Enter sends and Shift+Enter breaks the line, as in most chat apps; an IME
 * composition's Enter is left alone. A message over the server's limit is refused here, with the
 * sizes shown, because the server would refuse it anyway and the text would be lost. What cannot
 * be sent stays in the box.
 */
export class Composer {
  private readonly options: ComposerOptions;
  private maxPayload = DEFAULT_MAX_PAYLOAD;

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

  focus(): void {
    this.options.textarea.focus();
  }

  private submit(): void {
    const { textarea } = this.options;
    const text = textarea.value;
    if (isBlank(text)) return;
    if (!this.checkSize()) return;
    if (this.options.send({ type: 'send', text }) === 'offline') {
      this.showHint('Not connected: your message is kept here until the connection is back.', true);
      return;
    }
    textarea.value = '';
    this.showHint('', false);
  }

  /** True when the text fits; otherwise says by how much it does not. */
  private checkSize(): boolean {
    const size = sendEventSize(this.options.textarea.value);
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
