import type {
  ErrorEvent,
  HistoryEvent,
  JoinedEvent,
  MemberInfo,
  MessageEvent,
  NoticeEvent,
  PartedEvent,
  RoomsEvent,
  ServerEvent,
  WelcomeEvent,
} from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { Composer } from './composer.js';
import type { ConversationHeader } from './conversation-header.js';
import type { ConversationView } from './conversation-view.js';
import type { Conversations } from './conversations.js';
import type { JoinForm } from './join-form.js';
import type { NicknameControl } from './nickname-control.js';
import type { RoomJoins } from './room-joins.js';
import { roomsText } from './rooms-text.js';
import type { UnreadTitle } from './title-unread.js';

const NICK_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['SB_ERR_NICK_TAKEN', 'SB_ERR_NICK_INVALID', 'SB_ERR_NICK_REGISTERED', 'SB_ERR_NICK_LOCKED']);
const JOIN_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['SB_ERR_ROOM_INVALID', 'SB_ERR_TOO_MANY_ROOMS']);

export interface EventRouterParts {
  conversations: Conversations;
  joins: RoomJoins;
  nickname: NicknameControl;
  composer: Composer;
  joinForm: JoinForm;
  header: ConversationHeader;
  title: UnreadTitle;
  send(event: { type: 'rooms' }): boolean;
}

/**
 * Server events to the conversation each is about: a room's events (`room`) to its view, a direct
 * message (`to`) to the view of its peer, and what is about the whole server (replies, errors,
 * nick changes) to the conversation being read, or, for a nick change, to every room that lists
 * the member. This is the one place that knows which view an event goes to; the views know what
 * to do with it.
 */
export class EventRouter {
  /** Who this page is on the current connection; null until the first welcome. */
  private you: MemberInfo | null = null;
  /** The server's default room, from the welcome (empty before the first). */
  private defaultRoom = '';
  /** The next server-wide info notice is the welcome's: it belongs to the default room (it is about it). */
  private welcomeNoticeDue = false;
  /** `rooms` answers the page asked for itself (suggestions, topics): not printed. */
  private quietRoomLists = 0;

  constructor(private readonly parts: EventRouterParts) {}

  route(event: ServerEvent): void {
    switch (event.type) {
      case 'welcome':
        return this.onWelcome(event);
      case 'joined':
        return this.onJoined(event);
      case 'parted':
        return this.onParted(event);
      case 'history':
        return this.onHistory(event);
      case 'message':
        return this.onMessage(event);
      case 'notice':
        return this.onNotice(event);
      case 'members':
        this.parts.conversations.room(event.room)?.onMembers(event, this.you?.id ?? null);
        return;
      case 'rooms':
        return this.onRooms(event);
      case 'error':
        return this.onError(event);
    }
  }

  /** The connection was lost: every conversation says so where it happened, and lists dim. */
  onLost(): void {
    for (const view of this.parts.conversations.ordered()) view.notice('local', Date.now(), 'Connection lost; reconnecting automatically.');
    this.markStale();
  }

  /** No connection for a while (`/quit`, or lost): the member lists may be out of date. */
  markStale(): void {
    for (const view of this.parts.conversations.rooms()) view.markStale();
  }

  /** Asks for the rooms without printing the answer. */
  listRoomsQuietly(): void {
    if (this.parts.send({ type: 'rooms' })) this.quietRoomLists += 1;
  }

  /** Every connection, first or reconnect, starts here: the rooms are joined again, each resumed. */
  private onWelcome(event: WelcomeEvent): void {
    const { conversations, joins, composer, nickname, header } = this.parts;
    this.you = event.you;
    this.defaultRoom = event.defaultRoom;
    this.welcomeNoticeDue = true;
    this.quietRoomLists = 0;
    for (const view of conversations.rooms()) {
      view.joined = false;
      view.isDefault = view.room === event.defaultRoom;
      if (view.provisional && !view.isDefault) conversations.remove(view);
    }
    const shown = conversations.current;
    if (shown !== null) header.refresh(shown);
    conversations.changed();
    composer.setMaxPayload(event.maxPayload);
    nickname.onWelcome(event.you.name);
    joins.onWelcome(event.defaultRoom);
  }

  private onJoined(event: JoinedEvent): void {
    const { conversations, joins, joinForm, header } = this.parts;
    const isNew = conversations.room(event.room) === undefined;
    const view = conversations.addRoom(event.room, event.room === this.defaultRoom);
    view.onJoined(event, this.you?.id ?? -1);
    if (isNew && !view.isDefault) {
      view.notice('local', event.time, event.topic === '' ? `You joined ${event.room}.` : `You joined ${event.room}. Topic: ${event.topic}`);
    }
    joinForm.answered();
    joins.onRoomAnswered(view);
    header.refresh(view);
    conversations.changed();
  }

