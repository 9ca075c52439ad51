import type { MemberInfo, MessageEvent, NoticeEvent, NoticeKind } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { NOTICE_SENDER } from '../../shared/payload.js';
import type { HistoryRecord } from '../history/history-store.js';

export type OutgoingKind = 'chat' | 'action' | 'notice';

/** Who said a message: enough for every wire form (a stored message no longer has a transport). */
export type MessageSender = Pick<MemberInfo, 'id' | 'name'>;

export interface OutgoingInit {
  kind: OutgoingKind;
  /** History id of a chat line or action; notices have none (0). */
  id?: number;
  time: number;
  text: string;
  /** The member who spoke, for chat and action. */
  from?: MessageSender;
  notice?: NoticeKind;
  /** The member a presence notice is about. */
  member?: MemberInfo;
  /** The members a batched presence notice is about, and how many there were in all. */
  members?: MemberInfo[];
  count?: number;
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
  readonly id: number;
  readonly time: number;
  readonly text: string;
  readonly from: MessageSender | undefined;
  readonly notice: NoticeKind | undefined;
  readonly member: MemberInfo | undefined;
  readonly members: MemberInfo[] | undefined;
  readonly count: number | undefined;
  readonly previous: string | undefined;
  readonly code: ErrorCode | undefined;
  private readonly encoded: (Uint8Array | undefined)[] = [];

  constructor(init: OutgoingInit) {
    this.kind = init.kind;
    this.id = init.id ?? 0;
    this.time = init.time;
    this.text = init.text;
    this.from = init.from;
    this.notice = init.notice;
    this.member = init.member;
    this.members = init.members;
    this.count = init.count;
    this.previous = init.previous;
    this.code = init.code;
  }

  /** A stored message, to be sent again in every wire form with its original time and id. */
  static fromRecord(record: HistoryRecord): OutgoingMessage {
    return new OutgoingMessage({
      kind: record.kind,
      id: record.id,
      time: record.time,
      text: record.text,
      from: { id: record.fromId, name: record.from },
    });
  }

  /** What history keeps of a chat line or action. */
  toRecord(): HistoryRecord {
    if (this.kind === 'notice' || this.from === undefined) throw new TypeError('only chat lines and actions are history');
    return { id: this.id, time: this.time, kind: this.kind, from: this.from.name, fromId: this.from.id, text: this.text };
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
        id: this.id,
        kind: this.kind,
        time: this.time,
        from: this.from.name,
        fromId: this.from.id,
        text: this.text,
      };
    }
    const event: NoticeEvent = { type: 'notice', kind: this.notice ?? 'info', time: this.time, text: this.text };
    if (this.member !== undefined) event.member = this.member;
    if (this.members !== undefined) event.members = this.members;
    if (this.count !== undefined) event.count = this.count;
    if (this.previous !== undefined) event.previous = this.previous;
    if (this.code !== undefined) event.code = this.code;
    return event;
  }
}
