// Runs an installed `switchboard` (the path given) as a user would: `serve` in an empty folder on
// free ports, two line clients chat through it, the page is served, SIGTERM stops it with exit 0,
// and the history went to the XDG state dir. Used by scripts/test-pack.sh; exits 1 on any failure.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

const [command, stateHome] = process.argv.slice(2);
if (command === undefined || stateHome === undefined) {
  process.stderr.write('usage: node scripts/pack-smoke.mjs PATH/TO/switchboard XDG_STATE_HOME\n');
  process.exit(2);
}

/** Rejects after `ms` naming what never happened, so a hang fails fast. */
function deadline(promise, ms, what) {
  let timer;
  const timeout = new Promise((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A line client that records what it hears. */
function lineClient(port) {
  const socket = net.connect(port, '127.0.0.1');
  let heard = '';
  socket.setEncoding('utf8');
  socket.on('data', function onData(text) {
    heard += text;
  });
  socket.on('error', () => undefined);
  return {
    socket,
    hears(text) {
      return deadline(
        new Promise((resolve) => {
          const poll = setInterval(() => {
            if (heard.includes(text)) {
              clearInterval(poll);
              resolve();
            }
          }, 20);
        }),
        5000,
        `a line client to hear ${JSON.stringify(text)}; it heard ${JSON.stringify(heard)}`,
      );
    },
  };
}

let log = '';
const child = spawn(command, ['serve', '--tcp-port', '0', '--line-port', '0', '--http-port', '0', '--irc-port', '0', '--log-pretty', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
child.stdout.on('data', (chunk) => (log += chunk));
child.stderr.on('data', (chunk) => (log += chunk));
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

try {
  const ports = await deadline(
    new Promise((resolve, reject) => {
      const poll = setInterval(() => {
        const line = log.split('\n').find((entry) => entry.includes('"listening'));
        if (line !== undefined) {
          clearInterval(poll);
          resolve(JSON.parse(line));
        }
      }, 20);
      exited.then(({ code }) => reject(new Error(`switchboard serve exited with ${code} before listening`)));
    }),
    15_000,
    'the "listening" log line',
  );
  const ada = lineClient(ports.line);
  const grace = lineClient(ports.line);
  await ada.hears('welcome to switchboard');
  await grace.hears('welcome to switchboard');
  ada.socket.write('/nick ada\nhello from the installed package\n');
  await grace.hears('ada hello from the installed package');
  // The page comes from the package's dist/web, not from the folder it was started in.
  const page = await deadline(fetch(`http://127.0.0.1:${ports.http}/`), 5000, 'GET /');
  if (page.status !== 200 || !(await page.text()).includes('<html')) throw new Error(`GET / answered ${page.status}`);
  ada.socket.destroy();
  grace.socket.destroy();

  child.kill('SIGTERM');
  const { code, signal } = await deadline(exited, 10_000, 'exit after SIGTERM');
  if (code !== 0) throw new Error(`exit ${code} (signal ${signal}) after SIGTERM`);
  const history = join(stateHome, 'switchboard', 'history.sqlite3');
  if (!existsSync(history)) throw new Error(`no ${history}: the data dir is not the XDG state dir`);
  process.stdout.write(`pack smoke: chatted through ports ${ports.line} (line) and ${ports.http} (http), exit 0 on SIGTERM, history in ${history}\n`);
} catch (error) {
  child.kill('SIGKILL');
  process.stderr.write(`pack smoke failed: ${error instanceof Error ? error.message : String(error)}\n--- server output ---\n${log}\n`);
  process.exit(1);
}
