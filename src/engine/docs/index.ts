import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { loadLaunchFile } from '../launch/load';
import { loadReport, REPORT_DIR, REPORT_FILE, ReportFormatError, type Report } from '../audit/report';
import { isSeverity, STAGES, type Finding, type Stage } from '../model';
import { collectEnvInventory } from './env-inventory';
import { generateHandoverBody } from './handover';
import type { DocsAudit, DocsCertificateFact, DocsInput, StageStatus } from './input';
import { mergeKeptBlocks } from './keep';
import { generateRunbookBody } from './runbook';
import { scrubDeep, scrubDocument } from './scrub';

// RUNBOOK.md and HANDOVER.md from launch.yaml and the last audit: the one entry point for the CLI
// (`launch-ready docs`) and the editor's "Generate Runbook" / "Generate Handover" commands.

export type { DocsAudit, DocsCertificateFact, DocsInput, EnvEnvironment, EnvVariable, StageStatus } from './input';
export { collectEnvInventory, isSecretName } from './env-inventory';
export { mergeKeptBlocks, readKeptBlocks } from './keep';

export const RUNBOOK_FILE = 'RUNBOOK.md';
export const HANDOVER_FILE = 'HANDOVER.md';
export const LAST_AUDIT_FILE = `${REPORT_DIR}/${REPORT_FILE}`;

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
 * The parts of an audit Report the documents use. Read defensively, since the report may come
 * from an older or newer version of the tool: a malformed finding or stage is left out (and so
 * reads "not checked"), never guessed.
 */
export function auditFromReport(report: Report): DocsAudit {
  const stages: Partial<Record<Stage, StageStatus>> = {};
  for (const stage of STAGES) {
    const status = (report.stages as Partial<Record<Stage, { status?: unknown }>> | undefined)?.[stage]?.status;
    if (typeof status === 'string' && (STATUSES as readonly string[]).includes(status)) stages[stage] = status as StageStatus;
  }
  const dns = report.facts?.dns;
  const checkedItems: string[] = [];
  let perItem = false;
  for (const stage of STAGES) {
    const items = (report.stages as Partial<Record<Stage, { items?: unknown }>> | undefined)?.[stage]?.items;
    if (!Array.isArray(items)) continue;
    perItem = true;
    for (const item of items as { id?: unknown; status?: unknown }[]) {
      if (typeof item?.id === 'string' && (item.status === 'pass' || item.status === 'warn' || item.status === 'fail')) checkedItems.push(item.id);
    }
  }
  return {
    generatedAt: String(report.generatedAt),
    ...(typeof report.checkedFrom === 'string' ? { checkedFrom: report.checkedFrom } : {}),
    findings: (Array.isArray(report.findings) ? report.findings : []).filter(isFinding),
    stages,
    ...(perItem ? { checkedItems } : {}),
    ...(Array.isArray(report.latency) ? { latency: report.latency.filter((entry) => typeof entry?.url === 'string') } : {}),
    ...(dns && Array.isArray(dns.hosts) ? { dns } : {}),
    ...certificateFacts(report),
  };
}

/** report.facts.tls, keeping only entries with a usable expiry (an older report has none). */
function certificateFacts(report: Report): { tls?: Record<string, DocsCertificateFact> } {
  const tls = (report.facts as { tls?: unknown } | undefined)?.tls;
  if (typeof tls !== 'object' || tls === null) return {};
  const facts: Record<string, DocsCertificateFact> = {};
  for (const [host, fact] of Object.entries(tls as Record<string, Partial<DocsCertificateFact> | null>)) {
    if (typeof fact?.notAfter !== 'string' || typeof fact.daysLeft !== 'number' || !Number.isFinite(fact.daysLeft)) continue;
    facts[host] = { issuer: typeof fact.issuer === 'string' ? fact.issuer : '', notAfter: fact.notAfter, daysLeft: fact.daysLeft };
  }
  return { tls: facts };
}

/** The saved audit (`.launch-ready/last-audit.json`); undefined when there is none or it is not a report. */
export function readLastAudit(root: string): DocsAudit | undefined {
  try {
    const report = loadReport(root);
    return report ? auditFromReport(report) : undefined;
  } catch (error) {
    if (error instanceof ReportFormatError || (error as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw error;
  }
}

export interface LoadDocsOptions {
  /** Where the documents will be written, to make `launch.yaml#L12` links relative to it (default: root). */
  outDir?: string;
  /** Defaults to now; tests pin it. */
  generatedAt?: string;
  /** Replaces the saved audit (the editor passes the Report it holds in memory); null: no audit. */
  audit?: DocsAudit | Report | null;
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
    audit: options.audit === null ? undefined : options.audit === undefined ? readLastAudit(absoluteRoot) : 'kind' in options.audit ? auditFromReport(options.audit) : options.audit,
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
