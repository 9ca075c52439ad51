import type { ConnectionState } from './connection.js';

/** How often the countdown is refreshed; the text changes once a second at most. */
const TICK_MS = 250;

export interface StatusViewElements {
  status: HTMLElement;
  reconnect: HTMLButtonElement;
}

/**
 * The connection status line: "connecting…", "connected", "reconnecting in 3 s…", "you left the chat". The element is
 * a polite live region, so its text is only written when it actually changes: rewriting the same
 * words every tick would make screen readers repeat them.
 */
export class StatusView {
  private readonly elements: StatusViewElements;
  private countdown: ReturnType<typeof setInterval> | undefined;
  private retryAt = 0;

  constructor(elements: StatusViewElements) {
    this.elements = elements;
  }

  show(state: ConnectionState): void {
    clearInterval(this.countdown);
    this.countdown = undefined;
    this.elements.status.dataset['state'] = state.kind;
    this.elements.reconnect.hidden = state.kind !== 'waiting' && state.kind !== 'left';
    this.elements.reconnect.textContent = state.kind === 'left' ? 'Rejoin' : 'Reconnect now';
    switch (state.kind) {
      case 'connecting':
        this.write(state.retrying ? 'reconnecting…' : 'connecting…');
        return;
      case 'open':
        this.write('connected');
        return;
      case 'left':
        this.write('you left the chat');
        return;
      case 'waiting':
        this.retryAt = state.retryAt;
        this.writeCountdown();
        this.countdown = setInterval(this.countdownOnTick, TICK_MS);
        return;
    }
  }

  private writeCountdown(): void {
    const seconds = Math.max(1, Math.ceil((this.retryAt - Date.now()) / 1000));
    this.write(`reconnecting in ${seconds} s…`);
  }

  private write(text: string): void {
    if (this.elements.status.textContent !== text) this.elements.status.textContent = text;
  }

  private readonly countdownOnTick = (): void => {
    this.writeCountdown();
  };
}
