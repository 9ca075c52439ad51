import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { rawGet } from '../test-support/raw-http.js';
import { until } from '../test-support/until.js';
import { onceWithin } from '../test-support/deadline.js';

/** Opens /ws with the Host and Origin a browser would send from `origin`; resolves 'open' or the HTTP status. */
async function upgradeAs(port: number, host: string, origin: string): Promise<'open' | number> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { host }, origin });
  socket.on('error', () => undefined);
  const outcome = await Promise.race([
    onceWithin(socket, 'open').then(() => 'open' as const),
    onceWithin(socket, 'unexpected-response').then(([, response]) => (response as http.IncomingMessage).statusCode ?? 0),
  ]);
  socket.terminate();
  return outcome;
}

describe('DNS rebinding: HTTP answers only for its own host names (real server process)', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess();
  });
  after(async () => {
    await server.stop();
  });

  it('answers 421 to a request for another name: a page rebound to 127.0.0.1 cannot read /history', async () => {
    const port = server.ports.http;
    const history = await rawGet(port, '/history', { host: `evil.example:${port}` });
    assert.equal(history.status, 421, history.body);
    assert.match(history.body, /does not answer for host evil\.example/);
    assert.equal((await rawGet(port, '/', { host: `evil.example:${port}` })).status, 421);
    // The server's log reaches this process through a pipe, maybe after the response.
    await until(() => /request refused: host not allowed/.test(server.log()), 'the refusal is logged');
  });

  it('refuses the WebSocket upgrade of a rebound page, whose Origin names the same host', async () => {
    const port = server.ports.http;
    assert.equal(await upgradeAs(port, `evil.example:${port}`, `http://evil.example:${port}`), 421);
  });

  it('serves localhost, 127.0.0.1 and [::1], and the page on them opens /ws', async () => {
    const port = server.ports.http;
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      const host = `${name}:${port}`;
      const history = await rawGet(port, '/history', { host });
      assert.equal(history.status, 200, `${host}: ${history.body}`);
      assert.deepEqual(Object.keys(JSON.parse(history.body) as object), ['room', 'epoch', 'messages', 'more']);
      assert.equal(await upgradeAs(port, host, `http://${host}`), 'open', host);
    }
  });

  it('serves names given with --allowed-hosts, and their page opens /ws', async () => {
    const named = await startServerProcess(undefined, ['--allowed-hosts', 'chat.example']);
    after(() => named.stop());
    const port = named.ports.http;
    const host = `chat.example:${port}`;
    assert.equal((await rawGet(port, '/history', { host })).status, 200);
    assert.equal(await upgradeAs(port, host, `http://${host}`), 'open');
    assert.equal((await rawGet(port, '/history', { host: `evil.example:${port}` })).status, 421);
  });
});
