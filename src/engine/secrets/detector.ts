import type { Severity } from '../model';
import { CREDENTIAL_KEYWORDS, readAssignment } from './generic';
import { characterClasses, isPlaceholder, looksMinified, shannonEntropy } from './heuristics';
import { KEYWORD_SEARCH_WASM } from './keyword-search-wasm';
import { PATTERN_RULES, type PatternRule, type Verdict } from './providers';

// The hot path. A case-insensitive search for literal keywords finds the few places worth a
// closer look; only there do the provider patterns and the assignment reader run, and only on a
// bounded window. A file with no keyword costs one pass of the keyword search.

export interface SecretHit {
  ruleId: string;
  title: string;
  severity: Severity;
  message: string;
  remediation?: string;
  start: number;
  end: number;
  secret: string;
  publicPrefix: number;
  priority: number;
}

export interface DetectOptions {
  /** Workspace-relative path; file type decides which syntaxes count as assignments. */
  path: string;
  /** A production env file: test-mode keys there are blockers. */
  productionEnv?: boolean;
  /** Treat as minified/generated: only provider formats run, not generic assignments. */
  minified?: boolean;
}

const GENERIC = Symbol('generic');
type Detector = PatternRule | typeof GENERIC;

const BY_KEYWORD = new Map<string, Detector[]>();
const addKeyword = (keyword: string, detector: Detector) => {
  const key = keyword.toLowerCase();
  const list = BY_KEYWORD.get(key) ?? [];
  if (!list.includes(detector)) list.push(detector);
  BY_KEYWORD.set(key, list);
};
for (const rule of PATTERN_RULES) for (const keyword of rule.keywords) addKeyword(keyword, rule);
for (const keyword of CREDENTIAL_KEYWORDS) addKeyword(keyword, GENERIC);

// The keyword search is a trie walked over character codes, behind a one-bit-per-trigram filter.
// Measured on the benchmark tree it is about a third faster than one case-insensitive regex of
// all keywords (trie-shaped or not), and it identifies the keyword without a lower-cased copy
// and a map lookup per hit. Splitting case-sensitive provider prefixes from case-insensitive
// generic words measured slower (two passes cost more than one). Keywords are ASCII; letters
// match in either case, as the regex's `i` flag did, and non-ASCII text never matches.

const ALPHABET = 128;
/** `NEXT[node * 128 + code]`: the child node, 0 for none (the root is never a child). */
let NEXT = new Int32Array(64 * ALPHABET);
/** Detectors of the keyword that ends at each node. */
const AT_NODE: (Detector[] | undefined)[] = [undefined];
for (const [keyword, detectors] of BY_KEYWORD) {
  let node = 0;
  for (let i = 0; i < keyword.length; i++) {
    const code = keyword.charCodeAt(i);
    if (code >= ALPHABET) throw new Error(`secret keyword "${keyword}" must be ASCII`);
    let child = NEXT[node * ALPHABET + code];
    if (child === 0) {
      child = AT_NODE.length;
      AT_NODE.push(undefined);
      if ((child + 1) * ALPHABET > NEXT.length) {
        const grown = new Int32Array(NEXT.length * 2);
        grown.set(NEXT);
        NEXT = grown;
      }
      NEXT[node * ALPHABET + code] = child;
    }
    node = child;
  }
  AT_NODE[node] = detectors;
}
// Upper-case letters take the same edges as lower-case ones.
for (let node = 0; node < AT_NODE.length; node++) {
  for (let code = 97; code <= 122; code++) NEXT[node * ALPHABET + code - 32] = NEXT[node * ALPHABET + code];
}

