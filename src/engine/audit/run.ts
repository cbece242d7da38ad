import { readFileSync } from 'node:fs';
import { hostname as machineName } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ScanConfig } from '../config';
import { checkDns, type DnsFacts } from '../dns';
import { checkEmail, emailDomainsFromLaunch, mtaStsFetcher } from '../email';
import { checkEnvWorkspace } from '../env/workspace';
import { loadLaunchFile, type LaunchConfig, type LoadedLaunchFile } from '../launch';
import { severityRank, type Finding, type SkipNote, type Stage } from '../model';
import { createAuditResolver, type ResolverConfig } from '../net/dns-resolver';
import type { DnsResolver } from '../net/dns-types';
import { createHttpClient, type ProxySettings } from '../net/http-client';
import type { ConnectTo } from '../net/http-connect';
import { scanWorkspaceSecrets } from '../secrets/workspace-scan';
import { runWebChecks, type TlsOutcome, type WebCheckContext } from '../web';
import { hostDeclarations, withDeclarations, type HostDeclaration } from './declarations';
import { buildReport, type CertificateFact, type CheckId, type CheckRun, type Report } from './report';
import { checkFailedFinding, missingLaunchFinding } from './rules';

// One audit of a workspace: launch.yaml, secrets, env files, and (unless offline) DNS, email and
// HTTPS against what launch.yaml declares. Checks run concurrently with a bound; a check that
// throws becomes a finding and the others carry on; a check that cannot run is "not checked".

export interface AuditOptions {
  root: string;
  tool: { name: string; version: string };
  /** `.launch-ready.json` settings (default: read from the root; a broken file throws ConfigError). */
  config?: ScanConfig;
  /** How DNS is reached (default: the system resolver); a DnsResolver is used as it is. */
  resolver?: ResolverConfig | DnsResolver;
  /** Skip every check that needs the network; they show as not checked. */
  offline?: boolean;
  connectTo?: readonly ConnectTo[];
  /** PEM text of extra CA certificates for the HTTPS checks (`--ca`). */
  extraCaPem?: string;
  /** An HTTP(S) proxy for the HTTPS checks and the MTA-STS fetch (the editor passes VS Code's `http.proxy`). */
  proxy?: ProxySettings;
  /** Per DNS lookup and per HTTP request. */
  timeoutMs?: number;
  /** Checks run at once (default 4); DNS lookups are bounded separately (default 8). */
  concurrency?: number;
  dnsConcurrency?: number;
  /** Turn single checks off (tests, or a caller that runs one itself). */
  skip?: readonly CheckId[];
  /** Ask git whether env files are ignored (default true). */
  useGit?: boolean;
  now?: () => Date;
  machine?: string;
  signal?: AbortSignal;
}

export interface AuditResult {
  report: Report;
}

/** The readiness items each check answers when it runs. */
function itemsCovered(check: CheckId, launch: LaunchConfig | undefined): string[] {
  switch (check) {
    case 'launch':
      return [];
    case 'secrets':
      return ['S1'];
    case 'env':
      return ['S2'];
    case 'dns':
      return ['D1', 'D5', 'D6'];
    case 'email': {
      const email = launch?.email;
      const items = ['M1', 'M3'];
      if (email?.senders.some((sender) => sender.dkimSelectors.length > 0)) items.push('M2');
      if ((email?.nonSendingDomains.length ?? 0) > 0) items.push('M7');
      if (email?.receivesMail !== false) items.push('M8');
      return items;
    }
    case 'web': {
      const items = ['D2', 'D3', 'E1', 'E3', 'E5', 'E6', 'A7', 'A8', 'P1', 'P2', 'P3'];
      if ((launch?.domain?.redirects.length ?? 0) > 0) items.push('D4');
      if (launch?.edge.provider && launch.edge.provider !== 'none') items.push('E4');
      if (launch?.deploy.healthUrl) items.push('R6');
      return items;
    }
  }
}

const CHECK_STAGE: Record<CheckId, Stage> = { launch: 'audit', secrets: 'secrets', env: 'secrets', dns: 'dns', email: 'email', web: 'edge' };

