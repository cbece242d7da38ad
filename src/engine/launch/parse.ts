import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { RuleSetting } from '../config';
import type { Finding, Range } from '../model';
import { findSuppressions, isSuppressed } from '../suppress';
import { fingerprint } from '../redact';
import { buildConfig } from './build';
import type { LaunchConfig, YamlPath } from './model';
import { launchRule } from './rules';
import { LAUNCH_SCHEMA } from './schema';
import { displayPath, TooComplexError, validateAgainstSchema, type Issue } from './validate';

// launch.yaml text → LaunchConfig plus positioned findings. Whatever the input (broken YAML,
// a 50 MB paste, alias bombs, deep nesting), the result is findings, never an exception.

export const LAUNCH_FILE_NAMES = ['launch.yaml', 'launch.yml'] as const;

export interface LaunchParseOptions {
  /** The audit's day, YYYY-MM-DD or a Date; expiry and "in the future" are judged against it. */
  today?: string | Date;
  /** Larger files are not parsed (default 256 KiB; a launch description is a few KiB). */
  maxBytes?: number;
  /** Per-rule settings from `.launch-ready.json`: a severity, or `off`. */
  rules?: Record<string, RuleSetting>;
}

export interface LaunchParseResult {
  /** Present when the file could be read and `app` is valid; invalid parts are left out. */
  config?: LaunchConfig;
  findings: Finding[];
  /** The range of the value (or key) at a YAML path, for checks that report against launch.yaml. */
  positionOf(path: YamlPath, part?: 'key' | 'value'): Range | undefined;
}

const DEFAULT_MAX_BYTES = 256 * 1024;
/** Far beyond any real launch.yaml, far below where the YAML parser's recursion gets near the stack limit. */
const MAX_FLOW_DEPTH = 64;
const MAX_LEADING_STRUCTURE = 256;

function isoDay(today: string | Date | undefined): string {
  if (typeof today === 'string') return today;
  return (today ?? new Date()).toISOString().slice(0, 10);
}

