import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

/** `connect --tls [--ca FILE] [--insecure]`, checked: what the TLS client will trust. */
export interface ClientTls {
  /** PEM of the CA(s) to trust instead of the system's; undefined = the system's. */
  ca?: Buffer;
  /** Skip the certificate check (a self-signed test server). */
  insecure: boolean;
}

export interface ClientTlsFlags {
  tls?: boolean | undefined;
  ca?: string | undefined;
  insecure?: boolean | undefined;
}

/**
 * The flags as TLS options, or null for plain TCP. Throws (a usage error, exit 2) for `--ca` or
 * `--insecure` without `--tls`, and for a `--ca` file that cannot be read.
 */
export function clientTlsOf(flags: ClientTlsFlags): ClientTls | null {
  if (flags.tls !== true) {
    if (flags.ca !== undefined || flags.insecure === true) throw new Error('--ca and --insecure go with --tls');
    return null;
  }
  if (flags.ca === undefined) return { insecure: flags.insecure === true };
  try {
    return { ca: readFileSync(flags.ca), insecure: flags.insecure === true };
  } catch (error) {
    throw new Error(`cannot read --ca ${flags.ca}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/** The socket, and the event after which it may be written to as the chat connection. */
export interface OpenedSocket {
  socket: net.Socket;
  /** `connect` for TCP; `secureConnect` for TLS, once the server's certificate has been checked. */
  readyEvent: 'connect' | 'secureConnect';
}

/**
 * TCP or TLS to `target`. TLS checks the certificate against `ca` (or the system's CAs) and the
 * name or address being connected to, unless `insecure`.
 */
export function openSocket(target: { host: string; port: number }, clientTls: ClientTls | null): OpenedSocket {
  if (clientTls === null) return { socket: net.connect(target), readyEvent: 'connect' };
  const socket = tls.connect({
    host: target.host,
    port: target.port,
    // SNI carries names only (RFC 6066); an address is still checked against the certificate.
    ...(net.isIP(target.host) === 0 ? { servername: target.host } : {}),
    ...(clientTls.ca === undefined ? {} : { ca: clientTls.ca }),
    rejectUnauthorized: !clientTls.insecure,
  });
  return { socket, readyEvent: 'secureConnect' };
}

/** OpenSSL's codes for a certificate the client does not trust. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

/** Why a connection could not be made, with what to do about it when that is a TLS matter. */
export function connectFailureReason(error: NodeJS.ErrnoException, clientTls: ClientTls | null): string {
  const code = error.code ?? error.message;
  if (clientTls === null) return code;
  if (UNTRUSTED.has(code)) return `${code}: the server's certificate is not trusted; pass --ca FILE (the CA that signed it), or --insecure to skip the check`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return `${code}: the server's certificate is out of its validity period`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `${code}: ${error.message}`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ECONNRESET' || code === 'EPROTO') return `${code}: no TLS handshake from there (is it a plain port?)`;
  return code;
}
