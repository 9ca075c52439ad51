import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HELP_TEXT, oneLineReason, parseLine, REASON_MAX } from './slash-commands.js';

/**
 * The slash-command parser on its own: every front end that takes typed lines (line, framed and
 * IRC clients, the page's composer) turns them into intents here, so the intents, the usage texts
 * and `/help` pinned below are what every member sees. No hub and no sockets: parseLine is pure.
 */

describe('parseLine: plain lines and the // escape', () => {
  it('says a line that does not start with a slash, as it is, in the room given (a leading # is not special)', () => {
    assert.deepEqual(parseLine('hello there', '#ops'), { type: 'say', room: '#ops', kind: 'chat', text: 'hello there' });
    assert.deepEqual(parseLine('#ops hi', null), { type: 'say', room: null, kind: 'chat', text: '#ops hi' });
    assert.deepEqual(parseLine('  spaced  ', null), { type: 'say', room: null, kind: 'chat', text: '  spaced  ' }, 'a chat line is not trimmed');
  });

  it('says a line starting with // without its first slash, wherever another slash is', () => {
    assert.deepEqual(parseLine('//etc is a folder', '#ops'), { type: 'say', room: '#ops', kind: 'chat', text: '/etc is a folder' });
    assert.deepEqual(parseLine('//', null), { type: 'say', room: null, kind: 'chat', text: '/' });
    // A command that merely ends with // is still a command.
    assert.deepEqual(parseLine('/nick ann//', null), { type: 'nick', name: 'ann//' });
  });
});

describe('parseLine: command names', () => {
  it('reads the name in any case, and the argument without the spaces at its ends', () => {
    assert.deepEqual(parseLine('/NiCk   ann  ', null), { type: 'nick', name: 'ann' });
    assert.deepEqual(parseLine('/nick\tann\t', null), { type: 'nick', name: 'ann' });
  });

  it('names an unknown command in lower case, the bare slash as the empty command', () => {
    assert.deepEqual(parseLine('/Frobnicate the widget', null), { type: 'unknown', command: 'frobnicate' });
    assert.deepEqual(parseLine('/', '#ops'), { type: 'unknown', command: '' });
    assert.deepEqual(parseLine('/ nick ann', null), { type: 'unknown', command: '' }, 'no space between the slash and the name');
  });
});

