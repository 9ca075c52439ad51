#!/usr/bin/env node
// Writes README's configuration table and switchboard.example.toml from the built option table
// (dist/server/config-docs.js): `npm run config:docs`. server/config-docs.test.ts fails when
// either differs from what this would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { serveOptions } from '../dist/server/config-options.js';
import { renderConfigTable, renderExampleToml, withConfigTable } from '../dist/server/config-docs.js';

const root = new URL('../', import.meta.url);
const readmeUrl = new URL('README.md', root);
const options = serveOptions();
const readme = withConfigTable(readFileSync(readmeUrl, 'utf8'), renderConfigTable(options));
if (readme === null) {
  process.stderr.write('config-docs: README.md has no config-table markers\n');
  process.exit(1);
}
writeFileSync(readmeUrl, readme);
writeFileSync(new URL('switchboard.example.toml', root), renderExampleToml(options));
process.stdout.write('config-docs: wrote README.md (configuration table) and switchboard.example.toml\n');
