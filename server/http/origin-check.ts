/**
 * Cross-site WebSocket hijacking defence: a browser always sends Origin on a WebSocket upgrade,
 * and a page from another site must not join the room with the visitor's network position.
 * Same origin (Origin's host equals the Host the browser connected to) is allowed; so is any
 * origin listed in --allowed-origins, or all with `*`. A request without Origin is not from a
 * browser (CLI tools, tests) and is allowed: it could send any header anyway.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*')) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host !== undefined && parsed.host === host.toLowerCase()) return true;
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
