import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseConfigText } from './config-file.js';
import { renderConfigTable, renderExampleToml, withConfigTable } from './config-docs.js';
import { FILE_KEYS, GROUPS } from './config-keys.js';
import { serveOptions } from './config-options.js';

/** Run from dist/server/: the checkout's root is two folders up. */
const ROOT = new URL('../../', import.meta.url);
const FIX = 'run `npm run config:docs` and commit the result';

describe('one schema: options, file keys, README table, example file', () => {
  it('every serve option has a file key, and every file key an option', () => {
    const attributes = serveOptions().map((option) => option.attributeName());
    assert.deepEqual(attributes.filter((attr) => FILE_KEYS[attr] === undefined), [], 'options without a file key (add them to server/config-keys.ts)');
    assert.deepEqual(Object.keys(FILE_KEYS).filter((attr) => !attributes.includes(attr)), [], 'file keys without an option');
    const names = Object.values(FILE_KEYS).map((spec) => `${spec.group}.${spec.key}`);
    assert.equal(new Set(names).size, names.length, 'a file key used twice');
    for (const spec of Object.values(FILE_KEYS)) assert.ok((GROUPS as readonly string[]).includes(spec.group), `${spec.group} is not in GROUPS`);
  });

  it("README's configuration table is the generated one", () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
    const regenerated = withConfigTable(readme, renderConfigTable(serveOptions()));
    assert.notEqual(regenerated, null, 'README.md lost its config-table markers');
    assert.ok(regenerated === readme, `README's configuration table drifted from the options: ${FIX}`);
  });

  it('switchboard.example.toml is the generated one', () => {
    const example = readFileSync(new URL('switchboard.example.toml', ROOT), 'utf8');
    assert.ok(example === renderExampleToml(serveOptions()), `switchboard.example.toml drifted from the options: ${FIX}`);
  });

  it('the example, every key uncommented, is a valid configuration', () => {
    const example = renderExampleToml(serveOptions());
    // Uncomment `#key = value` and `#[[table]]` lines (not the prose); the password comes from one place only.
    const uncommented = example
      .split('\n')
      .map((line) => (/^#(\[\[|[a-z_]+ = )/.test(line) ? line.slice(1) : line))
      .filter((line) => !line.startsWith('password_file = '))
      .join('\n');
    const file = parseConfigText('switchboard.example.toml', uncommented, serveOptions());
    assert.deepEqual(file.problems, []);
    assert.equal(file.values.size, Object.keys(FILE_KEYS).length - 2, 'every key but password_file and the hidden max_pages');
  });
});