interface Task {
  id: CheckId;
  run: () => Promise<{ findings: Finding[]; skipped?: SkipNote[]; notes?: SkipNote[] }>;
}

function isResolver(value: AuditOptions['resolver']): value is DnsResolver {
  return typeof (value as DnsResolver | undefined)?.lookup === 'function';
}

/** Runs the tasks, at most `limit` at once, in order of start. */
async function runBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const now = (options.now ?? (() => new Date()))();
  const today = now.toISOString().slice(0, 10);
  const machine = options.machine ?? machineName();
  const config = options.config ?? loadConfig(options.root);
  const skip = new Set(options.skip ?? []);
  const checks: CheckRun[] = [];
  const findings: Finding[] = [];
  const skipped: SkipNote[] = [];
  const notes: SkipNote[] = [];

  const launchStarted = Date.now();
  const loaded = loadLaunchFile(options.root, { today, rules: config.rules });
  const launch = loaded?.config;
  if (loaded) findings.push(...loaded.findings);
  else findings.push(missingLaunchFinding());
  checks.push({ id: 'launch', status: 'ran', durationMs: Date.now() - launchStarted, findings: findings.length, items: [] });

  // Why the network checks cannot run, when they cannot.
  const networkBlocked = options.offline
    ? 'offline (--offline)'
    : !loaded
      ? 'no launch.yaml'
      : !launch
        ? `${loaded.path} has errors that leave nothing to check against`
        : undefined;

  let resolver: DnsResolver | undefined;
  const resolverFor = (): DnsResolver => {
    if (!resolver) {
      const given = options.resolver;
      resolver = isResolver(given) ? given : createAuditResolver({ ...(given ?? { kind: 'system' }), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) } as ResolverConfig, options.dnsConcurrency ?? 8);
    }
    return resolver;
  };

  const facts: Report['facts'] = {};
  // DNS findings wait for the HTTPS checks: the issuers of the certificates they saw are checked against CAA too.
  let dnsFindings: Finding[] | undefined;
  const issuers = new Set<string>();
  const latency: NonNullable<Report['latency']> = [];
  const tasks: Task[] = [
    {
      id: 'secrets',
      run: async () => {
        const result = await scanWorkspaceSecrets({ root: options.root, config, signal: options.signal });
        return { findings: result.findings, skipped: result.skipped, notes: result.notes };
      },
    },
    {
      id: 'env',
      run: async () => {
        const result = await checkEnvWorkspace({ root: options.root, config, signal: options.signal, useGit: options.useGit });
        return { findings: result.findings, notes: result.notes };
      },
    },
  ];
  const network: Task[] = [];
  // How every HTTPS request of the audit connects, for the MTA-STS fetch and the web checks alike.
  const https = { connectTo: options.connectTo, extraCaPem: options.extraCaPem, timeoutMs: options.timeoutMs, signal: options.signal, proxy: options.proxy };
  if (launch) {
    network.push({
      id: 'dns',
      run: async () => {
        if (!launch.domain) throw new NotApplicable('launch.yaml has no `domain` section');
        const report = await checkDns(launch, { resolver: resolverFor() });
        facts.dns = report.facts as DnsFacts;
        dnsFindings = report.findings;
        return { findings: [] };
      },
    });
    network.push({
      id: 'email',
      run: async () => {
        const { domains, options: emailOptions } = emailDomainsFromLaunch(launch);
        if (domains.length === 0) throw new NotApplicable('launch.yaml declares no email senders or non-sending domains');
        const client = createHttpClient({
          resolver: resolverFor(),
          ...https,
          allowedHosts: domains.map((domain) => `mta-sts.${domain.domain}`),
        });
        try {
          const results = await Promise.all(domains.map((domain) => checkEmail(domain, resolverFor(), { ...emailOptions, fetchMtaStsPolicy: mtaStsFetcher(client) })));
          return { findings: results.flatMap((result) => result.findings) };
        } finally {
          await client.close();
        }
      },
    });
    network.push({
      id: 'web',
      run: async () => {
        if (!launch.domain) throw new NotApplicable('launch.yaml has no `domain` section');
        const context: WebCheckContext = {
          resolver: resolverFor(),
          ...https,
          now: () => now,
          machine,
        };
        const web = await runWebChecks(launch, context);
        for (const outcome of Object.values(web.tls)) {
          // Only a certificate browsers accept says which CA really issues for the site.
          if (outcome.ok && outcome.trusted && outcome.chain[0]) issuers.add(outcome.chain[0].issuer);
        }
        const certificates = certificateFacts(web.tls, now);
        if (Object.keys(certificates).length > 0) facts.tls = certificates;
        latency.push(...web.latency.map((entry) => ({ url: entry.url, budgetP95Ms: entry.budgetP95Ms, samples: entry.samples, failures: entry.failures, ...(entry.p95Ms !== undefined ? { p95Ms: entry.p95Ms } : {}) })));
        return { findings: web.findings };
      },
    });
  }
  for (const id of ['dns', 'email', 'web'] as const) {
    if (networkBlocked) checks.push({ id, status: 'skipped', reason: networkBlocked, findings: 0, items: [] });
  }
  const runnable = [...tasks, ...(networkBlocked ? [] : network)].filter((task) => {
    if (!skip.has(task.id)) return true;
    checks.push({ id: task.id, status: 'skipped', reason: 'turned off for this audit', findings: 0, items: [] });
    return false;
  });

  await runBounded(runnable, options.concurrency ?? 4, async (task) => {
    const started = Date.now();
    try {
      const result = await task.run();
      findings.push(...result.findings);
      skipped.push(...(result.skipped ?? []));
      notes.push(...(result.notes ?? []));
      checks.push({ id: task.id, status: 'ran', durationMs: Date.now() - started, findings: task.id === 'dns' ? (dnsFindings?.length ?? 0) : result.findings.length, items: itemsCovered(task.id, launch) });
    } catch (error) {
      if (error instanceof NotApplicable) {
        checks.push({ id: task.id, status: 'skipped', reason: error.message, findings: 0, items: [] });
        return;
      }
      if (options.signal?.aborted) throw error;
      findings.push(checkFailedFinding(task.id, CHECK_STAGE[task.id], error));
      checks.push({ id: task.id, status: 'failed', reason: error instanceof Error ? error.message : String(error), durationMs: Date.now() - started, findings: 1, items: [] });
    }
  });

  if (dnsFindings && launch && issuers.size > 0) {
    // Every lookup is cached by now: this pass only adds the CAA verdicts for the issuers seen.
    const again = await checkDns(launch, { resolver: resolverFor(), issuerOrganisations: [...issuers] });
    dnsFindings = again.findings;
    facts.dns = again.facts;
    const dnsRun = checks.find((check) => check.id === 'dns');
    if (dnsRun) dnsRun.findings = dnsFindings.length;
  }
  findings.push(...(dnsFindings ?? []));

  const order: CheckId[] = ['launch', 'secrets', 'env', 'dns', 'email', 'web'];
  checks.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const reported = dedupeFindings(applyRuleSettings(findings, config));
  const report = buildReport({
    tool: options.tool,
    generatedAt: now,
    checkedFrom: machine,
    root: options.root,
    launchFile: loaded?.path,
    app: launch ? { name: launch.app.name, stage: launch.app.stage } : undefined,
    offline: options.offline === true,
    findings: loaded && launch ? withDeclarations(reported, declarationsIn(options.root, loaded), loaded.path) : reported,
    checks,
    attestations: launch?.attestations ?? [],
    acceptedRisks: launch?.acceptedRisks ?? [],
    facts,
    ...(latency.length > 0 ? { latency } : {}),
    skipped,
    notes,
  });
  return { report };
}

