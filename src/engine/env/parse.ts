import type { Range } from '../model';
import { LineIndex } from '../text/line-index';

// Reads a `.env` file the way `dotenv.parse` (v18, its default, regex-based parser) reads it, but
// without a backtracking regex: every choice that regex makes by backtracking is decided here by
// looking ahead once (precomputed quote and line-terminator positions), so hostile input stays
// linear-ish (n log n). On top of the pairs it keeps where every key and value sits, and notes
// each place where dotenv silently loses or changes what the file says.
//
// The semantics being reproduced, in dotenv's own order of preference:
//  - a statement starts at a line start, after any whitespace (JS `\s`, which includes newlines,
//    NBSP and the BOM), optionally after `export` and whitespace;
//  - the key is a run of `[A-Za-z0-9_.-]`, then `=` after optional whitespace (newlines too), or
//    `:` directly followed by whitespace;
//  - the value is, first choice, a quoted string (after optional whitespace, newlines included)
//    whose closing quote is followed only by whitespace, an optional `#` comment and a line end;
//    otherwise everything up to `#` or the line end; otherwise empty;
//  - the value is trimmed, one pair of surrounding quotes removed (per line, as a multiline regex
//    replace does), and for values starting with `"` the sequences `\n` and `\r` become newlines;
//  - a later duplicate replaces an earlier one.

export type QuoteChar = '"' | "'" | '`';

export interface EnvEntry {
  key: string;
  /** What `dotenv.parse` returns for this statement (before any `${VAR}` expansion). */
  value: string;
  exported: boolean;
  separator: '=' | ':';
  /** The quote the raw value starts with, if any (whether or not dotenv stripped it). */
  quote?: QuoteChar;
  /** True when dotenv removed a pair of surrounding quotes. */
  quoted: boolean;
  /** Offsets into the original text (end exclusive). */
  start: number;
  keyStart: number;
  keyEnd: number;
  /** The raw value as written, trimmed, quotes included; equals valueStart for an empty value. */
  valueStart: number;
  valueEnd: number;
  /** End of the statement: after the value, or after its trailing comment. */
  end: number;
  keyRange: Range;
  valueRange: Range;
  /** Index of a later entry with the same key that replaces this one. */
  overriddenBy?: number;
}

export type ParseIssueKind =
  /** `K=val#x`: dotenv reads `val`, Docker Compose and shells read `val#x`. */
  | 'comment-cut'
  /** A quote that never closes: dotenv keeps the quote character as part of the value. */
  | 'unclosed-quote'
  /** A quoted value that runs over following lines that look like assignments. */
  | 'quote-swallows-lines'
  /** A line dotenv cannot read as `KEY=value`: dropped silently. */
  | 'malformed-line'
  /** An earlier statement whose value a later one with the same key replaces. */
  | 'duplicate-key'
  /** `K=` (or `K:`) with the value dotenv takes from a following line. */
  | 'value-on-next-line'
  /** A key dotenv's result object cannot hold (`__proto__`). */
  | 'ignored-key';

export interface ParseIssue {
  kind: ParseIssueKind;
  /** Offsets into the original text. */
  start: number;
  end: number;
  range: Range;
  key?: string;
  /** For `quote-swallows-lines`: the keys whose lines became part of the value. */
  swallowed?: string[];
  /** Entry index the issue is about. */
  entry?: number;
}

export interface ParsedEnv {
  /** The text as given (positions refer to it). */
  text: string;
  /** Every statement dotenv reads, in file order, including those a duplicate replaces. */
  entries: EnvEntry[];
  issues: ParseIssue[];
  /** 1-based lines (CRLF, LF and lone CR each end a line, as editors count them). */
  positions: PositionIndex;
}

/** The dotenv reader's positions: CRLF, LF and a lone CR each end a line, as editors count them. */
export class PositionIndex extends LineIndex {
  constructor(text: string) {
    super(text, 'lf-crlf-cr');
  }
}

