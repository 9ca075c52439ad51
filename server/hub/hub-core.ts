import type { NoticeKind } from '../../shared/events.js';
import type { AdminList } from '../auth/admin-source.js';
import type { Accounts } from '../auth/accounts.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { Clock } from '../message/clock.js';
import type { OutgoingMessage, RoomRef } from '../message/outgoing-message.js';
import type { TrafficStats } from '../stats.js';
import type { ClusterLink } from './cluster-link.js';
import type { HubLimits } from './hub-limits.js';
import type { NickRegistry } from './nick-registry.js';
import type { RoomRegistry } from './room-registry.js';
import type { Session } from './session.js';

/**
 * The hub's state and its one write path, as the parts that act on it see them (the intent
 * runner, the cluster events): they share the hub's registries and never reach around it.
 */
export interface HubCore {
  /** Shown in the welcome notice. */
  readonly name: string;
  readonly clock: Clock;
  readonly stats: TrafficStats;
  readonly limits: HubLimits;
  readonly rooms: RoomRegistry;
  readonly nicks: NickRegistry;
  readonly link: ClusterLink | null;
  /** This instance's sessions by id. */
  readonly sessions: ReadonlyMap<number, Session>;
  /** The one write path: counted, then policed by the connection's output queue. */
  deliver(session: Session, message: OutgoingMessage): void;
  /** A notice to one member only (a reply, a refusal), counted under its code. */
  noticeTo(session: Session, text: string, kind?: NoticeKind, code?: ErrorCode, room?: RoomRef): void;
  notice(kind: NoticeKind, text: string, code?: ErrorCode, room?: RoomRef): OutgoingMessage;
  /** A member's new name, announced once to everyone who shares a room with it, and to it. */
  announceRename(session: Session, previous: string): void;
  /** The member is gone (its connection ended, or it quit). */
  leave(session: Session, reason?: string): void;
  /** The id of the next message said here alone (without `--redis`). */
  nextMessageId(): number;
  /** The server operators' names and secrets (`--admin`), checked like the server password; null: none. */
  readonly admins: AdminList | null;
  /** Logs that a member became a server operator (never the secret). */
  logOperator(session: Session, name: string): void;
  /** The accounts (`--accounts`); null: none, and `/register`, `/login` say so. */
  readonly accounts: Accounts | null;
  /** Closes a member's connection for a policy reason: one error notice, then the close. */
  disconnect(session: Session, code: ErrorCode, text: string): void;
  /** Logs an account event (never a password): registered, logged in, a failed login, a store error. */
  logAccount(session: Session, event: 'registered' | 'logged in' | 'login failed' | 'failed', account: string, error?: unknown): void;
}
