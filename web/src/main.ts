/**
 * Start-up of the Switchboard page: builds its parts and connects them. Server events go through
 * the EventRouter to the conversation each is about; what a person does goes out over the one
 * Connection. Conversations (rooms and direct messages) are views of their own (room-view.ts,
 * dm-view.ts); this file only says which part follows which.
 */
import type { ClientEvent, ServerEvent } from '../../shared/events.js';
import { type SendResult, Composer } from './composer.js';
import { Connection, type ConnectionState, gatewayUrl } from './connection.js';
import { ConversationHeader } from './conversation-header.js';
import type { ConversationShell, ConversationView } from './conversation-view.js';
import { Conversations } from './conversations.js';
import { requireElement } from './dom.js';
import { EventRouter } from './event-router.js';
import { JoinForm } from './join-form.js';
import { NicknameControl } from './nickname-control.js';
import { PasswordPrompt } from './password-prompt.js';
import { RoomJoins } from './room-joins.js';
import { RoomListView } from './room-list-view.js';
import { loadRooms } from './room-memory.js';
import { GUESSED_DEFAULT_ROOM, joinTarget } from './room-names.js';
import { type Route, parseRoute, routeHash } from './room-route.js';
import { StatusView } from './status-view.js';
import { UnreadTitle } from './title-unread.js';

const messageBox = requireElement('message', HTMLTextAreaElement);
const conversationTitle = requireElement('conversation-title', HTMLElement);
const shell: ConversationShell = {
  logs: requireElement('logs', HTMLElement),
  sides: requireElement('sides', HTMLElement),
  tip: requireElement('time-tip', HTMLElement),
  messageBox,
};
const status = new StatusView({
  status: requireElement('status', HTMLElement),
  reconnect: requireElement('reconnect', HTMLButtonElement),
});
const title = new UnreadTitle('Switchboard');
const roomList = new RoomListView({
  rooms: requireElement('room-list', HTMLElement),
  dms: requireElement('dm-list', HTMLElement),
  dmHeading: requireElement('dm-heading', HTMLElement),
  announcer: requireElement('room-announcer', HTMLElement),
});
/** On a touch screen, focusing the message box would pop the keyboard up over the conversation. */
const coarsePointer = window.matchMedia('(pointer: coarse)');
/** The conversation the address named when the page loaded: shown once the first connection is up. */
let startRoute: Route | null | undefined = parseRoute(window.location.hash);

const gateway = gatewayUrl(window.location);
/** Every attempt says where the default room left off; the other rooms resume with their `join`. */
const connection = new Connection(() => conversations.defaultRoom()?.cursor.resumeUrl(gateway) ?? gateway, {
  event: connectionOnEvent,
  state: connectionOnState,
  lost: connectionOnLost,
});

function send(event: ClientEvent): boolean {
  return connection.send(event);
}

const conversations = new Conversations(shell, send, {
  shown: conversationsOnShown,
  listed: conversationsOnListed,
  firstUnread: conversationsOnFirstUnread,
});
const joins = new RoomJoins(conversations, send);
const header = new ConversationHeader(
  {
    title: conversationTitle,
    topic: requireElement('conversation-topic', HTMLElement),
    leave: requireElement('leave', HTMLButtonElement),
  },
  headerOnLeave,
);
const composer = new Composer({
  form: requireElement('composer', HTMLFormElement),
  textarea: messageBox,
  label: requireElement('message-label', HTMLElement),
  hint: requireElement('message-hint', HTMLElement),
  send: composerOnSend,
});
const nickname = new NicknameControl({
  input: requireElement('nickname', HTMLInputElement),
  hint: requireElement('nickname-hint', HTMLElement),
  send: (text) => send({ type: 'send', text }),
});
const joinForm = new JoinForm(
  {
    form: requireElement('join-form', HTMLFormElement),
    input: requireElement('join-room', HTMLInputElement),
    hint: requireElement('join-hint', HTMLElement),
    suggestions: requireElement('room-suggestions', HTMLDataListElement),
  },
  { join: (name) => joins.request(name, true), listRooms: () => router.listRoomsQuietly() },
);
const router = new EventRouter({ conversations, joins, nickname, composer, joinForm, header, title, send });
const passwordPrompt = new PasswordPrompt(
  {
    form: requireElement('password-form', HTMLFormElement),
    input: requireElement('password', HTMLInputElement),
    hint: requireElement('password-hint', HTMLElement),
  },
  send,
);

