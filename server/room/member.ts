import type { MemberInfo, Transport } from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { OutgoingMessage } from './outgoing-message.js';
import type { Replay } from './room-history.js';
import type { TokenBucket } from './token-bucket.js';

/**
 * What a transport adapter hands the room for each connection. The room only ever calls these;
 * it never sees a socket. Each adapter picks the wire form it speaks from the message.
 */
export interface MemberConnection {
  readonly transport: Transport;
  /** `ip:port` of the peer: the member's name until it sets a nickname. */
  readonly address: string;
  /** Write one message; must not throw for a closed connection. */
  deliver(message: OutgoingMessage): void;
  /** Called on the sender after its own message was accepted (the page shows it); optional. */
  acknowledge?(message: OutgoingMessage): void;
  /**
   * The room tells the connection who it is and who is here (the first MEMBER_LIST_MAX members,
   * and how many in all), right after joining.
   */
  welcome?(you: MemberInfo, members: MemberInfo[], count: number): void;
  /**
   * Stored messages for a member that just joined, as one unit (the page's `history` event).
   * Connections without it get each message through `deliver`, with its original time.
   */
  history?(replay: Replay): void;
  /** Bytes written but not yet handed to the kernel (TCP writableLength, WS bufferedAmount). */
  readonly pendingBytes: number;
  /**
   * End the connection: flush what is queued (the last notice included) for a short grace
   * period, then destroy it. The room has already removed the member. `reason` is why, for
   * transports that can say it on close (WebSocket close codes).
   */
  close(reason: ErrorCode): void;
}

/** The room's record of one connection. */
export class Member {
  readonly id: number;
  readonly connection: MemberConnection;
  readonly joinedAt: number;
  nick: string | null = null;
  /** False once the member has left; late events from its connection are ignored. */
  present = true;
  /** Flood limit; null when rate limiting is off. */
  readonly bucket: TokenBucket | null;
  /** Messages refused in a row by the flood limit. */
  refusedInARow = 0;
  /** Set on any input; the idle sweep reads and clears it (no clock read per chunk). */
  active = true;
  /** When the idle sweep last saw this member active. */
  lastActive: number;

  constructor(id: number, connection: MemberConnection, joinedAt: number, bucket: TokenBucket | null) {
    this.id = id;
    this.connection = connection;
    this.joinedAt = joinedAt;
    this.lastActive = joinedAt;
    this.bucket = bucket;
  }

  get transport(): Transport {
    return this.connection.transport;
  }

  get address(): string {
    return this.connection.address;
  }

  /** The SENDER token: nickname if set, else `ip:port`. */
  get name(): string {
    return this.nick ?? this.connection.address;
  }

  info(): MemberInfo {
    return { id: this.id, name: this.name, transport: this.transport };
  }
}