/** Bit per (c0, c1, c2) ASCII trigram that can start a keyword; most positions fail here. */
const TRIGRAMS = new Uint32Array((ALPHABET * ALPHABET * ALPHABET) >>> 5);
for (let c0 = 0; c0 < ALPHABET; c0++) {
  const n0 = NEXT[c0];
  if (n0 === 0) continue;
  for (let c1 = 0; c1 < ALPHABET; c1++) {
    const n1 = NEXT[n0 * ALPHABET + c1];
    if (n1 === 0 && !AT_NODE[n0]) continue;
    for (let c2 = 0; c2 < ALPHABET; c2++) {
      if (AT_NODE[n0] || AT_NODE[n1] || (n1 !== 0 && NEXT[n1 * ALPHABET + c2] !== 0)) {
        const index = (c0 << 14) | (c1 << 7) | c2;
        TRIGRAMS[index >>> 5] |= 1 << (index & 31);
      }
    }
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The trie as a regex source (`p(?:ass(?:wd|word)|wd)|…`), greedy tails: longest keyword wins. */
function trieSource(node: number): string {
  const branches: string[] = [];
  for (let code = 0; code < ALPHABET; code++) {
    if (code >= 65 && code <= 90) continue; // upper case shares the lower-case edge
    const child = NEXT[node * ALPHABET + code];
    if (child !== 0) branches.push(escapeRegex(String.fromCharCode(code)) + trieSource(child));
  }
  if (branches.length === 0) return '';
  const body = branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
  return node !== 0 && AT_NODE[node] ? `(?:${body})?` : body;
}

/**
 * What the keyword search matches, as a regex: the specification nextKeyword implements (a test
 * checks they agree), and what the ReDoS check analyses. The scan itself does not run it.
 */
export const PREFILTER = new RegExp(trieSource(0), 'gi');

/** Set by keywordAt/nextKeyword: where the keyword found ends, and its trie node. */
let keywordEnd = 0;
let keywordNode = 0;

/** The longest keyword starting at `at`; false when none does. */
function keywordAt(text: string, at: number): boolean {
  let node = 0;
  let found = 0;
  let end = at;
  for (let i = at; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= ALPHABET) break;
    node = NEXT[node * ALPHABET + code];
    if (node === 0) break;
    if (AT_NODE[node] !== undefined) {
      found = node;
      end = i + 1;
    }
  }
  if (found === 0) return false;
  keywordNode = found;
  keywordEnd = end;
  return true;
}

/** Start of the first keyword at or after `from` (longest at that position), or -1. */
function nextKeyword(text: string, from: number): number {
  const last = text.length - 2;
  let i = from;
  if (i < last) {
    let c1 = text.charCodeAt(i);
    let c2 = text.charCodeAt(i + 1);
    for (; i < last; i++) {
      const c0 = c1;
      c1 = c2;
      c2 = text.charCodeAt(i + 2);
      if ((c0 | c1 | c2) >= ALPHABET) continue;
      const index = (c0 << 14) | (c1 << 7) | c2;
      if ((TRIGRAMS[index >>> 5] & (1 << (index & 31))) !== 0 && keywordAt(text, i)) return i;
    }
  }
  // The last two positions have no full trigram; only keywords shorter than three can start there.
  for (; i < text.length; i++) if (keywordAt(text, i)) return i;
  return -1;
}

// The same search over the text's bytes in WebAssembly (keyword-search.wat), about twice as fast:
// this loop is most of what a workspace scan costs. It needs ASCII text (a byte per character,
// so byte offsets are string offsets) and keywords of three or more characters; otherwise, or
// if WebAssembly cannot be instantiated, nextKeyword runs. Hits are found a batch at a time.

const MIN_KEYWORD_LENGTH = Math.min(...[...BY_KEYWORD.keys()].map((keyword) => keyword.length));
/** Shorter texts are searched in JavaScript: copying them costs about what it saves. */
const BYTE_SEARCH_MIN_LENGTH = 256;
/** WebAssembly memory never shrinks: a longer text is searched in JavaScript rather than held. */
const BYTE_SEARCH_MAX_LENGTH = 16 * 1024 * 1024;
const HIT_BATCH = 4096;

// The engine's compile settings carry no DOM or WebAssembly typings; this is the part used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
};

interface ByteSearch {
  search(text: number, length: number, from: number, pairs: number, next: number, ends: number, out: number, cap: number): number;
  memory: WasmMemory;
  bytes: Uint8Array;
  words: Int32Array;
  pairs: number;
  next: number;
  ends: number;
  out: number;
  text: number;
}

let byteSearch: ByteSearch | null | undefined;