/** JavaScript's `\s` (and what String.prototype.trim removes). */
export function isJsWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Where a multiline-mode `^`/`$` sees a line break (after CRLF and CR became LF). */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

export function isKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
}

const HASH = 35;
const EQUALS = 61;
const COLON = 58;
const BACKSLASH = 92;
const QUOTES: readonly number[] = [39, 34, 96];

/** Sorted int list with "first element greater than x" and "last element in (a, b)" lookups. */
class SortedPositions {
  constructor(private readonly items: number[]) {}
  /** Index of the first item > x. */
  private upper(x: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  firstAfter(x: number): number {
    const i = this.upper(x);
    return i < this.items.length ? this.items[i] : -1;
  }
  /** Largest item in the open interval (a, b); b = Infinity for no upper bound. */
  lastBetween(a: number, b: number): number {
    const i = this.upper(a);
    let lo = i;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid] < b) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1 >= i ? this.items[lo - 1] : -1;
  }
}

interface QuoteTables {
  /** Quote characters not preceded by a backslash: the greedy body stops at the first one. */
  unescaped: SortedPositions;
  /** Backslash-preceded quotes that can end the value: the places backtracking may close at. */
  closableEscaped: SortedPositions;
}

/** Maps offsets of the CRLF/CR-normalised text back to the original text. */
class OffsetMap {
  constructor(private readonly removedAt: number[]) {}
  original(offset: number): number {
    let lo = 0;
    let hi = this.removedAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.removedAt[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return offset + lo;
  }
}

class Scanner {
  readonly n: string;
  readonly len: number;
  private terminators: SortedPositions | undefined;
  private readonly quoteTables = new Map<number, QuoteTables>();

  constructor(normalised: string) {
    this.n = normalised;
    this.len = normalised.length;
  }

  code(i: number): number {
    return i < this.len ? this.n.charCodeAt(i) : -1;
  }

  skipWhitespace(i: number): number {
    while (i < this.len && isJsWhitespace(this.n.charCodeAt(i))) i++;
    return i;
  }

  /** Offset of the first line terminator at or after i, or len. */
  lineEndFrom(i: number): number {
    if (!this.terminators) {
      const list: number[] = [];
      for (let k = 0; k < this.len; k++) if (isLineTerminator(this.n.charCodeAt(k))) list.push(k);
      this.terminators = new SortedPositions(list);
    }
    const t = this.terminators.firstAfter(i - 1);
    return t === -1 ? this.len : t;
  }

  /** First line start at or after i, or -1. */
  lineStartFrom(i: number): number {
    if (i === 0 || (i <= this.len && isLineTerminator(this.n.charCodeAt(i - 1)))) return i;
    const t = this.lineEndFrom(i);
    return t >= this.len ? -1 : t + 1;
  }

  /**
   * What follows a value: whitespace (newlines included), an optional `#…` comment, then a line
   * end. Returns where the statement ends, or -1 when something else follows on the same line.
   * Mirrors the greedy-then-backtracking choice: a comment after the whitespace wins, then the end
   * of the text, then the last line break inside the whitespace.
   */
  tailEnd(from: number): number {
    const stop = this.skipWhitespace(from);
    if (stop >= this.len) return this.len;
    if (this.n.charCodeAt(stop) === HASH) return this.lineEndFrom(stop);
    for (let i = stop - 1; i >= from; i--) if (isLineTerminator(this.n.charCodeAt(i))) return i;
    return -1;
  }

  private tables(quote: number): QuoteTables {
    let tables = this.quoteTables.get(quote);
    if (!tables) {
      const unescaped: number[] = [];
      const closable: number[] = [];
      for (let i = this.n.indexOf(String.fromCharCode(quote)); i !== -1; i = this.n.indexOf(String.fromCharCode(quote), i + 1)) {
        if (i > 0 && this.n.charCodeAt(i - 1) === BACKSLASH) {
          if (this.tailEnd(i + 1) !== -1) closable.push(i);
        } else {
          unescaped.push(i);
        }
      }
      tables = { unescaped: new SortedPositions(unescaped), closableEscaped: new SortedPositions(closable) };
      this.quoteTables.set(quote, tables);
    }
    return tables;
  }

