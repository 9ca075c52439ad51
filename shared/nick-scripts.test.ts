import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nickProblem } from './nick.js';
import { scriptMixProblem } from './nick-scripts.js';

const MIXES = 'a nickname keeps to one script: it mixes';

/**
 * The script-mixing rule as a user meets it: which mixtures of scripts a nickname may have, and
 * the exact refusal of the others. Each mixture is pinned by names that only it allows, so that
 * dropping one script from one mixture refuses a name.
 */
describe('nickname scripts: the mixtures Japanese, Korean and Chinese need', () => {
  it('Japanese: Hiragana, Katakana and Han together, any two of them, and with Latin', () => {
    for (const name of ['ひらがな漢字', 'カタカナ漢字', 'ひらがなカタカナ', 'ひらがなカタカナ漢字', 'ひらがなabc', 'カタカナabc', 'ラーメン2go']) {
      assert.equal(nickProblem(name), null, name);
    }
  });

  it('Korean: Hangul and Han, and with Latin', () => {
    for (const name of ['한국어漢字', '한국abc', '김abc漢']) assert.equal(nickProblem(name), null, name);
  });

  it('Chinese with Bopomofo: Bopomofo and Han, and with Latin', () => {
    for (const name of ['ㄅㄆ漢字', 'ㄅㄆabc', '漢ㄅa']) assert.equal(nickProblem(name), null, name);
  });

  it('refuses what no mixture holds, naming the scripts in the order they come', () => {
    assert.equal(nickProblem('ひらがな한국'), `${MIXES} Hiragana and Hangul letters`);
    assert.equal(nickProblem('カタカナㄅ'), `${MIXES} Katakana and Bopomofo letters`);
    assert.equal(nickProblem('한국ㄅ'), `${MIXES} Hangul and Bopomofo letters`);
    assert.equal(nickProblem('漢字дима'), `${MIXES} Han and Cyrillic letters`, 'Han with a script outside the mixtures');
    assert.equal(nickProblem('ひらがなabcд'), `${MIXES} Hiragana, Latin and Cyrillic letters`);
  });
});

describe('nickname scripts: characters of several scripts or of none', () => {
  it('a character in several scripts is named by its first, and not again once one of them is named', () => {
    // ー (U+30FC, the prolonged sound mark) is both Hiragana and Katakana.
    assert.equal(nickProblem('ーд'), `${MIXES} Hiragana and Cyrillic letters`);
    assert.equal(nickProblem('дカー'), `${MIXES} Cyrillic and Katakana letters`);
  });

  it('a combining mark of no script (U+0332, low line) goes with letters of any script', () => {
    for (const name of ['ab\u0332', 'д\u0332', '漢\u0332ひ']) assert.equal(nickProblem(name), null, JSON.stringify(name));
  });

  it('shows a script name with spaces for underscores', () => {
    assert.equal(nickProblem('aᐁ'), `${MIXES} Latin and Canadian Aboriginal letters`);
    assert.equal(nickProblem('ᐁᐃ'), null, 'one script');
  });

  it('ASCII letters are Latin, and other ASCII characters go with any script', () => {
    assert.equal(nickProblem('д!~09'), null);
    assert.equal(nickProblem('д{z}'), `${MIXES} Cyrillic and Latin letters`);
  });

  /**
   * nickProblem refuses private-use and unassigned code points before it asks about scripts (they
   * are invisible); scriptMixProblem does not rely on that: such a character is of a script no
   * letter of another script goes with.
   */
  it('a character of no known script (private use) is of "an unknown script" of its own', () => {
    assert.match(nickProblem('a\ue000') ?? 'accepted', /invisible.*\(U\+E000\)/);
    assert.equal(scriptMixProblem('a\ue000'), 'it mixes Latin and an unknown script letters');
    assert.equal(scriptMixProblem('\ue000\uf8ff'), null);
    assert.equal(scriptMixProblem('ab'), null);
    assert.equal(scriptMixProblem('12-_'), null, 'no letters: nothing to mix');
  });
});