function createByteSearch(): ByteSearch | null {
  if (MIN_KEYWORD_LENGTH < 3) return null;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(KEYWORD_SEARCH_WASM, 'base64')));
    const exports = instance.exports as unknown as Pick<ByteSearch, 'search' | 'memory'>;
    const nodes = AT_NODE.length;
    const pairs = TRIGRAMS.length * 4;
    const next = pairs + 65536;
    const ends = next + nodes * ALPHABET * 2;
    const out = (ends + nodes + 4 + 7) & ~7;
    const text = out + HIT_BATCH * 12;
    const state: ByteSearch = { search: exports.search, memory: exports.memory, bytes: new Uint8Array(0), words: new Int32Array(0), pairs, next, ends, out, text };
    growByteSearch(state, 0);
    const { bytes } = state;
    // Bit (c0 << 14 | c1 << 7 | c2) of the trigram filter, laid out byte by byte as the module reads it.
    TRIGRAMS.forEach((word, w) => {
      for (let bit = 0; word !== 0 && bit < 32; bit++) {
        if ((word & (1 << bit)) !== 0) bytes[(w * 32 + bit) >>> 3] |= 1 << (bit & 7);
      }
    });
    for (let c0 = 0; c0 < ALPHABET; c0++) {
      for (let c1 = 0; c1 < ALPHABET; c1++) if (NEXT[c0] !== 0 && NEXT[NEXT[c0] * ALPHABET + c1] !== 0) bytes[pairs + (c0 | (c1 << 8))] = 1;
    }
    const children = new DataView(exports.memory.buffer);
    for (let i = 0; i < nodes * ALPHABET; i++) if (NEXT[i] !== 0) children.setUint16(next + i * 2, NEXT[i], true);
    for (let node = 0; node < nodes; node++) bytes[ends + node] = AT_NODE[node] ? 1 : 0;
    return state;
  } catch {
    return null;
  }
}

function growByteSearch(state: ByteSearch, textLength: number): void {
  const needed = state.text + textLength + 4;
  const have = state.memory.buffer.byteLength;
  if (needed > have || state.bytes.length === 0) {
    if (needed > have) state.memory.grow(Math.ceil((needed - have) / 65536));
    state.bytes = new Uint8Array(state.memory.buffer);
    state.words = new Int32Array(state.memory.buffer);
  }
}

const encoder = new TextEncoder();
/** The batch of hits being handed out, and where the byte search resumes after it. */
let batchSize = 0;
let batchIndex = 0;
let resumeAt = 0;
let searchedLength = 0;
let searchingBytes = false;

/** Copies the text into the byte search's memory; false when it must be searched in JavaScript. */
function loadBytes(text: string): boolean {
  if (text.length < BYTE_SEARCH_MIN_LENGTH || text.length > BYTE_SEARCH_MAX_LENGTH) return false;
  if (byteSearch === undefined) byteSearch = createByteSearch();
  if (byteSearch === null) return false;
  try {
    growByteSearch(byteSearch, text.length);
  } catch {
    return false; // no memory to grow into: the JavaScript search needs none
  }
  const { read, written } = encoder.encodeInto(text, byteSearch.bytes.subarray(byteSearch.text, byteSearch.text + text.length));
  // A character above U+007F takes two or more bytes, so the copy falls short of the text.
  if (read !== text.length || written !== text.length) return false;
  batchSize = 0;
  batchIndex = 0;
  resumeAt = 0;
  searchedLength = text.length;
  return true;
}

function nextByteKeyword(state: ByteSearch): number {
  if (batchIndex === batchSize) {
    if (resumeAt >= searchedLength) return -1;
    batchSize = state.search(state.text, searchedLength, resumeAt, state.pairs, state.next, state.ends, state.out, HIT_BATCH);
    batchIndex = 0;
    resumeAt = state.words[(state.out >> 2) - 1];
    if (batchSize === 0) return -1;
  }
  const at = (state.out >> 2) + batchIndex * 3;
  batchIndex++;
  keywordEnd = state.words[at + 1];
  keywordNode = state.words[at + 2];
  return state.words[at];
}

/**
 * The first keyword of `text`, then each one after the previous keyword's end: the order of
 * nextKeyword(text, 0), nextKeyword(text, keywordEnd)… Not re-entrant (one search at a time).
 */
function firstKeyword(text: string): number {
  searchingBytes = loadBytes(text);
  return searchingBytes ? nextByteKeyword(byteSearch as ByteSearch) : nextKeyword(text, 0);
}

function followingKeyword(text: string): number {
  return searchingBytes ? nextByteKeyword(byteSearch as ByteSearch) : nextKeyword(text, keywordEnd);
}

