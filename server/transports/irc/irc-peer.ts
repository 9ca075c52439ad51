import type { Hub } from '../../hub/hub.js';
import type { Session } from '../../hub/session.js';

/** The IRCv3 capabilities offered in CAP LS (`sasl` only with `--accounts`: see offeredCaps). */
export const SUPPORTED_CAPS = ['server-time', 'message-tags', 'echo-message', 'multi-prefix', 'sasl'] as const;
export type IrcCap = (typeof SUPPORTED_CAPS)[number];

/** The capabilities this server offers: `sasl` only where accounts exist to log in to. */
export function offeredCaps(hub: Hub): readonly IrcCap[] {
  return hub.accounts === null ? SUPPORTED_CAPS.filter((cap) => cap !== 'sasl') : SUPPORTED_CAPS;
}

/**
 * One IRC connection as its command handlers see it: the hub session behind it, its registration
 * state, and the ways to answer it. The connection implements this; the handlers never see the socket.
 */
export interface IrcPeer {
  readonly hub: Hub;
  readonly session: Session;
  readonly serverName: string;
  readonly network: string;
  /** Caps the client asked for and got (CAP REQ). */
  readonly caps: Set<IrcCap>;
  /** True between CAP LS/REQ and CAP END: registration waits for END. */
  capNegotiating: boolean;
  /** USER was received. */
  userGiven: boolean;
  /** The nickname the client asked for last, for 432/433 replies. */
  pendingNick: string | null;
  /** What PASS gave (null: none yet); the hub checks it when registration would complete. */
  offeredPassword: string | null;
  /**
   * NICK given before the server password was checked, or during CAP negotiation with accounts
   * on (SASL may log in first and give the account's name): claimed at registration.
   */
  deferredNick: string | null;
  /** AUTHENTICATE PLAIN's base64 so far (it may come in lines of 400); null: no exchange under way. */
  saslResponse: string | null;
  /** NICK was accepted by the hub at least once. */
  nickAccepted: boolean;
  /** 001 was sent. */
  readonly registered: boolean;
  /** The member's nickname as IRC shows it (`*` before it has one). */
  nick(): string;
  /** One line, CR LF added, in order with everything else this member gets. */
  send(line: string): void;
  /** `:server CODE nick params…`. */
  numeric(code: string, ...params: string[]): void;
  /**
   * Sends 001–005 and 422 once NICK and USER are in and CAP negotiation is over; on a server with
   * a password, first checks PASS (464 and the close when wrong or missing).
   */
  completeRegistration(): void;
}