const DAY_MS = 86_400_000;

/** The hosts launch.yaml names, read again from the file the audit loaded (it is small). */
function declarationsIn(root: string, loaded: LoadedLaunchFile): HostDeclaration[] {
  try {
    return hostDeclarations(readFileSync(join(root, loaded.path), 'utf8'), loaded.positionOf);
  } catch {
    // Gone or unreadable since it was loaded: the findings keep pointing at their hosts only.
    return [];
  }
}

/** The leaf each host presented, in host order so the saved report diffs cleanly between audits. */
function certificateFacts(outcomes: Record<string, TlsOutcome>, now: Date): Record<string, CertificateFact> {
  const facts: Record<string, CertificateFact> = {};
  for (const host of Object.keys(outcomes).sort()) {
    const outcome = outcomes[host];
    const leaf = outcome.ok ? outcome.chain[0] : undefined;
    if (!outcome.ok || !leaf) continue;
    facts[host] = {
      host,
      issuer: leaf.issuer,
      subject: leaf.subject,
      notBefore: leaf.validFrom,
      notAfter: leaf.validTo,
      daysLeft: Math.floor((Date.parse(leaf.validTo) - now.getTime()) / DAY_MS),
      subjectAltNames: [...leaf.subjectAltNames],
      ...(leaf.keyType ? { keyType: leaf.keyType } : {}),
      ...(leaf.keyBits !== undefined ? { keyBits: leaf.keyBits } : {}),
      trusted: outcome.trusted,
      hostnameMatches: outcome.hostnameMatches,
      ...(outcome.protocol ? { protocol: outcome.protocol } : {}),
      fingerprint256: leaf.fingerprint256,
    };
  }
  return facts;
}

