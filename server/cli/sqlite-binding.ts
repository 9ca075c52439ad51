import Database from 'better-sqlite3';

/**
 * Null when better-sqlite3's native binding loads; else one line saying what is missing and how
 * to build it. npm builds the binding in better-sqlite3's install script, which it skips with
 * --ignore-scripts and, in coming releases, for any package that package.json's `allowScripts`
 * does not list; the history store would then fail with a 15-line "Could not locate the bindings
 * file", read as a problem with the data dir. An ABI mismatch (built for another Node) is caught
 * too, and has the same remedy.
 */
export function sqliteBindingProblem(): string | null {
  try {
    new Database(':memory:').close();
    return null;
  } catch (error) {
    // The first line says what; bindings' list of the 13 places it looked follows "Tried:".
    const first = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!;
    const why = first.replace(/\s*Tried:$/, '').replace(/[.\s]+$/, '');
    return (
      `better-sqlite3's native binding does not load (${why}); run \`npm rebuild better-sqlite3\` in the project folder ` +
      "(npm runs its build only if package.json's allowScripts lists it)"
    );
  }
}
