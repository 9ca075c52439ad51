// Runs compiled node:test files in this one process (no `node --test` parent and child per
// file): `npm run mutation` runs a group's tests once per mutant, and a process start is most of
// what a unit test file costs. A failing test sets the exit code; a file that throws on import
// exits non-zero. Run with --test-force-exit (see stryker.config.mjs): once every test has ended
// the process exits even if a mutant left a timer behind (a test that never ends is still a
// timeout, a timer nobody waits for is not). The files are imported as one module graph, so every
// test is registered before the first one runs and the run ends only after the last file's tests.
import { pathToFileURL } from 'node:url';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node --test-force-exit scripts/run-tests-in-process.mjs FILE.test.js...\n');
  process.exit(2);
}
const entry = files.map((file) => `import ${JSON.stringify(pathToFileURL(file).href)};`).join('\n');
await import(`data:text/javascript,${encodeURIComponent(entry)}`);