/** `.launch-ready.json` `rules` apply to the live checks' findings as to every other: a severity, or `off`. */
function applyRuleSettings(findings: readonly Finding[], config: ScanConfig): Finding[] {
  return findings.flatMap((finding) => {
    const setting = config.rules[finding.ruleId];
    if (setting === 'off') return [];
    return setting && setting !== finding.severity ? [{ ...finding, severity: setting }] : [finding];
  });
}

/**
 * The secret scan and the env check both read env files that git does not ignore; the same secret
 * is reported once, at the higher of the two severities. When the env check says something more
 * specific about the value the secret scan matched (a test-mode key in the production file), the
 * env finding stays, since it explains why the value is wrong where it is, and records the secret
 * rule it stands for in `observed.alsoMatched` so the readiness items of both still answer.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const finding of findings) {
    const where = finding.location.kind === 'file' ? `${finding.location.path}:${finding.location.range.startLine}:${finding.location.range.startColumn}` : finding.location.host;
    const key = `${finding.ruleId}\0${finding.fingerprint}\0${where}`;
    const seen = byKey.get(key);
    if (!seen || severityRank(finding.severity) < severityRank(seen.severity)) byKey.set(key, finding);
  }
  const unique = [...byKey.values()];
  const envFindings = unique.filter((finding) => finding.ruleId.startsWith('env/') && finding.location.kind === 'file');
  const merged = new Map<Finding, Finding>();
  const dropped = new Set<Finding>();
  for (const secret of unique) {
    if (!secret.ruleId.startsWith('secret/')) continue;
    const env = envFindings.find((candidate) => sameValue(candidate, secret));
    if (!env) continue;
    dropped.add(secret);
    const kept = merged.get(env) ?? env;
    const alsoMatched = Array.isArray(kept.observed?.alsoMatched) ? (kept.observed.alsoMatched as string[]) : [];
    merged.set(env, {
      ...kept,
      severity: severityRank(secret.severity) < severityRank(kept.severity) ? secret.severity : kept.severity,
      observed: { ...kept.observed, alsoMatched: [...new Set([...alsoMatched, secret.ruleId])] },
    });
  }
  return unique.filter((finding) => !dropped.has(finding)).map((finding) => merged.get(finding) ?? finding);
}

/** Two file findings about the same value: same file and line, and column ranges that overlap. */
function sameValue(a: Finding, b: Finding): boolean {
  if (a.location.kind !== 'file' || b.location.kind !== 'file' || a.location.path !== b.location.path) return false;
  const first = a.location.range;
  const second = b.location.range;
  if (first.startLine !== first.endLine || second.startLine !== second.endLine || first.startLine !== second.startLine) {
    return first.startLine === second.startLine && first.startColumn === second.startColumn && first.endLine === second.endLine && first.endColumn === second.endColumn;
  }
  return first.startColumn < second.endColumn && second.startColumn < first.endColumn;
}

/** A check with nothing to look at in this launch.yaml: skipped with the reason, not failed. */
class NotApplicable extends Error {}
