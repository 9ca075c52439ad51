import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nickKey, nickProblem, prepareNick } from './nick.js';

/**
 * Every look-alike named in issue 18 (item 4), with the rule that stops it: refused outright
 * (the pattern the refusal matches), or accepted as a name but the same name as `alice` (so taken
 * while alice is present).
 */
const LOOK_ALIKES: readonly { name: string; why: string; refused?: RegExp; sameAs?: string }[] = [
  { name: 'ali\u200bce', why: 'zero-width space', refused: /invisible.*\(U\+200B\)/ },
  { name: 'alice\u200d', why: 'zero-width joiner', refused: /invisible.*\(U\+200D\)/ },
  { name: '\u202eecila\u202c', why: 'right-to-left override', refused: /invisible.*\(U\+202E\)/ },
  { name: '\u2066alice\u2069', why: 'bidi isolate', refused: /invisible.*\(U\+2066\)/ },
  { name: 'ali\u034fce', why: 'combining grapheme joiner', refused: /invisible.*\(U\+034F\)/ },
  { name: 'alice\u180e', why: 'Mongolian vowel separator', refused: /invisible.*\(U\+180E\)/ },
  { name: '\u115falice', why: 'Hangul choseong filler', refused: /invisible.*\(U\+115F\)/ },
  { name: '\u3164alice', why: 'Hangul filler', refused: /invisible.*\(U\+3164\)/ },
  { name: 'alice\ufe0f', why: 'variation selector', refused: /invisible.*\(U\+FE0F\)/ },
  { name: 'alice\u00ad', why: 'soft hyphen', refused: /invisible.*\(U\+00AD\)/ },
  { name: 'alice\u2060', why: 'word joiner', refused: /invisible.*\(U\+2060\)/ },
  { name: '\u0430lice', why: 'Cyrillic а among Latin', refused: /one script: it mixes Cyrillic and Latin letters/ },
  { name: 'alic\u0435', why: 'Cyrillic е among Latin', refused: /one script: it mixes Latin and Cyrillic letters/ },
  { name: '\u0251lice', why: 'Latin alpha ɑ', sameAs: 'alice' },
  { name: 'al\u0131ce', why: 'dotless ı', sameAs: 'alice' },
  { name: 'AL\u0130CE', why: 'capital İ with dot', sameAs: 'alice' },
  { name: 'aIice', why: 'capital I for small l', sameAs: 'alice' },
  { name: 'a1ice', why: 'digit 1 for l', sameAs: 'alice' },
  { name: 'ＡＬＩＣＥ', why: 'full-width letters', sameAs: 'alice' },
  { name: '\u{1d41a}\u{1d425}\u{1d422}\u{1d41c}\u{1d41e}', why: 'mathematical bold letters', sameAs: 'alice' },
  { name: 'al\u0131\u0307ce', why: 'dotless ı with a combining dot', sameAs: 'alice' },
  { name: 'ali\u0307ce', why: 'a dot hidden by the i', refused: /hidden accents/ },
  { name: 'ale\u0301\u0301ce', why: 'the same accent twice', refused: /repeated/ },
  { name: '\u0430\u0440\u0435', why: 'all-Cyrillic аре', sameAs: 'ape' },
  { name: '127.0.0.1\uff1a55100', why: 'full-width colon', refused: /no colon or look-alike/ },
  { name: '127.0.0.1\u223655100', why: 'ratio ∶', refused: /no colon or look-alike/ },
  { name: '127.0.0.1\ua78955100', why: 'modifier letter colon ꞉', refused: /no colon or look-alike/ },
  { name: '127.0.0.1\u02d055100', why: 'triangular colon ː', refused: /no colon or look-alike/ },
  { name: '[::1]\ufe5550000', why: 'small colon ﹕', refused: /no colon or look-alike/ },
  { name: '127.0.0.1:55100', why: 'a plain address', refused: /no colon or look-alike/ },
  { name: '\uff0a', why: 'full-width asterisk', refused: /no asterisk or look-alike/ },
  { name: '\u2217', why: 'asterisk operator', refused: /no asterisk or look-alike/ },
  { name: '\u204e', why: 'low asterisk', refused: /no asterisk or look-alike/ },
  { name: '*\u200b', why: 'asterisk and zero-width space', refused: /invisible.*\(U\+200B\)/ },
  { name: '\u2731', why: 'heavy asterisk', refused: /starts with a letter, a digit, an emoji or an ASCII character/ },
  { name: '\u2731 bob', why: 'heavy asterisk then a space', refused: /invisible.*\(U\+0020\)/ },
  { name: '\u2731bob', why: 'heavy asterisk before a name', refused: /starts with a letter/ },
  { name: '**', why: 'two asterisks', refused: /no asterisk or look-alike/ },
  { name: '*', why: 'the notice marker itself', refused: /no asterisk or look-alike/ },
  { name: '\u0301alice', why: 'a leading combining accent', refused: /starts with a letter/ },
];