  /**
   * The closing quote for a value opening at `open`, or -1: the first unescaped quote if the line
   * can end after it, else the last escaped quote before it that can (what backtracking finds).
   */
  closingQuote(open: number): number {
    const { unescaped, closableEscaped } = this.tables(this.n.charCodeAt(open));
    const first = unescaped.firstAfter(open);
    if (first !== -1 && this.tailEnd(first + 1) !== -1) return first;
    return closableEscaped.lastBetween(open, first === -1 ? Infinity : first);
  }
}

interface RawStatement {
  exported: boolean;
  start: number;
  keyStart: number;
  keyEnd: number;
  separator: '=' | ':';
  /** Raw value group bounds (untrimmed) in the normalised text, or -1 when absent. */
  groupStart: number;
  groupEnd: number;
  /** Which alternative produced the value. */
  form: 'quoted' | 'unquoted' | 'none';
  end: number;
  /** For unquoted values that stop at `#`: where. */
  hashAt: number;
}

function readStatement(s: Scanner, at: number): RawStatement | undefined {
  const n = s.n;
  if (n.startsWith('export', at) && isJsWhitespace(s.code(at + 6))) {
    const exported = readAfterKeyStart(s, at, s.skipWhitespace(at + 6), true);
    if (exported) return exported;
  }
  return readAfterKeyStart(s, at, at, false);
}

function readAfterKeyStart(s: Scanner, start: number, keyStart: number, exported: boolean): RawStatement | undefined {
  let keyEnd = keyStart;
  while (keyEnd < s.len && isKeyChar(s.n.charCodeAt(keyEnd))) keyEnd++;
  if (keyEnd === keyStart) return undefined;
  let valueAt: number;
  let separator: '=' | ':';
  const afterSpace = s.skipWhitespace(keyEnd);
  if (s.code(afterSpace) === EQUALS) {
    valueAt = afterSpace + 1;
    separator = '=';
  } else if (s.code(keyEnd) === COLON && isJsWhitespace(s.code(keyEnd + 1))) {
    valueAt = keyEnd + 2;
    separator = ':';
  } else {
    return undefined;
  }
  const statement = (groupStart: number, groupEnd: number, form: RawStatement['form'], end: number, hashAt: number): RawStatement => ({
    exported, start, keyStart, keyEnd, separator, groupStart, groupEnd, form, end, hashAt,
  });
  // First choice: a quoted value, possibly after whitespace and line breaks.
  const open = s.skipWhitespace(valueAt);
  if (QUOTES.includes(s.code(open))) {
    const close = s.closingQuote(open);
    if (close !== -1) {
      return statement(valueAt, close + 1, 'quoted', s.tailEnd(close + 1), -1);
    }
  }
  // Then: everything up to `#` or a line break. After that the line always ends acceptably.
  let runEnd = valueAt;
  while (runEnd < s.len) {
    const c = s.n.charCodeAt(runEnd);
    if (c === HASH || c === 10 || c === 13) break;
    runEnd++;
  }
  if (runEnd > valueAt) {
    return statement(valueAt, runEnd, 'unquoted', s.tailEnd(runEnd), s.code(runEnd) === HASH ? runEnd : -1);
  }
  return statement(-1, -1, 'none', s.tailEnd(valueAt), s.code(valueAt) === HASH ? valueAt : -1);
}

/**
 * dotenv removes one pair of matching quotes at every line start whose line (or a later one)
 * ends with the same quote: a multiline regex replace. Same result, computed in one pass.
 */
export function stripSurroundingQuotes(value: string): string {
  if (value.length < 2) return value;
  const lastClosing = new Map<number, number>();
  for (let j = value.length - 1; j > 0; j--) {
    const c = value.charCodeAt(j);
    if (QUOTES.includes(c) && !lastClosing.has(c) && (j + 1 === value.length || isLineTerminator(value.charCodeAt(j + 1)))) lastClosing.set(c, j);
  }
  if (lastClosing.size === 0) return value;
  let out = '';
  let copied = 0;
  let p = 0;
  while (p < value.length) {
    const c = value.charCodeAt(p);
    const close = lastClosing.get(c);
    if (close !== undefined && close > p) {
      out += value.slice(copied, p) + value.slice(p + 1, close);
      copied = close + 1;
      p = close + 1;
    }
    // Next line start.
    while (p < value.length && !isLineTerminator(value.charCodeAt(p))) p++;
    p++;
  }
  return out + value.slice(copied);
}

/** `\n` and `\r` (backslash sequences) become real line breaks, in double-quoted values only. */
function unescapeNewlines(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  let copied = 0;
  for (let i = value.indexOf('\\'); i !== -1 && i < value.length - 1; i = value.indexOf('\\', i + 1)) {
    const next = value.charCodeAt(i + 1);
    if (next === 110 || next === 114) {
      out += value.slice(copied, i) + (next === 110 ? '\n' : '\r');
      copied = i + 2;
      i++;
    }
  }
  return out + value.slice(copied);
}

const ASSIGNMENT_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=/;

export function parseEnv(text: string): ParsedEnv {
  const removedAt: number[] = [];
  let normalised = text;
  if (text.includes('\r')) {
    let out = '';
    let copied = 0;
    for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) {
      if (text.charCodeAt(i + 1) === 10) {
        out += text.slice(copied, i);
        copied = i + 1;
        removedAt.push(out.length);
      } else {
        out += text.slice(copied, i) + '\n';
        copied = i + 1;
      }
    }
    normalised = out + text.slice(copied);
  }
  const map = new OffsetMap(removedAt);
  const orig = (o: number) => map.original(o);
  const positions = new PositionIndex(text);
  const range = (a: number, b: number) => positions.range(orig(a), orig(b));
  const s = new Scanner(normalised);
  const entries: EnvEntry[] = [];
  const issues: ParseIssue[] = [];
  const issue = (kind: ParseIssueKind, a: number, b: number, extra: Partial<ParseIssue> = {}) =>
    issues.push({ kind, start: orig(a), end: orig(b), range: range(a, b), ...extra });

