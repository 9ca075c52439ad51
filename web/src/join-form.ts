import type { RoomInfo } from '../../shared/events.js';

export interface JoinFormElements {
  form: HTMLFormElement;
  input: HTMLInputElement;
  hint: HTMLElement;
  /** Suggestions for the input: the server's rooms, busiest first. */
  suggestions: HTMLDataListElement;
}

export interface JoinFormActions {
  /** Join (or show, when the page is in it already) the room named; 'offline' keeps the text. */
  join(name: string): 'sent' | 'shown' | 'offline';
  /** Ask the server for its rooms without printing the answer (for the suggestions). */
  listRooms(): void;
}

/** Suggestions are asked for at most this often: focusing the field again and again costs nothing. */
const LIST_EVERY_MS = 10_000;

/**
 * "Join a room": a name (with or without `#`) joins that room, made if new, and shows it. The
 * server decides what a room name is and says why one is refused; its refusal is shown here while
 * a join from this form is waiting for an answer. Focusing the field fetches the server's rooms as
 * suggestions (a datalist: the browser's own autocomplete, keyboard and screen-reader friendly).
 */
export class JoinForm {
  private listedAt = Number.NEGATIVE_INFINITY;
  /** A join from this form has not been answered yet: a refusal now is about it. */
  private waiting = false;

  constructor(
    private readonly elements: JoinFormElements,
    private readonly actions: JoinFormActions,
  ) {
    elements.form.addEventListener('submit', this.formOnSubmit);
    elements.input.addEventListener('focus', this.inputOnFocus);
    elements.input.addEventListener('input', this.inputOnInput);
  }

  /** The server's rooms, from a `rooms` event. */
  showRooms(rooms: readonly RoomInfo[]): void {
    const options = rooms.map((room) => {
      const option = document.createElement('option');
      option.value = room.name;
      option.label = room.topic === '' ? `${room.count} here` : `${room.count} here: ${room.topic}`;
      return option;
    });
    this.elements.suggestions.replaceChildren(...options);
  }

  /** The server refused a join (an invalid name, too many rooms): said here if it was ours. */
  refused(text: string): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.showHint(text, true);
  }

  /** A room was joined: whatever this form was waiting for is answered. */
  answered(): void {
    this.waiting = false;
  }

  private showHint(text: string, isError: boolean): void {
    const { input, hint } = this.elements;
    hint.textContent = text;
    hint.classList.toggle('hint--error', isError);
    if (isError) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  private readonly formOnSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const { input } = this.elements;
    const name = input.value.trim();
    if (name === '') return;
    const result = this.actions.join(name.startsWith('#') ? name : `#${name}`);
    if (result === 'offline') {
      this.showHint('Not connected: join again when the connection is back.', true);
      return;
    }
    this.waiting = result === 'sent';
    input.value = '';
    this.showHint('', false);
  };

  private readonly inputOnFocus = (): void => {
    const now = Date.now();
    if (now - this.listedAt < LIST_EVERY_MS) return;
    this.listedAt = now;
    this.actions.listRooms();
  };

  private readonly inputOnInput = (): void => {
    if (this.elements.input.getAttribute('aria-invalid') === 'true') this.showHint('', false);
  };
}