// One private copy of each stateful (global) regex, reset before each use: building a RegExp
// per keyword hit costs more than running it on a short window.
const OWN_PATTERN = new Map(PATTERN_RULES.map((rule) => [rule, new RegExp(rule.pattern.source, rule.pattern.flags)]));

/** How far either side of a keyword hit the rules look, within its line. */
const WINDOW_REACH = 1024;

function applyVerdict(rule: PatternRule, verdict: boolean | Verdict): Pick<SecretHit, 'severity' | 'message'> | undefined {
  if (verdict === false) return undefined;
  const v = verdict === true ? {} : verdict;
  return { severity: v.severity ?? rule.severity, message: v.message ?? rule.title };
}

/** Every keyword hit as [start, end): what detectSecrets looks at (for tests and tools). */
export function findKeywords(text: string): Array<[number, number]> {
  const hits: Array<[number, number]> = [];
  for (let at = firstKeyword(text); at !== -1; at = followingKeyword(text)) hits.push([at, keywordEnd]);
  return hits;
}

/** findKeywords with the JavaScript search only: what the byte search is checked against. */
export function findKeywordsInJavaScript(text: string): Array<[number, number]> {
  const hits: Array<[number, number]> = [];
  for (let at = nextKeyword(text, 0); at !== -1; at = nextKeyword(text, keywordEnd)) hits.push([at, keywordEnd]);
  return hits;
}

/** Set while detectSecrets runs: the keyword search keeps its place in module state. */
let detecting = false;

export function detectSecrets(text: string, options: DetectOptions): SecretHit[] {
  // A rule's validate() that scanned text again would move the outer search's place silently.
  if (detecting) throw new Error('detectSecrets is not re-entrant');
  detecting = true;
  try {
    return detectIn(text, options);
  } finally {
    detecting = false;
  }
}

function detectIn(text: string, options: DetectOptions): SecretHit[] {
  const hits: SecretHit[] = [];
  const minified = options.minified ?? looksMinified(text);
  // Windows of one rule that overlap on a line (a URL-dense bundle line, a lockfile entry) are
  // merged and the rule runs once over the union, instead of rescanning the shared text per hit.
  let pending: Map<PatternRule, [number, number]> | undefined;
  let ranSpan: Set<string> | undefined;
  // Bounds of the line holding the current hit. Hits come in order, so each line is looked up
  // once, with the engine's own newline search, however many hits it holds: a megabyte-long
  // bundle line costs one pass, not a walk per hit.
  let lineStart = 0;
  let lineBreak = -1;
  let lineEnd = 0;
  for (let at = firstKeyword(text); at !== -1; at = followingKeyword(text)) {
    const detectors = AT_NODE[keywordNode] as Detector[];
    // Generic-only keywords (`token`, `password`…) are most hits in a bundle and need no window there.
    if (minified && detectors.length === 1 && detectors[0] === GENERIC) continue;
    if (at > lineBreak) {
      lineStart = text.lastIndexOf('\n', at - 1) + 1;
      lineBreak = text.indexOf('\n', at);
      if (lineBreak === -1) lineBreak = text.length;
      lineEnd = lineBreak > lineStart && text.charCodeAt(lineBreak - 1) === 13 ? lineBreak - 1 : lineBreak;
    }
    const windowStart = Math.max(lineStart, at - WINDOW_REACH);
    const windowEnd = Math.min(lineEnd, at + WINDOW_REACH);
    for (const detector of detectors) {
      if (detector === GENERIC) {
        if (minified) continue;
        const assignment = readAssignment(text, at, windowStart, windowEnd, options.path);
        if (assignment) {
          hits.push({
            ruleId: assignment.ruleId,
            title: assignment.title,
            severity: assignment.severity,
            message: `${assignment.title} assigned to \`${assignment.key}\``,
            remediation: assignment.remediation,
            start: assignment.start,
            end: assignment.end,
            secret: assignment.value,
            publicPrefix: 0,
            priority: assignment.ruleId.startsWith('secret/generic') || assignment.ruleId === 'secret/hardcoded-password' ? 1 : 2,
          });
        }
        continue;
      }
      if (detector.span) {
        // Multi-line rules (key blocks) are rare; their windows are not merged.
        const from = Math.max(0, at - 64);
        const spanKey = `${detector.id}:${from}`;
        ranSpan ??= new Set();
        if (ranSpan.has(spanKey)) continue;
        ranSpan.add(spanKey);
        runPattern(detector, text, from, Math.min(text.length, at + detector.span), options, hits);
        continue;
      }
      pending ??= new Map();
      const open = pending.get(detector);
      if (open && windowStart <= open[1]) {
        if (windowEnd > open[1]) open[1] = windowEnd;
        continue;
      }
      if (open) runPattern(detector, text, open[0], open[1], options, hits);
      pending.set(detector, [windowStart, windowEnd]);
    }
  }
  if (pending) for (const [rule, [from, to]] of pending) runPattern(rule, text, from, to, options, hits);
  if (hits.length === 0) return hits;
  pairAwsKeys(text, hits);
  return resolveOverlaps(hits);
}

