import { nickKey, nickProblem, prepareNick } from '../../shared/nick.js';
import type { ClusterLink, NickClaim } from './cluster-link.js';
import type { Session } from './session.js';

/** Why a nickname is refused, as the error code the member gets. */
export type NickRefusal = 'SB_ERR_NICK_INVALID' | 'SB_ERR_NICK_TAKEN' | 'SB_ERR_NICK_REGISTERED' | 'SB_ERR_NICK_LOCKED';

/** What the registry reports back: the hub announces, refuses, and tells the link. */
export interface NickOutcome {
  /** Just before a name changes: joins still waiting to be announced go out under the old name. */
  beforeRename(session: Session): void;
  /** Whether the name is someone's account, or the member's own account forbids it (`--accounts`): the refusal, or null. */
  reserved?(session: Session, wanted: string, key: string): { text: string; code: NickRefusal } | null;
  refused(session: Session, text: string, code: NickRefusal | null): void;
  renamed(session: Session, previous: string, key: string, previousKey: string | null): void;
}

/**
 * Nicknames, server-wide: one member per name, compared by `nickKey` (case, width, look-alikes).
 * The local map answers at once; with `--redis` the shared state is asked too (names are unique
 * across instances), and while it is unreachable the local check alone decides (a clash found on
 * reconnect is settled by the hub's `nickLost`).
 */
export class NickRegistry {
  private readonly byKey = new Map<string, Session>();

  constructor(private readonly outcome: NickOutcome) {}

  /** The local member holding this name, if any. */
  holder(key: string): Session | undefined {
    return this.byKey.get(key);
  }

  /** `/nick`: refused if invalid or held by anyone; otherwise applied (after the link agrees). */
  request(session: Session, asked: string, link: ClusterLink | null): void {
    const wanted = prepareNick(asked);
    const problem = nickProblem(wanted);
    if (problem !== null) {
      this.outcome.refused(session, `nickname refused: ${problem}`, 'SB_ERR_NICK_INVALID');
      return;
    }
    if (session.nick === wanted) {
      this.outcome.refused(session, `you are already ${wanted}`, null);
      return;
    }
    const key = nickKey(wanted);
    const reserved = this.outcome.reserved?.(session, wanted, key) ?? null;
    if (reserved !== null) {
      this.outcome.refused(session, reserved.text, reserved.code);
      return;
    }
    if (this.taken(session, key, link)) {
      this.outcome.refused(session, `nickname refused: ${wanted} is taken`, 'SB_ERR_NICK_TAKEN');
      return;
    }
    if (link === null || !link.up) {
      this.apply(session, wanted, key);
      return;
    }
    void link.claimNick(key, session.info()).then((claim: NickClaim) => {
      const stillFree = session.present && !this.taken(session, key, link);
      if (claim !== 'taken' && stillFree) this.apply(session, wanted, key);
      else {
        if (claim === 'granted') link.releaseNick(key, session.info());
        if (session.present) this.outcome.refused(session, `nickname refused: ${wanted} is taken`, 'SB_ERR_NICK_TAKEN');
      }
    });
  }

  /** The member is gone (or lost its name): its name is free. Returns the key it held. */
  release(session: Session): string | null {
    if (session.nick === null) return null;
    const key = nickKey(session.nick);
    if (this.byKey.get(key) === session) this.byKey.delete(key);
    return key;
  }

  clear(): void {
    this.byKey.clear();
  }

  private taken(session: Session, key: string, link: ClusterLink | null): boolean {
    const holder = this.byKey.get(key);
    if (holder !== undefined && holder !== session) return true;
    const remote = link?.remoteByNick(key);
    return remote !== undefined && remote.info.id !== session.id;
  }

  private apply(session: Session, wanted: string, key: string): void {
    this.outcome.beforeRename(session);
    const previous = session.name;
    const previousKey = this.release(session);
    session.nick = wanted;
    this.byKey.set(key, session);
    this.outcome.renamed(session, previous, key, previousKey);
  }
}
