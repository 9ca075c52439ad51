import type net from 'node:net';
import type { Logger } from 'pino';
import { formatIrcLine, parseIrcLine } from '../../../shared/irc-message.js';
import { toIrcNick } from '../../../shared/irc-nick.js';
import type { ReplayCursor } from '../../channel/channel-history.js';
import type { Hub } from '../../hub/hub.js';
import type { CloseReason, RoomView, Session, SessionConnection } from '../../hub/session.js';
import type { OutgoingMessage, WireForm } from '../../message/outgoing-message.js';
import type { DropReason, OutputPolicy } from '../../output/output-policy.js';
import { type OutputOwner, OutputQueue } from '../../output/output-queue.js';
import type { TrafficStats } from '../../stats.js';
import { peerAddress } from '../peer-address.js';
import { endGracefully } from '../tcp-adapter.js';
import { TextReplay } from '../text-replay.js';
import { runIrcCommand } from './irc-commands.js';
import { IRC_LINE_BYTES, TAG_MSGID, TAG_TIME, presenceMembers, sharedLines, textLines } from './irc-form.js';
import { ERR, IRC_VERSION, MODERATION_NUMERICS, RPL, isupportTokens } from './irc-numerics.js';
import type { IrcCap, IrcPeer } from './irc-peer.js';
import { sendNames } from './irc-queries.js';

/** IRCv3 lets a client's tags take 4096 bytes beyond the 512 of the rest of its line. */
const MAX_CLIENT_TAG_BYTES = 4096;
/** Longest line read in; past it the rest of the line is skipped and 417 sent. */
const MAX_READ_BYTES = IRC_LINE_BYTES + MAX_CLIENT_TAG_BYTES;

/** Closes for which IRC has 464 ERR_PASSWDMISMATCH before the ERROR. */
const PASSWORD_REFUSALS: ReadonlySet<CloseReason> = new Set<CloseReason>(['SB_ERR_PASSWORD_REQUIRED', 'SB_ERR_BAD_PASSWORD', 'SB_ERR_PASSWORD_LOCKOUT']);

/** What every IRC connection of one listener shares. */
export interface IrcListenerState {
  hub: Hub;
  logger: Logger;
  stats: TrafficStats;
  policy: OutputPolicy;
  serverName: string;
  network: string;
  /** When the listener started, for 003. */
  created: Date;
  /** Indexed by the tag capabilities a client has (TAG_TIME | TAG_MSGID). */
  forms: readonly WireForm[];
  /** AWAY messages of this listener's members, by member id. */
  away: Map<number, string>;
}

/**
 * One IRC client as a session of the hub. It enters the hub in no room (IRC clients JOIN), so
 * every line it sends, registration included, goes through the hub's flood limit; each line is
 * parsed here and run as intents (JOIN, PRIVMSG…) or answered from the hub's state (WHO,
 * NAMES…). Output is IRC lines through the connection's OutputQueue, under the one output policy:
 * the hub's shared messages in one of the listener's forms (encoded once per form), replies and
 * numerics for this member only in order with them.
 */
export class IrcConnection implements SessionConnection, OutputOwner, IrcPeer {
  readonly transport = 'irc' as const;
  readonly address: string;
  readonly session: Session;
  readonly caps = new Set<IrcCap>();
  capNegotiating = false;
  userGiven = false;
  pendingNick: string | null = null;
  offeredPassword: string | null = null;
  deferredNick: string | null = null;
  saslResponse: string | null = null;
  nickAccepted = false;
  registered = false;
  /** Set by input, cleared by the listener's ping round: a silent client is pinged, then dropped. */
  heard = true;
  pinged = false;
  private readonly socket: net.Socket;
  private readonly state: IrcListenerState;
  private readonly output: OutputQueue;
  private pending: Buffer = Buffer.alloc(0);
  /** Inside a line longer than MAX_READ_BYTES: skip up to its end. */
  private skipping = false;
  private closing = false;