export function parseLaunchYaml(text: string, path: string, options: LaunchParseOptions = {}): LaunchParseResult {
  const lineCounter = new LineCounter();
  const findings: Finding[] = [];
  // Set once the YAML is parsed; positionOf answers only from then on.
  const parsed: { doc?: Document } = {};

  const rangeOf = (startOffset: number, endOffset: number): Range => {
    // The parser may point one past the end of the text ("expected ] here").
    const start = Math.min(startOffset, text.length);
    const from = lineCounter.linePos(start);
    const to = lineCounter.linePos(Math.min(Math.max(start, endOffset), text.length));
    return { startLine: from.line, startColumn: from.col, endLine: to.line, endColumn: to.col };
  };
  const push = (ruleId: string, message: string, range: Range, yamlPath: YamlPath = []) => {
    const rule = launchRule(ruleId);
    findings.push({
      ruleId,
      severity: rule.defaultSeverity,
      stage: rule.stage,
      message,
      location: { kind: 'file', path, range },
      remediation: rule.remediation,
      fingerprint: fingerprint(ruleId, path, `${displayPath(yamlPath)}\0${yamlPath.length === 0 ? message : ''}`),
    });
  };
  const firstLine: Range = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
  const result = (config?: LaunchConfig): LaunchParseResult => ({
    config,
    findings: applyUserSettings(findings, text, lineCounter, options.rules).sort((a, b) => compareRanges(a, b)),
    positionOf: (yamlPath, part = 'value') => {
      if (!parsed.doc) return undefined;
      const offsets = locate(parsed.doc, yamlPath, part);
      return offsets && clipToFirstLine(rangeOf(offsets[0], offsets[1]), text, offsets, lineCounter);
    },
  });

  const bytes = Buffer.byteLength(text, 'utf8');
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes > maxBytes) {
    push('launch/file-too-large', `launch.yaml is ${bytes} bytes; files over ${maxBytes} bytes are not read.`, firstLine);
    return result();
  }
  // The line counter must see the whole text before any position is asked for.
  const tooDeep = findExcessiveNesting(text);
  if (tooDeep !== undefined) {
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    push('launch/too-complex', 'launch.yaml nests deeper than any launch description needs; it was not read.', rangeOf(tooDeep, tooDeep + 1));
    return result();
  }

  let documents: Document[];
  try {
    documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false }) as unknown as Document[];
  } catch (error) {
    push('launch/yaml-syntax', `launch.yaml could not be read as YAML (${(error as Error).message}).`, firstLine);
    return result();
  }
  if (!Array.isArray(documents) || documents.length === 0 || documents[0].contents === null) {
    push('launch/empty-file', 'launch.yaml has no content.', firstLine);
    return result();
  }
  const doc = documents[0];
  parsed.doc = doc;
  if (documents.length > 1) {
    const start = documents[1].range?.[0] ?? 0;
    push('launch/multiple-documents', `launch.yaml holds ${documents.length} YAML documents; only the first is read.`, rangeOf(start, Math.min(start + 3, text.length)));
  }

  let fatal = false;
  for (const error of doc.errors) {
    const duplicate = error.code === 'DUPLICATE_KEY';
    if (!duplicate) fatal = true;
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const end = duplicate ? (keyEndingAt(doc.contents as Node | null, error.pos[0]) ?? error.pos[1]) : error.pos[1];
    push(duplicate ? 'launch/duplicate-key' : 'launch/yaml-syntax', duplicate ? `${message}: this key is written twice in the same section.` : `${message}.`, rangeOf(error.pos[0], end), [`@${error.pos[0]}`]);
  }
  for (const warning of doc.warnings) {
    push('launch/unsupported-yaml', `${warning.message.split('\n')[0]}.`, rangeOf(warning.pos[0], warning.pos[1]), [`@${warning.pos[0]}`]);
  }
  if (fatal) return result();
  if (!isMap(doc.contents)) {
    const node = doc.contents as Node;
    const range = node.range ?? [0, 0, 0];
    push('launch/wrong-type', 'launch.yaml must be a set of `key: value` sections (starting with `app:`), not a single value or list.', clipToFirstLine(rangeOf(range[0], range[1]), text, [range[0], range[1]], lineCounter));
    return result();
  }

  let issues: Issue[];
  let value: unknown;
  try {
    ({ value, issues } = validateAgainstSchema(doc, LAUNCH_SCHEMA));
  } catch (error) {
    if (!(error instanceof TooComplexError)) throw error;
    push('launch/too-complex', `launch.yaml expands to too much data: ${error.message}.`, firstLine);
    return result();
  }
  const built = buildConfig(value, isoDay(options.today));
  for (const issue of [...issues, ...built.issues]) {
    const offsets = locate(doc, issue.path, issue.part) ?? locateNearest(doc, issue.path, issue.part);
    const range = offsets ? clipToFirstLine(rangeOf(offsets[0], offsets[1]), text, offsets, lineCounter) : firstLine;
    push(issue.ruleId, issue.message, range, issue.path);
  }
  return result(built.config);
}

/** `# launch-ready-ignore [rule…]` comments and `.launch-ready.json` rule settings, as for every other file. */
function applyUserSettings(findings: Finding[], text: string, lineCounter: LineCounter, rules: Record<string, RuleSetting> | undefined): Finding[] {
  // Without line starts (a file refused for its size) there are no lines to match comments to.
  const suppressions = text.includes('launch-ready-ignore') && lineCounter.lineStarts.length > 0 ? findSuppressions(text, (offset) => lineCounter.linePos(offset).line) : undefined;
  const kept: Finding[] = [];
  for (const finding of findings) {
    const setting = rules?.[finding.ruleId];
    if (setting === 'off') continue;
    const line = finding.location.kind === 'file' ? finding.location.range.startLine : 0;
    if (suppressions && isSuppressed(suppressions, line, finding.ruleId)) continue;
    kept.push(setting ? { ...finding, severity: setting } : finding);
  }
  return kept;
}

