import type { MemberInfo } from '../../shared/events.js';

/** A chat line or action as every instance sees it, with the room-wide id it was given. */
export interface SharedMessage {
  id: number;
  time: number;
  kind: 'chat' | 'action';
  text: string;
  from: MemberInfo;
  /** The instance whose member said it (that instance does not echo it back to the sender). */
  instance: string;
}

export type SharedDraft = Omit<SharedMessage, 'id' | 'instance'>;

/** Answer to a nickname claim: the room's, or `unknown` when the shared room cannot be asked. */
export type NickClaim = 'granted' | 'taken' | 'unknown';

/**
 * How the room reaches the other instances of a scaled-out deployment (`--redis`). The room
 * calls these; the link calls the room back (`sharedMessage`, `remoteJoined`, …). Without a link
 * the room is the whole room, as before. Everything here is fire-and-forget or reports `unknown`
 * when the shared room is unreachable: the room then serves its own members alone.
 */
export interface RoomLink {
  /** Names this instance in shared messages and presence. */
  readonly instance: string;
  /** True while messages can be published; false means "deliver locally, id 0". */
  readonly up: boolean;
  /**
   * Publishes a chat line; it comes back to every instance (this one included) through the
   * room's `sharedMessage`, in one order for all. Resolves false if it could not be published.
   */
  publish(draft: SharedDraft): Promise<boolean>;
  /** A local member joined, changed its name (with the key of the name it gave up) or left. */
  joined(member: MemberInfo, nickKey: string | null): void;
  renamed(member: MemberInfo, previous: string, nickKey: string | null, previousKey: string | null): void;
  left(member: MemberInfo, nickKey: string | null, reason: string | undefined): void;
  /** Asks the shared room for a nickname (unique across instances). */
  claimNick(nickKey: string, member: MemberInfo): Promise<NickClaim>;
  /** Gives up a claim that was granted but not used (the member left or lost a local race). */
  releaseNick(nickKey: string, member: MemberInfo): void;
}
