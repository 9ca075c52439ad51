import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeReasonOf, parseServerWelcome } from './server-welcome.js';

describe('parseServerWelcome', () => {
  it('reads the replay count and the limits', () => {
    const welcome = parseServerWelcome(
      'welcome to switchboard, you are 127.0.0.1:5000; 1 other member here; 3 earlier messages follow; limits: 20 messages/s (burst 40), 262144 bytes/s (burst 131072), 65536 bytes per message; /help for commands',
    );
    assert.deepEqual(welcome, {
      replayed: 3,
      limits: { messagesPerSecond: 20, messageBurst: 40, bytesPerSecond: 262144, byteBurst: 131072 },
      maxPayload: 65536,
    });
  });

  it('takes a limit that is not named as off, and one earlier message in the singular', () => {
    const welcome = parseServerWelcome('welcome to x, you are ada; 0 other members here; 1 earlier message follows; limits: 1000 bytes per message; /help for commands');
    assert.deepEqual(welcome, { replayed: 1, limits: { messagesPerSecond: 0, messageBurst: 0, bytesPerSecond: 0, byteBurst: 0 }, maxPayload: 1000 });
  });

  it('reads an older server welcome (no replay count, no limits) with the default payload limit', () => {
    assert.deepEqual(parseServerWelcome('welcome to switchboard, you are 127.0.0.1:5000; 0 other members here; /help for commands'), {
      replayed: 0,
      limits: { messagesPerSecond: 0, messageBurst: 0, bytesPerSecond: 0, byteBurst: 0 },
      maxPayload: 65536,
    });
  });

  it('is null for any other notice, even one that mentions a welcome', () => {
    assert.equal(parseServerWelcome('alice joined (tcp)'), null);
    assert.equal(parseServerWelcome('bob says welcome to everyone, you are great;'), null);
  });
});

describe('closeReasonOf', () => {
  it('reads why the server closes, from its error notice or the shutdown notice', () => {
    assert.equal(closeReasonOf('error: too slow: nothing read for 10 s; closing connection'), 'too slow: nothing read for 10 s');
    assert.equal(closeReasonOf('server shutting down'), 'server shutting down');
    assert.equal(closeReasonOf('slow down: over 20 messages/s; your input is held back and will follow in order'), null);
    assert.equal(closeReasonOf('nickname refused: ada is taken'), null);
  });
});
