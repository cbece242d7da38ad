import type { Finding } from '../model';
import type { DnsResolver, LookupResult } from '../net/dns-types';
import { isUnverifiable, joinedTxt, lookupChasingCname, stripDot } from './dns';
import { couldNotVerify, emailFinding } from './findings';
import { parseTagList, tagValue } from './tags';

// MX (with RFC 7505 null MX), and the optional MTA-STS, TLS-RPT and BIMI records.

export interface MxAnalysis {
  exchanges: { priority: number; exchange: string }[];
  nullMx: boolean;
  /** The MX lookup answered (so `exchanges` is the truth, not a gap). */
  verified: boolean;
  raw: string[];
  mtaStsId?: string;
  findings: Finding[];
}

export async function analyzeMx(resolver: DnsResolver, domain: string, expectMail: boolean): Promise<MxAnalysis> {
  const findings: Finding[] = [];
  const answer = await lookupChasingCname(resolver, domain, 'MX');
  const analysis: MxAnalysis = { exchanges: [], nullMx: false, verified: !isUnverifiable(answer.status), raw: answer.raw, findings };
  if (!analysis.verified) {
    findings.push(couldNotVerify(answer, `the MX records of ${domain}`));
    return analysis;
  }
  analysis.exchanges = answer.records.flatMap((record) => (record.type === 'MX' ? [{ priority: record.priority, exchange: stripDot(record.exchange).toLowerCase() }] : []));
  analysis.nullMx = analysis.exchanges.length === 1 && analysis.exchanges[0].exchange === '';
  const record = answer.raw.join('\n');
  if (analysis.exchanges.length === 0) {
    if (expectMail) {
      findings.push(
        emailFinding('email/mx-missing', {
          host: domain,
          subject: 'MX',
          message: `${domain} has no MX record (${answer.status}): replies and bounces to it cannot be delivered reliably.`,
          raw: answer.raw,
        }),
      );
    }
    return analysis;
  }
  if (analysis.nullMx) return analysis;
  for (const { exchange } of analysis.exchanges) {
    if (exchange === '') continue;
    const lookups: LookupResult[] = [await lookupChasingCname(resolver, exchange, 'A'), await lookupChasingCname(resolver, exchange, 'AAAA')];
    const failed = lookups.find((lookup) => isUnverifiable(lookup.status));
    if (lookups.every((lookup) => lookup.records.length === 0)) {
      if (failed) findings.push(couldNotVerify(failed, `the address of MX host ${exchange}`));
      else {
        findings.push(
          emailFinding('email/mx-dangling', {
            host: domain,
            subject: 'MX',
            message: `MX ${exchange} of ${domain} has no A or AAAA record (${lookups.map((lookup) => lookup.status).join('/')}): mail to it cannot be delivered.`,
            record,
            raw: answer.raw,
            key: exchange,
          }),
        );
      }
    }
  }
  return analysis;
}

