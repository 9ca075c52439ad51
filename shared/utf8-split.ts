/**
 * Cuts a text into pieces of at most `maxBytes` bytes of UTF-8 each, never inside a character
 * (a code point, and a surrogate pair stays whole), preferring the last space in the second half
 * of a piece, so words stay whole where they can. Concatenated, the pieces are the text: nothing
 * is dropped (the space a piece ends before starts the next). Used where a wire has a line limit
 * (IRC's 512 bytes) and the text does not fit.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError('maxBytes must hold one character (4 bytes)');
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let bytes = 0;
    let end = start;
    let lastSpace = -1;
    while (end < text.length) {
      const code = text.codePointAt(end)!;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      if (bytes + width > maxBytes) break;
      if (code === 0x20) lastSpace = end;
      bytes += width;
      end += code >= 0x10000 ? 2 : 1;
    }
    if (end < text.length && lastSpace > start && bytes > maxBytes / 2 && lastSpace - start >= (end - start) / 2) end = lastSpace;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
