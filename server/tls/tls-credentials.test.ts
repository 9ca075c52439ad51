import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { type IssuedCertificate, type TestPki, createTestPki } from '../test-support/test-certificates.js';
import { TlsCredentials, TlsCredentialsError, credentialsFor } from './tls-credentials.js';
import { describeCertificate, warnIfExpired } from './tls-reload.js';

/** A pino logger whose records land in `records`. */
function capturingLogger(): { logger: pino.Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), records };
}

describe('TLS credentials', () => {
  let pki: TestPki;
  let issued: IssuedCertificate;
  before(() => {
    pki = createTestPki();
    issued = pki.issue('server');
  });
  after(() => pki.remove());

  it('reads the pair and says which certificate it is: names, serial, fingerprint, end of validity', () => {
    const credentials = TlsCredentials.load(issued.certFile, issued.keyFile);
    const { info } = credentials;
    assert.equal(info.serialNumber, issued.serialNumber);
    assert.equal(info.names, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.match(info.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(info.validToMs > Date.now(), info.validTo);
    assert.equal(describeCertificate(info), `${info.names} (serial ${issued.serialNumber}, valid until ${info.validTo})`);
  });

  it('TLS is off without either flag; one without the other, or --tls-only alone, is refused', () => {
    assert.equal(credentialsFor({ tlsCert: null, tlsKey: null, tlsOnly: false }), null);
    assert.throws(() => credentialsFor({ tlsCert: issued.certFile, tlsKey: null, tlsOnly: false }), TlsCredentialsError);
    assert.throws(() => credentialsFor({ tlsCert: null, tlsKey: issued.keyFile, tlsOnly: false }), TlsCredentialsError);
    assert.throws(() => credentialsFor({ tlsCert: null, tlsKey: null, tlsOnly: true }), /--tls-only needs --tls-cert and --tls-key/);
  });

  it('an expired certificate is served with a warning; a valid one without', () => {
    const { info } = TlsCredentials.load(issued.certFile, issued.keyFile);
    const quiet = capturingLogger();
    warnIfExpired(info, quiet.logger, info.validToMs - 1);
    assert.deepEqual(quiet.records, []);
    const warned = capturingLogger();
    warnIfExpired(info, warned.logger, info.validToMs + 1);
    assert.equal(warned.records.length, 1);
    assert.equal(warned.records[0]!['level'], 40);
    assert.equal(warned.records[0]!['msg'], `TLS certificate expired on ${info.validTo}: clients that check it will refuse to connect`);
  });
});
