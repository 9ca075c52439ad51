import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nickProblem } from './nick.js';

/** The refusals of nickProblem word for word, and the script mixtures it allows (nick.test.ts has the keys). */
describe('nickProblem', () => {
  it('says why an empty name, a # or look-alike, and the bot suffix in any case or width are refused', () => {
    assert.equal(nickProblem(''), 'a nickname has 1 to 32 characters');
    for (const name of ['a#b', 'a＃b']) assert.equal(nickProblem(name), 'a nickname has no # or look-alike: # starts a room name', name);
    for (const name of ['ci[bot]', 'ci[BOT]', 'ci［bot］']) {
      assert.equal(nickProblem(name), 'a nickname does not end with [bot]: it marks bots of the HTTP API', name);
    }
    assert.equal(nickProblem('[bot]ci'), null, 'only at the end');
  });

  it('names the scripts a name mixes: two with "and", more with commas', () => {
    assert.equal(nickProblem('aд'), 'a nickname keeps to one script: it mixes Latin and Cyrillic letters');
    assert.equal(nickProblem('abcдαβ'), 'a nickname keeps to one script: it mixes Latin, Cyrillic and Greek letters');
    assert.equal(nickProblem('aαд日'), 'a nickname keeps to one script: it mixes Latin, Greek, Cyrillic and Han letters');
    assert.equal(nickProblem('ab😀д'), 'a nickname keeps to one script: it mixes Latin and Cyrillic letters', 'an emoji is in no script');
  });

  it('allows the mixtures Japanese, Korean and Chinese need, with Latin too, and combining marks', () => {
    for (const name of ['ひらがなカタカナ漢字', '한국어漢字', 'ㄅ漢', '日本ä', 'ab\u0301', 'ａｂ', 'a-b_c']) assert.equal(nickProblem(name), null, name);
  });

  it('refuses unassigned and tag characters by code point', () => {
    assert.equal(nickProblem('abc\u0378'), 'a nickname has no spaces, invisible, control or formatting characters (U+0378)');
    assert.equal(nickProblem('x\u{E0001}'), 'a nickname has no spaces, invisible, control or formatting characters (U+E0001)');
  });
});
