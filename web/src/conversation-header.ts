import type { ConversationView } from './conversation-view.js';

export interface ConversationHeaderElements {
  title: HTMLElement;
  topic: HTMLElement;
  /** "Leave" for a room, "Close" for direct messages; hidden for the default room. */
  leave: HTMLButtonElement;
}

/**
 * The header above the log: the conversation's name (the section's heading, so a screen reader
 * hears where it is), a room's topic or what direct messages are, and the button that leaves
 * the room or closes the direct messages. The default room has no Leave button: the server puts
 * every member back in it on connecting (`/part` still leaves it until then).
 */
export class ConversationHeader {
  private view: ConversationView | null = null;

  constructor(
    private readonly elements: ConversationHeaderElements,
    private readonly leave: (view: ConversationView) => void,
  ) {
    elements.leave.addEventListener('click', this.leaveOnClick);
  }

  show(view: ConversationView): void {
    this.view = view;
    const { title, topic, leave } = this.elements;
    title.textContent = view.name;
    const subtitle = view.subtitle;
    topic.textContent = subtitle;
    topic.title = subtitle;
    topic.hidden = subtitle === '';
    leave.hidden = !view.closable;
    leave.textContent = view.kind === 'room' ? 'Leave' : 'Close';
    leave.title = view.kind === 'room' ? `Leave ${view.name}` : `Close the direct messages with ${view.name}`;
  }

  /** The conversation shown changed something the header shows (a topic). */
  refresh(view: ConversationView): void {
    if (view === this.view) this.show(view);
  }

  private readonly leaveOnClick = (): void => {
    if (this.view !== null) this.leave(this.view);
  };
}
