import { domainToASCII } from 'node:url';
import type { Finding } from '../model';
import type { DnsResolver } from '../net/dns-types';
import { analyzeDkim, type DkimKeyReport } from './dkim';
import { analyzeDmarc, type DmarcAnalysis, type DmarcPolicy, type LaunchStage } from './dmarc';
import { stripDot } from './dns';
import { emailFinding } from './findings';
import { analyzeBimi, analyzeMtaStsRecord, analyzeMx, analyzeTlsRpt, checkMtaStsPolicy, type MxAnalysis, type PolicyFetcher } from './mx';
import { analyzeSpf, type SpfAnalysis } from './spf/analyze';

// The email-authentication checks for one domain, as launch.yaml describes it. The audit calls
// checkEmail() once per sending domain with the audit's (cached, bounded) resolver.

export interface EmailDomainConfig {
  domain: string;
  /** The domain sends mail (default true). `false` expects the RFC 7505 lock-down. */
  sends?: boolean;
  /** The domain receives mail (default: true when it sends, since replies and bounces come back). */
  receives?: boolean;
  provider?: string;
  /** Includes the provider's mail needs in SPF, e.g. `_spf.google.com`. */
  spfIncludes?: readonly string[];
  dkimSelectors?: readonly string[];
  /** The envelope (return-path) domain the provider uses; SPF aligns only if it is under the domain. */
  returnPath?: string;
  dmarc?: { policy?: DmarcPolicy; reportAddresses?: readonly string[] };
}

export interface EmailCheckOptions {
  stage?: LaunchStage;
  /** Fetches the MTA-STS policy file; without it only the `_mta-sts` TXT record is checked. */
  fetchMtaStsPolicy?: PolicyFetcher;
  /** Check `default._bimi` when present (default true). */
  bimi?: boolean;
}

export interface EmailCheckResult {
  domain: string;
  findings: Finding[];
  spf: SpfAnalysis;
  dkim: DkimKeyReport[];
  dmarc: DmarcAnalysis;
  mx: MxAnalysis;
}

export async function checkEmail(config: EmailDomainConfig, resolver: DnsResolver, options: EmailCheckOptions = {}): Promise<EmailCheckResult> {
  // IDN domains are looked up (and reported) in their ASCII form, as DNS stores them.
  const domain = domainToASCII(stripDot(config.domain)) || stripDot(config.domain).toLowerCase();
  const sends = config.sends !== false;
  const receives = config.receives ?? sends;
  const selectors = config.dkimSelectors ?? [];
  const [spf, dkimResults, dmarc, mx, mtaSts, tlsRpt, bimi] = await Promise.all([
    analyzeSpf(resolver, domain, { expectedIncludes: sends ? config.spfIncludes : [] }),
    Promise.all(selectors.map((selector) => analyzeDkim(resolver, domain, selector))),
    analyzeDmarc(resolver, domain, { stage: options.stage, policy: config.dmarc?.policy, reportAddresses: config.dmarc?.reportAddresses, nonSending: !sends }),
    analyzeMx(resolver, domain, receives),
    analyzeMtaStsRecord(resolver, domain),
    analyzeTlsRpt(resolver, domain),
    options.bimi === false ? Promise.resolve([]) : analyzeBimi(resolver, domain),
  ]);
  const findings: Finding[] = [];
  const spfFindings = sends ? spf.findings : spf.findings.filter((finding) => finding.ruleId !== 'email/spf-missing');
  findings.push(...spfFindings, ...dkimResults.flatMap((result) => result.findings), ...dmarc.findings, ...mx.findings, ...mtaSts.findings, ...tlsRpt, ...bimi);

  if (sends && selectors.length === 0) {
    findings.push(
      emailFinding('email/dkim-no-selector', {
        host: domain,
        message: `launch.yaml lists no DKIM selectors for ${domain}, so its DKIM keys were not checked.`,
      }),
    );
  }
  if (sends && selectors.length > 0) alignment(domain, config.returnPath, spf, dkimResults.map((result) => result.report), dmarc, findings);
  lockDown(domain, sends, spf, dmarc, mx, findings);
  if (mtaSts.id && options.fetchMtaStsPolicy && mx.exchanges.length > 0 && !mx.nullMx) {
    findings.push(...(await checkMtaStsPolicy(domain, mx.exchanges.map((entry) => entry.exchange), options.fetchMtaStsPolicy)));
  }
  return { domain, findings, spf, dkim: dkimResults.map((result) => result.report), dmarc, mx };
}

