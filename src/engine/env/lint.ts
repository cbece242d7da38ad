import type { ScanConfig } from '../config';
import type { Finding, Fix, Range, Severity } from '../model';
import { fingerprint, redact } from '../redact';
import { findSuppressions, isSuppressed, type Suppressions } from '../suppress';
import { expandAll, findReference } from './expand';
import { verifyFixes } from './fixes';
import { isJsWhitespace, parseEnv, toDotenvObject, type EnvEntry, type ParsedEnv } from './parse';
import { envRule } from './rules';

// One env file in, findings out: syntax and style (dotenv-linter's checks), and every place the
// file does not read the way it looks. Each fix is data and is checked to keep the values intact.

export type EnvFileKind = 'example' | 'production' | 'staging' | 'development' | 'test' | 'default' | 'other';

export interface EnvFileInfo {
  kind: EnvFileKind;
  /** `production` for `.env.production.local`; undefined for `.env` and `.env.local`. */
  mode?: string;
  /** `.local` files: per-machine overrides, layered over the others. */
  local: boolean;
}

const MODE_KIND: Record<string, EnvFileKind> = {
  production: 'production', prod: 'production', live: 'production',
  staging: 'staging', stage: 'staging', preview: 'staging', uat: 'staging',
  development: 'development', dev: 'development', local: 'development',
  test: 'test', testing: 'test', ci: 'test',
};
const EXAMPLE_WORDS = new Set(['example', 'sample', 'template', 'dist', 'defaults', 'schema']);

/** What a file named `.env…` is for, from its name alone. */
export function classifyEnvFile(path: string): EnvFileInfo {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const parts = name.replace(/^\.env\.?/, '').split('.').filter(Boolean);
  if (parts.some((p) => EXAMPLE_WORDS.has(p))) return { kind: 'example', local: false };
  const local = parts.at(-1) === 'local';
  const modeParts = local ? parts.slice(0, -1) : parts;
  if (modeParts.length === 0) return { kind: 'default', local };
  const mode = modeParts.join('.');
  return { kind: MODE_KIND[mode] ?? 'other', mode, local };
}

export interface LintOptions {
  /** Workspace-relative path with forward slashes. */
  path: string;
  config?: Pick<ScanConfig, 'rules'>;
}

export interface EnvLintResult {
  parsed: ParsedEnv;
  findings: Finding[];
  /** Findings not listed because a rule hit MAX_FINDINGS_PER_RULE in this file, by rule id. */
  unlisted: Map<string, number>;
}

/**
 * A generated or corrupted file can break a rule on every line; past this many findings of one
 * rule in one file the rest are counted, not listed (the report says how many).
 */
export const MAX_FINDINGS_PER_RULE = 200;

/** Builds findings with the user's settings and suppressions applied. */
export class FindingSink {
  readonly findings: Finding[] = [];
  readonly unlisted = new Map<string, number>();
  private readonly listed = new Map<string, number>();
  constructor(
    private readonly path: string,
    private readonly config: Pick<ScanConfig, 'rules'> | undefined,
    private readonly suppressions: Suppressions | undefined,
  ) {}

  severityFor(ruleId: string): Severity | undefined {
    const rule = envRule(ruleId);
    const setting = this.config?.rules[ruleId];
    if (setting === 'off') return undefined;
    if (setting) return setting;
    return rule.offByDefault ? undefined : rule.defaultSeverity;
  }

  add(ruleId: string, range: Range, message: string, identity: string, extra: Partial<Finding> = {}, commit?: string): Finding | undefined {
    const severity = this.severityFor(ruleId);
    if (!severity) return undefined;
    if (this.suppressions && isSuppressed(this.suppressions, range.startLine, ruleId)) return undefined;
    const count = this.listed.get(ruleId) ?? 0;
    if (count >= MAX_FINDINGS_PER_RULE) {
      this.unlisted.set(ruleId, (this.unlisted.get(ruleId) ?? 0) + 1);
      return undefined;
    }
    this.listed.set(ruleId, count + 1);
    const finding: Finding = {
      ruleId,
      severity,
      stage: 'secrets',
      message,
      location: { kind: 'file', path: this.path, range, ...(commit ? { commit } : {}) },
      remediation: envRule(ruleId).remediation,
      fingerprint: fingerprint(ruleId, this.path, identity),
      ...extra,
    };
    this.findings.push(finding);
    return finding;
  }
}

function lineRange(parsed: ParsedEnv, line: number): Range {
  const start = parsed.positions.lineStart(line);
  return parsed.positions.range(start, parsed.positions.lineEnd(line));
}

/** The whole line including its terminator: what deleting the line removes. */
function wholeLines(parsed: ParsedEnv, firstLine: number, lastLine: number): Range {
  const end = lastLine < parsed.positions.lineCount ? parsed.positions.lineStart(lastLine + 1) : parsed.text.length;
  return parsed.positions.range(parsed.positions.lineStart(firstLine), end);
}

