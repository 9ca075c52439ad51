import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import semver from 'semver';
import { BIN } from './test-support/server-process.js';

const ROOT = dirname(dirname(BIN));

interface LockEntry {
  version?: string;
  engines?: { node?: string };
  hasInstallScript?: boolean;
  optional?: boolean;
}

interface PackageJson {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/** `node_modules/a/node_modules/@b/c` → `@b/c`. */
function packageName(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

describe('dependencies (package.json and package-lock.json)', () => {
  it("every locked package runs on the oldest Node that package.json's engines allows", () => {
    const oldest = semver.minVersion(manifest.engines.node);
    assert.ok(oldest !== null, `engines.node ${manifest.engines.node} is not a range`);
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.engines?.node !== undefined && !semver.satisfies(oldest, entry.engines.node))
      .map(([path, entry]) => `${packageName(path)}@${entry.version} wants node ${entry.engines?.node}`);
    assert.deepEqual(refusing, [], `package.json says node ${manifest.engines.node}`);
  });

  it('allowScripts approves every dependency with an install script (npm skips the others)', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript === true)
      .map(([path]) => packageName(path));
    assert.ok(withScripts.includes('better-sqlite3'), 'better-sqlite3 builds its native binding in an install script');
    const unapproved = withScripts.filter((name) => manifest.allowScripts?.[name] !== true);
    assert.deepEqual(unapproved, []);
  });

  it("fastify's inject() (light-my-request, with cookie overridden to 1.x) still sends cookies", async () => {
    const app = Fastify();
    app.get('/', function echoCookie(request) {
      return { cookie: request.headers.cookie ?? null };
    });
    const response = await app.inject({ method: 'GET', url: '/', cookies: { session: 'a b', theme: 'dark' } });
    assert.deepEqual(response.json(), { cookie: 'session=a%20b; theme=dark' });
    await app.close();
  });
});
