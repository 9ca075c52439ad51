import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { FramedClient, LineClient } from '../test-support/test-clients.js';
import { until } from '../test-support/until.js';
import { onceWithin } from '../test-support/deadline.js';

/**
 * `systemctl reload` sends SIGHUP (contrib/switchboard.service, ExecReload). Node's default for
 * SIGHUP is to exit, which systemd takes as a clean stop that Restart=on-failure does not undo:
 * a reload would have taken the server down. Without TLS and without --config there is nothing to
 * reload, and the server must say so and go on, connections and all (server/config-reload.test.ts
 * covers a reload with a file).
 */
describe('SIGHUP without TLS (spawned switchboard serve)', () => {
  let server: ServerProcess | undefined;
  const clients: (FramedClient | LineClient)[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await server?.stop();
    server = undefined;
  });

  it('logs that there is nothing to reload and keeps every connection', async () => {
    server = await startServerProcess();
    const running = server;
    const framed = await FramedClient.connect(running.ports.tcp);
    const line = await LineClient.connect(running.ports.line);
    clients.push(framed, line);

    for (let hangup = 1; hangup <= 2; hangup++) {
      running.child.kill('SIGHUP');
      await until(() => running.log().split('\n').filter((entry) => entry.includes('SIGHUP: nothing to reload')).length === hangup, `log line for SIGHUP number ${hangup}`);
    }
    assert.equal(running.child.exitCode, null, 'still running');
    assert.equal(running.child.signalCode, null, 'not killed by the signal');

    framed.send('after two hang-ups');
    await line.waitFor('after two hang-ups');
    const fresh = await FramedClient.connect(running.ports.tcp);
    clients.push(fresh);
    line.send('and a new member hears it');
    await fresh.waitFor('and a new member hears it');

    // And SIGTERM still stops it cleanly.
    const exited = onceWithin(running.child, 'exit', 20_000);
    running.child.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, running.log());
  });
});
