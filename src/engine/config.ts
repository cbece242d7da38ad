import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSeverity, type Severity } from './model';
import { redact } from './redact';

// The scanner's settings, read from `.launch-ready.json` at the workspace root. The editor maps
// its `launchReady.*` settings onto the same shape, so both run the same scan.

export type RuleSetting = Severity | 'off';

export interface ScanConfig {
  /** gitignore-style patterns of paths never scanned (on top of .gitignore). */
  exclude: string[];
  /** Per-rule override: a severity, or `off`. */
  rules: Record<string, RuleSetting>;
  /** Files larger than this are skipped with a note. */
  maxFileSize: number;
  /** Baseline file, relative to the workspace root. */
  baseline?: string;
}

export const CONFIG_FILE = '.launch-ready.json';
export const DEFAULT_BASELINE = '.launch-ready-baseline.json';

export function defaultConfig(): ScanConfig {
  return { exclude: [], rules: {}, maxFileSize: 10 * 1024 * 1024 };
}

export class ConfigError extends Error {}

/**
 * Where the first syntax error in `text` is, by a small recursive-descent check: V8's own message
 * often has no offset, only a quote of the input, which must not be shown (see describeJsonError).
 */
function jsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at])) at++;
  };
  const literal = (word: string) => (text.startsWith(word, at) ? (at += word.length) : fail());
  const string = () => {
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text.charCodeAt(at) < 0x20) fail();
      at += text[at] === '\\' ? 2 : 1;
    }
    if (at >= text.length) fail();
    at++;
  };
  const number = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
  const value = (depth: number): void => {
    if (depth > 200) fail();
    space();
    const ch = text[at];
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      at++;
      space();
      if (text[at] === close) {
        at++;
        return;
      }
      for (;;) {
        if (ch === '{') {
          space();
          if (text[at] !== '"') fail();
          string();
          space();
          if (text[at] !== ':') fail();
          at++;
        }
        value(depth + 1);
        space();
        if (text[at] === ',') at++;
        else if (text[at] === close) {
          at++;
          return;
        } else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return void literal('true');
    if (ch === 'f') return void literal('false');
    if (ch === 'n') return void literal('null');
    number.lastIndex = at;
    if (!number.test(text)) fail();
    at = number.lastIndex;
  };
  try {
    value(0);
    space();
    return at < text.length ? at : undefined;
  } catch (offset) {
    return typeof offset === 'number' ? offset : undefined;
  }
}

/**
 * Why JSON.parse failed, without its quote of the input: V8 puts the text around the error in the
 * message, and a config or baseline file may hold a pasted secret right there.
 */
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  if (/end of JSON input/.test(message) || text.trim() === '') return 'invalid JSON: the text ends too early';
  const reported = /at position (\d+)/.exec(message);
  const offset = reported ? Number(reported[1]) : text.length <= 1024 * 1024 ? jsonErrorOffset(text) : undefined;
  if (offset === undefined) return 'invalid JSON';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column}`;
}

/** A key or id from the user's file, quoted in an error only when it cannot be a pasted value. */
function shown(name: string): string {
  return /^[A-Za-z$][A-Za-z0-9_$/-]{0,23}$/.test(name) ? `"${name}"` : `"${redact(name)}"`;
}

/** Reads the config at `root`, or returns defaults when there is none. Throws ConfigError on bad content. */
export function loadConfig(root: string): ScanConfig {
  const config = defaultConfig();
  let raw: string;
  try {
    // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
    raw = readFileSync(join(root, CONFIG_FILE), 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    // No file means defaults; a file that exists but cannot be read is not silently ignored.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return config;
    throw new ConfigError(`${CONFIG_FILE}: not readable (${code ?? 'error'})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`${CONFIG_FILE}: not valid JSON (${describeJsonError(error, raw)})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`${CONFIG_FILE}: expected an object`);
  const object = data as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!['exclude', 'rules', 'maxFileSize', 'baseline', '$schema'].includes(key)) {
      throw new ConfigError(`${CONFIG_FILE}: unknown setting ${shown(key)} (known: exclude, rules, maxFileSize, baseline)`);
    }
  }
  if (object.exclude !== undefined) {
    if (!Array.isArray(object.exclude) || !object.exclude.every((e) => typeof e === 'string')) {
      throw new ConfigError(`${CONFIG_FILE}: "exclude" must be a list of path patterns`);
    }
    config.exclude = object.exclude as string[];
  }
  if (object.rules !== undefined) {
    if (!object.rules || typeof object.rules !== 'object' || Array.isArray(object.rules)) {
      throw new ConfigError(`${CONFIG_FILE}: "rules" must map rule ids to a severity or "off"`);
    }
    for (const [id, setting] of Object.entries(object.rules as Record<string, unknown>)) {
      if (typeof setting !== 'string' || (setting !== 'off' && !isSeverity(setting))) {
        throw new ConfigError(`${CONFIG_FILE}: rule ${/^[a-z]+\/[a-z0-9-]{1,60}$/.test(id) ? `"${id}"` : shown(id)} must be one of off, blocker, high, medium, low`);
      }
      config.rules[id] = setting as RuleSetting;
    }
  }
  if (object.maxFileSize !== undefined) {
    if (typeof object.maxFileSize !== 'number' || !(object.maxFileSize > 0)) {
      throw new ConfigError(`${CONFIG_FILE}: "maxFileSize" must be a positive number of bytes`);
    }
    config.maxFileSize = object.maxFileSize;
  }
  if (object.baseline !== undefined) {
    if (typeof object.baseline !== 'string') throw new ConfigError(`${CONFIG_FILE}: "baseline" must be a path`);
    config.baseline = object.baseline;
  }
  return config;
}
