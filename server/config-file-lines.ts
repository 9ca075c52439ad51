import { readFileSync } from 'node:fs';

/**
 * The line of a key in a TOML text, for error messages: smol-toml reports positions only for
 * syntax errors, and a value that parses but is wrong (`rate_burst = 0`) must still say where it
 * is. A small scan is enough: it follows `[table]` and `[[array]]` headers and `a.b = …` keys, and
 * falls back to the nearest enclosing header (an inline table, a key split oddly), then line 1.
 */

/** `"limits" . rate_limit` → `limits.rate_limit`. */
function normalise(name: string): string {
  return name.replace(/["']/g, '').replace(/\s*\.\s*/g, '.').trim();
}

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/;
const ASSIGNMENT = /^\s*([A-Za-z0-9_\-."' ]+?)\s*=/;

/** 1-based line where `dotted` (`limits.rate_limit`, `auth`) is set or opened; 1 when not found. */
export function locateKey(text: string, dotted: string): number {
  let table = '';
  let fallback = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const header = HEADER.exec(line);
    if (header !== null) {
      table = normalise(header[1]!);
      if (table === dotted) return index + 1;
      if (fallback === 0 && dotted.startsWith(`${table}.`)) fallback = index + 1;
      continue;
    }
    const assignment = ASSIGNMENT.exec(line);
    if (assignment === null) continue;
    const key = normalise(assignment[1]!);
    const full = table === '' ? key : `${table}.${key}`;
    if (full === dotted) return index + 1;
    if (fallback === 0 && dotted.startsWith(`${full}.`)) fallback = index + 1;
  }
  return fallback === 0 ? 1 : fallback;
}

/** locateKey over a file read again (for problems found after parsing); 1 when it cannot be read. */
export function locateKeyInFile(file: string, dotted: string): number {
  try {
    return locateKey(readFileSync(file, 'utf8'), dotted);
  } catch {
    return 1;
  }
}
