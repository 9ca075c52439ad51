/**
 * IRC messages (RFC 1459 §2.3.1 as amended by IRCv3 message-tags): one line,
 * `[@tags] [:source] COMMAND param… [:trailing]`. Pure functions, no socket: the IRC adapter
 * parses each line it reads with `parseIrcLine` and builds each line it writes with `formatIrcLine`.
 */

export interface IrcMessage {
  /** IRCv3 tags, unescaped; a tag without a value maps to ''. */
  tags: Map<string, string>;
  /** The `:source` a client may send (ignored by servers), without the colon; null when absent. */
  source: string | null;
  /** Upper-cased: IRC commands are case-insensitive. */
  command: string;
  params: string[];
}

const TAG_UNESCAPES: Readonly<Record<string, string>> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

function unescapeTagValue(value: string): string {
  return value.replace(/\\(.?)/g, (_match, char: string) => TAG_UNESCAPES[char] ?? char);
}

function escapeTagValue(value: string): string {
  return value.replace(/[\\; \r\n]/g, (char) => ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[char] ?? char);
}

/** Splits off the next space-separated word (IRC allows several spaces between parameters). */
function nextWord(rest: string): [string, string] {
  const trimmed = rest.replace(/^ +/, '');
  const space = trimmed.indexOf(' ');
  return space === -1 ? [trimmed, ''] : [trimmed.slice(0, space), trimmed.slice(space + 1)];
}

/** One line as a client sent it (without its CR LF), or null when it holds no command. */
export function parseIrcLine(line: string): IrcMessage | null {
  let rest = line.replace(/[\r\n]+$/, '');
  const tags = new Map<string, string>();
  if (rest.startsWith('@')) {
    const [word, after] = nextWord(rest.slice(1));
    for (const tag of word.split(';')) {
      if (tag === '') continue;
      const equals = tag.indexOf('=');
      if (equals === -1) tags.set(tag, '');
      else tags.set(tag.slice(0, equals), unescapeTagValue(tag.slice(equals + 1)));
    }
    rest = after;
  }
  rest = rest.replace(/^ +/, '');
  let source: string | null = null;
  if (rest.startsWith(':')) {
    const [word, after] = nextWord(rest.slice(1));
    source = word;
    rest = after;
  }
  const [command, afterCommand] = nextWord(rest);
  if (command === '') return null;
  rest = afterCommand;
  const params: string[] = [];
  for (;;) {
    rest = rest.replace(/^ +/, '');
    if (rest === '') break;
    if (rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const [word, after] = nextWord(rest);
    params.push(word);
    rest = after;
  }
  return { tags, source, command: command.toUpperCase(), params };
}

export interface IrcLineParts {
  /** Tags to send, in order; values are escaped here. */
  tags?: readonly (readonly [string, string])[];
  source?: string;
  command: string;
  params?: readonly string[];
  /** The last parameter is text (a message, a reason, a numeric's words): always written after a colon. */
  trailing?: boolean;
}

/** The tags part of a line, `@a=1;b ` (with its trailing space), or '' for none. */
export function formatTags(tags: readonly (readonly [string, string])[]): string {
  if (tags.length === 0) return '';
  return `@${tags.map(([key, value]) => (value === '' ? key : `${key}=${escapeTagValue(value)}`)).join(';')} `;
}

/**
 * One line, without CR LF. The last parameter gets a colon when it needs one (empty, holds a
 * space, starts with a colon); the others must be single words, which callers guarantee.
 */
export function formatIrcLine(parts: IrcLineParts): string {
  // Servers put text after a colon even when it is one word; some clients read only that form.
  const params = parts.params ?? [];
  const last = params.length - 1;
  const words = params.map((param, index) => (index === last && (parts.trailing === true || param === '' || param.includes(' ') || param.startsWith(':')) ? `:${param}` : param));
  const head = `${formatTags(parts.tags ?? [])}${parts.source === undefined ? '' : `:${parts.source} `}${parts.command}`;
  return words.length === 0 ? head : `${head} ${words.join(' ')}`;
}