function runPattern(rule: PatternRule, text: string, from: number, to: number, options: DetectOptions, hits: SecretHit[]): void {
  const window = text.slice(from, to);
  if (rule.requires !== undefined && !window.includes(rule.requires)) return;
  const pattern = OWN_PATTERN.get(rule) ?? new RegExp(rule.pattern.source, rule.pattern.flags);
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(window)) !== null) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    const group = m.groups?.secret;
    const secret = group ?? m[0];
    const start = from + m.index + (group !== undefined ? m[0].indexOf(group) : 0);
    const verdict = rule.validate
      ? rule.validate(secret, { path: options.path, text, offset: from + m.index, productionEnv: options.productionEnv ?? false })
      : true;
    const outcome = applyVerdict(rule, verdict);
    if (!outcome) continue;
    hits.push({
      ruleId: rule.id,
      title: rule.title,
      ...outcome,
      remediation: rule.remediation,
      start,
      end: start + secret.length,
      secret,
      publicPrefix: rule.publicPrefix ?? 0,
      priority: rule.priority,
    });
  }
}

const AWS_SECRET_NEARBY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

/** An access key id with a 40-character secret a few lines away is a working credential pair. */
function pairAwsKeys(text: string, hits: SecretHit[]): void {
  for (const id of hits.filter((h) => h.ruleId === 'secret/aws-access-key-id')) {
    const from = Math.max(0, id.start - 600);
    const window = text.slice(from, Math.min(text.length, id.end + 600));
    const pattern = new RegExp(AWS_SECRET_NEARBY.source, 'g');
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(window)) !== null) {
      const candidate = m[0];
      const start = from + m.index;
      if (characterClasses(candidate) < 3 || shannonEntropy(candidate) < 4 || isPlaceholder(candidate) || /EXAMPLE/.test(candidate)) continue;
      const existing = hits.find((h) => h.start <= start && h.end >= start + candidate.length);
      if (existing && existing.ruleId !== 'secret/generic-credential' && existing.ruleId !== 'secret/aws-secret-access-key') continue;
      id.severity = 'blocker';
      id.message = 'AWS access key ID with its secret access key nearby (a working credential pair)';
      if (existing) {
        existing.ruleId = 'secret/aws-secret-access-key';
        existing.title = 'AWS secret access key';
        existing.severity = 'blocker';
        existing.priority = 3;
        existing.message = 'AWS secret access key, next to its access key ID';
      } else {
        hits.push({
          ruleId: 'secret/aws-secret-access-key',
          title: 'AWS secret access key',
          severity: 'blocker',
          message: 'AWS secret access key, next to its access key ID',
          start,
          end: start + candidate.length,
          secret: candidate,
          publicPrefix: 0,
          priority: 3,
        });
      }
      break;
    }
  }
}

/** When two hits cover the same text, the more specific rule wins; identical hits collapse. */
function resolveOverlaps(hits: SecretHit[]): SecretHit[] {
  // The rule id breaks the last ties, so the winner never depends on the order windows ran in
  // (which depends on text elsewhere in the file: the editor re-checks only part of it).
  hits.sort((a, b) => a.start - b.start || b.priority - a.priority || b.end - a.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  const kept: SecretHit[] = [];
  for (const hit of hits) {
    const previous = kept[kept.length - 1];
    if (previous && hit.start < previous.end) {
      if (hit.priority > previous.priority || (hit.priority === previous.priority && hit.end - hit.start > previous.end - previous.start)) {
        kept[kept.length - 1] = hit;
      }
      continue;
    }
    kept.push(hit);
  }
  return kept;
}
