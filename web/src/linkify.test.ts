import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type Segment, splitLinks } from './linkify.js';

const text = (value: string): Segment => ({ kind: 'text', text: value });
const link = (value: string, href = value): Segment => ({ kind: 'link', text: value, href });

describe('splitLinks', () => {
  it('returns nothing for empty text and one text segment when there is no link', () => {
    assert.deepEqual(splitLinks(''), []);
    assert.deepEqual(splitLinks('hello there'), [text('hello there')]);
  });

  it('finds http and https links among text, in order', () => {
    assert.deepEqual(splitLinks('see https://example.com/a and http://example.org/b ok'), [
      text('see '),
      link('https://example.com/a'),
      text(' and '),
      link('http://example.org/b'),
      text(' ok'),
    ]);
    assert.deepEqual(splitLinks('http://example.com/'), [link('http://example.com/')]);
  });

  it('keeps the typed text and gives the parsed, normalised URL as href', () => {
    assert.deepEqual(splitLinks('HTTPS://Example.COM/Path'), [
      link('HTTPS://Example.COM/Path', 'https://example.com/Path'),
    ]);
    assert.deepEqual(splitLinks('https://example.com'), [link('https://example.com', 'https://example.com/')]);
    assert.deepEqual(splitLinks('https://例え.jp/パス'), [
      link('https://例え.jp/パス', 'https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9'),
    ]);
  });

  it('stops a link at whitespace and at characters that do not belong in a pasted URL', () => {
    assert.deepEqual(splitLinks('https://example.com/a\tb'), [link('https://example.com/a'), text('\tb')]);
    assert.deepEqual(splitLinks('https://example.com/a\nb'), [link('https://example.com/a'), text('\nb')]);
    assert.deepEqual(splitLinks('https://example.com/a\u00a0b'), [link('https://example.com/a'), text('\u00a0b')]);
    assert.deepEqual(splitLinks('<https://example.com/a>'), [text('<'), link('https://example.com/a'), text('>')]);
    assert.deepEqual(splitLinks('https://example.com/a<b>'), [link('https://example.com/a'), text('<b>')]);
    assert.deepEqual(splitLinks('https://example.com/a"b'), [link('https://example.com/a'), text('"b')]);
    assert.deepEqual(splitLinks('"https://example.com/a"'), [text('"'), link('https://example.com/a'), text('"')]);
  });

  it('trims trailing sentence punctuation', () => {
    for (const mark of ['.', ',', ';', ':', '!', '?', "'", '’', '*', '_', '...', '?!', '.)']) {
      assert.deepEqual(
        splitLinks(`go to https://example.com/path${mark}`),
        [text('go to '), link('https://example.com/path'), text(mark)],
        `trailing ${JSON.stringify(mark)}`,
      );
    }
  });

  it('keeps punctuation inside a link', () => {
    assert.deepEqual(splitLinks('https://example.com/a.b,c;d:e!f?g'), [link('https://example.com/a.b,c;d:e!f?g')]);
    assert.deepEqual(splitLinks('https://example.com:8080/x?y=1&z=2#top.'), [
      link('https://example.com:8080/x?y=1&z=2#top'),
      text('.'),
    ]);
  });

  it('keeps a closing bracket the link opened and drops one it did not', () => {
    assert.deepEqual(splitLinks('see https://example.com/a_(b).'), [
      text('see '),
      link('https://example.com/a_(b)'),
      text('.'),
    ]);
    assert.deepEqual(splitLinks('(see https://en.wikipedia.org/wiki/Foo_(bar))'), [
      text('(see '),
      link('https://en.wikipedia.org/wiki/Foo_(bar)'),
      text(')'),
    ]);
    assert.deepEqual(splitLinks('(https://example.com/a)'), [text('('), link('https://example.com/a'), text(')')]);
    assert.deepEqual(splitLinks('[https://example.com/[x]]'), [
      text('['),
      link('https://example.com/[x]'),
      text(']'),
    ]);
    assert.deepEqual(splitLinks('{https://example.com/{x}}'), [
      text('{'),
      link('https://example.com/{x}', 'https://example.com/%7Bx%7D'),
      text('}'),
    ]);
  });

  it('leaves other schemes as plain text', () => {
    for (const input of [
      'javascript:alert(1)',
      'JavaScript://example.com/%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.com/file',
      'file:///etc/passwd',
      'mailto:someone@example.com',
      'ws://example.com/ws',
    ]) {
      assert.deepEqual(splitLinks(input), [text(input)], input);
    }
  });

  it('links only the http part of text that embeds one in another scheme', () => {
    assert.deepEqual(splitLinks("javascript:alert('http://example.com')"), [
      text("javascript:alert('"),
      link('http://example.com', 'http://example.com/'),
      text("')"),
    ]);
  });

  it('needs a word boundary before the scheme', () => {
    assert.deepEqual(splitLinks('xhttps://example.com'), [text('xhttps://example.com')]);
    assert.deepEqual(splitLinks('1http://example.com'), [text('1http://example.com')]);
  });

  it('leaves text that does not parse as a URL with a host', () => {
    for (const input of ['https://', 'http://...', 'http://%zz', 'http://:80/', 'http://@/']) {
      assert.deepEqual(splitLinks(input), [text(input)], input);
    }
    assert.deepEqual(splitLinks('http://%zz then https://example.com'), [
      text('http://%zz then '),
      link('https://example.com', 'https://example.com/'),
    ]);
  });

  it('gives the same answer when called again (no regex state leaks between calls)', () => {
    const input = 'a https://example.com/1 b https://example.com/2';
    const first = splitLinks(input);
    assert.equal(first.filter((segment) => segment.kind === 'link').length, 2);
    assert.deepEqual(splitLinks(input), first);
    assert.deepEqual(splitLinks('https://example.com/3'), [link('https://example.com/3')]);
  });
});

describe('splitLinks properties', () => {
  // Text built from pieces that make links, near-links and the punctuation around them likely.
  const piece = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom(
      'http://',
      'https://',
      'HTTPS://',
      'javascript:',
      'data:',
      'ftp://',
      'example.com',
      '例え.jp',
      '/path',
      '%zz',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '.',
      ',',
      '!',
      '?',
      "'",
      '’',
      '"',
      '_',
      '*',
      ':',
      '@',
      '<',
      '>',
      ' ',
      '\n',
      '\u00a0',
      '\u3000',
    ),
  );
  const message = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

  it('joining the segment texts gives the input back', () => {
    fc.assert(
      fc.property(message, (input) => {
        assert.equal(
          splitLinks(input)
            .map((segment) => segment.text)
            .join(''),
          input,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('makes no empty segments, never two text segments in a row, and only http(s) hrefs', () => {
    fc.assert(
      fc.property(message, (input) => {
        const segments = splitLinks(input);
        segments.forEach((segment, index) => {
          assert.notEqual(segment.text, '');
          if (segment.kind === 'link') {
            assert.match(segment.text, /^https?:\/\//i);
            const url = new URL(segment.href);
            assert.ok(url.protocol === 'http:' || url.protocol === 'https:', segment.href);
            assert.equal(new URL(segment.text).href, segment.href);
          } else if (index > 0) {
            assert.equal(segments[index - 1]!.kind, 'link');
          }
        });
      }),
      { numRuns: 2000 },
    );
  });
});
