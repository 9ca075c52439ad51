import type { MemberInfo, MessageEvent, NoticeEvent, NoticeKind } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { NOTICE_SENDER } from '../../shared/payload.js';

export type OutgoingKind = 'chat' | 'action' | 'notice';

export interface OutgoingInit {
  kind: OutgoingKind;
  time: number;
  text: string;
  /** The member who spoke, for chat and action. */
  from?: MemberInfo;
  notice?: NoticeKind;
  /** The member a presence notice is about. */
  member?: MemberInfo;
  previous?: string;
  code?: ErrorCode;
}

/**
 * A way of putting a message on a wire, defined by a transport adapter. The room knows none of
 * them; a message caches each form the first time a member of that transport needs it.
 */
export interface WireForm {
  readonly slot: number;
  readonly encode: (message: OutgoingMessage) => Uint8Array;
}

let nextSlot = 0;

/** Registers a wire form; call once per form at module load. */
export function defineWireForm(encode: (message: OutgoingMessage) => Uint8Array): WireForm {
  return { slot: nextSlot++, encode };
}

/**
 * One message leaving the room. Each wire form is built at most once, on first use, and the
 * same bytes are written to every member of that transport: encode once, write many.
 */
export class OutgoingMessage {
  readonly kind: OutgoingKind;
  readonly time: number;
  readonly text: string;
  readonly from: MemberInfo | undefined;
  readonly notice: NoticeKind | undefined;
  readonly member: MemberInfo | undefined;
  readonly previous: string | undefined;
  readonly code: ErrorCode | undefined;
  private readonly encoded: (Uint8Array | undefined)[] = [];

  constructor(init: OutgoingInit) {
    this.kind = init.kind;
    this.time = init.time;
    this.text = init.text;
    this.from = init.from;
    this.notice = init.notice;
    this.member = init.member;
    this.previous = init.previous;
    this.code = init.code;
  }

  /** SENDER token of the text forms: the member's name, or `*` for notices and actions. */
  get sender(): string {
    return this.kind === 'chat' && this.from !== undefined ? this.from.name : NOTICE_SENDER;
  }

  /** TEXT of the text forms; an action reads as IRC shows it: `* alice waves`. */
  get wireText(): string {
    return this.kind === 'action' && this.from !== undefined ? `${this.from.name} ${this.text}` : this.text;
  }

  /** The bytes of this message in `form`, built on first use and then shared. */
  wire(form: WireForm): Uint8Array {
    let bytes = this.encoded[form.slot];
    if (bytes === undefined) {
      bytes = form.encode(this);
      this.encoded[form.slot] = bytes;
    }
    return bytes;
  }

  /** The WebSocket event for this message (transport-neutral data, typed by shared/events). */
  toEvent(): MessageEvent | NoticeEvent {
    if (this.kind !== 'notice' && this.from !== undefined) {
      return {
        type: 'message',
        kind: this.kind,
        time: this.time,
        from: this.from.name,
        fromId: this.from.id,
        text: this.text,
      };
    }
    const event: NoticeEvent = { type: 'notice', kind: this.notice ?? 'info', time: this.time, text: this.text };
    if (this.member !== undefined) event.member = this.member;
    if (this.previous !== undefined) event.previous = this.previous;
    if (this.code !== undefined) event.code = this.code;
    return event;
  }
}