describe('nickname policy: look-alikes (issue 18, item 4)', () => {
  for (const { name, why, refused, sameAs } of LOOK_ALIKES) {
    it(`${JSON.stringify(name)} (${why}) is ${refused === undefined ? `the same name as ${sameAs}` : 'refused'}`, () => {
      if (refused !== undefined) {
        assert.match(nickProblem(name) ?? 'accepted', refused);
        return;
      }
      assert.equal(nickProblem(name), null, 'acceptable on its own');
      assert.equal(nickProblem(sameAs!), null);
      assert.equal(nickKey(name), nickKey(sameAs!));
    });
  }

  it('look-alikes of Latin letters have the key of those letters, whatever rule refuses them first', () => {
    for (const name of ['\u0430lice', 'alic\u0435', 'ali\u200bce', 'ali\u0307ce']) assert.equal(nickKey(name), nickKey('alice'), JSON.stringify(name));
  });
});

describe('nickname policy: ordinary names', () => {
  it('accepts names in one script, the mixtures Japanese, Korean and Chinese need, digits, emoji and ASCII punctuation', () => {
    const names = ['alice', 'Ålesund', 'Zoë', '山田', '🦊fox', 'Ελένη', 'Дмитрий', 'محمد', 'אורי', 'राहुल', '東京タワー', 'Tシャツ', '김철수', '한국Han', 'bob_2', '[away]bob', 'a'.repeat(32)];
    for (const name of names) assert.equal(nickProblem(name), null, name);
  });

  it('refuses empty, long, spaced, control and tab names', () => {
    for (const name of ['', 'a'.repeat(33), 'two words', 'tab\there', 'bell\u0007', 'new\nline', 'nbsp\u00a0x', 'ideographic\u3000space', '\u2424']) {
      assert.notEqual(nickProblem(name), null, JSON.stringify(name));
    }
  });

  it('refuses letters of two scripts outside those mixtures, naming them', () => {
    assert.equal(nickProblem('Ελenh'), 'a nickname keeps to one script: it mixes Greek and Latin letters');
    assert.equal(nickProblem('Дима2000bob'), 'a nickname keeps to one script: it mixes Cyrillic and Latin letters');
  });

  it('shows a name width-mapped and NFC: full-width letters become ASCII, decomposed accents compose', () => {
    assert.equal(prepareNick('ａｌｉｃｅ'), 'alice');
    assert.equal(prepareNick('Zoe\u0308'), 'Zo\u00eb');
    assert.equal(prepareNick('ｶﾀｶﾅ'), 'カタカナ');
    assert.equal(prepareNick('𝐚lice'), '𝐚lice', 'only width is mapped for display; the key folds the rest');
  });

  it('compares case-, width- and form-insensitively, and keeps different names apart', () => {
    assert.equal(nickKey('Alice'), nickKey('alice'));
    assert.equal(nickKey('ａｌｉｃｅ'), nickKey('ALICE'));
    assert.equal(nickKey('Zoe\u0308'), nickKey('ZOË'));
    assert.equal(nickKey('straße'), nickKey('STRASSE'));
    assert.equal(nickKey('ΝΑΝΑ'), nickKey('νανα'));
    for (const [a, b] of [['alice', 'bob'], ['Zoë', 'Zoe'], ['alice', 'alicia'], ['山田', '田山'], ['ape', 'apes']]) {
      assert.notEqual(nickKey(a!), nickKey(b!), `${a} / ${b}`);
    }
  });

  it('counts i and l as one letter (capital I looks like l), so Eli and Ell are one name', () => {
    assert.equal(nickKey('Eli'), nickKey('Ell'));
    assert.equal(nickKey('Ian'), nickKey('lan'));
  });
});
