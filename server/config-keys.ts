/*
 * The configuration file's side of every `serve` option: its table and key in switchboard.toml,
 * the TOML type it takes, whether SIGHUP applies it to the running server, and the text README's
 * configuration table and switchboard.example.toml show. Flags, env names and defaults stay on the
 * commander Options (config-options.ts); this table is keyed by their attribute names, so the
 * two together are the one schema everything else (the file loader, `config print`, the reload,
 * the generated docs) is derived from. A test fails when an option has no entry here.
 */

/** How a key's TOML value is read: scalars become the string the flag's parser takes; lists stay lists. */
export type KeyKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  /** An array of strings (allowed origins, hosts). */
  | 'strings'
  /** A message count (integer) or an age/`all` (string), as `--history-retain`. */
  | 'retain'
  /** Arrays of tables: `[[auth.admins]] name, secret`, `[[api.tokens]] name, token`, `[[webhooks.targets]] url, room, secret`. */
  | 'admins'
  | 'tokens'
  | 'webhooks';

export interface FileKey {
  /** The TOML table: `[limits]`. */
  group: string;
  key: string;
  kind: KeyKind;
  /** SIGHUP applies a change to the running server; otherwise the reload logs that it needs a restart. */
  live: boolean;
  /** Shown as `***` by `config print` and never written to a log (for tables: their secret field). */
  secret?: boolean;
  /** README's default column when the default is not one value (`none (API off)`); else the default itself. */
  defaultText?: string;
  /** A file or folder: relative to the config file's folder when given there (flags: to the working directory). */
  path?: boolean;
  /** README's on-SIGHUP cell when more than `applied` or `restart` is true. */
  sighup?: string;
  /** How the environment variable holds several values, for README (`comma-separated`). */
  envNote?: string;
  /** A value for switchboard.example.toml where the default depends on the machine. */
  example?: string;
  /** README's meaning column (Markdown); the example file shows it as a comment. */
  doc: string;
}

/** The tables in the order README and the example file list them. */
export const GROUPS = ['listeners', 'irc', 'tls', 'auth', 'http', 'limits', 'rooms', 'history', 'redis', 'api', 'webhooks', 'log'] as const;