// The remembered rooms are listed from the start (joined again on the welcome), or a guess at the
// default room, so what comes before any welcome (a refusal from a full server) has a log to go to
// and a fragment naming one of them shows it at once.
const remembered = loadRooms();
for (const name of remembered) conversations.addRoom(name, false);
if (remembered.length === 0) conversations.addRoom(GUESSED_DEFAULT_ROOM, true).provisional = true;
joins.applyRoute(startRoute, false);

requireElement('reconnect', HTMLButtonElement).addEventListener('click', reconnectOnClick);
window.addEventListener('hashchange', windowOnHashChange);
document.addEventListener('keydown', documentOnKeydown);

function reconnectOnClick(): void {
  connection.retryNow();
}

function connectionOnState(state: ConnectionState): void {
  status.show(state);
  if (state.kind === 'left') router.markStale();
}

/** A server with a password: its welcome waits in the prompt until the password is taken. */
function connectionOnEvent(event: ServerEvent): void {
  passwordPrompt.filter(event, routeEvent);
}

function routeEvent(event: ServerEvent): void {
  router.route(event);
  // A room the address names that the page was not in is joined once there is a connection to ask on.
  if (event.type === 'welcome' && startRoute !== undefined) {
    joins.applyRoute(startRoute, false);
    startRoute = undefined;
  }
}

function connectionOnLost(): void {
  // Closed for a wrong or missing password: the form says so; the chat was never shown.
  if (passwordPrompt.asking) return;
  router.onLost();
}

/** The header, the message box (with this conversation's draft), the list and the address follow. */
function conversationsOnShown(view: ConversationView, previous: ConversationView | null, focus: boolean): void {
  if (previous !== view) {
    const left = composer.switchTo(view, previous === null ? null : view.draft);
    if (previous !== null) previous.draft = left;
  }
  header.show(view);
  const hash = routeHash(view.route);
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  if (!focus) return;
  // A keyboard lands in the box it will type in; a touch screen on the conversation's name.
  if (coarsePointer.matches) conversationTitle.focus();
  else composer.focus();
}

function conversationsOnListed(): void {
  roomList.sync(conversations.ordered(), conversations.current);
}

function conversationsOnFirstUnread(view: ConversationView): void {
  roomList.announceFirstUnread(view);
}

function headerOnLeave(view: ConversationView): void {
  // Direct messages, or a remembered room not joined again (yet): nothing to tell the server.
  if (view.kind === 'dm' || !view.active) {
    conversations.remove(view, true);
    return;
  }
  if (!send({ type: 'part', room: view.name })) view.notice('local', Date.now(), 'Not connected: leave again when the connection is back.');
}

/** A typed `/join ROOM` goes to the server as typed; the room is shown once the server answers. */
function composerOnSend(event: ClientEvent): SendResult {
  if (!send(event)) return 'offline';
  const room = event.type === 'send' ? joinTarget(event.text) : null;
  if (room !== null) joins.typed(room);
  return 'sent';
}

/** A room-list link (or Back, or an edited address) names another conversation. */
function windowOnHashChange(): void {
  joins.applyRoute(parseRoute(window.location.hash), true);
}

/** Alt+Up and Alt+Down: the conversation above or below in the room list, from anywhere on the page. */
function documentOnKeydown(event: KeyboardEvent): void {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
  event.preventDefault();
  if (conversations.step(event.key === 'ArrowUp' ? -1 : 1)) roomList.announce(conversations.current?.name ?? '');
}

connection.start();
if (nickname.hasNickname) composer.focus();
else requireElement('nickname', HTMLInputElement).focus();
