/**
 * Start-up and event routing for the Switchboard page. Each view owns one part of the page; this
 * file only connects them: server events in, user actions out over the one Connection.
 */
import type {
  ErrorEvent,
  HistoryEvent,
  MemberInfo,
  MessageEvent,
  NoticeEvent,
  ServerEvent,
  WelcomeEvent,
} from '../../shared/events.js';
import type { ErrorCode } from '../../shared/errors.js';
import { Composer } from './composer.js';
import { Connection, type ConnectionState, gatewayUrl } from './connection.js';
import { requireElement } from './dom.js';
import { HistoryCursor } from './history-cursor.js';
import { LogView } from './log-view.js';
import { MembersView } from './members-view.js';
import { messageEntry, noticeEntry } from './message-view.js';
import { NicknameControl } from './nickname-control.js';
import { ScrollBack } from './scroll-back.js';
import { StatusView } from './status-view.js';
import { UnreadTitle } from './title-unread.js';

const NICK_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['SB_ERR_NICK_TAKEN', 'SB_ERR_NICK_INVALID']);

const messageBox = requireElement('message', HTMLTextAreaElement);
const cursor = new HistoryCursor();
const log = new LogView({
  log: requireElement('log', HTMLElement),
  jump: requireElement('jump', HTMLButtonElement),
  jumpCount: requireElement('jump-count', HTMLElement),
  afterJump: messageBox,
  reachedTop: () => scrollBack.onReachedTop(),
  trimmed: () => scrollBack.onTrimmed(),
});
const scrollBack = new ScrollBack(log, cursor, messageEntry);
const members = new MembersView({
  list: requireElement('members', HTMLElement),
  count: requireElement('member-count', HTMLElement),
});
const status = new StatusView({
  status: requireElement('status', HTMLElement),
  reconnect: requireElement('reconnect', HTMLButtonElement),
});
const unread = new UnreadTitle('Switchboard');

/** A `who` is on its way (asked after a cut-short batch): one answer serves every such batch. */
let whoAsked = false;
/** Who this page is on the current connection; null until the first welcome. */
let you: MemberInfo | null = null;

const gateway = gatewayUrl(window.location);
/** Every attempt says where this page left off, so a reconnect gets exactly what it missed. */
const connection = new Connection(() => cursor.resumeUrl(gateway), {
  event: connectionOnEvent,
  state: connectionOnState,
  lost: connectionOnLost,
});

const nickname = new NicknameControl({
  input: requireElement('nickname', HTMLInputElement),
  hint: requireElement('nickname-hint', HTMLElement),
  send: (text) => connection.send({ type: 'send', text }),
});

const composer = new Composer({
  form: requireElement('composer', HTMLFormElement),
  textarea: messageBox,
  hint: requireElement('message-hint', HTMLElement),
  send: (event) => (connection.send(event) ? 'sent' : 'offline'),
});

requireElement('reconnect', HTMLButtonElement).addEventListener('click', reconnectOnClick);

function reconnectOnClick(): void {
  connection.retryNow();
}

function connectionOnState(state: ConnectionState): void {
  status.show(state);
}

function connectionOnEvent(event: ServerEvent): void {
  switch (event.type) {
    case 'welcome':
      onWelcome(event);
      return;
    case 'message':
      onMessage(event);
      return;
    case 'notice':
      onNotice(event);
      return;
    case 'history':
      onHistory(event);
      return;
    case 'members':
      whoAsked = false;
      members.reset(event.members, you?.id ?? null, event.count);
      return;
    case 'error':
      onError(event);
      return;
  }
}

/** Every connection, first or reconnect, starts here: the member list is rebuilt from scratch. */
function onWelcome(event: WelcomeEvent): void {
  you = event.you;
  whoAsked = false;
  members.reset(event.members, event.you.id, event.count);
  composer.setMaxPayload(event.maxPayload);
  nickname.onWelcome(event.you.name);
}

/**
 * Right after the welcome: the newest messages on a first visit (shown once), or exactly what was
 * missed since the last id this page saw. A `reset` means the server could not fill the gap (too
 * long, or its history was replaced), so the log starts over from the server's recent history.
 */
function onHistory(event: HistoryEvent): void {
  const plan = cursor.onHistory(event);
  if (plan.reset) {
    log.clear();
    log.append(noticeEntry('local', Date.now(), 'Too much was missed while away; showing the latest messages.'));
  }
  if (event.mode === 'recent') scrollBack.setMore(event.more);
  for (const message of plan.messages) log.append(messageEntry(message));
}

/** Our own lines arrive as the server's echo (`self`), so they show with the server's time. */
function onMessage(event: MessageEvent): void {
  if (!cursor.onMessage(event)) return;
  log.append(messageEntry(event));
  if (event.self !== true) unread.noteMessage();
}

function onNotice(event: NoticeEvent): void {
  log.append(noticeEntry(event.kind, event.time, event.text));
  const { member } = event;
  switch (event.kind) {
    case 'join':
      for (const joined of presenceMembers(event)) members.upsert(joined);
      return;
    case 'leave':
      for (const gone of presenceMembers(event)) {
        members.remove(gone.id);
        nickname.onNameFreed(gone.name);
      }
      return;
    case 'nick':
      if (member === undefined) return;
      members.upsert(member);
      if (member.id === you?.id) {
        you = member;
        nickname.onOwnNick(member.name);
      } else if (event.previous !== undefined) {
        nickname.onNameFreed(event.previous);
      }
      return;
    case 'error':
      if (event.code !== undefined && NICK_REFUSALS.has(event.code)) nickname.onRefused(event.text);
      return;
    case 'info':
      return;
  }
}

/**
 * The members a join or leave is about: one, or a batch. A batch the server cut short (a storm of
 * joins) cannot patch the list exactly, so the page asks for the whole list once.
 */
function presenceMembers(event: NoticeEvent): readonly MemberInfo[] {
  if (event.member !== undefined) return [event.member];
  const listed = event.members ?? [];
  if (event.count !== undefined && event.count > listed.length && !whoAsked) whoAsked = connection.send({ type: 'who' });
  return listed;
}

function onError(event: ErrorEvent): void {
  log.append(noticeEntry('error', Date.now(), event.message));
  if (NICK_REFUSALS.has(event.code)) nickname.onRefused(event.message);
}

function connectionOnLost(): void {
  members.markStale();
  log.append(noticeEntry('local', Date.now(), 'Connection lost; reconnecting automatically.'));
}

connection.start();
if (nickname.hasNickname) composer.focus();
else requireElement('nickname', HTMLInputElement).focus();
