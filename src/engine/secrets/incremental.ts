import { isEnvFileName } from '../env/workspace';
import type { FileLocation, Finding } from '../model';
import { looksMinified } from './heuristics';
import { PATTERN_RULES } from './providers';
import { scanText, type TextScanOptions } from './scan';

// Re-checking a document after an edit without scanning all of it. The findings must be exactly
// what scanText gives for the whole new text, so this relies on how far detection looks beyond
// the line a finding is on, and falls back to a full scan whenever that is not bounded:
//
// - A finding depends on its own line (keyword windows and provider patterns stop at the line),
//   on the line before it (`launch-ready-ignore-next-line`), and on a bounded stretch of text
//   around it: the AWS key pairing (±600 characters, chained through the hits it converts), the
//   Firebase context of a Google key (±600), a URL's host (+800), a name/value pair written over
//   two lines or a Terraform `default` (up to ~1,400 characters after the keyword, whose window
//   reaches 1,024 back). Chained, that stays under ~4,700 characters; REACH leaves room.
// - Key blocks and service-account JSON (the rules with a `span`) cross lines by design: any of
//   their keywords near the change means a full scan.
// - Three properties belong to the whole text: minified-looking content (no generic rules), a
//   SealedSecret manifest (no generic findings), and env files (their rules are whole-file).
//   A fragment is only used when it agrees with the old and new text on the first two; env files
//   are always scanned whole.
//
// So: the changed lines are widened by REACH characters (and at least one line) into the zone
// whose findings are replaced, and by REACH again into the fragment that is scanned, so every
// finding taken from the fragment saw all the text it depends on. Findings outside the zone are
// kept, moved by the number of lines the edit added or removed.

/** One replacement, in the text as it was just before it (what an editor's change event reports). */
export interface TextEdit {
  offset: number;
  /** Characters replaced. */
  length: number;
  text: string;
}

/**
 * Where two texts differ: they agree before `start`, and the old text from `oldEnd` on equals
 * the new text from `newEnd` on.
 */