function insertAt(parsed: ParsedEnv, offset: number): Range {
  return parsed.positions.range(offset, offset);
}

function commentOut(parsed: ParsedEnv, line: number): Fix {
  const start = parsed.positions.lineStart(line);
  return { title: 'Comment the line out', edits: [{ range: insertAt(parsed, start), newText: '# ' }], safe: true };
}

/** Lines whose text belongs to a multiline value: their whitespace and blank lines are data. */
function valueLines(entries: readonly EnvEntry[]): Set<number> {
  const lines = new Set<number>();
  for (const entry of entries) {
    for (let line = entry.valueRange.startLine; line < entry.valueRange.endLine; line++) lines.add(line);
    for (let line = entry.valueRange.startLine + 1; line <= entry.valueRange.endLine; line++) lines.add(-line);
  }
  return lines;
}

/**
 * The block of one-statement lines around `line` (up to blank lines, comments, or anything
 * else), sorted by key: an unsafe fix, since `${VAR}` references depend on order.
 */
function sortedBlock(parsed: ParsedEnv, firstKeyOnLine: Map<number, EnvEntry>, line: number): Fix | undefined {
  const single = (l: number) => {
    const entry = firstKeyOnLine.get(l);
    return entry !== undefined && entry.valueRange.endLine === l && parsed.positions.line(entry.end) === l ? entry : undefined;
  };
  if (!single(line)) return undefined;
  let first = line;
  let last = line;
  while (first > 1 && single(first - 1)) first--;
  while (single(last + 1)) last++;
  const lines: { key: string; text: string }[] = [];
  for (let l = first; l <= last; l++) lines.push({ key: single(l)!.key, text: parsed.text.slice(parsed.positions.lineStart(l), parsed.positions.lineEnd(l)) });
  const sorted = [...lines].sort((a, b) => a.key.localeCompare(b.key, 'en'));
  const range = parsed.positions.range(parsed.positions.lineStart(first), parsed.positions.lineEnd(last));
  const eol = parsed.text.includes('\r\n') ? '\r\n' : '\n';
  return { title: 'Sort the keys in this block', edits: [{ range, newText: sorted.map((l) => l.text).join(eol) }], safe: false };
}

const KEY_ONLY_LINE = /^[ \t]*(?:export[ \t]+)?[A-Za-z0-9_.-]+[ \t]*$/;

