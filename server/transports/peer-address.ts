/**
 * `ip:port` for a peer, the member's name until it picks a nickname. IPv4-mapped IPv6 addresses
 * are shown as plain IPv4, and IPv6 addresses are bracketed so the token stays unambiguous.
 */
export function peerAddress(ip: string | undefined, port: number | undefined): string {
  let host = ip ?? 'unknown';
  if (host.startsWith('::ffff:') && host.includes('.')) host = host.slice(7);
  if (host.includes(':')) host = `[${host}]`;
  return `${host}:${port ?? 0}`;
}
