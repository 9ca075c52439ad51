import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A server certificate issued by the test CA, as files, with the serial to recognise it by. */
export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
  /** Upper-case hex, as Node's X509Certificate and getPeerCertificate() print it. */
  serialNumber: string;
}

/**
 * A throwaway certificate authority made with the `openssl` command in a temporary folder: no
 * key is ever committed, and every run has its own. Certificates are for `localhost`, 127.0.0.1
 * and ::1, valid for a day, ECDSA P-256 (fast to make).
 */
export interface TestPki {
  readonly dir: string;
  /** The CA certificate: what a client trusts (`--ca`, `ca:` in tls.connect). */
  readonly caFile: string;
  /** A new server certificate with a fresh random serial; `name` picks its file names. */
  issue(name: string): IssuedCertificate;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A serial whose hex has no leading zero, so it prints the same way everywhere. */
function randomSerial(): string {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString('hex').toUpperCase();
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-pki-'));
  const caFile = join(dir, 'ca.pem');
  openssl(
    ['req', '-x509', ...KEY_ARGS, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Switchboard test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  return {
    dir,
    caFile,
    issue(name: string): IssuedCertificate {
      const serialNumber = randomSerial();
      openssl(['req', ...KEY_ARGS, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=localhost'], dir);
      openssl(
        ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${serialNumber}`, '-days', '1', '-extfile', 'server.ext', '-out', `${name}.pem`],
        dir,
      );
      return { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`), serialNumber };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
