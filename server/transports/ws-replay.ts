import type { HistoryEvent, MessageEvent } from '../../shared/events.js';
import type { ReplayStream } from '../output/output-queue.js';
import type { ReplayCursor } from '../channel/channel-history.js';
import type { TrafficStats } from '../stats.js';
import { toEvent } from './ws-events.js';
import { encodeWsTextFrame } from './ws-frame.js';

/** Message text per `history` event, about: a replay of a thousand 64 KB messages is ~1000 events. */
const EVENT_TEXT_BYTES = 64 * 1024;

/**
 * A join or resume replay for the page: `history` events of up to about 64 KiB of messages each,
 * built one at a time as the socket takes them. The first says the replay's mode (`recent`
 * replaces what the page shows; `resume` appends), the rest continue it as `resume`. There is
 * always a first event, empty or not: it tells the page which epoch it is in.
 */
export class WsReplay implements ReplayStream {
  readonly gapMs = 0;
  private first = true;

  constructor(
    private readonly cursor: ReplayCursor,
    private readonly stats: TrafficStats,
  ) {}

  next(): Uint8Array | null {
    const messages: MessageEvent[] = [];
    let size = 0;
    let over = false;
    while (size < EVENT_TEXT_BYTES) {
      const message = this.cursor.take();
      if (message === null) {
        over = true;
        break;
      }
      messages.push(toEvent(message) as MessageEvent);
      size += message.text.length + 100;
    }
    // Ids the store lost go with the event they fall in; the last event takes the rest.
    const lost = this.cursor.takeLost(over ? null : messages.at(-1)!.id);
    if (messages.length === 0 && lost.length === 0 && !this.first) return null;
    const event: HistoryEvent = {
      type: 'history',
      room: this.cursor.room.name,
      mode: this.first ? this.cursor.mode : 'resume',
      epoch: this.cursor.epoch,
      messages,
      more: this.first && this.cursor.more,
    };
    if (lost.length > 0) event.lost = lost;
    this.first = false;
    const frame = encodeWsTextFrame(Buffer.from(JSON.stringify(event), 'utf8'));
    this.stats.messagesOut.ws += messages.length;
    this.stats.bytesOut.ws += frame.length;
    return frame;
  }
}
