import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromIrcNick, toIrcNick } from './irc-nick.js';

describe('IRC nicknames', () => {
  it('keeps IRC nicknames as they are, bob|away included', () => {
    for (const nick of ['ada', 'bob|away', '[x]', 'a-1', '`^_{}']) assert.equal(toIrcNick(nick), nick);
  });

  it('escapes names IRC cannot carry, and maps them back exactly', () => {
    assert.equal(toIrcNick('José'), '|Jos|e9|');
    assert.equal(toIrcNick('127.0.0.1:50312'), '|127|2e|0|2e|0|2e|1|3a|50312');
    assert.equal(toIrcNick('7up'), '|7up');
    assert.equal(toIrcNick('|x'), '||7c|x');
    for (const name of ['José', '127.0.0.1:50312', '7up', '|x', 'a|b c', '山田', '🦊fox', 'x!y@z', '[::1]:9']) {
      assert.equal(fromIrcNick(toIrcNick(name)), name, name);
    }
  });

  it('reads a typed nickname that is not an escaped form as it is', () => {
    assert.equal(fromIrcNick('ada'), 'ada');
    assert.equal(fromIrcNick('Zoë'), 'Zoë');
  });
});

describe('IRC nickname escapes at their edges', () => {
  it('maps a one-character name that needs the escape, and reads a lone | as itself', () => {
    for (const name of ['7', '-', '|', '.']) assert.equal(fromIrcNick(toIrcNick(name)), name, name);
    assert.equal(toIrcNick('7'), '|7');
    assert.equal(fromIrcNick('|7'), '7');
    // `|` alone is no escaped form (that is at least two characters): a client typed it as it is.
    assert.equal(fromIrcNick('|'), '|');
  });

  it('reads an escape up to U+10FFFF as its character, and one above as U+FFFD', () => {
    assert.equal(toIrcNick('\u{10ffff}'), '||10ffff|');
    assert.equal(fromIrcNick('||10ffff|'), '\u{10ffff}');
    // No code point is above U+10FFFF: a typed `|110000|` cannot be a name, and must not throw.
    assert.equal(fromIrcNick('|a|110000|b'), 'a\ufffdb');
    assert.equal(fromIrcNick('||ffffff|'), '\ufffd');
  });

  it('reads an escaped surrogate as U+FFFD: a lone surrogate is no text', () => {
    assert.equal(fromIrcNick('||d800|'), '\ufffd');
    assert.equal(fromIrcNick('|a|dfff|'), 'a\ufffd');
    assert.equal(fromIrcNick('||d7ff|'), '\ud7ff');
    assert.equal(fromIrcNick('||e000|'), '\ue000');
  });

  it('tells which names pass through unchanged', () => {
    for (const name of ['ada', 'bob|away', '[x]', 'a-1', '`^_{}', 'Z9']) {
      assert.equal(toIrcNick(name), name);
    }
    for (const name of ['', '|x', '7up', '-a', 'José', 'a b', 'x!y']) {
      assert.notEqual(toIrcNick(name), name);
    }
  });
});
