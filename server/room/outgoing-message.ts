import type { MemberInfo, MessageEvent, NoticeEvent, NoticeKind } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { encodeFrame } from '../../shared/frame-encoder.js';
import { NOTICE_SENDER, formatServerPayload, toSingleLine } from '../../shared/payload.js';
import { timestampOf } from './clock.js';

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
 * One message leaving the room, with each wire form built at most once, on first use, and shared
 * by every member of that transport: encode once, write the same buffer many times. The room knows
 * nothing of transports; each adapter asks for the form it speaks.
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
  private framedBytes: Uint8Array | undefined;
  private lineBytes: Uint8Array | undefined;
  private jsonBytes: Uint8Array | undefined;

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

  /** `DATE TIME SENDER TEXT` as one length-prefixed frame. */
  get framed(): Uint8Array {
    this.framedBytes ??= encodeFrame(formatServerPayload(timestampOf(this.time), this.sender, this.wireText));
    return this.framedBytes;
  }

  /** `DATE TIME SENDER TEXT\n`, with inner newlines shown as ␤ so one message stays one line. */
  get line(): Uint8Array {
    this.lineBytes ??= Buffer.from(
      `${formatServerPayload(timestampOf(this.time), this.sender, toSingleLine(this.wireText))}\n`,
      'utf8',
    );
    return this.lineBytes;
  }

  /** The WebSocket event as UTF-8 JSON, sent as a text message. */
  get json(): Uint8Array {
    this.jsonBytes ??= Buffer.from(JSON.stringify(this.toEvent()), 'utf8');
    return this.jsonBytes;
  }

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
