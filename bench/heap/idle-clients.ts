/**
 * The clients of heap-per-connection.ts, in their own process so that the server's heap holds
 * only the server's side: opens N framed connections that read and never write, then reports.
 */
import net from 'node:net';

const [port, count] = process.argv.slice(2).map(Number);
const sockets: net.Socket[] = [];

function ignore(): void {}

for (let i = 0; i < (count ?? 0); i += 1) {
  const socket = net.connect(port ?? 0, '127.0.0.1');
  socket.on('data', ignore);
  socket.on('error', ignore);
  sockets.push(socket);
  // Join in steps, as the idle bench does, so the join notices do not pile up.
  if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 200));
}
process.send?.('connected');
process.on('message', function leave() {
  for (const socket of sockets) socket.destroy();
  process.exit(0);
});
