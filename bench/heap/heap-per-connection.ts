/**
 * Heap bytes per idle framed connection, on the server alone: the server runs in this process,
 * N idle clients in a child process; the JS heap is measured after a forced GC before and after
 * they connect. Steadier than the bench's RSS figure, which also holds what the collector has not
 * given back (docs/performance.md). Run: `node --expose-gc --max-semi-space-size=4
 * dist/bench/heap/heap-per-connection.js [N]` after `npm run build`.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../../server/test-support/test-clients.js';

const count = Number(process.argv[2] ?? 5000);
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('run with node --expose-gc');

function heapAfterGc(): number {
  collect?.();
  return process.memoryUsage().heapUsed;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const server = await startTestServer({ maxConnections: count + 100, maxConnectionsPerIp: 0 });
await sleep(500);
const before = heapAfterGc();
const clients = fork(fileURLToPath(new URL('./idle-clients.js', import.meta.url)), [String(server.ports.tcp), String(count)]);
await once(clients, 'message');
// The last joins' notices settle, as in the bench's idle runs.
await sleep(3000);
const after = heapAfterGc();
console.log(`${count} idle framed connections: ${((after - before) / count).toFixed(0)} bytes of heap each (${((after - before) / 2 ** 20).toFixed(1)} MiB)`);
clients.send('leave');
await once(clients, 'exit');
await server.close();