  let pos = 0;
  while (pos <= s.len) {
    const lineStart = s.lineStartFrom(pos);
    if (lineStart === -1) break;
    const at = s.skipWhitespace(lineStart);
    if (at >= s.len) break;
    const statement = s.code(at) === HASH ? undefined : readStatement(s, at);
    if (!statement) {
      const lineEnd = s.lineEndFrom(at);
      if (s.code(at) !== HASH) issue('malformed-line', at, lineEnd);
      pos = at + 1;
      continue;
    }
    const entry = buildEntry(s, statement, entries.length, range, orig, issue);
    entries.push(entry);
    pos = statement.end;
  }

  const lastIndex = new Map<string, number>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const later = lastIndex.get(entries[i].key);
    if (later !== undefined) {
      entries[i].overriddenBy = later;
      issues.push({ kind: 'duplicate-key', start: entries[i].start, end: entries[i].end, range: positions.range(entries[i].start, entries[i].end), key: entries[i].key, entry: i });
    } else {
      lastIndex.set(entries[i].key, i);
    }
    if (entries[i].key === '__proto__') {
      issues.push({ kind: 'ignored-key', start: entries[i].keyStart, end: entries[i].keyEnd, range: entries[i].keyRange, key: entries[i].key, entry: i });
    }
  }
  issues.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
  return { text, entries, issues, positions };

  function buildEntry(
    scanner: Scanner,
    st: RawStatement,
    index: number,
    toRange: (a: number, b: number) => Range,
    toOriginal: (o: number) => number,
    report: (kind: ParseIssueKind, a: number, b: number, extra?: Partial<ParseIssue>) => void,
  ): EnvEntry {
    const key = scanner.n.slice(st.keyStart, st.keyEnd);
    let valueStart = st.keyEnd;
    let valueEnd = st.keyEnd;
    let value = '';
    let quote: QuoteChar | undefined;
    let quoted = false;
    const keyRange = toRange(st.keyStart, st.keyEnd);
    let valueRange: Range | undefined;
    if (st.groupStart !== -1) {
      valueStart = scanner.skipWhitespace(st.groupStart);
      valueEnd = st.groupEnd;
      while (valueEnd > valueStart && isJsWhitespace(scanner.n.charCodeAt(valueEnd - 1))) valueEnd--;
      const trimmed = scanner.n.slice(valueStart, valueEnd);
      const first = trimmed.charCodeAt(0);
      if (QUOTES.includes(first)) quote = trimmed[0] as QuoteChar;
      value = stripSurroundingQuotes(trimmed);
      quoted = value !== trimmed;
      if (quote === '"') value = unescapeNewlines(value);
      const keyLine = keyRange.startLine;
      valueRange = toRange(valueStart, valueEnd);
      if (valueRange.startLine > keyLine) report('value-on-next-line', st.keyStart, valueStart, { key, entry: index });
      if (st.form === 'unquoted' && quote && !quoted) report('unclosed-quote', valueStart, valueStart + 1, { key, entry: index });
      if (st.form === 'unquoted' && st.hashAt !== -1 && st.hashAt > valueStart && !isJsWhitespace(scanner.n.charCodeAt(st.hashAt - 1))) {
        report('comment-cut', st.hashAt, scanner.lineEndFrom(st.hashAt), { key, entry: index });
      }
      if (st.form === 'quoted' && valueRange.endLine > valueRange.startLine) {
        const inner = scanner.n.slice(valueStart, valueEnd).split(/\n|\u2028|\u2029/).slice(1);
        const swallowed = inner.map((line) => ASSIGNMENT_LINE.exec(line)?.[1]).filter((k): k is string => k !== undefined);
        if (swallowed.length > 0) report('quote-swallows-lines', valueStart, valueStart + 1, { key, entry: index, swallowed });
      }
    }
    // `K=#x`: dotenv reads an empty value where Compose and shells read `#x`.
    if (st.form === 'none' && st.hashAt !== -1) report('comment-cut', st.hashAt, scanner.lineEndFrom(st.hashAt), { key, entry: index });
    const statementEnd = Math.max(valueEnd, st.keyEnd);
    return {
      key,
      value,
      exported: st.exported,
      separator: st.separator,
      ...(quote ? { quote } : {}),
      quoted,
      start: toOriginal(st.start),
      keyStart: toOriginal(st.keyStart),
      keyEnd: toOriginal(st.keyEnd),
      valueStart: toOriginal(valueStart),
      valueEnd: toOriginal(valueEnd),
      end: toOriginal(Math.max(statementEnd, Math.min(st.end, scanner.lineEndFrom(statementEnd)))),
      keyRange,
      valueRange: valueRange ?? toRange(valueStart, valueEnd),
    };
  }
}

/**
 * The object `dotenv.parse` returns: the last value for each key, keys in first-seen order (with
 * a JS object's integer-key ordering), and `__proto__` dropped as a plain object assignment does.
 */
export function toDotenvObject(parsed: ParsedEnv): Record<string, string> {
  const object: Record<string, string> = {};
  for (const entry of parsed.entries) object[entry.key] = entry.value;
  return object;
}

/** Final values by key, last statement winning (includes keys dotenv's object cannot hold). */
export function finalValues(parsed: ParsedEnv): Map<string, string> {
  const values = new Map<string, string>();
  for (const entry of parsed.entries) values.set(entry.key, entry.value);
  return values;
}
