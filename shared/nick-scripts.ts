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
/**
 * UTS #39 §5.1: the writing systems that mix scripts, Japanese, Korean and Chinese with Bopomofo,
 * each with Latin as "Highly Restrictive" allows. A name keeps to one script or to one of these.
 */
const MIXTURES: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Hangul'],
  ['Latin', 'Han', 'Bopomofo'],
];
/** The one script of characters that are in none the list names. */
const UNKNOWN = 'an unknown script';

interface ScriptTest {
  readonly name: string;
  readonly pattern: RegExp;
}

/** Built on the first name that is not plain ASCII: an idle server (or page) compiles none. */
let scriptTests: readonly ScriptTest[] | null = null;

/**
 * A test per script the package lists, but `Unknown` (unassigned, private-use and surrogate code
 * points, which go with no script). `Katakana_Or_Hiragana`, which no character has, is one the
 * engine refuses, like a script newer than the engine.
 */
function buildScriptTests(): readonly ScriptTest[] {
  const tests: ScriptTest[] = [];
  for (const name of new Set(propertyValues.get('Script_Extensions')!.values())) {
    if (name === 'Unknown') continue;
    try {
      tests.push({ name, pattern: new RegExp(`^\\p{Script_Extensions=${name}}$`, 'u') });
    } catch {
      // A script newer than this JavaScript engine: none of its characters can be tested anyway.
    }
  }
  return tests;
}

/** The character's scripts (Script_Extensions), or null when it goes with any script. */
function scriptsOf(char: string): readonly string[] | null {
  const code = char.codePointAt(0)!;
  if (code < 0x80) return /[A-Za-z]/.test(char) ? ['Latin'] : null;
  const found: string[] = [];
  for (const { name, pattern } of (scriptTests ??= buildScriptTests())) if (pattern.test(char)) found.push(name);
  if (found.some((name) => NEUTRAL.has(name))) return null;
  return found.length === 0 ? [UNKNOWN] : found;
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
    perChar.push(new Set(scripts));
    if (!scripts.some((script) => named.includes(script))) named.push(scripts[0]!);
  }
  const [first] = perChar;
  if (first === undefined) return null;
  // One script is one the first letter has; or a mixture.
  const systems = [...[...first].map((script) => [script]), ...MIXTURES];
  if (systems.some((system) => perChar.every((scripts) => system.some((script) => scripts.has(script))))) return null;
  // Refused, so at least two scripts are named: a letter with none of the first's is named too.
  const list = named.map(underscoreless);
  return `it mixes ${list.slice(0, -1).join(', ')} and ${list.at(-1)!} letters`;
}
