import type { ClientEvent, HistoryEvent, JoinedEvent, MemberInfo, MembersEvent, MessageEvent, NoticeEvent } from '../../shared/events.js';
import { type ConversationShell, ConversationView } from './conversation-view.js';
import { createElement } from './dom.js';
import { HistoryCursor, lostText, planItems } from './history-cursor.js';
import { JoinReplay } from './join-replay.js';
import { MembersView } from './members-view.js';
import { messageEntry, noticeEntry } from './message-view.js';
import type { Route } from './room-route.js';
import { ScrollBack } from './scroll-back.js';

export interface RoomViewOptions {
  /** Sends an event on the current connection; false when there is none. */
  send(event: ClientEvent): boolean;
  /** A click on a member's name. */
  openDirect(name: string): void;
}

/**
 * A room the page is in: its log with its own history cursor (ids increase within a room, with
 * gaps: one server-wide sequence), its scroll-back, its member list and its topic. The page
 * resumes each room from the last id it saw there, so a reconnect re-joins it and gets exactly
 * what it missed.
 */
export class RoomView extends ConversationView {
  readonly kind = 'room';
  readonly room: string;
  /**
   * The room every member is put in on connecting (each welcome says which): it stays listed even
   * after a `/part`, and resumes through the `/ws` URL rather than a `join`.
   */
  isDefault: boolean;
  /**
   * Made before the first welcome as a guess at the default room (nothing was remembered), so a
   * refusal from a full server has a log to go to; dropped if the server's default room is another.
   */
  provisional = false;
  readonly cursor = new HistoryCursor();
  readonly members: MembersView;
  topic = '';
  /** In the room on the current connection (false after a part, and until re-joined after a reconnect). */
  joined = false;
  private readonly scrollBack: ScrollBack;
  private readonly replay = new JoinReplay();
  private readonly options: RoomViewOptions;
  /** A `who` is on its way (asked after a cut-short batch): one answer serves every such batch. */
  private whoAsked = false;

  constructor(shell: ConversationShell, room: string, isDefault: boolean, options: RoomViewOptions) {
    super(shell, { reachedTop: () => this.scrollBack.onReachedTop(), trimmed: () => this.scrollBack.onTrimmed() });
    this.room = room;
    this.isDefault = isDefault;
    this.options = options;
    this.scrollBack = new ScrollBack(room, this.log, this.cursor, messageEntry);
    const heading = createElement('h2', 'members__heading', 'Members ');
    const count = createElement('span', 'members__count');
    heading.append(count);
    const list = createElement('ul', 'members__list');
    list.setAttribute('role', 'list');
    list.setAttribute('aria-label', 'Members');
    this.side.append(heading, list);
    this.members = new MembersView({ list, count, openDirect: options.openDirect });
    this.labelLog();
  }

  get name(): string {
    return this.room;
  }

  get route(): Route {
    return { kind: 'room', room: this.room };
  }

  get subtitle(): string {
    return this.topic;
  }

  override get active(): boolean {
    return this.joined;
  }

  override get closable(): boolean {
    return !this.isDefault;
  }

  eventFor(text: string): ClientEvent {
    return { type: 'send', text, room: this.room };
  }

  /** Where a re-join resumes (the default room resumes through the `/ws` URL instead). */
  resumePoint(): { after: number; epoch: string } | null {
    return this.cursor.resumePoint();
  }

  /** In the room, on this connection: who is there; its history follows (JoinReplay). */
  onJoined(event: JoinedEvent, selfId: number): void {
    this.joined = true;
    this.provisional = false;
    this.topic = event.topic;
    this.whoAsked = false;
    this.members.reset(event.members, selfId, event.count);
    this.replay.begin();
    this.log.markJoin();
  }

  onParted(): void {
    this.joined = false;
    this.members.markStale();
  }

  /** While reconnecting the list may be out of date; it is dimmed until the room is re-joined. */
  markStale(): void {
    this.members.markStale();
  }

  /**
   * The newest messages on a first join (shown once), or exactly what was missed since the last
   * id this page saw here, both above the join point (they were said before it). A `reset` means
   * the server could not fill the gap (too long, or its history was replaced), so the log starts
   * over from the server's recent history; the notice that says so comes after those messages, in
   * the order things happened. Returns the messages that were new to this page (for unread counts).
   */
  onHistory(event: HistoryEvent): MessageEvent[] {
    const atJoin = this.replay.history();
    const plan = this.cursor.onHistory(event);
    if (event.mode === 'recent') this.scrollBack.setMore(event.more);
    // Messages, and a note where the server lost some (a resume across a full disk, a damaged log).
    const entries = planItems(plan).map((item) => ('message' in item ? messageEntry(item.message) : noticeEntry('error', Date.now(), lostText(item.lost))));
    if (plan.reset) entries.push(noticeEntry('local', Date.now(), 'Too much was missed while away: above are only the latest messages.'));
    if (atJoin) {
      // A long replay comes as several events, all before anything live: each goes at the join point.
      this.log.insertAtJoin(entries, plan.reset);
    } else {
      if (plan.reset) this.log.clear();
      for (const entry of entries) this.log.append(entry);
    }
    return event.mode === 'resume' ? plan.messages : [];
  }

  /** A live message; false when it was already shown (our own lines arrive as the server's echo). */
  onMessage(event: MessageEvent): boolean {
    this.replay.other();
    if (!this.cursor.onMessage(event)) return false;
    this.log.append(messageEntry(event));
    return true;
  }

  /**
   * A notice about this room, shown in its log; joins and leaves patch the member list. Returns
   * the members who left (their names are free again: the nickname field may want one).
   */
  onNotice(event: NoticeEvent): readonly MemberInfo[] {
    this.replay.other();
    this.notice(event.kind, event.time, event.text);
    switch (event.kind) {
      case 'join':
        for (const joined of this.presenceMembers(event)) this.members.upsert(joined);
        return [];
      case 'leave': {
        const gone = this.presenceMembers(event);
        for (const member of gone) this.members.remove(member.id);
        return gone;
      }
      case 'info':
        // An operator given or taken (`+o`, `-o`): the list's @ marks are asked for again.
        if (event.mode !== undefined && /^[+-]o /.test(event.mode)) this.options.send({ type: 'who', room: this.room });
        return [];
      default:
        return [];
    }
  }

  /** A member of this room was renamed (a nick notice is server-wide): the list and the log say so. */
  onRenamed(event: NoticeEvent, member: MemberInfo): void {
    this.replay.other();
    this.members.upsert(member);
    this.notice(event.kind, event.time, event.text);
  }

  onMembers(event: MembersEvent, selfId: number | null): void {
    this.replay.other();
    this.whoAsked = false;
    this.members.reset(event.members, selfId, event.count);
  }

  /**
   * The members a join or leave is about: one, or a batch. A batch the server cut short (a storm of
   * joins) cannot patch the list exactly, so the page asks for the whole list once.
   */
  private presenceMembers(event: NoticeEvent): readonly MemberInfo[] {
    if (event.member !== undefined) return [event.member];
    const listed = event.members ?? [];
    if (event.count !== undefined && event.count > listed.length && !this.whoAsked) {
      this.whoAsked = this.options.send({ type: 'who', room: this.room });
    }
    return listed;
  }
}
