import { Gauge, type Registry } from 'prom-client';
import type { TlsCredentials } from './tls-credentials.js';

/**
 * When the certificate being served runs out, as a Unix time: the one TLS fact worth an alert
 * (`switchboard_tls_certificate_expiry_timestamp_seconds - time() < 14 * 86400`). It follows
 * reloads, so a renewed certificate that was not reloaded still alerts.
 */
export function registerTlsMetrics(registry: Registry, credentials: TlsCredentials): void {
  new Gauge({
    name: 'switchboard_tls_certificate_expiry_timestamp_seconds',
    help: 'End of validity (notAfter) of the certificate the TLS listeners serve, in Unix seconds',
    registers: [registry],
    collect() {
      this.set(Math.floor(credentials.info.validToMs / 1000));
    },
  });
}