/** RFC 8461 §3.1: `v=STSv1; id=<1–32 alphanumerics>`. */
export async function analyzeMtaStsRecord(resolver: DnsResolver, domain: string): Promise<{ id?: string; findings: Finding[] }> {
  const name = `_mta-sts.${domain}`;
  const answer = await lookupChasingCname(resolver, name, 'TXT');
  if (isUnverifiable(answer.status)) return { findings: [couldNotVerify(answer, 'the MTA-STS record')] };
  const records = joinedTxt(answer).filter((text) => /^v=STSv1(;|\s|$)/.test(text));
  if (records.length === 0) {
    const other = joinedTxt(answer)[0];
    if (!other) return { findings: [] };
    return { findings: [emailFinding('email/mta-sts-syntax', { host: name, message: `${name} has a TXT record that does not start with "v=STSv1".`, record: other, raw: answer.raw })] };
  }
  const base = { host: name, record: records[0], raw: answer.raw };
  if (records.length > 1) return { findings: [emailFinding('email/mta-sts-syntax', { ...base, message: `${name} has ${records.length} "v=STSv1" records; senders treat MTA-STS as absent.` })] };
  const tags = parseTagList(records[0]);
  const id = tagValue(tags, 'id');
  const findings: Finding[] = [];
  if (!id) findings.push(emailFinding('email/mta-sts-syntax', { ...base, message: `${name} has no id= field.` }));
  else if (!/^[A-Za-z0-9]{1,32}$/.test(id.value)) {
    findings.push(emailFinding('email/mta-sts-syntax', { ...base, position: id, message: `${name}: id=${id.value} must be 1–32 letters and digits.` }));
  }
  for (const error of tags.errors) findings.push(emailFinding('email/mta-sts-syntax', { ...base, position: error, key: error.message, message: `${name}: ${error.message}.` }));
  // Senders fetch the policy from mta-sts.<domain>; without an address the TXT record points nowhere.
  const policyHost = `mta-sts.${domain}`;
  const addresses = [await lookupChasingCname(resolver, policyHost, 'A'), await lookupChasingCname(resolver, policyHost, 'AAAA')];
  const failed = addresses.find((lookup) => isUnverifiable(lookup.status));
  if (addresses.every((lookup) => lookup.records.length === 0)) {
    if (failed) findings.push(couldNotVerify(failed, `the MTA-STS policy host ${policyHost}`));
    else {
      findings.push(
        emailFinding('email/mta-sts-policy', {
          host: policyHost,
          subject: 'A',
          message: `${name} announces an MTA-STS policy, but ${policyHost} has no A or AAAA record, so no sender can fetch it.`,
          record: records[0],
          raw: [...answer.raw, ...addresses.flatMap((lookup) => lookup.raw)],
        }),
      );
    }
  }
  return { id: id?.value, findings };
}

/** What the HTTPS layer hands back for the policy URL; the HTTPS issue supplies the fetcher (undici). */
export interface PolicyResponse {
  status: number;
  /** True when the response came after a redirect (RFC 8461 §3.3 forbids following them). */
  redirected: boolean;
  contentType?: string;
  body: string;
}

export type PolicyFetcher = (url: string) => Promise<PolicyResponse>;

export interface MtaStsPolicy {
  version?: string;
  mode?: string;
  maxAge?: number;
  mx: string[];
}

export function parseMtaStsPolicy(body: string): MtaStsPolicy {
  const policy: MtaStsPolicy = { mx: [] };
  for (const line of body.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'version') policy.version = value;
    else if (key === 'mode') policy.mode = value;
    else if (key === 'max_age') policy.maxAge = /^[0-9]{1,10}$/.test(value) ? Number(value) : undefined;
    else if (key === 'mx') policy.mx.push(value.toLowerCase());
  }
  return policy;
}

/** RFC 8461 §4.1: `*.example.com` matches exactly one extra leftmost label. */
export function mxMatchesPattern(host: string, pattern: string): boolean {
  const name = stripDot(host).toLowerCase();
  const wanted = stripDot(pattern).toLowerCase();
  if (!wanted.startsWith('*.')) return name === wanted;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === wanted.slice(2);
}

/**
 * The HTTPS half of MTA-STS. checkEmail() runs it when given a fetcher; the audit passes
 * `mtaStsFetcher(httpClient)` (mta-sts-fetch.ts) so the fetch goes through its HTTP client.
 */
