import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultDataDir, isCheckout } from './default-data-dir.js';

describe('the default --data-dir', () => {
  const home = '/home/ada';

  it('is ./data in a checkout, as it always was', () => {
    assert.equal(defaultDataDir({ env: { XDG_STATE_HOME: '/xdg' }, checkout: true, home }), './data');
  });

  it('is the XDG state dir when installed as a package', () => {
    assert.equal(defaultDataDir({ env: {}, checkout: false, home }), '/home/ada/.local/state/switchboard');
    assert.equal(defaultDataDir({ env: { XDG_STATE_HOME: '/var/xdg' }, checkout: false, home }), '/var/xdg/switchboard');
  });

  it('ignores a relative XDG_STATE_HOME, as the XDG spec says', () => {
    assert.equal(defaultDataDir({ env: { XDG_STATE_HOME: 'state' }, checkout: false, home }), '/home/ada/.local/state/switchboard');
  });

  it('is the first of systemd\'s StateDirectory= folders whenever systemd gives one', () => {
    for (const checkout of [true, false]) {
      assert.equal(defaultDataDir({ env: { STATE_DIRECTORY: '/var/lib/switchboard:/var/lib/other', XDG_STATE_HOME: '/xdg' }, checkout, home }), '/var/lib/switchboard');
    }
  });

  it('knows a checkout by its tsconfig.json, which the packed package leaves out', () => {
    const root = mkdtempSync(join(tmpdir(), 'switchboard-root-'));
    try {
      assert.equal(isCheckout(root), false);
      writeFileSync(join(root, 'tsconfig.json'), '{}');
      assert.equal(isCheckout(root), true);
      // This test runs from a checkout's dist/.
      assert.equal(isCheckout(), true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