export interface ChangedSpan {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * Adds edits, each one relative to the text left by the ones before it (as an editor applies a
 * change event's list, and events one after another), to the span changed so far.
 */
export function accumulateEdits(span: ChangedSpan | undefined, edits: Iterable<TextEdit>): ChangedSpan | undefined {
  let result = span;
  for (const edit of edits) {
    const editEnd = edit.offset + edit.length;
    if (!result) {
      result = { start: edit.offset, oldEnd: editEnd, newEnd: edit.offset + edit.text.length };
      continue;
    }
    // Text between the span and the edit is unchanged; the merged span simply covers it.
    const reach = Math.max(result.newEnd, editEnd);
    result = {
      start: Math.min(result.start, edit.offset),
      oldEnd: result.oldEnd + (reach - result.newEnd),
      newEnd: reach + edit.text.length - edit.length,
    };
  }
  return result;
}

export interface PreviousScan {
  text: string;
  /** scanText's findings for `text`, with the same options. */
  findings: readonly Finding[];
}

export interface Rescan {
  findings: Finding[];
  method: 'unchanged' | 'fragment' | 'full';
  /** Why the whole text was scanned. */
  reason?: string;
  /** Lines (1-based, inclusive) scanned for a fragment. */
  scannedLines?: [number, number];
}

/** Characters of context a finding may depend on beyond its line, with room to spare. */
const REACH = 6144;
/** A fragment larger than this share of the text is not worth it. */
const MAX_FRAGMENT_SHARE = 0.5;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const SPAN_RULES = PATTERN_RULES.filter((rule) => rule.span !== undefined);
/** The detector starts a multi-line rule's window a little before its keyword; 256 covers that. */
const SPAN_BEFORE = Math.max(...SPAN_RULES.map((rule) => rule.span ?? 0)) + 256;
const SPAN_AFTER = 256;
const SPAN_KEYWORD = new RegExp(SPAN_RULES.flatMap((rule) => rule.keywords).map(escapeRegex).join('|'), 'i');
/** generic.ts looks for `kind: SealedSecret` in the first 4 KB; a wider look keeps this safe. */
const SEALED_SECRET = 'SealedSecret';
const SEALED_SECRET_REACH = 8192;

const lineStartAt = (text: string, offset: number) => (offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1);
const lineEndAt = (text: string, offset: number) => {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
};

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Start of the line `reach` characters before `lineStart` (at least the line before it). */
function widenBack(text: string, lineStart: number, reach: number): number {
  let at = lineStart;
  while (at > 0 && lineStart - at < reach) at = lineStartAt(text, at - 1);
  return at;
}

/** End (newline or text end) of the line `reach` characters after `lineEnd` (at least the line after it). */
function widenForward(text: string, lineEnd: number, reach: number): number {
  let at = lineEnd;
  while (at < text.length && at - lineEnd < reach) at = lineEndAt(text, at + 1);
  return at;
}

const startLineOf = (finding: Finding) => (finding.location.kind === 'file' ? finding.location.range.startLine : undefined);
const spansLines = (finding: Finding) => finding.location.kind === 'file' && finding.location.range.endLine !== finding.location.range.startLine;
const nearSealedSecret = (text: string) => text.lastIndexOf(SEALED_SECRET, SEALED_SECRET_REACH) !== -1;

function movedBy(finding: Finding, lines: number): Finding {
  if (lines === 0 || finding.location.kind !== 'file') return finding;
  const range = finding.location.range;
  return { ...finding, location: { ...finding.location, range: { ...range, startLine: range.startLine + lines, endLine: range.endLine + lines } } };
}

/**
 * The findings of scanText(text, options), computed from the previous scan and what changed
 * since, re-scanning only the lines around the change when that gives the same result.
 */
export function rescanText(
  previous: PreviousScan,
  changed: ChangedSpan | undefined,
  text: string,
  options: TextScanOptions,
): Rescan {
  const full = (reason: string): Rescan => ({ findings: scanText(text, options), method: 'full', reason });
  const old = previous.text;
  if (!changed) return text === old ? { findings: [...previous.findings], method: 'unchanged' } : full('no edits recorded');
  if (options.firstLine !== undefined || options.lineMap) return full('the text is itself a fragment');
  if (isEnvFileName(options.path.slice(options.path.lastIndexOf('/') + 1))) return full('env file');
  const { start, oldEnd, newEnd } = changed;
  if (start < 0 || oldEnd < start || newEnd < start || oldEnd > old.length || newEnd > text.length || old.length - oldEnd !== text.length - newEnd) {
    return full('the edits do not match the text');
  }
  // A cheap look at both sides of the span catches edits recorded against the wrong text.
  if (old.slice(Math.max(0, start - 64), start) !== text.slice(Math.max(0, start - 64), start) || old.slice(oldEnd, oldEnd + 64) !== text.slice(newEnd, newEnd + 64)) {
    return full('the edits do not match the text');
  }
  if (previous.findings.some((f) => startLineOf(f) === undefined)) return full('findings whose rule can depend on distant text');

  const shift = newEnd - oldEnd;
  const regionStart = lineStartAt(text, start);
  const regionEnd = lineEndAt(text, newEnd);
  const zoneStart = widenBack(text, regionStart, REACH);
  const zoneEnd = widenForward(text, regionEnd, REACH);
  const fragmentStart = widenBack(text, zoneStart, REACH);
  const fragmentEnd = widenForward(text, zoneEnd, REACH);
  if ((fragmentEnd - fragmentStart) > text.length * MAX_FRAGMENT_SHARE) return full('the change is large for the document');

  const spanFrom = Math.max(0, fragmentStart - SPAN_BEFORE);
  if (SPAN_KEYWORD.test(text.slice(spanFrom, fragmentEnd + SPAN_AFTER)) || SPAN_KEYWORD.test(old.slice(spanFrom, fragmentEnd - shift + SPAN_AFTER))) {
    return full('a key block or service-account key nearby');
  }
  // The fragment keeps the newline that ends its last line, as the whole text has it.
  const fragment = text.slice(fragmentStart, fragmentEnd < text.length ? fragmentEnd + 1 : fragmentEnd);
  const minified = looksMinified(text);
  if (looksMinified(old) !== minified || looksMinified(fragment) !== minified) return full('minified-looking text');
  if (nearSealedSecret(text) || nearSealedSecret(old) || nearSealedSecret(fragment)) return full('a SealedSecret manifest');

  const zoneFirstLine = countNewlines(text, 0, zoneStart) + 1;
  const fragmentFirstLine = zoneFirstLine - countNewlines(text, fragmentStart, zoneStart);
  const zoneLastLine = zoneFirstLine + countNewlines(text, zoneStart, zoneEnd);
  const addedLines = countNewlines(text, regionStart, regionEnd) - countNewlines(old, regionStart, regionEnd - shift);
  const oldZoneLastLine = zoneLastLine - addedLines;

  const before: Finding[] = [];
  const after: Finding[] = [];
  for (const finding of previous.findings) {
    const line = startLineOf(finding) as number;
    if (line > oldZoneLastLine) after.push(movedBy(finding, addedLines));
    else if (spansLines(finding) && (finding.location as FileLocation).range.endLine >= zoneFirstLine) return full('a multi-line finding reaching the changed lines');
    else if (line < zoneFirstLine) before.push(finding);
  }

  const scanned = scanText(fragment, { ...options, firstLine: fragmentFirstLine });
  const inZone: Finding[] = [];
  for (const finding of scanned) {
    if (spansLines(finding)) return full('a finding whose rule can depend on distant text');
    const line = startLineOf(finding) as number;
    if (line >= zoneFirstLine && line <= zoneLastLine) inZone.push(finding);
  }
  const fragmentLastLine = fragmentFirstLine + countNewlines(fragment, 0, fragment.length) - (fragment.endsWith('\n') ? 1 : 0);
  return { findings: [...before, ...inZone, ...after], method: 'fragment', scannedLines: [fragmentFirstLine, fragmentLastLine] };
}
