/**
 * Surviving mutants judged equivalent: no test can kill them because the mutated program behaves
 * the same through every public API (at most it does a little more work or keeps an empty entry).
 * scripts/mutation-summary.mjs leaves them out of the scores and lists them; docs/testing.md
 * repeats the reasons. Matched by file, mutator, the code replaced and its replacement, so that
 * line numbers may move.
 */
export const EQUIVALENT_MUTANTS = [
  {
    file: 'dist/shared/frame-decoder.js',
    mutator: 'EqualityOperator',
    original: 'offset < chunk.length',
    replacement: 'offset <= chunk.length',
    why: 'one more pass at the end of the chunk takes 0 bytes and returns (nothing pending is complete)',
  },
  {
    file: 'dist/shared/frame-decoder.js',
    mutator: 'ArithmeticOperator',
    original: 'chunk.length - offset',
    replacement: 'chunk.length + offset',
    why: 'subarray() stops at the end of the chunk, so the same bytes are appended and the loop ends either way',
  },
  {
    file: 'dist/shared/line-decoder.js',
    mutator: 'ConditionalExpression',
    original: 'chunk.length === 0',
    replacement: 'false',
    why: 'an empty chunk holds no LF and nothing to append: the early return only saves work',
  },
  {
    file: 'dist/shared/line-decoder.js',
    mutator: 'ConditionalExpression',
    original: 'start < chunk.length',
    replacement: 'true',
    why: 'appending the empty rest of a chunk that ended with LF changes nothing (no growth, no bytes)',
  },
  {
    file: 'dist/shared/line-decoder.js',
    mutator: 'EqualityOperator',
    original: 'start < chunk.length',
    replacement: 'start <= chunk.length',
    why: 'as above: the rest appended at start === chunk.length is empty',
  },
  {
    file: 'dist/shared/line-decoder.js',
    mutator: 'ConditionalExpression',
    original: 'line.length > 0',
    replacement: 'true',
    why: 'the last byte of an empty line is undefined, never CR: the length test only guards the index',
  },
  {
    file: 'dist/shared/line-decoder.js',
    mutator: 'EqualityOperator',
    original: 'line.length > 0',
    replacement: 'line.length >= 0',
    why: 'as above',
  },
  {
    file: 'dist/shared/input-buffer.js',
    mutator: 'ConditionalExpression',
    original: 'released === 0',
    replacement: 'false',
    why: 'clearing an empty buffer then tells the budget it released 0 bytes, which changes no count',
  },
  {
    file: 'dist/shared/text.js',
    mutator: 'StringLiteral',
    original: "'\\r'",
    replacement: '""',
    why: 'includes("") is always true, so the CR/CRLF replace also runs on text without CR, where it matches nothing and returns the same text',
  },
  {
    file: 'dist/shared/text.js',
    mutator: 'ConditionalExpression',
    original: 'UNICODE_BREAKS.test(out)',
    replacement: 'true',
    why: 'replace() of a global regex starts at index 0 whatever test() left in lastIndex and returns the same text when nothing matches: the test() only skips that pass',
  },
  {
    file: 'dist/shared/text.js',
    mutator: 'ConditionalExpression',
    original: 'STRIPPED_CONTROLS.test(out)',
    replacement: 'true',
    why: 'as above, for the control characters',
  },
  {
    file: 'dist/shared/input-budget.js',
    mutator: 'ConditionalExpression',
    original: 'largest === holder',
    replacement: 'false',
    why: 'when the asker is itself the largest holder, the next test (largest.held <= holder.held + bytes) holds too and refuses it the same way',
  },
  {
    file: 'dist/shared/input-budget.js',
    mutator: 'ConditionalExpression',
    original: 'holder.held === 0',
    replacement: 'false',
    why: 'a holder that let go of everything stays in the set with 0 bytes; as the largest it is refused like no holder at all, and it is never evicted for anything (a leak of an entry until it holds again, not a change of behaviour)',
  },
  {
    file: 'dist/server/connection-gate.js',
    mutator: 'ConditionalExpression',
    original: 'fromIp === 1',
    replacement: 'false',
    why: 'the last release of an IP leaves a 0 in the per-IP map instead of deleting it; every read treats a missing IP as 0',
  },
  {
    file: 'dist/server/channel/presence-batch.js',
    mutator: 'EqualityOperator',
    original: 'joined.length > 1',
    replacement: 'joined.length >= 1',
    why: 'it follows `=== 1` in an else-if, so 1 never reaches it',
  },
  {
    file: 'dist/server/channel/presence-batch.js',
    mutator: 'EqualityOperator',
    original: 'this.left.length > 1',
    replacement: 'this.left.length >= 1',
    why: 'as above, for leaves',
  },
  {
    file: 'dist/server/channel/presence-announcer.js',
    mutator: 'ConditionalExpression',
    original: 'this.batch.empty',
    replacement: 'false',
    why: 'taking an empty batch gives no notices, so nothing is sent either way',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'ConditionalExpression',
    original: 'key === undefined',
    replacement: 'true',
    why: 'recomputing a cached nick key gives the same key: the cache only saves time',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'ConditionalExpression',
    original: 'keyCache.size >= KEY_CACHE_MAX',
    replacement: 'true',
    why: 'clearing the key cache more often only costs time',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'ConditionalExpression',
    original: 'keyCache.size >= KEY_CACHE_MAX',
    replacement: 'false',
    why: 'the cache would grow past 20,000 entries: memory, not a different answer (no API shows its size)',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'EqualityOperator',
    original: 'keyCache.size >= KEY_CACHE_MAX',
    replacement: 'keyCache.size > KEY_CACHE_MAX',
    why: 'one entry more before the cache starts over',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'EqualityOperator',
    original: 'keyCache.size >= KEY_CACHE_MAX',
    replacement: 'keyCache.size < KEY_CACHE_MAX',
    why: 'the cache starts over on almost every new name: time only',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'ConditionalExpression',
    original: "!target.includes('!') && !target.includes('@')",
    replacement: 'false',
    why: 'a plain nick through the mask path becomes the same nick!*@* (user and host default to *)',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'StringLiteral',
    original: "'!'",
    replacement: '""',
    why: 'includes("") is always true, which sends a plain nick down the mask path: same result, as above',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'StringLiteral',
    original: "'@'",
    replacement: '""',
    why: 'as above',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'MethodExpression',
    original: 'nick.toLowerCase()',
    replacement: 'nick.toUpperCase()',
    why: 'the whole mask is lower-cased on the next line anyway',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'StringLiteral',
    original: "'s'",
    replacement: '""',
    why: 'the dotAll flag only matters for a newline, which no name, transport or address holds',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'ConditionalExpression',
    original: 'this.ops.size > 0',
    replacement: 'true',
    why: 'the size test only skips computing a key when the room has no operators',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'EqualityOperator',
    original: 'this.ops.size > 0',
    replacement: 'this.ops.size >= 0',
    why: 'as above',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'ConditionalExpression',
    original: 'this.muted.size > 0',
    replacement: 'true',
    why: 'the size test only skips computing a key when nobody is muted',
  },
  {
    file: 'dist/server/channel/room-moderation.js',
    mutator: 'EqualityOperator',
    original: 'this.muted.size > 0',
    replacement: 'this.muted.size >= 0',
    why: 'as above',
  },
];

/** The equivalence a mutant matches, if any: `original` is the code it replaced (one line). */
export function equivalenceOf(file, mutant, original) {
  return EQUIVALENT_MUTANTS.find(
    (entry) => entry.file === file && entry.mutator === mutant.mutatorName && entry.original === original && entry.replacement === mutant.replacement,
  );
}
