import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Option } from 'commander';
import { TomlError, parse } from 'smol-toml';
import { ApiTokens } from './api/api-tokens.js';
import { parseWebhook } from './api/webhooks.js';
import { FILE_KEYS, type FileKey, GROUPS } from './config-keys.js';
import { locateKey } from './config-file-lines.js';

/**
 * Reading switchboard.toml (`serve --config FILE`): every value is checked against the schema
 * (config-keys.ts) and then run through the same parser as its flag, so a file accepts exactly
 * what the flag accepts. Problems are collected, not thrown, so `config check` can list them all;
 * each names the file, the line and the key, as compilers do.
 */

export interface ConfigProblem {
  file: string;
  /** 0 when the file could not be read at all. */
  line: number;
  /** `limits.rate_limit`; null for a problem with the whole file (syntax, unreadable). */
  key: string | null;
  message: string;
}

export interface ConfigFile {
  path: string;
  /** Option values by commander attribute name, as the flag's parser returns them. */
  values: Map<string, unknown>;
  problems: ConfigProblem[];
}

/** `switchboard.toml:12: limits.rate_limit: "0" is not a positive integer`. */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.key === null ? '' : `${problem.key}: `}${problem.message}`;
}

/** A value of the wrong TOML type or shape; its message is what a person should write instead. */
class ShapeError extends Error {}

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The option values of `key`'s TOML `value`, through `option`'s parser; throws what is wrong. */
function convert(spec: FileKey, option: Option, value: unknown, baseDir: string): unknown {
  const parseArg = (text: string): unknown => (option.parseArg === undefined ? text : option.parseArg(text, undefined));
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') throw new ShapeError('must be a string (in quotes)');
      return parseArg(spec.path === true && value !== ':memory:' && value.trim() !== '' ? path.resolve(baseDir, value) : value);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new ShapeError('must be an integer');
      return parseArg(String(value));
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError('must be a number');
      return parseArg(String(value));
    case 'boolean':
      if (typeof value !== 'boolean') throw new ShapeError('must be true or false');
      return parseArg(String(value));
    case 'retain':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) throw new ShapeError('must be a message count (integer) or an age in quotes ("7d")');
      return parseArg(String(value));
    case 'strings':
      if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) throw new ShapeError('must be an array of strings (["a", "b"])');
      return (value as string[]).map((entry) => entry.trim()).filter((entry) => entry.length > 0);
    case 'admins':
      return tableList(value, ['name', 'secret'], ['name', 'secret']).map((entry) => {
        const spec = `${entry['name']}=${entry['secret']}`;
        parseArg(spec);
        return spec;
      });
    case 'tokens': {
      const specs = tableList(value, ['name', 'token'], ['name', 'token']).map((entry) => `${entry['name']}=${entry['token']}`);
      new ApiTokens(specs);
      return specs;
    }
    case 'webhooks':
      return tableList(value, ['url', 'room', 'secret'], ['url']).map((entry) => {
        const url = entry['url']!;
        const room = entry['room'];
        const secret = entry['secret'];
        const spec = secret !== undefined ? `${room === undefined ? '' : `room=${room},`}url=${url},secret=${secret}` : room === undefined ? url : `${room}=${url}`;
        parseWebhook(spec);
        return spec;
      });
  }
}

/** An array of tables with string fields, the `required` ones present and no others. */
function tableList(value: unknown, fields: readonly string[], required: readonly string[]): Record<string, string>[] {
  const shape = `an array of tables with ${fields.join(', ')}`;
  if (!Array.isArray(value)) throw new ShapeError(`must be ${shape}`);
  return value.map((entry: unknown, index) => {
    if (!isTable(entry)) throw new ShapeError(`must be ${shape}`);
    for (const [field, fieldValue] of Object.entries(entry)) {
      if (!fields.includes(field)) throw new ShapeError(`entry ${index + 1}: unknown field ${field} (expected ${fields.join(', ')})`);
      if (typeof fieldValue !== 'string') throw new ShapeError(`entry ${index + 1}: ${field} must be a string (in quotes)`);
    }
    for (const field of required) if (!(field in entry)) throw new ShapeError(`entry ${index + 1}: ${field} is missing`);
    return entry as Record<string, string>;
  });
}

/** The schema's keys of one table, by key name. */
function keysOf(group: string): Map<string, [string, FileKey]> {
  return new Map(Object.entries(FILE_KEYS).filter(([, spec]) => spec.group === group).map(([attr, spec]) => [spec.key, [attr, spec]]));
}

/** Edits (insert, delete, replace a character) between two short names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * `(did you mean limits.rate_limit?)`: the same key in another table, else a name of `candidates`
 * (the table's keys, or the tables) within two typos.
 */
function suggestion(key: string, candidates: readonly string[], prefix = ''): string {
  const other = Object.values(FILE_KEYS).find((spec) => spec.key === key);
  if (other !== undefined) return ` (did you mean ${other.group}.${key}?)`;
  const close = candidates.find((candidate) => distance(key, candidate) <= 2);
  return close === undefined ? '' : ` (did you mean ${prefix}${close}?)`;
}

/**
 * A parser's message as a file's reader wants it: the flags' `"0" is not a positive integer`
 * becomes `must be a positive integer (got 0)`.
 */
function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
  const match = /^"(.*)" is not (.*)$/s.exec(message);
  return match === null ? message : `must be ${match[2]!} (got ${match[1]!})`;
}

/** Parses TOML `text` as the configuration of `file`, checking every key against `options`. */
export function parseConfigText(file: string, text: string, options: readonly Option[]): ConfigFile {
  const result: ConfigFile = { path: file, values: new Map(), problems: [] };
  const problem = (key: string | null, message: string, line = key === null ? 1 : locateKey(text, key)): void => {
    result.problems.push({ file, line, key, message });
  };
  let document: Table;
  try {
    document = parse(text);
  } catch (error) {
    if (error instanceof TomlError) problem(null, `TOML syntax: ${error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')}`, error.line);
    else problem(null, errorMessage(error));
    return result;
  }
  const byAttr = new Map(options.map((option) => [option.attributeName(), option]));
  const baseDir = path.dirname(path.resolve(file));
  for (const [group, table] of Object.entries(document)) {
    if (!(GROUPS as readonly string[]).includes(group)) {
      problem(group, `unknown ${isTable(table) ? 'table' : 'key'}${suggestion(group, GROUPS)}; the tables are ${GROUPS.join(', ')}`);
      continue;
    }
    if (!isTable(table)) {
      problem(group, `must be a table ([${group}])`);
      continue;
    }
    const known = keysOf(group);
    for (const [key, value] of Object.entries(table)) {
      const name = `${group}.${key}`;
      const entry = known.get(key);
      if (entry === undefined) {
        problem(name, `unknown key${suggestion(key, [...known.keys()], `${group}.`)}; [${group}] has ${[...known.keys()].join(', ')}`);
        continue;
      }
      const [attr, spec] = entry;
      const option = byAttr.get(attr);
      if (option === undefined) continue;
      try {
        result.values.set(attr, convert(spec, option, value, baseDir));
      } catch (error) {
        problem(name, errorMessage(error));
      }
    }
  }
  if (result.values.has('password') && result.values.has('passwordFile')) problem('auth.password_file', 'give auth.password or auth.password_file, not both');
  return result;
}

/** Reads and checks `file`; an unreadable file is one problem (line 0). */
export function readConfigFile(file: string, options: readonly Option[]): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? errorMessage(error);
    return { path: file, values: new Map(), problems: [{ file, line: 0, key: null, message: `cannot read the configuration file: ${code}` }] };
  }
  return parseConfigText(file, text, options);
}
