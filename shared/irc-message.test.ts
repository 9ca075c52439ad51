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

/**
 * IRCv3 message-tags, "Escaping values": `\:` is `;`, `\s` a space, `\\` a backslash, `\r` CR,
 * `\n` LF; any other escaped character is itself and a lone `\` at the end of a value is dropped.
 */
describe('IRC tag values', () => {
  it('unescapes each of the five escapes', () => {
    const tags = parseIrcLine('@a=x\\\\y;b=x\\ry;c=x\\ny;d=x\\:y;e=x\\sy PING t')?.tags;
    assert.deepEqual([...(tags ?? [])], [['a', 'x\\y'], ['b', 'x\ry'], ['c', 'x\ny'], ['d', 'x;y'], ['e', 'x y']]);
  });

  it('drops the backslash of an unknown escape and a lone one at the end of a value', () => {
    const tags = parseIrcLine('@a=\\b\\c;b=end\\;c=\\\\\\ PING')?.tags;
    assert.equal(tags?.get('a'), 'bc');
    assert.equal(tags?.get('b'), 'end', 'the spec: `test\\` unescapes to `test`');
    assert.equal(tags?.get('c'), '\\', 'an escaped backslash, then a lone one that is dropped');
  });

  it('escapes each of the five characters a value cannot carry, and reads them back', () => {
    const value = 'a\\b;c d\re\nf';
    const line = formatIrcLine({ tags: [['k', value]], command: 'TAGMSG', params: ['#a'] });
    assert.equal(line, '@k=a\\\\b\\:c\\sd\\re\\nf TAGMSG #a');
    assert.equal(parseIrcLine(line)?.tags.get('k'), value);
  });

  it('reads the first key right after the @, an empty value as no value, and skips empty tags', () => {
    const tags = parseIrcLine('@time=1;;flag=;+x PING')?.tags;
    assert.deepEqual([...(tags ?? [])], [['time', '1'], ['flag', ''], ['+x', '']]);
    assert.deepEqual([...(parseIrcLine('@;a=1; PING')?.tags ?? [])], [['a', '1']]);
  });

  it('keeps the last value of a key given twice (the spec: disregard all but the final occurrence)', () => {
    assert.equal(parseIrcLine('@k=1;k=2 PING')?.tags.get('k'), '2');
  });

  it('writes a tag without a value as its bare key, the missing form the spec lets a sender use', () => {
    assert.equal(formatIrcLine({ tags: [['flag', ''], ['k', 'v']], command: 'PING' }), '@flag;k=v PING');
  });
});

describe('IRC line layout', () => {
  it('takes a run of spaces as one separator before the source, the command and a trailing parameter', () => {
    const message = parseIrcLine('@a=1   :ada!u@h   PRIVMSG   #lobby   :hi  there');
    assert.deepEqual(message && [message.source, message.command, message.params], ['ada!u@h', 'PRIVMSG', ['#lobby', 'hi  there']]);
    assert.deepEqual(parseIrcLine('   :srv PONG x')?.source, 'srv');
    assert.deepEqual(parseIrcLine('PING    :a b')?.params, ['a b']);
  });

  it('never takes the command from the source when spaces follow its colon', () => {
    for (const line of [': ada PRIVMSG #a :hi', ':   ada PRIVMSG #a :hi']) {
      const message = parseIrcLine(line);
      assert.deepEqual(message && [message.source, message.command, message.params], ['ada', 'PRIVMSG', ['#a', 'hi']], line);
    }
  });

  it('never takes the command from the tags when spaces follow the @', () => {
    const message = parseIrcLine('@   a=1 PING x');
    assert.deepEqual(message && [[...message.tags], message.command, message.params], [[['a', '1']], 'PING', ['x']]);
  });

  it('strips every CR and LF that ends the line, and keeps one inside it for the text rules', () => {
    assert.deepEqual(parseIrcLine('PRIVMSG #a :hi\r\r\n\n')?.params, ['#a', 'hi']);
    // A bare CR inside a message is a line break to sanitizeText (shared/text.ts): it must reach it.
    assert.deepEqual(parseIrcLine('PRIVMSG #a :one\rtwo\r\n')?.params, ['#a', 'one\rtwo']);
  });

  it('writes the last parameter after a colon when it is text, and only the last one', () => {
    assert.equal(formatIrcLine({ command: 'PRIVMSG', params: ['#a', 'hi'], trailing: true }), 'PRIVMSG #a :hi');
    assert.equal(formatIrcLine({ command: 'PRIVMSG', params: ['#a', 'hi'], trailing: false }), 'PRIVMSG #a hi');
    assert.equal(formatIrcLine({ source: 'srv', command: '353', params: ['ada', '=', '#a', 'ada bob'], trailing: true }), ':srv 353 ada = #a :ada bob');
    assert.equal(formatIrcLine({ command: 'PING', trailing: true }), 'PING');
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
