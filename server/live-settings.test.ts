import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { DEFAULT_CONFIG, type ServerConfig } from './config.js';
import { type RunningSwitchboard, startSwitchboard } from './switchboard.js';
import { rawGet } from './test-support/raw-http.js';
import { LineClient } from './test-support/test-clients.js';
import { until } from './test-support/until.js';
import { WebhookReceiver } from './test-support/webhook-receiver.js';

const TOKEN = 'bot-token-0123456789abcdef';

/**
 * What RunningSwitchboard.applyConfig (a SIGHUP with --config) changes in place, in one process;
 * server/config-reload.test.ts runs the whole reload in a spawned server.
 */
describe('live settings (applyConfig)', () => {
  let server: RunningSwitchboard | undefined;
  const receivers: WebhookReceiver[] = [];
  const logger = pino({ level: 'silent' });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const receiver of receivers.splice(0)) await receiver.stop();
  });

  async function start(overrides: Partial<ServerConfig>): Promise<{ running: RunningSwitchboard; config: ServerConfig }> {
    const config: ServerConfig = { ...DEFAULT_CONFIG, tcpPort: 0, linePort: 0, httpPort: 0, ircPort: 0, tlsIrcPort: 0, dataDir: ':memory:', ...overrides };
    server = await startSwitchboard(config, logger);
    return { running: server, config };
  }

  async function receiver(): Promise<[WebhookReceiver, string]> {
    const made = new WebhookReceiver();
    receivers.push(made);
    return [made, await made.start()];
  }

  it('allowed hosts, log level and limits change in place', async () => {
    const { running, config } = await start({});
    assert.equal((await rawGet(running.ports.http, '/healthz', { host: 'chat.example.org' })).status, 421);
    assert.deepEqual(running.applyConfig({ ...config, allowedHosts: ['chat.example.org'], logLevel: 'debug', rateLimit: 3, maxRoomsPerMember: 2 }), []);
    assert.equal((await rawGet(running.ports.http, '/healthz', { host: 'chat.example.org' })).status, 200);
    assert.equal(logger.level, 'debug');
    assert.equal(running.hub.limits.rateLimit, 3);
    assert.equal(running.hub.limits.maxRoomsPerMember, 2);
  });

  it('webhooks: a new target gets the next message, the removed one nothing more', async () => {
    const [before, beforeUrl] = await receiver();
    const [after, afterUrl] = await receiver();
    const { running, config } = await start({ webhooks: [beforeUrl] });
    const line = await LineClient.connect(running.ports.line);
    line.send('to the first hook');
    await until(() => before.received.length === 1, 'the first hook is posted to');
    running.applyConfig({ ...config, webhooks: [afterUrl] });
    line.send('to the second hook');
    await until(() => after.received.length === 1, 'the second hook is posted to');
    assert.match(after.received[0]!.body, /to the second hook/);
    assert.equal(before.received.length, 1);
    line.socket.destroy();
  });

  it('a new server password: members already in stay, later connections give the new one', async () => {
    const { running, config } = await start({ password: 'first-password' });
    const member = await LineClient.open(running.ports.line);
    member.send('/pass first-password');
    await member.waitFor('welcome to');
    assert.deepEqual(running.applyConfig({ ...config, password: 'second-password' }), []);
    const old = await LineClient.open(running.ports.line);
    old.send('/pass first-password');
    await old.closed;
    const fresh = await LineClient.open(running.ports.line);
    fresh.send('/pass second-password');
    await fresh.waitFor('welcome to');
    fresh.send('hello from the new password');
    await member.waitFor('hello from the new password');
    member.socket.destroy();
    fresh.socket.destroy();
  });

  it('what only a restart can do is returned, and a bad value changes nothing', async () => {
    const { running, config } = await start({});
    // No password, no operators, no API at start: turning them on needs a restart.
    const restart = running.applyConfig({ ...config, password: 'now-a-password', admins: ['root=secret'], apiTokens: [`ci=${TOKEN}`], rateLimit: 9 });
    assert.deepEqual(restart.sort(), ['admin', 'adminFile', 'apiToken', 'apiTokensFile', 'password', 'passwordFile']);
    assert.equal(running.hub.password, null);
    assert.equal(running.hub.limits.rateLimit, 9, 'the rest is applied');
    assert.throws(() => running.applyConfig({ ...config, apiTokens: ['ci=short'], rateLimit: 1 }), /at least 16 characters/);
    assert.equal(running.hub.limits.rateLimit, 9, 'a refused configuration changes nothing');
  });
});
