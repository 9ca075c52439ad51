import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nameHue } from './name-hue.js';

describe('nameHue', () => {
  it('is the 32-bit FNV-1a hash modulo 360 (published test vectors)', () => {
    // FNV-1a 32-bit: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    assert.equal(nameHue(''), 0x811c9dc5 % 360);
    assert.equal(nameHue('a'), 0xe40c292c % 360);
    assert.equal(nameHue('foobar'), 0xbf9cf968 % 360);
    assert.equal(nameHue('a'), 340);
    assert.equal(nameHue('foobar'), 160);
  });

  it('tells apart names that differ in case or by one letter', () => {
    assert.notEqual(nameHue('alice'), nameHue('Alice'));
    assert.notEqual(nameHue('alice'), nameHue('alicf'));
    assert.notEqual(nameHue('a'), nameHue('b'));
  });

  it('is a whole number of degrees in [0, 360) and the same every time', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (name) => {
        const hue = nameHue(name);
        assert.ok(Number.isInteger(hue) && hue >= 0 && hue < 360, `${hue}`);
        assert.equal(nameHue(name), hue);
        assert.equal(nameHue(name.slice()), hue);
      }),
    );
  });

  it('spreads names over the colour wheel', () => {
    const hues = new Set<number>();
    for (let i = 0; i < 1000; i += 1) hues.add(nameHue(`user${i}`));
    // 1000 names in 360 buckets: a well-spread hash fills nearly all of them.
    assert.ok(hues.size > 300, `only ${hues.size} distinct hues`);
  });
});