export async function checkMtaStsPolicy(domain: string, mxHosts: readonly string[], fetcher: PolicyFetcher): Promise<Finding[]> {
  const url = `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
  const host = `mta-sts.${domain}`;
  const finding = (message: string, key: string, body?: string) => emailFinding('email/mta-sts-policy', { host, subject: url, message, record: body, key });
  let response: PolicyResponse;
  try {
    response = await fetcher(url);
  } catch (error) {
    return [emailFinding('email/could-not-verify', { host, subject: url, message: `Could not fetch the MTA-STS policy ${url}: ${(error as Error).message}.`, key: 'mta-sts' })];
  }
  const findings: Finding[] = [];
  if (response.redirected) return [finding(`${url} redirects (HTTP ${response.status}); senders do not follow redirects for MTA-STS, so they see no policy.`, 'redirect')];
  if (response.status !== 200) findings.push(finding(`${url} answered HTTP ${response.status}; it must answer 200.`, 'status'));
  if (!/^text\/plain(\s*;|$)/i.test(response.contentType ?? '')) findings.push(finding(`${url} is served as ${response.contentType ?? 'no content type'}; it must be text/plain.`, 'type'));
  if (response.status !== 200) return findings;
  const policy = parseMtaStsPolicy(response.body);
  if (policy.version !== 'STSv1') findings.push(finding(`${url} does not start with "version: STSv1".`, 'version', response.body));
  if (!['enforce', 'testing', 'none'].includes(policy.mode ?? '')) findings.push(finding(`${url}: mode must be enforce, testing or none (got ${policy.mode ?? 'nothing'}).`, 'mode', response.body));
  if (policy.maxAge === undefined) findings.push(finding(`${url}: max_age is missing or not a number of seconds.`, 'max_age', response.body));
  if (policy.mode !== 'none') {
    for (const mx of mxHosts) {
      if (!policy.mx.some((pattern) => mxMatchesPattern(mx, pattern))) findings.push(finding(`MX ${mx} matches no "mx:" line of ${url}; senders in enforce mode will not deliver to it.`, `mx:${mx}`, response.body));
    }
  }
  return findings;
}

/** RFC 8460 §3: `v=TLSRPTv1; rua=mailto:…,https://…`. */
export async function analyzeTlsRpt(resolver: DnsResolver, domain: string): Promise<Finding[]> {
  const name = `_smtp._tls.${domain}`;
  const answer = await lookupChasingCname(resolver, name, 'TXT');
  if (isUnverifiable(answer.status)) return [couldNotVerify(answer, 'the TLS-RPT record')];
  const records = joinedTxt(answer).filter((text) => /^v=TLSRPTv1(;|\s|$)/.test(text));
  if (records.length === 0) {
    const other = joinedTxt(answer)[0];
    return other ? [emailFinding('email/tls-rpt-syntax', { host: name, message: `${name} has a TXT record that does not start with "v=TLSRPTv1".`, record: other, raw: answer.raw })] : [];
  }
  const base = { host: name, record: records[0], raw: answer.raw };
  if (records.length > 1) return [emailFinding('email/tls-rpt-syntax', { ...base, message: `${name} has ${records.length} TLS-RPT records; senders ignore them all.` })];
  const rua = tagValue(parseTagList(records[0]), 'rua');
  if (!rua) return [emailFinding('email/tls-rpt-syntax', { ...base, message: `${name} has no rua= report destination.` })];
  const bad = rua.value.split(',').map((uri) => uri.trim()).filter((uri) => !/^mailto:[^@\s]+@[^@\s]+$/i.test(uri) && !/^https:\/\/\S+$/i.test(uri));
  return bad.length > 0 ? [emailFinding('email/tls-rpt-syntax', { ...base, position: rua, message: `${name}: ${bad.join(', ')} is not a mailto: or https: URI.` })] : [];
}

/** BIMI is optional: only a published record is checked (`v=BIMI1; l=https://…svg; a=https://…pem`). */
export async function analyzeBimi(resolver: DnsResolver, domain: string): Promise<Finding[]> {
  const name = `default._bimi.${domain}`;
  const answer = await lookupChasingCname(resolver, name, 'TXT');
  if (isUnverifiable(answer.status)) return [couldNotVerify(answer, 'the BIMI record')];
  const text = joinedTxt(answer)[0];
  if (!text) return [];
  const base = { host: name, record: text, raw: answer.raw };
  const tags = parseTagList(text);
  if (tagValue(tags, 'v')?.value !== 'BIMI1' || tags.tags[0]?.name !== 'v') return [emailFinding('email/bimi-syntax', { ...base, message: `${name} does not start with "v=BIMI1".` })];
  const findings: Finding[] = [];
  for (const key of ['l', 'a']) {
    const value = tagValue(tags, key)?.value;
    if (value && !/^https:\/\/\S+$/i.test(value)) findings.push(emailFinding('email/bimi-syntax', { ...base, key, message: `${name}: ${key}=${value} must be an https: URL.` }));
  }
  return findings;
}
