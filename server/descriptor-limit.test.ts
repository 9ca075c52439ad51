import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import type { HistoryPage } from '../shared/events.js';
import { type DescriptorReport, readDescriptorLimit } from './descriptor-limit.js';
import { HalfSentRequests, rawGet } from './test-support/raw-http.js';
import { type ServerProcess, startServerProcess } from './test-support/server-process.js';
import { FramedClient, LineClient } from './test-support/test-clients.js';
import { onceWithin } from './test-support/deadline.js';

describe('file descriptor limit (real processes under prlimit)', () => {
  const servers: ServerProcess[] = [];
  let halfSent: HalfSentRequests | undefined;
  after(async () => {
    halfSent?.destroy();
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('runs with the soft limit raised to the hard one, and logs the figure', async () => {
    const server = await startServerProcess(undefined, [], { launcher: ['prlimit', '--nofile=256:4096'] });
    servers.push(server);
    assert.deepEqual(readDescriptorLimit(server.child.pid), { soft: 4096, hard: 4096 });
    assert.match(server.log(), /"open file limit 4096 \(hard 4096\): room for \d+ connections"/);
  });

  it('raises a soft limit lowered after start itself, with prlimit --pid', async () => {
    const moduleUrl = new URL('./descriptor-limit.js', import.meta.url).href;
    const script = `import { raiseDescriptorLimit } from ${JSON.stringify(moduleUrl)};
      process.stdin.once('data', () => { console.log(JSON.stringify(raiseDescriptorLimit())); process.exit(0); });
      console.log('ready');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'ready');
    const hard = readDescriptorLimit(child.pid)!.hard;
    execFileSync('prlimit', ['--pid', String(child.pid), '--nofile=256:']);
    assert.deepEqual(readDescriptorLimit(child.pid), { soft: 256, hard });
    child.stdin!.write('go\n');
    const report = JSON.parse(String((await lines.next()).value)) as DescriptorReport;
    await onceWithin(child, 'exit', 10_000);
    assert.deepEqual(report, { soft: hard, hard, raisedFrom: 256 });
  });

  it('1,100 half-sent HTTP requests cannot lock a framed client out of a server limited to 1,024 descriptors; history keeps being written', async () => {
    const server = await startServerProcess(undefined, [], { launcher: ['prlimit', '--nofile=1024:1024'] });
    servers.push(server);
    halfSent = await HalfSentRequests.open(server.ports.http, 1100);
    const framed = await FramedClient.connect(server.ports.tcp);
    const line = await LineClient.connect(server.ports.line);
    framed.send('heard under siege');
    await line.waitFor('heard under siege');
    const history = await rawGet(server.ports.http, '/history?limit=1', { host: 'localhost' }, '127.0.0.2');
    assert.equal(history.status, 200, history.body);
    assert.match((JSON.parse(history.body) as HistoryPage).messages[0]?.text ?? '', /heard under siege/);
    assert.ok(halfSent.open < 1024, `${halfSent.open} half-sent requests held`);
    assert.doesNotMatch(server.log(), /EMFILE/);
    await Promise.all([framed.close(), line.close()]);
  });
});