/** Every `serve` option's file key, by commander attribute name (`--rate-limit` → `rateLimit`). */
export const FILE_KEYS: Readonly<Record<string, FileKey>> = {
  host: { group: 'listeners', key: 'host', kind: 'string', live: false,
    doc: 'address to listen on; `0.0.0.0` or `::` to expose' },
  tcpPort: { group: 'listeners', key: 'tcp_port', kind: 'integer', live: false,
    doc: 'framed TCP port (0 picks a free port; the log says which)' },
  linePort: { group: 'listeners', key: 'line_port', kind: 'integer', live: false,
    doc: 'line TCP port' },
  httpPort: { group: 'listeners', key: 'http_port', kind: 'integer', live: false,
    doc: 'HTTP port: the page, `/ws`, `/healthz`, `/metrics`' },
  ircPort: { group: 'listeners', key: 'irc_port', kind: 'integer', live: false,
    doc: 'IRC port for irssi, WeeChat, HexChat… (docs/irc.md); `0` = no IRC listener (not a free port, unlike the others); off with `--tls-only` (then only `--tls-irc-port`)' },
  ircServerName: { group: 'irc', key: 'server_name', kind: 'string', live: false, example: '"chat.example.org"',
    defaultText: 'the host name',
    doc: "the IRC server's name: the source of numerics and the host in every member's mask (`grace!line@NAME`)" },
  ircNetwork: { group: 'irc', key: 'network', kind: 'string', live: false,
    doc: 'the IRC network name (ISUPPORT `NETWORK`, the welcome)' },
  tlsCert: { group: 'tls', key: 'cert', kind: 'string', path: true, live: false, sighup: 'restart (a new path); the file itself is re-read', example: '"/etc/switchboard/tls/fullchain.pem"',
    defaultText: 'none (no TLS)',
    doc: 'PEM certificate, with its chain, for the TLS listeners; with `--tls-key` it turns them on; re-read on SIGHUP (see [TLS](#tls))' },
  tlsKey: { group: 'tls', key: 'key', kind: 'string', path: true, live: false, sighup: 'restart (a new path); the file itself is re-read', example: '"/etc/switchboard/tls/privkey.pem"',
    defaultText: 'none',
    doc: 'PEM private key of `--tls-cert`, without a passphrase; re-read on SIGHUP' },
  tlsTcpPort: { group: 'tls', key: 'tcp_port', kind: 'integer', live: false,
    doc: 'the framed protocol over TLS (`switchboard connect --tls`)' },
  tlsLinePort: { group: 'tls', key: 'line_port', kind: 'integer', live: false,
    doc: 'lines over TLS (`openssl s_client -quiet`)' },
  httpsPort: { group: 'tls', key: 'https_port', kind: 'integer', live: false,
    doc: 'HTTPS: the page, `/ws` as `wss://`, `/healthz`, `/metrics`, beside plain HTTP' },
  tlsIrcPort: { group: 'tls', key: 'irc_port', kind: 'integer', live: false,
    doc: 'IRC over TLS (irssi: `/connect -tls HOST 6697`); `0` = none, like `--irc-port`; open under `--tls-only` too' },
  tlsOnly: { group: 'tls', key: 'only', kind: 'boolean', live: false,
    doc: 'open only the TLS listeners: no plain framed, line, HTTP or IRC port' },
  tlsHandshakeTimeout: { group: 'tls', key: 'handshake_timeout', kind: 'number', live: false,
    doc: 'seconds a client has to finish the TLS handshake before it is closed (docs/security.md)' },
  password: { group: 'auth', key: 'password', kind: 'string', live: true, sighup: 'applied; turning it on or off: restart', example: '"a-long-shared-secret"', secret: true,
    defaultText: 'none (open)',
    doc: 'a server password every connection must give first: `/pass SECRET` on the framed and line ports, IRC `PASS`, the page asks (see [Server password](#server-password)); a shared secret, not accounts: use it with TLS' },
  passwordFile: { group: 'auth', key: 'password_file', kind: 'string', path: true, live: true, sighup: 'applied, the file re-read; turning it on or off: restart', example: '"/etc/switchboard/password"',
    defaultText: 'none',
    doc: 'read the server password from the first line of this file (its line ending stripped) instead: kept out of `ps`; unreadable or empty stops the start; not with `--password`' },
  accounts: { group: 'auth', key: 'accounts', kind: 'boolean', live: false,
    doc: 'accounts: `/register NAME PASSWORD` and `/login NAME PASSWORD` (IRC: SASL PLAIN, NickServ); a registered nickname is only its logged-in owner\'s, and so is operator status filed under it; `--admin NAME` matches a logged-in account. scrypt hashes in the `--data-dir` database, or in Redis with `--redis` (see [Moderation](#moderation), docs/security.md "Accounts")' },
  admin: { group: 'auth', key: 'admins', kind: 'admins', live: true, sighup: 'applied; none ↔ some: restart', secret: true,
    defaultText: 'none',
    doc: 'a server operator as `NAME=SECRET`, repeatable: `/oper NAME SECRET` (IRC `OPER`) makes the member an operator of every room and lets it `/kill`; compared like the password, wrong ones slow down per IP (see [Moderation](#moderation))' },
  adminFile: { group: 'auth', key: 'admin_file', kind: 'string', path: true, live: true, sighup: 'applied, the file re-read; none ↔ some: restart', example: '"/etc/switchboard/admins"',
    defaultText: 'none',
    doc: 'more server operators, one `NAME=SECRET` a line (`#` comments), kept out of `ps`; unreadable or a bad line stops the start' },
  allowedOrigins: { group: 'http', key: 'allowed_origins', kind: 'strings', live: true, example: '["https://chat.example.org"]',
    defaultText: 'same origin only',
    doc: 'comma-separated origins also allowed to open `/ws`; `*` for any' },
  allowedHosts: { group: 'http', key: 'allowed_hosts', kind: 'strings', live: true, example: '["chat.example.org"]',
    defaultText: '`localhost`, any IP address, the `--host` name',
    doc: 'comma-separated host names HTTP requests may be addressed to (`Host`); others get 421 (DNS rebinding, see docs/security.md); add your public name when you expose the server; `*` for any' },
  httpHeaderTimeout: { group: 'http', key: 'header_timeout', kind: 'number', live: false,
    doc: "seconds an HTTP client has to send a request's headers (408 and close after)" },
  httpRequestTimeout: { group: 'http', key: 'request_timeout', kind: 'number', live: false,
    doc: 'seconds to send a whole HTTP request; also how long a response may go unread before the connection is cut' },
  httpKeepAliveTimeout: { group: 'http', key: 'keep_alive_timeout', kind: 'number', live: false,
    doc: 'seconds an idle keep-alive HTTP connection stays open (behind a load balancer: above its idle timeout)' },
  historyRateLimit: { group: 'http', key: 'history_rate_limit', kind: 'integer', live: false,
    doc: '`GET /history` requests per second per IP (token bucket; 429 past it); `0` = off' },
  historyRateBurst: { group: 'http', key: 'history_rate_burst', kind: 'integer', live: false,
    doc: '`GET /history` requests one IP may make at once above the rate' },
  maxPayload: { group: 'limits', key: 'max_payload', kind: 'integer', live: false,
    doc: 'largest frame body, line or WebSocket message, in bytes' },
  maxInputBytes: { group: 'limits', key: 'max_input_bytes', kind: 'integer', live: false,
    doc: 'memory for unfinished frames and lines over all TCP connections (64 MiB); past it the connection holding the most is closed; `0` = no limit' },
  writeDeadline: { group: 'limits', key: 'write_deadline', kind: 'number', live: false,
    doc: "seconds a member's connection may take none of its output before it is dropped as stalled; `0` = off" },
  maxPendingBytes: { group: 'limits', key: 'max_pending_bytes', kind: 'integer', live: false,
    doc: 'output queued for one member past which it is dropped at once (hard cap)' },
  maxOutputBytes: { group: 'limits', key: 'max_output_bytes', kind: 'integer', live: false,
    doc: 'output queued for the whole server (a buffer shared by many members counted once); past it stalled, then the largest, queues are dropped; `0` = off' },
  rateLimit: { group: 'limits', key: 'rate_limit', kind: 'integer', live: true, sighup: 'applied to connections made after it',
    doc: 'messages per second per connection (token bucket); over it input is held back, not dropped; `0` = off' },
  rateBurst: { group: 'limits', key: 'rate_burst', kind: 'integer', live: true, sighup: 'applied to connections made after it',
    doc: 'messages a connection may send at once above the rate' },
  rateLimitBytes: { group: 'limits', key: 'rate_limit_bytes', kind: 'integer', live: true, sighup: 'applied to connections made after it',
    doc: 'bytes per second per connection, held back the same way; `0` = off' },
  rateBurstBytes: { group: 'limits', key: 'rate_burst_bytes', kind: 'integer', live: true, sighup: 'applied to connections made after it',
    doc: 'bytes a connection may send at once above the byte rate' },
  floodDisconnect: { group: 'limits', key: 'flood_disconnect', kind: 'number', live: true,
    doc: 'seconds a connection may be held back by the flood limit without a break before it is closed; `0` = never' },
  maxInputQueue: { group: 'limits', key: 'max_input_queue', kind: 'integer', live: true,
    doc: 'bytes of input already read but held back by the flood limit before the connection is closed' },
  maxConnections: { group: 'limits', key: 'max_connections', kind: 'integer', live: false,
    doc: 'open connections in total, all transports, HTTP included; `0` = no limit (the open file limit, logged at start, caps them too)' },
  maxConnectionsPerIp: { group: 'limits', key: 'max_connections_per_ip', kind: 'integer', live: false,
    doc: 'open connections from one IP, HTTP included; `0` = no limit (behind a proxy, all share its IP)' },
  wsPingInterval: { group: 'limits', key: 'ws_ping_interval', kind: 'number', live: false,
    doc: 'seconds between WebSocket pings; no pong by the next one closes it; `0` = off' },
  idleTimeout: { group: 'limits', key: 'idle_timeout', kind: 'number', live: false,
    doc: 'seconds without input (a keepalive frame counts) before a connection is closed; `0` = off' },
  presenceDelay: { group: 'limits', key: 'presence_delay', kind: 'integer', live: false,
    doc: 'milliseconds joins and leaves are collected into one notice after the first is announced (longer in big rooms: 1 ms per 10 members); `0` = announce each at once (docs/protocol.md)' },
  shutdownTimeout: { group: 'limits', key: 'shutdown_timeout', kind: 'number', live: false,
    doc: 'longest graceful shutdown on SIGINT/SIGTERM before remaining connections are cut' },
  dataDir: { group: 'history', key: 'data_dir', kind: 'string', path: true, live: false, example: '"/var/lib/switchboard"',
    defaultText: "`./data` in a checkout; installed (`npm install -g`): `$XDG_STATE_HOME/switchboard`, else `~/.local/state/switchboard`; under systemd's `StateDirectory=`: `$STATE_DIRECTORY`",
    doc: 'folder of the message history (`history.sqlite3`, created with its parents on first start); `:memory:` keeps none on disk (docs/deploy.md)' },
  history: { group: 'history', key: 'replay', kind: 'integer', live: false,
    doc: 'stored messages of a room a member gets on joining it (0–1000)' },
  defaultRoom: { group: 'rooms', key: 'default', kind: 'string', live: false,
    doc: 'the room every framed, line and page member is put in on connecting (a history from the one-room version is migrated into it)' },
  maxRoomsPerMember: { group: 'rooms', key: 'max_per_member', kind: 'integer', live: true,
    doc: 'rooms one member may be in at once' },
  maxRooms: { group: 'rooms', key: 'max', kind: 'integer', live: false,
    doc: 'rooms the server holds at once' },
  emptyRoomTtl: { group: 'rooms', key: 'empty_ttl', kind: 'number', live: false,
    doc: 'seconds an empty room is kept before it is forgotten (its history and topic stay stored)' },
  historyRetain: { group: 'history', key: 'retain', kind: 'retain', live: false,
    doc: 'history kept: a message count (`10000`), an age (`90s`, `30m`, `24h`, `7d`, `2w`), or `0`/`all`; pruned at start and every minute' },
  redis: { group: 'redis', key: 'url', kind: 'string', live: false, example: '"redis://127.0.0.1:6379"', secret: true,
    defaultText: 'none (this process alone)',
    doc: '`redis://[user:password@]host:port` (or `rediss://`): instances with the same Redis and prefix form one server (rooms, nicknames, direct messages); history then lives in Redis and `--data-dir` is unused (see [Several instances](#several-instances))' },
  redisPrefix: { group: 'redis', key: 'prefix', kind: 'string', live: false,
    doc: 'prefix of every Redis key and channel; a different prefix is a different server' },
  redisPresenceTtl: { group: 'redis', key: 'presence_ttl', kind: 'number', live: false,
    doc: 'seconds after which the members of an instance that stopped answering (crash, partition) are announced as leaving; a member missing after a split heals is announced only if still missing this long + 5 s later' },
  redisTimeout: { group: 'redis', key: 'timeout', kind: 'number', live: false,
    doc: "seconds Redis may stay silent while it owes an answer; then the link is down (`/healthz`, `switchboard_redis_up 0`), chat goes on between the instance's own members, and a line Redis has not stored by then is shown to them with id 0 (docs/scale-out.md)" },
  apiToken: { group: 'api', key: 'tokens', kind: 'tokens', live: true, sighup: 'applied if the API was on at start (some tokens), else restart', envNote: 'comma-separated', secret: true,
    defaultText: 'none (API off)',
    doc: '`NAME=TOKEN`, repeatable: a bot of the HTTP API (docs/api.md); NAME is 1–24 of `A-Za-z0-9_-`, shown as `NAME[bot]`; TOKEN at least 16 characters' },
  apiTokensFile: { group: 'api', key: 'tokens_file', kind: 'string', path: true, live: true, sighup: 'applied, the file re-read, if the API was on at start', example: '"/etc/switchboard/api-tokens"',
    defaultText: 'none',
    doc: 'a file of `NAME=TOKEN` lines (`#` comments), read at start and on SIGHUP; kept out of `ps`' },
  apiRateLimit: { group: 'api', key: 'rate_limit', kind: 'integer', live: false,
    doc: 'messages per second one API token may post (0 = no limit); past it 429 with `Retry-After`' },
  apiRateBurst: { group: 'api', key: 'rate_burst', kind: 'integer', live: false,
    doc: 'messages one API token may post at once above the rate' },
  apiMaxWaits: { group: 'api', key: 'max_waits', kind: 'integer', live: false,
    doc: 'long-polls (`GET /api/rooms/R/messages?wait=`) one token may hold open at once' },
  webhook: { group: 'webhooks', key: 'targets', kind: 'webhooks', live: true, sighup: 'applied; a changed or removed target drops its queue', envNote: 'space-separated', secret: true,
    defaultText: 'none',
    doc: "`URL`, `ROOM=URL` or `room=ROOM,url=URL,secret=SECRET` (its own signing key), repeatable: every message of every room (of ROOM) is POSTed there as JSON, retried with backoff, never bots' own; with `--redis`, by the sender's instance only (docs/api.md)" },
  webhookSecret: { group: 'webhooks', key: 'secret', kind: 'string', live: true, example: '"at-least-16-characters"', secret: true,
    defaultText: 'none (unsigned)',
    doc: 'key of the `X-Switchboard-Signature-256: sha256=…` HMAC of each webhook body; at least 16 characters' },
  logLevel: { group: 'log', key: 'level', kind: 'string', live: true,
    doc: '`fatal` … `trace`, or `silent`' },
  logPretty: { group: 'log', key: 'pretty', kind: 'boolean', live: false, example: 'false',
    defaultText: 'on a TTY',
    doc: 'human-readable logs instead of JSON lines' },
  historyMaxPages: { group: 'history', key: 'max_pages', kind: 'integer', live: false,
    defaultText: '`0` (no cap)',
    doc: "**for tests only**, hidden from `--help`: caps the history database at N pages of 4 KiB (SQLite's `max_page_count`), so a test can fill it as a full disk would without root (docs/security.md, storage faults)" },
};
