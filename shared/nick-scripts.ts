import propertyValues from 'unicode-match-property-value-ecmascript/data/mappings.js';

/**
 * The script-mixing rule of the nickname policy: UTS #39's "Highly Restrictive" level. A name's
 * letters come from one script, except the mixtures whose writers need them: Japanese (Han,
 * Hiragana, Katakana), Korean (Han, Hangul), Chinese with Bopomofo (Han, Bopomofo), each possibly
 * with Latin. Digits, punctuation, emoji and combining marks (scripts Common and Inherited) go with
 * any script. So `аlice` (Cyrillic а among Latin letters) is refused, `Zoë`, `山田`, `東京タワー` and
 * `Tシャツ` are not.
 *
 * Which characters belong to which script is the JavaScript engine's own Unicode data
 * (`\p{Script_Extensions=…}`); the list of script names comes from a package, so nothing here is a
 * hand-typed table. A character of a script the list does not know yet counts as a script of its own.
 */

/** Scripts whose characters go with every script. */
const NEUTRAL = new Set(['Common', 'Inherited']);
/** UTS #39 §5.1: scripts that stand for a writing system that mixes several. */
const JAPANESE = 'Japanese';
const KOREAN = 'Korean';
const HAN_WITH_BOPOMOFO = 'Han with Bopomofo';
const AUGMENTED: Readonly<Record<string, readonly string[]>> = {
  Han: [HAN_WITH_BOPOMOFO, JAPANESE, KOREAN],
  Hiragana: [JAPANESE],
  Katakana: [JAPANESE],
  Hangul: [KOREAN],
  Bopomofo: [HAN_WITH_BOPOMOFO],
};
const UNKNOWN = 'an unknown script';

interface ScriptTest {
  readonly name: string;
  readonly pattern: RegExp;
}

/** Built on the first name that is not plain ASCII: an idle server (or page) compiles none. */
let scriptTests: readonly ScriptTest[] | null = null;

function allScriptTests(): readonly ScriptTest[] {
  if (scriptTests !== null) return scriptTests;
  const names = new Set(propertyValues.get('Script_Extensions')?.values());
  const tests: ScriptTest[] = [];
  for (const name of names) {
    if (name === 'Unknown' || name === 'Katakana_Or_Hiragana') continue;
    try {
      tests.push({ name, pattern: new RegExp(`^\\p{Script_Extensions=${name}}$`, 'u') });
    } catch {
      // A script newer than this JavaScript engine: none of its characters can be tested anyway.
    }
  }
  scriptTests = tests;
  return tests;
}

/** The character's scripts (Script_Extensions), or null when it goes with any script. */
function scriptsOf(char: string): readonly string[] | null {
  const code = char.codePointAt(0)!;
  if (code < 0x80) return /[A-Za-z]/.test(char) ? ['Latin'] : null;
  const found: string[] = [];
  for (const { name, pattern } of allScriptTests()) if (pattern.test(char)) found.push(name);
  if (found.some((name) => NEUTRAL.has(name))) return null;
  return found.length === 0 ? [UNKNOWN] : found;
}

function augmented(scripts: readonly string[]): Set<string> {
  const set = new Set(scripts);
  for (const script of scripts) for (const extra of AUGMENTED[script] ?? []) set.add(extra);
  return set;
}

function intersect(sets: readonly Set<string>[]): Set<string> {
  const [first, ...rest] = sets;
  const common = new Set(first);
  for (const set of rest) for (const name of common) if (!set.has(name)) common.delete(name);
  return common;
}

function underscoreless(name: string): string {
  return name.replaceAll('_', ' ');
}

/**
 * Null when the name keeps to the rule; else why not, naming the scripts it mixes
 * (`it mixes Latin and Cyrillic letters`).
 */
export function scriptMixProblem(name: string): string | null {
  const perChar: Set<string>[] = [];
  const named: string[] = [];
  for (const char of name) {
    const scripts = scriptsOf(char);
    if (scripts === null) continue;
    perChar.push(augmented(scripts));
    if (!scripts.some((script) => named.includes(script))) named.push(scripts[0]!);
  }
  if (perChar.length === 0 || intersect(perChar).size > 0) return null;
  const withoutLatin = perChar.filter((scripts) => !scripts.has('Latin'));
  const rest = withoutLatin.length === 0 ? new Set<string>() : intersect(withoutLatin);
  if (rest.has(JAPANESE) || rest.has(KOREAN) || rest.has(HAN_WITH_BOPOMOFO)) return null;
  const list = named.map(underscoreless);
  const shown = list.length > 2 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list.join(' and ');
  return `it mixes ${shown} letters`;
}
