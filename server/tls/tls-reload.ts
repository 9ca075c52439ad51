import type { Logger } from 'pino';
import type { TrafficStats } from '../stats.js';
import { type CertificateInfo, type TlsCredentials, TlsCredentialsError } from './tls-credentials.js';

export type TlsReloadResult = { ok: true; info: CertificateInfo } | { ok: false; reason: string; kept: CertificateInfo };

/** One line that tells certificates apart: what it is for, its serial, until when. */
export function describeCertificate(info: CertificateInfo): string {
  const names = info.names.length > 0 ? info.names : info.subject;
  return `${names} (serial ${info.serialNumber}, valid until ${info.validTo})`;
}

/** Warns when the certificate is already past its end: browsers and `connect` will refuse it. */
export function warnIfExpired(info: CertificateInfo, logger: Logger, now = Date.now()): void {
  if (info.validToMs <= now) logger.warn({ validTo: info.validTo }, `TLS certificate expired on ${info.validTo}: clients that check it will refuse to connect`);
}

/**
 * Re-reads `--tls-cert` and `--tls-key` (what SIGHUP does) and logs one line saying what
 * happened. New handshakes get the new pair; open connections keep theirs. A pair that cannot be
 * used is logged as an error and counted (`SB_ERR_TLS_CREDENTIALS`), and the running one stays:
 * a half-copied or mistyped file must not take the TLS listeners down.
 */
export function reloadTls(credentials: TlsCredentials, logger: Logger, stats: TrafficStats): TlsReloadResult {
  const log = logger.child({ component: 'tls' });
  const kept = credentials.info;
  try {
    const info = credentials.reload();
    log.info(
      { serialNumber: info.serialNumber, fingerprint256: info.fingerprint256, validTo: info.validTo, previousSerialNumber: kept.serialNumber },
      `TLS certificate reloaded: ${describeCertificate(info)}; new connections get it, open ones keep theirs`,
    );
    warnIfExpired(info, log);
    return { ok: true, info };
  } catch (error) {
    if (!(error instanceof TlsCredentialsError)) throw error;
    stats.countError('SB_ERR_TLS_CREDENTIALS');
    log.error({ err: error, serialNumber: kept.serialNumber }, `TLS reload failed, still serving ${describeCertificate(kept)}: ${error.message}`);
    return { ok: false, reason: error.message, kept };
  }
}
