import type { MemberInfo, Transport } from '../../shared/events.js';
import type { OutgoingMessage } from './outgoing-message.js';

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
  /** The room tells the connection who it is and who is here, right after joining. */
  welcome?(you: MemberInfo, members: MemberInfo[]): void;
  /** Reply to a `who` request in the transport's own form; falls back to a notice. */
  members?(members: MemberInfo[]): void;
}

/** The room's record of one connection. */
export class Member {
  readonly id: number;
  readonly connection: MemberConnection;
  readonly joinedAt: number;
  nick: string | null = null;
  /** False once the member has left; late events from its connection are ignored. */
  present = true;

  constructor(id: number, connection: MemberConnection, joinedAt: number) {
    this.id = id;
    this.connection = connection;
    this.joinedAt = joinedAt;
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
