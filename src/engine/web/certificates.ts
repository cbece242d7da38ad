import type { Finding } from '../model';
import type { TlsFacts, TlsOutcome } from '../net/http-tls';
import { webFinding, type RunInfo } from './rules';

// Certificate findings from one TLS handshake's facts. Days are counted from the audit's clock, so
// tests can pin "now" and the report is the same on every run of one audit.

export const EXPIRY_WARN_DAYS = 21;
export const EXPIRY_BLOCK_DAYS = 7;
const DAY_MS = 86_400_000;

export function tlsObserved(facts: TlsFacts, now: Date): Record<string, unknown> {
  const leaf = facts.chain[0];
  return {
    protocol: facts.protocol,
    trusted: facts.trusted,
    trustError: facts.trustError,
    hostnameMatches: facts.hostnameMatches,
    address: `${facts.target.address}:${facts.target.port}`,
    connectTo: facts.target.via,
    daysLeft: leaf ? Math.floor((Date.parse(leaf.validTo) - now.getTime()) / DAY_MS) : undefined,
    certificate: leaf,
    chain: facts.chain.map((entry) => ({ subject: entry.subject, issuer: entry.issuer, validTo: entry.validTo })),
  };
}

export function certificateFindings(facts: TlsFacts, now: Date, run: RunInfo): Finding[] {
  const findings: Finding[] = [];
  const subject = `https://${facts.host}${facts.port === 443 ? '' : `:${facts.port}`}/`;
  const observed = tlsObserved(facts, now);
  const leaf = facts.chain[0];
  const add = (ruleId: string, message: string, severity?: Finding['severity']): void => {
    findings.push(webFinding(ruleId, { host: facts.host, subject, message, observed, severity, evidence: leaf ? `${leaf.subject}; issuer ${leaf.issuer}; valid to ${leaf.validTo}` : undefined }, run));
  };
  if (!leaf) {
    add('web/cert-untrusted', `${facts.host} sent no certificate.`);
    return findings;
  }
  const msLeft = Date.parse(leaf.validTo) - now.getTime();
  const expired = msLeft <= 0 || facts.trustError === 'CERT_HAS_EXPIRED';
  if (expired) {
    add('web/cert-expired', `The certificate of ${facts.host} expired on ${leaf.validTo.slice(0, 10)}.`);
  } else if (msLeft < EXPIRY_WARN_DAYS * DAY_MS) {
    const days = Math.floor(msLeft / DAY_MS);
    add('web/cert-expires-soon', `The certificate of ${facts.host} expires ${days === 0 ? 'within a day' : `in ${days} ${days === 1 ? 'day' : 'days'}`}, on ${leaf.validTo.slice(0, 10)}.`, msLeft < EXPIRY_BLOCK_DAYS * DAY_MS ? 'blocker' : undefined);
  }
  if (!facts.trusted && !(expired && facts.trustError === 'CERT_HAS_EXPIRED')) {
    const why = leaf.selfSigned ? 'it is self-signed' : facts.trustError === 'CERT_NOT_YET_VALID' ? 'it is not valid yet' : `verification failed with ${facts.trustError}`;
    add('web/cert-untrusted', `The certificate chain of ${facts.host} is not trusted: ${why} (issuer: ${leaf.issuer}).`);
  }
  if (!facts.hostnameMatches) {
    add('web/cert-hostname-mismatch', `The certificate served for ${facts.host} covers ${leaf.subjectAltNames.join(', ') || leaf.subject}, not ${facts.host}.`);
  }
  const weak = leaf.keyType === 'rsa' || leaf.keyType === 'rsa-pss' ? (leaf.keyBits ?? 0) < 2048 : leaf.keyType === 'ec' ? (leaf.keyBits ?? 0) < 256 : false;
  if (weak) add('web/cert-weak-key', `The certificate of ${facts.host} has a ${leaf.keyBits}-bit ${leaf.keyType?.toUpperCase()} key.`);
  return findings;
}

/** The TLS 1.0/1.1 probe: a completed handshake means legacy protocols are still on. */
export function legacyProtocolFinding(host: string, outcome: TlsOutcome, run: RunInfo): Finding | undefined {
  if (!outcome.ok) return undefined;
  return webFinding('web/tls-legacy-protocol', {
    host,
    subject: `https://${host}/`,
    message: `${host} still completes a handshake with ${outcome.protocol ?? 'TLS 1.1 or older'}.`,
    observed: { protocol: outcome.protocol, address: `${outcome.target.address}:${outcome.target.port}` },
  }, run);
}

/** Which declared names a certificate's SANs cover (wildcards one label deep, never the apex). */
export function coveredBy(subjectAltNames: readonly string[], host: string): boolean {
  const name = host.toLowerCase();
  return subjectAltNames.some((san) => {
    const pattern = san.toLowerCase();
    if (pattern === name) return true;
    if (!pattern.startsWith('*.')) return false;
    const suffix = pattern.slice(1);
    return name.endsWith(suffix) && !name.slice(0, -suffix.length).includes('.') && name.length > suffix.length;
  });
}
