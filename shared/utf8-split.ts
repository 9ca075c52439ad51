/**
 * Cuts a text into pieces of at most `maxBytes` bytes of UTF-8 each, never inside a character
 * (a code point, and a surrogate pair stays whole), preferring the last space in the second half
 * of a piece, so words stay whole where they can. Concatenated, the pieces are the text: nothing
 * is dropped (the space a piece ends before starts the next). Used where a wire has a line limit
 * (IRC's 512 bytes) and the text does not fit.
 *
 * One pass over the code points (for-of), so no change to the code can make it loop forever:
 * a piece is cut when the next character does not fit. Positions are UTF-16 indexes.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError('maxBytes must hold one character (4 bytes)');
  const pieces: string[] = [];
  /** The piece being filled is text[start, at), of `bytes` bytes; `at` is the next character. */
  let start = 0;
  let at = 0;
  let bytes = 0;
  /**
   * The last space seen and the bytes of the piece before it. One at or before `start` (a piece
   * that begins with its only space, or a space of an earlier piece) is never in the second half.
   */
  let space = 0;
  let bytesBeforeSpace = 0;
  for (const char of text) {
    const width = utf8Width(char);
    if (bytes + width > maxBytes) {
      // Break before the last space if it lies in the second half of a piece more than half full
      // (halves in UTF-16 units, as this function always measured them).
      const atSpace = bytes > maxBytes / 2 && space - start >= (at - start) / 2;
      const end = atSpace ? space : at;
      pieces.push(text.slice(start, end));
      start = end;
      bytes = atSpace ? bytes - bytesBeforeSpace : 0;
      // The words carried over from the space may themselves leave no room for this character.
      if (bytes + width > maxBytes) {
        pieces.push(text.slice(start, at));
        start = at;
        bytes = 0;
      }
    }
    if (char === ' ') {
      space = at;
      bytesBeforeSpace = bytes;
    }
    bytes += width;
    at += char.length;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/** UTF-8 bytes of one code point (a lone surrogate counts 3, as U+FFFD replaces it). */
function utf8Width(char: string): number {
  const code = char.codePointAt(0)!;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}
