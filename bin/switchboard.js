#!/usr/bin/env -S node --max-semi-space-size=4
// Thin launcher: the CLI is compiled TypeScript in dist/ (built by `npm install` through `prepare`).
// The node flag caps V8's young generation at 3 × 4 MiB (default 3 × 16 MiB): a server holding
// thousands of idle connections otherwise keeps up to ~36 MiB more resident after a connect storm
// (docs/benchmarks.md, idle memory). Run through `node bin/switchboard.js`, pass it yourself.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/server/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('switchboard: not built yet; run `npm run build` in the project folder\n');
  process.exit(1);
}
await import(entry.href);
