import type { AllowedHosts } from './host-check.js';

/**
 * Cross-site WebSocket hijacking defence: a browser always sends Origin on a WebSocket upgrade,
 * and a page from another site must not join the room with the visitor's network position.
 * Allowed: the page's own origin, which is an Origin whose host and port are the request's Host
 * *and* whose name is one of this server's (`hosts`: a rebound `evil.example` page is same-origin
 * with its own Host, so the Host alone proves nothing); any origin listed in --allowed-origins; all
 * with `*`. A request without Origin is not from a browser (CLI tools, tests) and is allowed: it
 * could send any header anyway.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[], hosts: AllowedHosts): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*')) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host !== undefined && parsed.host === host.toLowerCase() && hosts.allowsName(parsed.hostname)) return true;
  return allowed.some((entry) => normaliseOrigin(entry) === parsed.origin);
}

/** `https://Example.org:443/` → `https://example.org`, for comparing configured origins. */
export function normaliseOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}