function compareRanges(a: Finding, b: Finding): number {
  const ra = a.location.kind === 'file' ? a.location.range : undefined;
  const rb = b.location.kind === 'file' ? b.location.range : undefined;
  if (!ra || !rb) return 0;
  return ra.startLine - rb.startLine || ra.startColumn - rb.startColumn || a.ruleId.localeCompare(b.ruleId);
}

/** A section's range spans its whole block; the first line is what an editor should underline. */
function clipToFirstLine(range: Range, text: string, offsets: [number, number], lineCounter: LineCounter): Range {
  if (range.endLine === range.startLine) return range;
  const newline = text.indexOf('\n', offsets[0]);
  const end = newline === -1 ? text.length : newline;
  const to = lineCounter.linePos(end);
  return { ...range, endLine: to.line, endColumn: to.col };
}

/**
 * Flow brackets nested past MAX_FLOW_DEPTH, or a line whose leading indentation and `- `/`? `
 * markers run past MAX_LEADING_STRUCTURE columns: returns the offset where it happens. Brackets in
 * quoted text count too; a real file never comes close either way.
 */
function findExcessiveNesting(text: string): number | undefined {
  let depth = 0;
  let lineStart = true;
  let leading = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      leading = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32 || c === 9 || c === 45 || c === 63) {
        if (++leading > MAX_LEADING_STRUCTURE) return i;
        continue;
      }
      lineStart = false;
    }
    if (c === 91 || c === 123) {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if ((c === 93 || c === 125) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

type Offsets = [number, number];

/** The node at a YAML path (the last of duplicate keys, since that is the value that counts). */
function nodeAt(doc: Document, path: YamlPath): { node?: Node; keyNode?: Node } | undefined {
  let node = doc.contents as Node | null | undefined;
  let keyNode: Node | undefined;
  for (const segment of path) {
    for (let hops = 0; node && isAlias(node) && hops < 16; hops++) node = node.resolve(doc) as Node | undefined;
    if (!node) return undefined;
    if (typeof segment === 'number') {
      if (!isSeq(node)) return undefined;
      node = node.items[segment] as Node | undefined;
      keyNode = undefined;
    } else {
      if (!isMap(node)) return undefined;
      const pair = [...node.items].reverse().find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) return undefined;
      keyNode = pair.key as Node;
      node = (pair.value as Node | null) ?? undefined;
    }
  }
  return { node: node ?? undefined, keyNode };
}

function locate(doc: Document, path: YamlPath, part: 'key' | 'value'): Offsets | undefined {
  const found = nodeAt(doc, path);
  if (!found) return undefined;
  const target = part === 'key' ? (found.keyNode ?? found.node) : (found.node ?? found.keyNode);
  const range = target?.range;
  if (!range) return undefined;
  // An empty value (`primary:`) has a zero-width range; point at its key instead.
  if (range[0] === range[1] && found.keyNode?.range) return [found.keyNode.range[0], found.keyNode.range[1]];
  return [range[0], range[1]];
}

/** For a missing key: the closest ancestor that exists (its key), or the start of the file. */
function locateNearest(doc: Document, path: YamlPath, part: 'key' | 'value'): Offsets | undefined {
  for (let length = path.length - 1; length >= 0; length--) {
    const offsets = locate(doc, path.slice(0, length), length === 0 ? 'value' : part);
    if (offsets) {
      if (length === 0) {
        const first = isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
        const range = (first as Node | undefined)?.range;
        return range ? [range[0], range[1]] : [offsets[0], offsets[0]];
      }
      return offsets;
    }
  }
  return undefined;
}

/** The end offset of the map key that starts at `offset` (the parser marks only a duplicate key's first character). */
function keyEndingAt(root: Node | null, offset: number): number | undefined {
  const stack: Node[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (key?.range?.[0] === offset) return key.range[1];
        if (pair.value) stack.push(pair.value as Node);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item as Node);
    }
  }
  return undefined;
}
