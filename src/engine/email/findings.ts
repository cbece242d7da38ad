import { shortEvidence } from '../evidence';
import type { Finding, Severity } from '../model';
import { fingerprint } from '../redact';
import type { LookupResult } from '../net/dns-types';
import { emailRule } from './catalog';

// One constructor for every email finding, so each carries the rule's remediation, a stable
// fingerprint and the raw record(s) it was read from.

export interface FindingDetails {
  host: string;
  subject?: string;
  message: string;
  /** The record text the finding is about (the joined TXT value, the MX set, …); kept whole in `observed`. */
  record?: string;
  /** What the finding shows beside its message (default: the record); shortened to one short line. */
  evidence?: string;
  /** Zone-file lines as the resolver returned them. */
  raw?: readonly string[];
  severity?: Severity;
  remediation?: string;
  /** Character offsets within `record` for syntax findings. */
  position?: { start: number; end: number };
  extra?: Record<string, unknown>;
  /** What makes two findings of one rule on one host different (a selector, a term …). */
  key?: string;
}

export function emailFinding(ruleId: string, details: FindingDetails): Finding {
  const rule = emailRule(ruleId);
  const observed: Record<string, unknown> = { ...details.extra };
  if (details.record !== undefined) observed.record = details.record;
  if (details.raw !== undefined) observed.raw = [...details.raw];
  if (details.position) observed.position = details.position;
  const evidenceText = details.evidence ?? details.record;
  return {
    ruleId,
    severity: details.severity ?? rule.defaultSeverity,
    stage: 'email',
    message: details.message,
    location: { kind: 'host', host: details.host, subject: details.subject ?? 'TXT' },
    remediation: details.remediation ?? rule.remediation,
    ...(evidenceText !== undefined ? { evidence: shortEvidence(evidenceText) } : {}),
    fingerprint: fingerprint(ruleId, details.host, `${details.subject ?? 'TXT'}\0${details.key ?? ''}`),
    observed,
  };
}

/** The lookup failed (timeout, SERVFAIL …): a finding about the check, never "missing". */
export function couldNotVerify(lookup: LookupResult, what: string): Finding {
  return emailFinding('email/could-not-verify', {
    host: lookup.name,
    subject: lookup.type,
    message: `Could not read ${what}: the ${lookup.type} lookup for ${lookup.name} ended with ${lookup.status}${lookup.detail ? ` (${lookup.detail})` : ''}.`,
    raw: lookup.raw,
    key: what,
    extra: { status: lookup.status, server: lookup.server },
  });
}
