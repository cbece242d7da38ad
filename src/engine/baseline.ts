import { readFileSync, writeFileSync } from 'node:fs';
import { describeJsonError } from './config';
import type { Finding } from './model';

// Accepted findings, committed to the user's repository so a team can adopt the scanner without
// fixing every old finding first: scans then report only what is new. An entry is the finding's
// fingerprint (a salted-free but one-way hash of rule + path + value, see redact.ts) plus the rule
// id and path so people can review the file; the value itself is never stored.

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  path: string;
}

export interface Baseline {
  version: 1;
  entries: BaselineEntry[];
}

export class BaselineError extends Error {}

const FINGERPRINT = /^[0-9a-f]{16,128}$/;

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const key = (e: BaselineEntry) => [e.path, e.ruleId, e.fingerprint];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  }
  return 0;
}

export function entryFor(finding: Finding): BaselineEntry {
  return {
    fingerprint: finding.fingerprint,
    ruleId: finding.ruleId,
    path: finding.location.kind === 'file' ? finding.location.path : finding.location.host,
  };
}

/** Parses baseline JSON; throws BaselineError naming `source` on anything unexpected. */
export function parseBaseline(json: string, source: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new BaselineError(`${source}: not valid JSON (${describeJsonError(error, json)})`);
  }
  const object = data as { version?: unknown; findings?: unknown } | null;
  if (!object || typeof object !== 'object' || object.version !== 1 || !Array.isArray(object.findings)) {
    throw new BaselineError(`${source}: not a launch-ready baseline (expected {"version": 1, "findings": [...]}); recreate it with \`launch-ready baseline\``);
  }
  const entries: BaselineEntry[] = [];
  for (const item of object.findings as unknown[]) {
    const entry = item as Partial<BaselineEntry> | null;
    if (!entry || typeof entry.fingerprint !== 'string' || !FINGERPRINT.test(entry.fingerprint) || typeof entry.ruleId !== 'string' || typeof entry.path !== 'string') {
      throw new BaselineError(`${source}: every finding needs a hex "fingerprint", a "ruleId" and a "path"`);
    }
    entries.push({ fingerprint: entry.fingerprint, ruleId: entry.ruleId, path: entry.path });
  }
  return { version: 1, entries };
}

export function readBaseline(file: string): Baseline {
  let json: string;
  try {
    json = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaselineError(
      code === 'ENOENT' ? `baseline ${file} does not exist; create it with \`launch-ready baseline\`` : `baseline ${file} is not readable (${code ?? 'error'})`,
    );
  }
  return parseBaseline(json, file);
}

/**
 * Sorted, one entry per fingerprint, two-space JSON with a final newline: the same findings always
 * give the same bytes, so re-running `launch-ready baseline` leaves no diff to commit.
 */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const unique = new Map<string, BaselineEntry>();
  for (const entry of entries) unique.set(entry.fingerprint, { fingerprint: entry.fingerprint, ruleId: entry.ruleId, path: entry.path });
  const findings = [...unique.values()].sort(compareEntries);
  return JSON.stringify({ version: 1, findings }, null, 2) + '\n';
}

export interface BaselineUpdate {
  entries: BaselineEntry[];
  added: number;
  removed: number;
}

/**
 * The new baseline after a scan of `scope` (root-relative paths; empty means everything):
 * entries inside the scope become exactly the scan's findings, entries outside it are kept.
 */
export function updateBaseline(previous: readonly BaselineEntry[], findings: readonly Finding[], scope: readonly string[]): BaselineUpdate {
  const prefixes = scope.map((p) => p.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '')).filter((p) => p !== '' && p !== '.');
  const inScope = (path: string) => prefixes.length === 0 || prefixes.some((p) => path === p || path.startsWith(p + '/'));
  const kept = previous.filter((e) => !inScope(e.path));
  const current = findings.map(entryFor);
  const before = new Set(previous.map((e) => e.fingerprint));
  const after = new Set([...kept, ...current].map((e) => e.fingerprint));
  return {
    entries: [...kept, ...current],
    added: [...after].filter((f) => !before.has(f)).length,
    removed: [...before].filter((f) => !after.has(f)).length,
  };
}

export function writeBaseline(file: string, entries: readonly BaselineEntry[]): void {
  writeFileSync(file, formatBaseline(entries));
}

/** Splits findings into the ones the baseline does not know and a count of those it does. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): { findings: Finding[]; baselined: number } {
  const accepted = new Set(baseline.entries.map((e) => e.fingerprint));
  const fresh = findings.filter((f) => !accepted.has(f.fingerprint));
  return { findings: fresh, baselined: findings.length - fresh.length };
}
