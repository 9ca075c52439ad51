import type { MemberInfo, NoticeKind } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { HistoryRecord } from '../history/history-store.js';

export type OutgoingKind = 'chat' | 'action' | 'notice';

/**
 * Who said a message: enough for every wire form. A live message knows the speaker's transport
 * (IRC shows it as `nick!line@server`); a stored one no longer does.
 */
export type MessageSender = Pick<MemberInfo, 'id' | 'name'> & { transport?: MemberInfo['transport'] };

/** The room a message belongs to: its name as shown, and its key (the one comparison). */
export interface RoomRef {
  readonly name: string;
  readonly key: string;
}

export interface OutgoingInit {
  kind: OutgoingKind;
  /** The room it was said in, or a join/leave/topic notice is about; null for the whole server. */
  room?: RoomRef | null;
  /** A direct message: the member it was sent to. */
  to?: MemberInfo;
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
  /** For `topic`: the room's new topic ('' when cleared), and who set it when known (IRC's TOPIC line). */
  topic?: string;
  /** Who set the topic; for a `leave` that is a kick, who kicked; for a mode change, who changed it. */
  setter?: MemberInfo;
  /** An `info` notice that is a mode change, as IRC shows it (`+o alice`, `+b bob!*@*`, `-t`). */
  mode?: string;
}

/**
 * Bytes on their way to one or more sockets. A broadcast writes the same chunk to every member's
 * output queue; `holders` counts the queues that hold it, so the server-wide output budget counts
 * its bytes once, however many members are still waiting for it (10,000 pages behind one 64 KB
 * paste hold 64 KB, not 640 MB).
 */
export class WireChunk {
  holders = 0;
  constructor(readonly bytes: Uint8Array) {}
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
 * One message leaving the hub: data only, with a cache of its wire forms. Each form is built at
 * most once, on first use, and the same bytes are written to every member of that transport:
 * encode once, write many. How a form looks is the transport's business (transports/).
 */
export class OutgoingMessage {
  readonly kind: OutgoingKind;
  readonly room: RoomRef | null;
  readonly to: MemberInfo | undefined;
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
  readonly topic: string | undefined;
  readonly setter: MemberInfo | undefined;
  readonly mode: string | undefined;
  private readonly encoded: (WireChunk | undefined)[] = [];

  constructor(init: OutgoingInit) {
    this.kind = init.kind;
    this.room = init.room ?? null;
    this.to = init.to;
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
    this.topic = init.topic;
    this.setter = init.setter;
    this.mode = init.mode;
  }

  /** A stored message of `room`, to be sent again in every wire form with its original time and id. */
  static fromRecord(record: HistoryRecord, room: RoomRef): OutgoingMessage {
    return new OutgoingMessage({
      kind: record.kind,
      room,
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

  /** This message in `form`, built on first use and then shared by every queue it goes to. */
  chunk(form: WireForm): WireChunk {
    let chunk = this.encoded[form.slot];
    if (chunk === undefined) {
      chunk = new WireChunk(form.encode(this));
      this.encoded[form.slot] = chunk;
    }
    return chunk;
  }

  /** The bytes of this message in `form`. */
  wire(form: WireForm): Uint8Array {
    return this.chunk(form).bytes;
  }
}
