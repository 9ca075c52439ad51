/** Entry of a generator worker thread: requests from the pool in, replies out. */
import { parentPort, workerData } from 'node:worker_threads';
import { GeneratorThread } from './generator-thread.js';
import type { WorkerRequest } from './protocol.js';

const port = parentPort!;
const generator = new GeneratorThread((workerData as { thread: number }).thread);

port.on('message', function onRequest(request: WorkerRequest) {
  void generator.handle(request).then((reply) => port.postMessage(reply));
});
