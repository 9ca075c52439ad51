import type { MemberInfo } from '../../shared/events.js';

/**
 * Member infos carried by one batched join or leave notice. Past this the notice says how many
 * (`count`) and pages ask for the list again: a reconnect storm of thousands must not put the
 * whole list in every member's queue once per batch.
 */
export const PRESENCE_MEMBERS_MAX = 20;
/** Names spelled out in the text of a batched notice before "and N more". */
export const PRESENCE_NAMES_MAX = 10;

/** A leave waiting to be announced, with the reason shown after the name. */
export interface PendingLeave {
  info: MemberInfo;
  reason: string | undefined;
}

/** What one presence notice says, ready for the room to turn into an OutgoingMessage. */
export interface PresenceNotice {
  kind: 'join' | 'leave';
  text: string;
  /** Set when the notice is about one member (the form every client knew before batching). */
  member?: MemberInfo;
  /** Set on a batch: up to PRESENCE_MEMBERS_MAX of the members it is about. */
  members?: MemberInfo[];
  /** Set on a batch: how many members it is about. */
  count?: number;
}

/**
 * Joins and leaves waiting to be announced. Announcing each join to every member costs N²/2
 * deliveries when N clients connect at once (a restart, a bench), so the room collects them for a
 * short window and says "12 members joined: …" once. The room flushes the batch before any chat
 * line or nick change, so nobody ever hears from a member before hearing that it joined.
 */
export class PresenceBatch<M> {
  private joined: { key: M; info: () => MemberInfo }[] = [];
  private left: PendingLeave[] = [];

  get empty(): boolean {
    return this.joined.length === 0 && this.left.length === 0;
  }

  /** `info` is read at flush time, so a nick set meanwhile is the one announced. */
  join(key: M, info: () => MemberInfo): void {
    this.joined.push({ key, info });
  }

  leave(info: MemberInfo, reason: string | undefined): void {
    this.left.push({ info, reason });
  }

  clear(): void {
    this.joined = [];
    this.left = [];
  }

  /**
   * The notices for everything pending, joins first, and the batch is emptied. `soleJoiner` is the
   * member a lone join is about: it is not told of its own arrival (its welcome said so). A batch
   * goes to everyone, joiners included, who see themselves among the names.
   */
  take(): { notices: PresenceNotice[]; soleJoiner: M | undefined } {
    const notices: PresenceNotice[] = [];
    let soleJoiner: M | undefined;
    const joined = this.joined.map((entry) => entry.info());
    if (joined.length === 1) {
      const [only] = joined as [MemberInfo];
      soleJoiner = this.joined[0]!.key;
      notices.push({ kind: 'join', text: `${only.name} joined (${only.transport})`, member: only });
    } else if (joined.length > 1) {
      notices.push(batchNotice('join', joined, joined.map((m) => `${m.name} (${m.transport})`)));
    }
    if (this.left.length === 1) {
      const [{ info, reason }] = this.left as [PendingLeave];
      notices.push({ kind: 'leave', text: `${info.name} left${reason === undefined ? '' : ` (${reason})`}`, member: info });
    } else if (this.left.length > 1) {
      const infos = this.left.map((entry) => entry.info);
      const names = this.left.map(({ info, reason }) => (reason === undefined ? info.name : `${info.name} (${reason})`));
      notices.push(batchNotice('leave', infos, names));
    }
    this.clear();
    return { notices, soleJoiner };
  }
}

function batchNotice(kind: 'join' | 'leave', infos: MemberInfo[], names: string[]): PresenceNotice {
  const shown = names.slice(0, PRESENCE_NAMES_MAX).join(', ');
  const more = names.length > PRESENCE_NAMES_MAX ? ` and ${names.length - PRESENCE_NAMES_MAX} more` : '';
  const verb = kind === 'join' ? 'joined' : 'left';
  return {
    kind,
    text: `${infos.length} members ${verb}: ${shown}${more}`,
    members: infos.slice(0, PRESENCE_MEMBERS_MAX),
    count: infos.length,
  };
}
