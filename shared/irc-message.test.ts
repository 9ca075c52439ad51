import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIrcLine, parseIrcLine } from './irc-message.js';
import { splitUtf8 } from './utf8-split.js';

describe('IRC lines', () => {
  it('parses tags, source, command and a trailing parameter', () => {
    const message = parseIrcLine('@time=2024-01-01T00:00:00.000Z;+draft/x=a\\sb\\:c;flag :ada!u@h privmsg #lobby :hello there\r\n');
    assert.ok(message !== null);
    assert.equal(message.command, 'PRIVMSG');
    assert.equal(message.source, 'ada!u@h');
    assert.deepEqual(message.params, ['#lobby', 'hello there']);
    assert.equal(message.tags.get('+draft/x'), 'a b;c');
    assert.equal(message.tags.get('flag'), '');
  });

  it('takes several spaces between parameters, an empty trailing one, and no parameters', () => {
    assert.deepEqual(parseIrcLine('USER  ada 0  * :')?.params, ['ada', '0', '*', '']);
    assert.deepEqual(parseIrcLine('QUIT')?.params, []);
    assert.equal(parseIrcLine('   '), null);
    assert.equal(parseIrcLine('@a=b'), null);
  });

  it('formats the last parameter with a colon only when it needs one', () => {
    assert.equal(formatIrcLine({ source: 'srv', command: '001', params: ['ada', 'Welcome home'] }), ':srv 001 ada :Welcome home');
    assert.equal(formatIrcLine({ command: 'PING', params: ['token'] }), 'PING token');
    assert.equal(formatIrcLine({ command: 'PRIVMSG', params: ['#a', ':)'] }), 'PRIVMSG #a ::)');
    assert.equal(formatIrcLine({ command: 'TOPIC', params: ['#a', ''] }), 'TOPIC #a :');
    assert.equal(formatIrcLine({ tags: [['time', '1'], ['msgid', 'a;b c']], command: 'X' }), '@time=1;msgid=a\\:b\\sc X');
  });
});

describe('splitting at UTF-8 boundaries', () => {
  it('never cuts a character and loses nothing', () => {
    const text = `${'é'.repeat(300)}🦊${'x'.repeat(10)}🦊`;
    const pieces = splitUtf8(text, 101);
    assert.equal(pieces.join(''), text);
    for (const piece of pieces) {
      assert.ok(Buffer.byteLength(piece) <= 101);
      assert.ok(!piece.includes('\ufffd'));
      assert.equal(Buffer.from(piece, 'utf8').toString('utf8'), piece);
    }
    assert.equal(pieces[0], 'é'.repeat(50));
  });

  it('prefers to cut before a space in the second half of a piece', () => {
    assert.deepEqual(splitUtf8('aaaa bbbb cccc', 10), ['aaaa bbbb', ' cccc']);
    assert.deepEqual(splitUtf8('short', 10), ['short']);
    assert.deepEqual(splitUtf8('', 10), []);
  });
});
