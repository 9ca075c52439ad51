import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { pino } from 'pino';
import { serveOptions } from './config-options.js';
import { type ReloadSource, reloadConfig } from './config-reload.js';
import { commandLineLayer, mergeLayers } from './config-sources.js';
import { type ServerConfig, toServerConfig } from './config.js';
import { readConfigFile } from './config-file.js';

/** A logger whose messages land in `lines`. */
function capture(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push((JSON.parse(chunk.toString('utf8')) as { msg: string }).msg);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** reloadConfig with a stand-in for the running server: what its log line says, and what it keeps. */
describe('reloadConfig: the log line and what it keeps', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-reload-log-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function setUp(argv: string[], text: string): { source: ReloadSource; running: ServerConfig } {
    const command = new Command('serve').exitOverride();
    for (const option of serveOptions()) command.addOption(option);
    command.parse(argv, { from: 'user' });
    const path = join(dir, 'switchboard.toml');
    writeFileSync(path, text);
    const source: ReloadSource = { path, layer: commandLineLayer(command), options: command.options, stdoutIsTty: false };
    const running = toServerConfig(mergeLayers(source.layer, readConfigFile(path, source.options), command.options.map((option) => option.attributeName())).options, false);
    return { source, running };
  }

  it('a flag still wins after a reload: a file change under it is no change', () => {
    const { source, running } = setUp(['--rate-limit', '9'], '[limits]\nrate_limit = 3\n');
    writeFileSync(source.path, '[limits]\nrate_limit = 4\nrate_burst = 8\n');
    const { logger, lines } = capture();
    const now = reloadConfig(source, running, () => [], logger);
    assert.equal(now.rateLimit, 9);
    assert.equal(now.rateBurst, 8);
    assert.match(lines[0]!, /changed limits\.rate_burst 40 -> 8$/);
  });

  it('a tokens file is re-read, and says so, even when its path is the same', () => {
    writeFileSync(join(dir, 'tokens'), 'ci=0123456789abcdef0123\n');
    const { source, running } = setUp([], '[api]\ntokens_file = "tokens"\n');
    const { logger, lines } = capture();
    let applied: ServerConfig | null = null;
    reloadConfig(source, running, (next) => ((applied = next), []), logger);
    assert.equal(applied!.apiTokensFile, join(dir, 'tokens'));
    assert.match(lines[0]!, /: nothing changed; re-read api\.tokens_file$/);
  });

  it('a value the running server refuses (a secret file, a token) changes nothing and is logged', () => {
    const { source, running } = setUp([], '[limits]\nrate_limit = 3\n');
    writeFileSync(source.path, '[limits]\nrate_limit = 4\n');
    const { logger, lines } = capture();
    const now = reloadConfig(source, running, () => {
      throw new Error('cannot read --password-file /x: ENOENT');
    }, logger);
    assert.equal(now, running);
    assert.match(lines[0]!, /not applied; the running configuration stays: cannot read --password-file \/x: ENOENT$/);
  });
});