  constructor(socket: net.Socket, state: IrcListenerState) {
    this.socket = socket;
    this.state = state;
    this.address = peerAddress(socket.remoteAddress, socket.remotePort);
    this.output = new OutputQueue(socket, state.policy, this);
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    state.stats.connectionsOpened.irc += 1;
    state.logger.info({ transport: this.transport, from: this.address }, 'connection opened');
    this.session = state.hub.connect(this, { enterDefaultRoom: false });
  }

  get hub(): Hub {
    return this.state.hub;
  }

  get serverName(): string {
    return this.state.serverName;
  }

  get network(): string {
    return this.state.network;
  }

  nick(): string {
    return this.nickAccepted ? toIrcNick(this.session.name) : '*';
  }

  send(line: string): void {
    if (this.closing) return;
    const bytes = Buffer.from(`${line}\r\n`, 'utf8');
    this.state.stats.bytesOut.irc += bytes.length;
    this.output.writeOwn(bytes);
  }

  numeric(code: string, ...params: string[]): void {
    this.send(formatIrcLine({ source: this.serverName, command: code, params: [this.nick(), ...params], trailing: params.length > 0 }));
  }

  completeRegistration(): void {
    if (this.registered || !this.userGiven || this.capNegotiating) return;
    if (!this.session.authenticated) {
      this.checkPassword();
      return;
    }
    if (this.deferredNick !== null) {
      const name = this.deferredNick;
      this.deferredNick = null;
      // Logged in by SASL: the account's nickname wins over any NICK of the negotiation (irssi sends one after 903).
      if (this.session.nick !== name && this.session.account === null) {
        this.hub.execute(this.session, { type: 'nick', name });
        // Accepted: its notice completed registration. Refused while a name is held already (SASL gave one): go on with it.
        if (!this.registered && this.nickAccepted) this.completeRegistration();
        return;
      }
    }
    if (!this.nickAccepted) return;
    this.registered = true;
    const nick = this.nick();
    this.numeric(RPL.WELCOME, `Welcome to the ${this.network} IRC network ${nick}!${this.transport}@${this.serverName}`);
    this.numeric(RPL.YOURHOST, `Your host is ${this.serverName}, running version ${IRC_VERSION}`);
    this.numeric(RPL.CREATED, `This server was created ${this.state.created.toUTCString()}`);
    this.numeric(RPL.MYINFO, this.serverName, IRC_VERSION, 'i', 'nt');
    this.numeric(RPL.ISUPPORT, ...isupportTokens(this.network), 'are supported by this server');
    this.numeric(ERR.NOMOTD, 'MOTD File is missing');
    this.state.logger.info({ transport: this.transport, from: this.address, nick: this.session.name }, 'irc client registered');
  }

  /**
   * Registration would complete on a server with a password: the hub checks PASS (wrong or
   * missing: 464, ERROR and the close, from close()); right, the NICK held back is claimed now,
   * and its acceptance completes registration.
   */
  private checkPassword(): void {
    if (this.deferredNick === null) return;
    this.hub.execute(this.session, { type: 'pass', secret: this.offeredPassword });
    this.offeredPassword = null;
    if (this.session.authenticated) this.completeRegistration();
  }

  /** The form for this member's tag capabilities. */
  private get form(): WireForm {
    return this.state.forms[this.mask]!;
  }

  private get mask(): number {
    return (this.caps.has('server-time') ? TAG_TIME : 0) | (this.caps.has('message-tags') ? TAG_MSGID : 0);
  }

  deliver(message: OutgoingMessage): void {
    if (this.closing) return;
    if (message.kind === 'notice') {
      this.deliverNotice(message);
      return;
    }
    if (!this.registered) return;
    this.writeShared(message);
  }

  acknowledge(message: OutgoingMessage): void {
    if (this.caps.has('echo-message')) this.writeShared(message);
  }

  joined(room: RoomView): void {
    this.send(formatIrcLine({ source: `${this.nick()}!${this.transport}@${this.serverName}`, command: 'JOIN', params: [room.name] }));
    if (room.topic !== '') this.numeric(RPL.TOPIC, room.name, room.topic);
    const channel = this.hub.rooms.find(room.name);
    if (channel !== undefined) sendNames(this, channel);
  }