  /**
   * Out of a room: its view goes (what was said there is the server's, a re-join brings it back),
   * except the default room's, which the server puts every connection back in.
   */
  private onParted(event: PartedEvent): void {
    const { conversations } = this.parts;
    const view = conversations.room(event.room);
    if (view === undefined) return;
    view.onParted();
    const reason = event.reason === undefined ? '' : ` (${event.reason})`;
    if (view.isDefault) {
      view.notice('local', event.time, `You left ${view.room}${reason}. You are put back in it when you reconnect, or now with /join ${view.room}.`);
      conversations.changed();
      return;
    }
    // Left from its own view (Leave, a typed /part): the keyboard goes on to the room shown next.
    conversations.remove(view, view.isShown);
    conversations.current?.notice('local', event.time, `You left ${view.room}${reason}.`);
  }

  private onHistory(event: HistoryEvent): void {
    const view = this.parts.conversations.room(event.room);
    if (view === undefined) return;
    const missed = view.onHistory(event);
    this.parts.conversations.arrived(view, missed.filter((message) => !this.isOwn(message)).length);
  }

  /** Our own lines arrive as the server's echo (`self`), so they show with the server's time. */
  private onMessage(event: MessageEvent): void {
    const { conversations, title } = this.parts;
    let view: ConversationView | undefined;
    if (event.room !== undefined) {
      const room = conversations.room(event.room);
      if (room === undefined || !room.onMessage(event)) return;
      view = room;
    } else if (event.to !== undefined) {
      const dm = conversations.openDm(event.self === true ? event.to.name : event.from);
      dm.onMessage(event);
      view = dm;
    }
    if (view === undefined || this.isOwn(event)) return;
    conversations.arrived(view, 1);
    title.noteMessage();
  }

  private onNotice(event: NoticeEvent): void {
    const { conversations, joins, nickname, joinForm } = this.parts;
    if (event.room !== undefined) {
      const view = conversations.room(event.room);
      if (view !== undefined) {
        for (const gone of view.onNotice(event)) nickname.onNameFreed(gone.name);
        if (event.kind === 'topic') this.listRoomsQuietly();
        joins.onRoomAnswered(view);
        return;
      }
      // Presence and topics of a room just left (still on their way): about nothing shown here.
      if (event.kind === 'join' || event.kind === 'leave' || event.kind === 'topic') return;
    }
    if (event.kind === 'nick' && event.member !== undefined) {
      this.onNick(event, event.member);
      return;
    }
    const welcome = this.welcomeNoticeDue && event.kind === 'info';
    this.welcomeNoticeDue = false;
    const target = (welcome ? conversations.room(this.defaultRoom) : undefined) ?? conversations.current;
    target?.notice(event.kind, event.time, event.text);
    if (event.kind !== 'error' || event.code === undefined) return;
    if (NICK_REFUSALS.has(event.code)) nickname.onRefused(event.text);
    if (JOIN_REFUSALS.has(event.code)) joinForm.refused(event.text);
  }

  /** A nick change is server-wide: said in every room that lists the member, and their direct messages follow them. */
  private onNick(event: NoticeEvent, member: MemberInfo): void {
    const { conversations, nickname } = this.parts;
    const own = member.id === this.you?.id;
    let shown = 0;
    for (const view of conversations.rooms()) {
      if (!view.joined || !(own || view.members.has(member.id))) continue;
      view.onRenamed(event, member);
      shown += 1;
    }
    const dm = event.previous === undefined ? undefined : conversations.renameDm(event.previous, member.name);
    if (dm !== undefined) {
      dm.notice(event.kind, event.time, event.text);
      shown += 1;
    }
    if (shown === 0) conversations.current?.notice(event.kind, event.time, event.text);
    if (own) {
      this.you = member;
      nickname.onOwnNick(member.name);
    } else if (event.previous !== undefined) {
      nickname.onNameFreed(event.previous);
    }
  }

  /** The list of rooms: suggestions for the join form, topics for the header, printed if typed. */
  private onRooms(event: RoomsEvent): void {
    const { conversations, joinForm, header } = this.parts;
    if (this.quietRoomLists > 0) this.quietRoomLists -= 1;
    else conversations.current?.notice('info', event.time, roomsText(event));
    joinForm.showRooms(event.rooms);
    for (const room of event.rooms) {
      const view = conversations.room(room.name);
      if (view === undefined || view.topic === room.topic) continue;
      view.topic = room.topic;
      header.refresh(view);
    }
  }

  private onError(event: ErrorEvent): void {
    // A server that accepts a reconnect during its shutdown only to refuse it (one from before the
    // 503 refusal) repeats its shutdown notice: styled as that notice, not as a fault, and its
    // repeats collapse into one line with a count.
    const kind = event.code === 'SB_ERR_SHUTTING_DOWN' ? 'info' : 'error';
    this.parts.conversations.current?.notice(kind, Date.now(), event.message);
    if (NICK_REFUSALS.has(event.code)) this.parts.nickname.onRefused(event.message);
  }

  /**
   * Said by this page's member: only `self` says so. Member ids start over with each server
   * process, so a history's `fromId` may be anyone's; and a resume holds what was said while this
   * page was away, which it did not say.
   */
  private isOwn(message: MessageEvent): boolean {
    return message.self === true;
  }
}
