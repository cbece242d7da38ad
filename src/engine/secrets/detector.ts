import type { Severity } from '../model';
import { CREDENTIAL_KEYWORDS, readAssignment } from './generic';
import { characterClasses, isPlaceholder, looksMinified, shannonEntropy } from './heuristics';
import { PATTERN_RULES, type PatternRule, type Verdict } from './providers';

// The hot path. One case-insensitive regex of literal keywords finds the few places worth a
// closer look; only there do the provider patterns and the assignment reader run, and only on a
// bounded window. A file with no keyword costs one regex pass.

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
for (const rule of PATTERN_RULES) {
  for (const keyword of rule.keywords) {
    const list = BY_KEYWORD.get(keyword) ?? [];
    list.push(rule);
    BY_KEYWORD.set(keyword, list);
  }
}
for (const keyword of CREDENTIAL_KEYWORDS) {
  const list = BY_KEYWORD.get(keyword) ?? [];
  list.push(GENERIC);
  BY_KEYWORD.set(keyword, list);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Every keyword, longest first so the alternation reports the most specific one. */
export const PREFILTER = new RegExp(
  [...BY_KEYWORD.keys()].sort((a, b) => b.length - a.length).map(escapeRegex).join('|'),
  'gi',
);

/** How far around a hit a line may reach before it is treated as a slice of a huge line. */
const MAX_LINE_REACH = 4096;
const WINDOW_REACH = 1024;

function lineBounds(text: string, at: number): [number, number] {
  let start = at;
  const minStart = Math.max(0, at - MAX_LINE_REACH);
  while (start > minStart && text.charCodeAt(start - 1) !== 10) start--;
  let end = at;
  const maxEnd = Math.min(text.length, at + MAX_LINE_REACH);
  while (end < maxEnd && text.charCodeAt(end) !== 10) end++;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return [start, end];
}

function applyVerdict(rule: PatternRule, verdict: boolean | Verdict): Pick<SecretHit, 'severity' | 'message'> | undefined {
  if (verdict === false) return undefined;
  const v = verdict === true ? {} : verdict;
  return { severity: v.severity ?? rule.severity, message: v.message ?? rule.title };
}

export function detectSecrets(text: string, options: DetectOptions): SecretHit[] {
  const hits: SecretHit[] = [];
  const minified = options.minified ?? looksMinified(text);
  const ranWindow = new Set<string>();
  const prefilter = new RegExp(PREFILTER.source, PREFILTER.flags);
  let match: RegExpExecArray | null;
  while ((match = prefilter.exec(text)) !== null) {
    const at = match.index;
    const detectors = BY_KEYWORD.get(match[0].toLowerCase());
    if (!detectors) continue;
    const [lineStart, lineEnd] = lineBounds(text, at);
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
      const from = detector.span ? Math.max(0, at - 64) : windowStart;
      const to = detector.span ? Math.min(text.length, at + detector.span) : windowEnd;
      const windowKey = `${detector.id}:${from}`;
      if (ranWindow.has(windowKey)) continue;
      ranWindow.add(windowKey);
      runPattern(detector, text, from, to, options, hits);
    }
  }
  pairAwsKeys(text, hits);
  return resolveOverlaps(hits);
}

function runPattern(rule: PatternRule, text: string, from: number, to: number, options: DetectOptions, hits: SecretHit[]): void {
  const window = text.slice(from, to);
  const pattern = new RegExp(rule.pattern.source, rule.pattern.flags);
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
  hits.sort((a, b) => a.start - b.start || b.priority - a.priority || b.end - a.end);
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