describe('parseLine: each command', () => {
  it('/join takes the first word as the room; without one it says how to use it', () => {
    assert.deepEqual(parseLine('/join #ops', null), { type: 'join', room: '#ops' });
    assert.deepEqual(parseLine('/join #ops  and more', '#x'), { type: 'join', room: '#ops' });
    assert.deepEqual(parseLine('/join #a\tb', null), { type: 'join', room: '#a' });
    assert.deepEqual(parseLine('/join', null), { type: 'usage', text: 'usage: /join #ROOM' });
    assert.deepEqual(parseLine('/join   ', null), { type: 'usage', text: 'usage: /join #ROOM' });
  });

  it('/part leaves the room named first, else the current one, with the rest as a one-line reason', () => {
    assert.deepEqual(parseLine('/part', '#ops'), { type: 'part', room: '#ops', reason: '' });
    assert.deepEqual(parseLine('/part #x', '#ops'), { type: 'part', room: '#x', reason: '' });
    assert.deepEqual(parseLine('/part #x off  to\nlunch', '#ops'), { type: 'part', room: '#x', reason: 'off to lunch' });
    assert.deepEqual(parseLine('/part off to lunch', null), { type: 'part', room: null, reason: 'off to lunch' });
    assert.deepEqual(parseLine(`/part ${'r'.repeat(150)}`, '#ops'), { type: 'part', room: '#ops', reason: `${'r'.repeat(REASON_MAX - 1)}…` });
  });

  it('/msg takes a nickname and the text after any run of spaces; with no text it says how to use it', () => {
    assert.deepEqual(parseLine('/msg bob hi there', '#ops'), { type: 'msg', to: 'bob', kind: 'chat', text: 'hi there' });
    assert.deepEqual(parseLine('/msg bob   hi  there', null), { type: 'msg', to: 'bob', kind: 'chat', text: 'hi  there' });
    assert.deepEqual(parseLine('/msg bob \t\nhi', null), { type: 'msg', to: 'bob', kind: 'chat', text: 'hi' });
    assert.deepEqual(parseLine('/msg bob', null), { type: 'usage', text: 'usage: /msg NICK TEXT' });
    assert.deepEqual(parseLine('/msg', null), { type: 'usage', text: 'usage: /msg NICK TEXT' });
  });

  it('/rooms and /help take no argument (one given is ignored)', () => {
    assert.deepEqual(parseLine('/rooms', '#ops'), { type: 'rooms' });
    assert.deepEqual(parseLine('/rooms #ops', null), { type: 'rooms' });
    assert.deepEqual(parseLine('/help', '#ops'), { type: 'help' });
    assert.deepEqual(parseLine('/HELP me', null), { type: 'help' });
  });

  it('/topic shows the topic with no text (null) and sets it with one, in the room named first or the current one', () => {
    assert.deepEqual(parseLine('/topic', '#ops'), { type: 'topic', room: '#ops', text: null });
    assert.deepEqual(parseLine('/topic #x', '#ops'), { type: 'topic', room: '#x', text: null });
    assert.deepEqual(parseLine('/topic #x deploys  on fridays', '#ops'), { type: 'topic', room: '#x', text: 'deploys  on fridays' });
    assert.deepEqual(parseLine('/topic deploys on fridays', null), { type: 'topic', room: null, text: 'deploys on fridays' });
  });

  it('/who lists the room named or the current one, as a notice (not quiet)', () => {
    assert.deepEqual(parseLine('/who', '#ops'), { type: 'who', room: '#ops', quiet: false });
    assert.deepEqual(parseLine('/who #x', '#ops'), { type: 'who', room: '#x', quiet: false });
    assert.deepEqual(parseLine('/who', null), { type: 'who', room: null, quiet: false });
    assert.deepEqual(parseLine('/who bob', '#ops'), { type: 'who', room: '#ops', quiet: false }, 'a word that is no room is ignored');
  });

  it('/nick takes the whole argument as the name; without one it says how to use it', () => {
    assert.deepEqual(parseLine('/nick ann', '#ops'), { type: 'nick', name: 'ann' });
    assert.deepEqual(parseLine('/nick ann b', null), { type: 'nick', name: 'ann b' }, 'the hub refuses it; the parser keeps it whole');
    assert.deepEqual(parseLine('/nick', null), { type: 'usage', text: 'usage: /nick NAME' });
  });

  it('/me says an action in the current room; without one it says how to use it', () => {
    assert.deepEqual(parseLine('/me waves  at all', '#ops'), { type: 'say', room: '#ops', kind: 'action', text: 'waves  at all' });
    assert.deepEqual(parseLine('/me shrugs', null), { type: 'say', room: null, kind: 'action', text: 'shrugs' });
    assert.deepEqual(parseLine('/me', '#ops'), { type: 'usage', text: 'usage: /me ACTION' });
  });

  it('/quit takes an optional one-line reason', () => {
    assert.deepEqual(parseLine('/quit', '#ops'), { type: 'quit', reason: '' });
    assert.deepEqual(parseLine('/quit gone\t\tfishing', null), { type: 'quit', reason: 'gone fishing' });
    assert.deepEqual(parseLine(`/quit ${'q'.repeat(101)}`, null), { type: 'quit', reason: `${'q'.repeat(99)}…` });
  });

  it('/pass takes the whole argument as the secret; without one it says how to use it', () => {
    assert.deepEqual(parseLine('/pass open sesame', '#ops'), { type: 'pass', secret: 'open sesame' });
    assert.deepEqual(parseLine('/pass', null), { type: 'usage', text: 'usage: /pass PASSWORD' });
  });

  it('merges the account and moderation commands into the same table', () => {
    assert.deepEqual(parseLine('/login ann pw d', null), { type: 'login', name: 'ann', password: 'pw d' });
    assert.deepEqual(parseLine('/kick bob   too  loud', '#ops'), { type: 'kick', room: '#ops', nick: 'bob', reason: 'too loud' });
    assert.deepEqual(parseLine('/kill bob', null), { type: 'kill', nick: 'bob', reason: '' });
  });
});