/** Can a legitimate message pass DMARC with what is published? */
function alignment(domain: string, returnPath: string | undefined, spf: SpfAnalysis, dkim: DkimKeyReport[], dmarc: DmarcAnalysis, findings: Finding[]): void {
  const record = dmarc.discovery.record;
  if (!record || dkim.some((key) => key.status === 'unverified')) return;
  if (dkim.some((key) => key.usable)) return;
  const spfUsable = spf.record !== undefined && spf.findings.every((finding) => !['email/spf-syntax', 'email/spf-multiple', 'email/spf-lookup-limit', 'email/spf-include-broken', 'email/spf-loop'].includes(finding.ruleId));
  const base = { host: `_dmarc.${record.domain}`, record: record.record, raw: record.raw };
  const envelope = returnPath ? stripDot(returnPath).toLowerCase() : undefined;
  const organizational = dmarc.discovery.organizationalDomain;
  const envelopeAligns = !envelope || (record.aspf === 's' ? envelope === domain : envelope === organizational || envelope.endsWith(`.${organizational}`));
  if (!envelopeAligns) {
    findings.push(
      emailFinding('email/dmarc-alignment', {
        ...base,
        message: `DMARC for ${domain} cannot pass: no usable DKIM key, and the return-path ${envelope} does not align with ${record.aspf === 's' ? `${domain} (aspf=s)` : organizational}, so SPF cannot align either.`,
      }),
    );
    return;
  }
  const selectors = dkim.map((key) => `${key.selector} (${key.status})`).join(', ');
  if (!spfUsable) {
    findings.push(
      emailFinding('email/dmarc-alignment', {
        ...base,
        message: `DMARC for ${domain} cannot pass: no usable DKIM key (${selectors}) and no working SPF record.`,
      }),
    );
    return;
  }
  findings.push(
    emailFinding('email/dmarc-alignment', {
      ...base,
      severity: 'medium',
      message: `DMARC for ${domain} can pass only through SPF (no usable DKIM key: ${selectors}); forwarded mail fails, and SPF aligns only when the provider's return-path is ${record.aspf === 's' ? `exactly ${domain} (aspf=s)` : `under ${dmarc.discovery.organizationalDomain}`}.`,
    }),
  );
}

/** RFC 7505 §4 and M3AAWG: a domain that sends no mail publishes null MX, `v=spf1 -all` and p=reject. */
function lockDown(domain: string, sends: boolean, spf: SpfAnalysis, dmarc: DmarcAnalysis, mx: MxAnalysis, findings: Finding[]): void {
  if (sends) {
    if (mx.nullMx) {
      findings.push(
        emailFinding('email/mx-missing', {
          host: domain,
          subject: 'MX',
          severity: 'medium',
          message: `${domain} publishes a null MX (accepts no mail) but launch.yaml says it sends mail: replies and bounces cannot come back.`,
          raw: mx.raw,
          key: 'null',
        }),
      );
    }
    return;
  }
  const missing: string[] = [];
  if (mx.verified && !mx.nullMx) missing.push(mx.exchanges.length > 0 ? `a null MX instead of ${mx.exchanges.map((entry) => entry.exchange).join(', ')}` : 'a null MX ("MX 0 .")');
  const spfTerms = spf.parsed?.terms ?? [];
  const spfLocked = spfTerms.length === 1 && spfTerms[0].kind === 'mechanism' && spfTerms[0].name === 'all' && spfTerms[0].qualifier === '-';
  if (!spfLocked && !spf.findings.some((finding) => finding.ruleId === 'email/could-not-verify')) missing.push(spf.record ? `"v=spf1 -all" instead of "${spf.record}"` : '"v=spf1 -all"');
  if (dmarc.effectivePolicy !== 'reject' && !dmarc.findings.some((finding) => finding.ruleId === 'email/could-not-verify')) missing.push('DMARC p=reject');
  if (missing.length === 0) return;
  findings.push(
    emailFinding('email/null-mx-incomplete', {
      host: domain,
      message: `${domain} sends no mail but is not locked down: publish ${missing.join(', ')}.`,
      record: [spf.record, dmarc.discovery.record?.record].filter(Boolean).join('\n') || undefined,
      raw: [...mx.raw, ...spf.raw, ...(dmarc.discovery.record?.raw ?? [])],
      extra: { missing },
    }),
  );
}

export { EMAIL_RULES, emailRule } from './catalog';
export { emailDomainsFromLaunch } from './from-launch';
export { mtaStsFetcher } from './mta-sts-fetch';
export { checkHost, type CheckHostInput, type CheckHostOutcome, type SpfResult } from './spf/check-host';
export type { SpfAnalysis, SpfCostNode } from './spf/analyze';
export type { DkimKeyReport } from './dkim';
export type { DmarcAnalysis, DmarcPolicy, LaunchStage } from './dmarc';
export type { MxAnalysis, PolicyFetcher, PolicyResponse } from './mx';
