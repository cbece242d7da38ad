import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { loadLaunchFile } from '../launch/load';
import { isSeverity, STAGES, type Finding, type Stage } from '../model';
import { collectEnvInventory } from './env-inventory';
import { generateHandoverBody } from './handover';
import type { DocsAudit, DocsInput, StageStatus } from './input';
import { mergeKeptBlocks } from './keep';
import { generateRunbookBody } from './runbook';
import { scrubDeep, scrubDocument } from './scrub';

// RUNBOOK.md and HANDOVER.md from launch.yaml and the last audit: the one entry point for the CLI
// (`launch-ready docs`) and the editor's "Generate Runbook" / "Generate Handover" commands.

export type { DocsAudit, DocsInput, EnvEnvironment, EnvVariable, StageStatus } from './input';
export { collectEnvInventory, isSecretName } from './env-inventory';
export { mergeKeptBlocks, readKeptBlocks } from './keep';

export const RUNBOOK_FILE = 'RUNBOOK.md';
export const HANDOVER_FILE = 'HANDOVER.md';
export const LAST_AUDIT_FILE = '.launch-ready/last-audit.json';

/** Matches the one line allowed to differ between two generations from the same inputs. */
export const GENERATED_AT_LINE = /^<!-- generated-at: [^\n]* -->$/m;

/** Everything a person wrote or a check observed is scrubbed before it is rendered. */
function scrubbed(input: DocsInput): DocsInput {
  return { ...input, config: scrubDeep(input.config), audit: input.audit && scrubDeep(input.audit), envInventory: scrubDeep(input.envInventory) };
}

export function generateRunbook(input: DocsInput): string {
  return scrubDocument(generateRunbookBody(scrubbed(input)));
}

export function generateHandover(input: DocsInput): string {
  return scrubDocument(generateHandoverBody(scrubbed(input)));
}

const STATUSES: readonly StageStatus[] = ['pass', 'warn', 'fail', 'not-checked'];

function isFinding(value: unknown): value is Finding {
  const candidate = value as Partial<Finding> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.ruleId === 'string' &&
    typeof candidate.message === 'string' &&
    typeof candidate.severity === 'string' &&
    isSeverity(candidate.severity) &&
    typeof candidate.stage === 'string' &&
    (STAGES as readonly string[]).includes(candidate.stage) &&
    typeof candidate.location === 'object' &&
    candidate.location !== null &&
    typeof candidate.remediation === 'string' &&
    typeof candidate.fingerprint === 'string'
  );
}

/**
 * The saved audit, read defensively: a missing or unreadable file means "no audit" (everything
 * not checked), never a crash. Stage readiness is read from `stages` as either a status string
 * or an object with a `status`.
 */
export function readLastAudit(root: string): DocsAudit | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(root, LAST_AUDIT_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  if (typeof record.generatedAt !== 'string') return undefined;
  const stages: Partial<Record<Stage, StageStatus>> = {};
  const rawStages = record.stages;
  if (typeof rawStages === 'object' && rawStages !== null) {
    for (const stage of STAGES) {
      const value = (rawStages as Record<string, unknown>)[stage];
      const status = typeof value === 'string' ? value : typeof value === 'object' && value !== null ? (value as { status?: unknown }).status : undefined;
      if (typeof status === 'string' && (STATUSES as readonly string[]).includes(status)) stages[stage] = status as StageStatus;
    }
  }
  const findings = Array.isArray(record.findings) ? record.findings.filter(isFinding) : [];
  const latency = Array.isArray(record.latency)
    ? record.latency.filter((entry): entry is { url: string; p95Ms?: number } => typeof entry === 'object' && entry !== null && typeof (entry as { url?: unknown }).url === 'string')
    : undefined;
  return {
    generatedAt: record.generatedAt,
    checkedFrom: typeof record.checkedFrom === 'string' ? record.checkedFrom : undefined,
    findings,
    stages,
    ...(latency ? { latency } : {}),
  };
}

export interface LoadDocsOptions {
  /** Where the documents will be written, to make `launch.yaml#L12` links relative to it (default: root). */
  outDir?: string;
  /** Defaults to now; tests pin it. */
  generatedAt?: string;
  /** Replaces the saved audit (the editor passes the one it holds in memory). */
  audit?: DocsAudit | null;
}

export class MissingLaunchFileError extends Error {}

/** launch.yaml, the last audit and the env inventory of a workspace, ready for the generators. */
export function loadDocsInput(root: string, options: LoadDocsOptions = {}): DocsInput {
  const absoluteRoot = resolve(root);
  const loaded = loadLaunchFile(absoluteRoot);
  if (!loaded) throw new MissingLaunchFileError(`no launch.yaml in ${absoluteRoot}; run \`launch-ready init\` first`);
  if (!loaded.config) {
    const first = loaded.findings[0];
    throw new MissingLaunchFileError(`${loaded.path} could not be read${first ? `: ${first.message}` : ''}`);
  }
  const outDir = options.outDir === undefined ? absoluteRoot : resolve(absoluteRoot, options.outDir);
  const rootFromOut = relative(outDir, absoluteRoot).split('\\').join('/');
  return {
    config: loaded.config,
    configPath: loaded.path,
    lineOf: (path) => loaded.positionOf(path, path.length === 0 ? 'value' : 'key')?.startLine,
    rootFromOut,
    audit: options.audit === null ? undefined : (options.audit ?? readLastAudit(absoluteRoot)),
    envInventory: collectEnvInventory(absoluteRoot, loaded.config),
    generatedAt: options.generatedAt ?? new Date().toISOString(),
  };
}

export interface WrittenDocs {
  runbook: string;
  handover: string;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Writes RUNBOOK.md and HANDOVER.md into `outDir` (relative to root; default: the workspace root,
 * where GitHub and the editor look for them), keeping the hand-written blocks of earlier versions.
 */
export function writeDocs(root: string, outDir?: string, options: Omit<LoadDocsOptions, 'outDir'> = {}): WrittenDocs {
  const absoluteRoot = resolve(root);
  const target = outDir === undefined ? absoluteRoot : isAbsolute(outDir) ? outDir : resolve(absoluteRoot, outDir);
  const input = loadDocsInput(absoluteRoot, { ...options, outDir: target });
  mkdirSync(target, { recursive: true });
  const runbook = join(target, RUNBOOK_FILE);
  const handover = join(target, HANDOVER_FILE);
  writeFileSync(runbook, mergeKeptBlocks(generateRunbook(input), readIfExists(runbook)));
  writeFileSync(handover, mergeKeptBlocks(generateHandover(input), readIfExists(handover)));
  return { runbook, handover };
}