  /** Nothing to add: the KICK line (a shared notice) already closed the channel in the client. */
  kicked(): void {}

  parted(room: string, reason: string): void {
    this.send(formatIrcLine({ source: `${this.nick()}!${this.transport}@${this.serverName}`, command: 'PART', params: reason === '' ? [room] : [room, reason], trailing: reason !== '' }));
  }

  /** The room's newest messages on JOIN, as PRIVMSGs with their original times (server-time). */
  replay(cursor: ReplayCursor): void {
    this.output.startReplay(new TextReplay(cursor, this.form, false, this.state.stats, this.transport));
  }

  pauseInput(): void {
    this.socket.pause();
  }

  resumeInput(): void {
    if (!this.closing) this.socket.resume();
  }

  close(reason: CloseReason, farewell: OutgoingMessage | null): void {
    if (this.closing) return;
    const text = farewell?.text ?? reason;
    const bytes = Buffer.from(`${formatIrcLine({ command: 'ERROR', params: [`Closing link: ${this.address} (${text})`], trailing: true })}\r\n`, 'utf8');
    if (PASSWORD_REFUSALS.has(reason)) this.numeric(ERR.PASSWDMISMATCH, 'Password incorrect');
    this.closing = true;
    this.state.away.delete(this.session.id);
    this.output.finish(bytes, reason === 'SB_ERR_SLOW_CONSUMER');
    endGracefully(this.socket);
  }

  outputDropped(_reason: DropReason, why: string): void {
    this.hub.disconnect(this.session, 'SB_ERR_SLOW_CONSUMER', why);
  }

  /** The listener's ping round: true when the client must go (silent since the last PING). */
  pingRound(): boolean {
    if (this.heard) {
      this.heard = false;
      this.pinged = false;
      return false;
    }
    if (this.pinged) return true;
    this.pinged = true;
    this.send(`PING :${this.serverName}`);
    return false;
  }

  private writeShared(message: OutgoingMessage): void {
    const chunk = message.chunk(this.form);
    if (chunk.bytes.length === 0) return;
    this.state.stats.bytesOut.irc += chunk.bytes.length;
    this.output.write(chunk);
  }

  /**
   * Presence, renames and topics are shared lines (a batch naming this member itself is written
   * without it: an IRC client is told of its own JOIN once, by `joined`); replies and errors to
   * this member are NOTICEs or the numerics IRC has for them.
   */
  private deliverNotice(message: OutgoingMessage): void {
    switch (message.notice) {
      case 'join':
      case 'leave':
        if (!this.registered) return;
        if (message.notice === 'leave' && message.setter !== undefined) this.writeShared(message);
        else if (presenceMembers(message, null).some((member) => member.id === this.session.id)) {
          this.send(sharedLines(message, this.serverName, this.mask, this.session.id).join('\r\n'));
        } else this.writeShared(message);
        return;
      case 'nick':
        if (message.member?.id === this.session.id && !this.registered) {
          this.nickAccepted = true;
          this.completeRegistration();
          return;
        }
        if (this.registered) this.writeShared(message);
        return;
      case 'topic':
        if (this.registered) this.writeShared(message);
        return;
      case 'info':
        if (message.mode !== undefined && message.setter !== undefined) {
          if (this.registered) this.writeShared(message);
          return;
        }
        this.replyNotice(message);
        return;
      default:
        this.replyNotice(message);
    }
  }