describe('oneLineReason', () => {
  it('folds every run of whitespace to one space and drops it at the ends', () => {
    assert.equal(oneLineReason('  gone \t\r\n fishing  '), 'gone fishing');
    assert.equal(oneLineReason('a  b'), 'a b');
    assert.equal(oneLineReason(''), '');
    assert.equal(oneLineReason(' \n '), '');
  });

  it(`keeps up to ${REASON_MAX} characters, counted as code points, and cuts a longer one to ${REASON_MAX} with an ellipsis`, () => {
    assert.equal(REASON_MAX, 100);
    const exact = 'x'.repeat(REASON_MAX);
    assert.equal(oneLineReason(exact), exact);
    assert.equal(oneLineReason(`${exact}y`), `${'x'.repeat(REASON_MAX - 1)}…`);
    assert.equal(oneLineReason('short'), 'short');
    // 100 emoji are 200 UTF-16 units but 100 characters: kept whole; one more and it is cut.
    const emoji = '🎉'.repeat(REASON_MAX);
    assert.equal(oneLineReason(emoji), emoji);
    assert.equal(oneLineReason(`${emoji}🎉`), `${'🎉'.repeat(REASON_MAX - 1)}…`);
    assert.equal([...oneLineReason(`${emoji}🎉`)].length, REASON_MAX);
  });
});

describe('HELP_TEXT', () => {
  /** Every command's usage and what it does, in the order /help lists them. */
  const EXPECTED = [
    '/join #ROOM (join a room (made if new) and talk there)',
    '/part [#ROOM] [REASON] (leave a room (this one if none is named))',
    '/msg NICK TEXT (a direct message to one member)',
    '/rooms (list the rooms)',
    "/topic [#ROOM] [TEXT] (show or set a room's topic)",
    "/who [#ROOM] (list a room's members)",
    '/nick NAME (set your nickname)',
    '/me ACTION (say what you do)',
    '/quit [REASON] (leave the server)',
    '/pass PASSWORD (the server password, as the first message, on a server that has one)',
    '/register NAME PASSWORD (make an account: NAME becomes your nickname, only yours (--accounts))',
    '/login NAME PASSWORD (log in to your account and take its nickname (--accounts))',
    '/op [#ROOM] NICK (make a member an operator of the room (operators))',
    '/deop [#ROOM] NICK (take operator status away (operators))',
    '/kick [#ROOM] NICK [REASON] (remove a member from the room (operators))',
    '/ban [#ROOM] [NICK|MASK [DURATION]] (keep a nickname or nick!transport@ip mask out of the room, for 10m/2h/1d or until /unban; none: list the bans (operators))',
    '/unban [#ROOM] NICK|MASK (lift a ban (operators))',
    '/mute [#ROOM] NICK (stop a member speaking in the room (operators))',
    '/unmute [#ROOM] NICK (let a muted member speak again (operators))',
    '/lock [#ROOM] topic|talk (only operators set the topic, or speak (operators))',
    '/unlock [#ROOM] topic|talk (undo a /lock (operators))',
    '/oper NAME SECRET (become a server operator (--admin))',
    "/kill NICK [REASON] (close a member's connection (server operators))",
    '/help (this list)',
  ];

  it('lists every command with its usage and what it does, then the // escape', () => {
    assert.equal(HELP_TEXT, `commands: ${EXPECTED.join(', ')}; //TEXT says /TEXT`);
  });

  it('lists exactly the commands parseLine knows', () => {
    for (const entry of EXPECTED) {
      const name = /^\/(\S+)/.exec(entry)![1]!;
      assert.notEqual(parseLine(`/${name}`, '#ops').type, 'unknown', `/${name} is in /help but unknown`);
    }
  });
});
