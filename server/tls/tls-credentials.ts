import { X509Certificate, type KeyObject, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { SwitchboardError } from '../../shared/errors.js';
import type { ServerConfig } from '../config.js';

/**
 * A certificate or key that cannot be used, said in one line that names the flag and the file.
 * At start it stops `serve` (exit 1); at a reload the running certificate stays.
 */
export class TlsCredentialsError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SB_ERR_TLS_CREDENTIALS', message, options);
    this.name = 'TlsCredentialsError';
  }
}

/** What an operator checks after a (re)load: which certificate this is and until when it is good. */
export interface CertificateInfo {
  subject: string;
  /** Host names and addresses it is good for, as OpenSSL prints them (`DNS:localhost, IP Address:127.0.0.1`). */
  names: string;
  issuer: string;
  serialNumber: string;
  /** SHA-256 of the DER certificate, colon-separated hex, as browsers and `openssl x509 -fingerprint -sha256` show it. */
  fingerprint256: string;
  validFrom: string;
  validTo: string;
  /** `validTo` as epoch milliseconds, for the expiry metric and warning. */
  validToMs: number;
}

/** The files' contents, checked to work together. */
interface Material {
  cert: Buffer;
  key: Buffer;
  info: CertificateInfo;
}

function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? message ?? String(error);
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new TlsCredentialsError(`cannot read ${flag} ${file}: ${reason(error)}`, { cause: error });
  }
}

function infoOf(certificate: X509Certificate): CertificateInfo {
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    names: certificate.subjectAltName ?? '',
    issuer: certificate.issuer.replace(/\n/g, ', '),
    serialNumber: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    validFrom: certificate.validFrom,
    validTo: certificate.validTo,
    validToMs: Date.parse(certificate.validTo),
  };
}

/**
 * Reads and checks the pair the way a handshake would use it, so a mistake is found now and
 * named, not as a handshake failure on every client later: a file that is not PEM, a key that is
 * encrypted, a key that belongs to another certificate.
 */
function readMaterial(certFile: string, keyFile: string): Material {
  const cert = readPem(certFile, '--tls-cert');
  const key = readPem(keyFile, '--tls-key');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new TlsCredentialsError(`--tls-cert ${certFile} is not a PEM certificate: ${reason(error)}`, { cause: error });
  }
  if (key.includes('ENCRYPTED')) {
    throw new TlsCredentialsError(`--tls-key ${keyFile} is encrypted; give it without a passphrase (openssl pkey -in ${keyFile} -out plain.key)`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new TlsCredentialsError(`--tls-key ${keyFile} is not an unencrypted PEM private key: ${reason(error)}`, { cause: error });
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsCredentialsError(`--tls-key ${keyFile} is not the private key of --tls-cert ${certFile}`);
  }
  try {
    tls.createSecureContext({ cert, key });
  } catch (error) {
    throw new TlsCredentialsError(`cannot use --tls-cert ${certFile} with --tls-key ${keyFile}: ${reason(error)}`, { cause: error });
  }
  return { cert, key, info: infoOf(certificate) };
}

/**
 * The certificate and key every TLS listener serves, read from the same two files at start and
 * at each reload. One holder for all listeners, so a reload changes them together: each attached
 * tls.Server gets the new pair through `setSecureContext`, which new handshakes use while open
 * connections keep the session they have.
 */
export class TlsCredentials {
  private material: Material;
  private readonly servers = new Set<tls.Server>();

  private constructor(
    readonly certFile: string,
    readonly keyFile: string,
  ) {
    this.material = readMaterial(certFile, keyFile);
  }

  /** Throws TlsCredentialsError (one line naming flag and file) when the pair cannot be used. */
  static load(certFile: string, keyFile: string): TlsCredentials {
    return new TlsCredentials(certFile, keyFile);
  }

  get info(): CertificateInfo {
    return this.material.info;
  }

  /** For tls.createServer: the current pair. */
  serverOptions(): { cert: Buffer; key: Buffer } {
    return { cert: this.material.cert, key: this.material.key };
  }

  /** The server follows every later reload. */
  attach(server: tls.Server): void {
    const servers = this.servers;
    servers.add(server);
    server.once('close', function detachClosedServer() {
      servers.delete(server);
    });
  }

  /**
   * Reads both files again; when they work, every attached server takes them for its next
   * handshakes. When they do not, throws TlsCredentialsError and nothing changes.
   */
  reload(): CertificateInfo {
    const material = readMaterial(this.certFile, this.keyFile);
    for (const server of this.servers) server.setSecureContext({ cert: material.cert, key: material.key });
    this.material = material;
    return material.info;
  }
}

/**
 * The configured pair, or null when TLS is off. Flags that make no sense alone (a certificate
 * without its key, `--tls-only` without a certificate) are refused here, before anything opens.
 */
export function credentialsFor(config: Pick<ServerConfig, 'tlsCert' | 'tlsKey' | 'tlsOnly'>): TlsCredentials | null {
  if (config.tlsCert === null && config.tlsKey === null) {
    if (config.tlsOnly) throw new TlsCredentialsError('--tls-only needs --tls-cert and --tls-key');
    return null;
  }
  if (config.tlsCert === null) throw new TlsCredentialsError('--tls-key needs --tls-cert (the certificate it belongs to)');
  if (config.tlsKey === null) throw new TlsCredentialsError('--tls-cert needs --tls-key (its private key)');
  return TlsCredentials.load(config.tlsCert, config.tlsKey);
}