export function lintEnvText(text: string, options: LintOptions): EnvLintResult {
  const parsed = parseEnv(text);
  const { positions, entries } = parsed;
  const suppressions = text.includes('launch-ready-ignore') ? findSuppressions(text, (o) => positions.line(o)) : undefined;
  const sink = new FindingSink(options.path, options.config, suppressions);
  const lineText = (line: number) => text.slice(positions.lineStart(line), positions.lineEnd(line));

  // What dotenv loses or changes.
  for (const issue of parsed.issues) {
    const entry = issue.entry !== undefined ? entries[issue.entry] : undefined;
    switch (issue.kind) {
      case 'duplicate-key': {
        if (!entry || entry.overriddenBy === undefined) break;
        const later = entries[entry.overriddenBy];
        const first = entry.keyRange.startLine;
        const last = positions.line(entry.end);
        sink.add('env/duplicated-key', entry.keyRange, `${entry.key} is set again on line ${later.keyRange.startLine}; dotenv uses that later value`, `${entry.key}:${first}`, {
          fixes: [{ title: `Delete this earlier ${entry.key}`, edits: [{ range: wholeLines(parsed, first, last), newText: '' }], safe: true }],
        });
        break;
      }
      case 'malformed-line': {
        const line = issue.range.startLine;
        const keyOnly = KEY_ONLY_LINE.test(lineText(line));
        sink.add(keyOnly ? 'env/key-without-value' : 'env/malformed-line', lineRange(parsed, line), keyOnly ? 'Key without `=`: dotenv ignores the line, so the variable is not set' : 'dotenv cannot read this line and drops it', lineText(line), { fixes: [commentOut(parsed, line)] });
        break;
      }
      case 'comment-cut': {
        if (!entry) break;
        const fixes: Fix[] = [{ title: 'Insert a space before `#` (every reader then sees the same comment)', edits: [{ range: insertAt(parsed, issue.start), newText: ' ' }], safe: true }];
        const restEnd = positions.lineEnd(issue.range.startLine);
        let restTrimmed = restEnd;
        while (restTrimmed > issue.start && isJsWhitespace(text.charCodeAt(restTrimmed - 1))) restTrimmed--;
        const valueFrom = entry.valueEnd > entry.valueStart ? entry.valueStart : issue.start;
        const whole = text.slice(valueFrom, restTrimmed);
        if (!whole.includes('"') && !whole.includes('\\')) {
          fixes.push({ title: 'Quote the value so `#` is part of it', edits: [{ range: positions.range(valueFrom, restTrimmed), newText: `"${whole}"` }], safe: false });
        }
        sink.add('env/inline-comment-cut', issue.range, `dotenv reads ${entry.key} only up to this \`#\`; Docker Compose and shells read the rest too`, `${entry.key}`, { fixes });
        break;
      }
      case 'unclosed-quote':
        if (entry) {
          const quote = text[entry.valueStart];
          sink.add('env/unbalanced-quote', issue.range, `The quote opening ${entry.key}'s value never closes: dotenv keeps the quote character in the value`, entry.key, {
            fixes: [{ title: 'Close the quote at the end of the value', edits: [{ range: insertAt(parsed, entry.valueEnd), newText: quote }], safe: false }],
          });
        }
        break;
      case 'quote-swallows-lines':
        if (entry) {
          const keys = issue.swallowed ?? [];
          const firstLineEnd = positions.lineEnd(entry.valueRange.startLine);
          let closeAt = firstLineEnd;
          while (closeAt > entry.valueStart + 1 && isJsWhitespace(text.charCodeAt(closeAt - 1))) closeAt--;
          const quote = text[entry.valueStart];
          sink.add('env/quote-swallows-lines', issue.range, `The quoted value of ${entry.key} runs to line ${entry.valueRange.endLine} and swallows ${keys.join(', ')}: ${keys.length === 1 ? 'that key is' : 'those keys are'} not set`, entry.key, {
            fixes: [{
              title: 'End the value on its first line',
              edits: [{ range: insertAt(parsed, closeAt), newText: quote }, { range: positions.range(entry.valueEnd - 1, entry.valueEnd), newText: '' }],
              safe: false,
            }],
          });
        }
        break;
      case 'value-on-next-line':
        if (entry) {
          sink.add('env/value-on-next-line', entry.keyRange, `${entry.key} has no value on its line; dotenv takes it from line ${entry.valueRange.startLine}`, entry.key, {
            fixes: [{ title: 'Move the value onto the key\'s line', edits: [{ range: positions.range(entry.keyEnd, entry.valueStart), newText: '=' }], safe: true }],
          });
        }
        break;
      case 'ignored-key':
        if (entry) sink.add('env/ignored-key', entry.keyRange, '`__proto__` cannot be set by dotenv: the line has no effect', entry.key, { fixes: [commentOut(parsed, entry.keyRange.startLine)] });
        break;
    }
  }

  // Key names.
  for (const entry of entries) {
    const { key } = entry;
    if (key === '__proto__') continue;
    if (!/^[A-Za-z_]/.test(key)) {
      const renamed = key.replace(/^[^A-Za-z_]+/, '');
      sink.add('env/leading-character', entry.keyRange, `${key} starts with \`${key[0]}\``, key, renamed ? { fixes: [{ title: `Rename to ${renamed}`, edits: [{ range: entry.keyRange, newText: renamed }], safe: false }] } : {});
    }
    if (/[^A-Za-z0-9_]/.test(key.slice(1))) {
      const renamed = key[0] + key.slice(1).replace(/[^A-Za-z0-9_]/g, '_');
      sink.add('env/incorrect-delimiter', entry.keyRange, `${key} contains characters other than letters, digits and \`_\``, key, { fixes: [{ title: `Rename to ${renamed}`, edits: [{ range: entry.keyRange, newText: renamed }], safe: false }] });
    }
    if (/[a-z]/.test(key)) {
      sink.add('env/lowercase-key', entry.keyRange, `${key} is not upper case`, key, { fixes: [{ title: `Rename to ${key.toUpperCase()}`, edits: [{ range: entry.keyRange, newText: key.toUpperCase() }], safe: false }] });
    }
    if (entry.separator === '=' && entry.keyRange.endLine === entry.valueRange.startLine) {
      const equals = text.indexOf('=', entry.keyEnd);
      const before = text.slice(entry.keyEnd, equals);
      const afterEnd = entry.valueEnd > entry.valueStart ? entry.valueStart : equals + 1;
      const after = text.slice(equals + 1, afterEnd);
      if (equals !== -1 && (before.length > 0 || after.length > 0) && !/[\r\n]/.test(before + after)) {
        sink.add('env/space-around-equals', positions.range(entry.keyEnd, afterEnd), `Spaces around \`=\` after ${key}`, key, {
          fixes: [{ title: 'Remove the spaces', edits: [{ range: positions.range(entry.keyEnd, afterEnd), newText: '=' }], safe: true }],
        });
      }
    }
  }

  // Expansion: references nothing defines, and `$` the expander eats.
  const object = toDotenvObject(parsed);
  const expanded = expandAll(Object.entries(object));
  const lastEntry = new Map<string, EnvEntry>();
  for (const entry of entries) lastEntry.set(entry.key, entry);
  for (const [key, result] of expanded) {
    const entry = lastEntry.get(key);
    if (!entry || result.value === object[key]) continue;
    const raw = text.slice(entry.valueStart, entry.valueEnd);
    let reported = false;
    for (let ref = findReference(raw); ref; ref = findReference(raw, ref.end)) {
      const name = ref.expression.split(/:?[-+]/)[0];
      if (!result.undefinedReferences.includes(name)) continue;
      const range = positions.range(entry.valueStart + ref.start, entry.valueStart + ref.end);
      const braced = raw[ref.start + 1] === '{';
      // `pa$$word`, `$ecret`: a `$` that was never meant as a reference.
      const literalDollar = raw[ref.start - 1] === '$' || (!braced && /[a-z]/.test(name));
      if (literalDollar) {
        sink.add('env/expansion-changes-value', range, `dotenv-expand reads this \`$\` in ${key} as a variable reference and removes it: the app gets a different value than the file shows`, `${key}:${ref.start}`, {
          evidence: redact(result.value),
          fixes: [{ title: 'Escape the `$` (dotenv-expand then keeps it)', edits: [{ range: insertAt(parsed, entry.valueStart + ref.start), newText: '\\' }], safe: false }],
        });
      } else if (!/[-+]/.test(ref.expression)) {
        sink.add('env/undefined-substitution', range, `${key} refers to ${name}, which no earlier line defines: it expands to an empty string`, `${key}:${name}`, {
          fixes: [{ title: 'Escape the `$` (keep the text literally)', edits: [{ range: insertAt(parsed, entry.valueStart + ref.start), newText: '\\' }], safe: false }],
        });
      }
      reported = true;
    }
    if (!reported && result.truncated) {
      sink.add('env/expansion-changes-value', entry.valueRange, `Expanding ${key} never finishes in dotenv-expand (the value keeps growing)`, `${key}:runaway`);
    }
  }

  // Whitespace and layout, outside multiline values.
  const inValue = valueLines(entries);
  const realLines = positions.lineCount - (text.length > 0 && /[\r\n]$/.test(text) ? 1 : 0);
  let blankRun = 0;
  let blockPrevious: string | undefined;
  const firstKeyOnLine = new Map<number, EnvEntry>();
  for (const entry of entries) if (!firstKeyOnLine.has(entry.keyRange.startLine)) firstKeyOnLine.set(entry.keyRange.startLine, entry);
  for (let line = 1; line <= realLines; line++) {
    const content = lineText(line);
    const start = positions.lineStart(line);
    if (!inValue.has(line)) {
      let end = content.length;
      while (end > 0 && (content[end - 1] === ' ' || content[end - 1] === '\t')) end--;
      if (end < content.length) {
        const range = positions.range(start + end, start + content.length);
        sink.add('env/trailing-whitespace', range, 'Trailing whitespace', `${line}:${content}`, { fixes: [{ title: 'Remove trailing whitespace', edits: [{ range, newText: '' }], safe: true }] });
      }
    }
    const blank = content.trim() === '' && !inValue.has(-line);
    if (blank) {
      blankRun++;
      if (blankRun > 1) sink.add('env/extra-blank-line', lineRange(parsed, line), 'Extra blank line', `${line}`, { fixes: [{ title: 'Remove the blank line', edits: [{ range: wholeLines(parsed, line, line), newText: '' }], safe: true }] });
      blockPrevious = undefined;
      continue;
    }
    blankRun = 0;
    if (/^\s*#/.test(content) && !inValue.has(-line)) {
      blockPrevious = undefined;
      continue;
    }
    const entry = firstKeyOnLine.get(line);
    if (entry) {
      if (blockPrevious !== undefined && entry.key.localeCompare(blockPrevious, 'en') < 0) {
        const block = sortedBlock(parsed, firstKeyOnLine, line);
        sink.add('env/unordered-key', entry.keyRange, `${entry.key} should come before ${blockPrevious}`, entry.key, block ? { fixes: [block] } : {});
      }
      blockPrevious = entry.key;
    }
  }
  if (text.length > 0 && !/[\r\n]$/.test(text)) {
    const range = insertAt(parsed, text.length);
    sink.add('env/missing-final-newline', range, 'No newline at end of file', 'eof', { fixes: [{ title: 'Add a final newline', edits: [{ range, newText: text.includes('\r\n') ? '\r\n' : '\n' }], safe: true }] });
  }

  verifyFixes(text, sink.findings, parsed);
  return { parsed, findings: sink.findings, unlisted: sink.unlisted };
}