  private replyNotice(message: OutgoingMessage): void {
    const asked = this.pendingNick ?? this.nick();
    if (message.code === 'SB_ERR_NICK_TAKEN') {
      this.numeric(ERR.NICKNAMEINUSE, asked, 'Nickname is already in use');
      return;
    }
    if (message.code === 'SB_ERR_NICK_REGISTERED') {
      // As ergo says it: the client picks another nick, or logs in (SASL) and gets this one.
      this.numeric(ERR.NICKNAMEINUSE, asked, 'Nickname is reserved by a different account');
      return;
    }
    if (message.code === 'SB_ERR_NICK_LOCKED') {
      // Not 902 (ERR_NICKLOCKED): clients read it as a failed SASL login, and irssi disconnects.
      this.numeric(ERR.ERRONEUSNICKNAME, asked, `Erroneous nickname: ${message.text}`);
      return;
    }
    if (message.code === 'SB_ERR_NICK_INVALID') {
      this.numeric(ERR.ERRONEUSNICKNAME, asked, `Erroneous nickname: ${message.text}`);
      return;
    }
    if (message.code === 'SB_ERR_TOO_MANY_ROOMS') {
      this.numeric(ERR.TOOMANYCHANNELS, '*', message.text);
      return;
    }
    const numeric = message.code === undefined ? undefined : MODERATION_NUMERICS[message.code];
    if (numeric !== undefined) {
      // A refusal about no channel (/kill, OPER) has no channel parameter; 482 without one is 481.
      if (message.room === null) this.numeric(numeric === ERR.CHANOPRIVSNEEDED ? ERR.NOPRIVILEGES : numeric, message.text);
      else this.numeric(numeric, message.room.name, message.text);
      return;
    }
    const target = message.room?.name ?? this.nick();
    const lines = textLines({ tags: [], source: this.serverName, command: 'NOTICE', target }, message.text, false);
    if (lines.length > 0) this.send(lines.join('\r\n'));
  }

  private handleLine(raw: Buffer): void {
    const text = raw.toString('utf8');
    const parsed = parseIrcLine(text);
    if (parsed === null) return;
    const context = {
      peer: this as IrcPeer,
      awayOf: (id: number) => this.state.away.get(id) ?? '',
      setAway: (id: number, away: string) => {
        if (away === '') this.state.away.delete(id);
        else this.state.away.set(id, away);
      },
    };
    this.hub.input(this.session, {
      kind: 'request',
      bytes: raw.length,
      run: () => {
        if (!this.closing) runIrcCommand(context, parsed);
      },
    });
  }

  /** A line over the limit: 417, counted under the flood limit like any line. */
  private tooLong(bytes: number): void {
    this.hub.input(this.session, { kind: 'request', bytes, run: () => this.numeric(ERR.INPUTTOOLONG, 'Input line was too long') });
  }

  /** Over 512 bytes without its tags (or tags over 4096): too long. */
  private static overLimit(line: Buffer): boolean {
    if (line[0] !== 0x40 /* @ */) return line.length > IRC_LINE_BYTES - 2;
    const space = line.indexOf(0x20);
    if (space === -1) return line.length > MAX_CLIENT_TAG_BYTES;
    return space > MAX_CLIENT_TAG_BYTES || line.length - space - 1 > IRC_LINE_BYTES - 2;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.closing) return;
    this.state.stats.bytesIn.irc += chunk.length;
    this.heard = true;
    this.hub.touch(this.session);
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const end = data.indexOf(0x0a);
      if (end === -1) break;
      const line = data.subarray(0, end > 0 && data[end - 1] === 0x0d ? end - 1 : end);
      data = data.subarray(end + 1);
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      if (IrcConnection.overLimit(line)) this.tooLong(line.length);
      else if (line.length > 0) this.handleLine(Buffer.from(line));
    }
    if (data.length > MAX_READ_BYTES) {
      if (!this.skipping) this.tooLong(data.length);
      this.skipping = true;
      data = Buffer.alloc(0);
    }
    this.pending = Buffer.from(data);
  };

  private readonly onEnd = (): void => {
    this.hub.leave(this.session, 'connection closed');
    this.closing = true;
    this.output.finish(null, false);
    endGracefully(this.socket);
  };

  private readonly onError = (error: Error): void => {
    this.state.logger.debug({ transport: this.transport, from: this.address, err: error }, 'socket error');
  };

  private readonly onClose = (): void => {
    this.output.dispose();
    this.state.away.delete(this.session.id);
    this.hub.leave(this.session);
    this.state.logger.info({ transport: this.transport, from: this.address }, 'connection closed');
  };
}

