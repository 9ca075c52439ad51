/**
 * The peer for the WebSocket comparison: Socket.IO's chat example, as people deploy it
 * (https://socket.io/get-started/chat): every `chat message` goes to every other socket with
 * `socket.broadcast.emit`. Run by the bench as its own process; prints `{"port":N}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const CHAT_EVENT = 'chat message';

const http = createServer();
const io = new Server(http);

io.on('connection', function onConnection(socket) {
  socket.on(CHAT_EVENT, function onChatMessage(message: unknown) {
    socket.broadcast.emit(CHAT_EVENT, message);
  });
});

http.listen(0, '127.0.0.1', function onListening() {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

function stop(): void {
  void io.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
