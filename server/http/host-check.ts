import net from 'node:net';

/**
 * DNS rebinding defence. A page on `evil.example` whose name the attacker re-points at 127.0.0.1
 * is, to the browser, same-origin with this server: it could read /history and open /ws as the
 * visitor, although the server only listens on loopback. The one thing that page cannot change is
 * the name it used, which the browser puts in `Host`; so requests are served only for names this
 * server knows to be its own.
 *
 * Allowed: `localhost`, any IP address (IPv4 or IPv6: an address cannot be rebound, so a page
 * whose origin is an address really is talking to that address; this also covers the listen
 * address, and a load balancer's health check by instance address), the `--host` name, and the
 * names listed in `--allowed-hosts` (`*` turns the check off). The port is not part of the check.
 */
export class AllowedHosts {
  private names: ReadonlySet<string> = new Set();
  any = false;

  constructor(
    private readonly listenHost: string,
    extra: readonly string[],
  ) {
    this.replace(extra);
  }

  /** The `--allowed-hosts` list (again, on SIGHUP): later requests are checked against it. */
  replace(extra: readonly string[]): void {
    this.any = extra.includes('*');
    const names = new Set<string>(['localhost']);
    for (const entry of [this.listenHost, ...extra]) {
      const name = normaliseHostname(entry);
      if (name !== null) names.add(name);
    }
    this.names = names;
  }

  /**
   * Whether a `Host` header (`name`, `name:port`, `[v6]:port`) names this server. A request
   * without one is not from a browser (which always sends it) and could send any name anyway.
   */
  allowsHostHeader(host: string | undefined): boolean {
    if (this.any || host === undefined) return true;
    const hostname = hostnameOf(host);
    return hostname !== null && this.allowsName(hostname);
  }

  /** Whether a bare host name (no port; IPv6 with or without brackets) is allowed. */
  allowsName(hostname: string): boolean {
    if (this.any) return true;
    const name = normaliseHostname(hostname);
    if (name === null) return false;
    return this.names.has(name) || net.isIP(unbracket(name)) !== 0;
  }
}

function unbracket(name: string): string {
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

/**
 * A configured or requested name in one form: lower case, no trailing dot, IPv6 without brackets,
 * as the WHATWG URL parser reads it (so `LOCALHOST.`, `[::1]` and `0:0::1` compare as browsers
 * would send them). null for what is no host name at all, and for wildcard listen addresses.
 */
function normaliseHostname(entry: string): string | null {
  const trimmed = entry.trim();
  if (trimmed.length === 0 || trimmed === '*') return null;
  const bracketed = net.isIPv6(trimmed) ? `[${trimmed}]` : trimmed;
  const hostname = hostnameOf(bracketed);
  if (hostname === null) return null;
  const bare = unbracket(hostname).replace(/\.$/, '');
  return bare === '0.0.0.0' || bare === '::' ? null : bare;
}

/** The host name part of a `Host` header, via the URL parser; null when it does not parse. */
function hostnameOf(host: string): string | null {
  if (/[/?#@\s\\]/.test(host)) return null;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}
