import type { Finding, Rule, Severity } from '../model';
import { fingerprint } from '../redact';

// Every DNS rule as data (SARIF's rule list and the README come from it), and the one constructor
// for their findings: each names the host and record type it is about and carries the raw records
// it was decided from, so a person can compare them with the DNS provider's screen.

function rule(id: string, title: string, defaultSeverity: Severity, description: string, remediation: string): Rule {
  return { id: `dns/${id}`, title, stage: 'dns', defaultSeverity, description, remediation };
}

export const DNS_RULES: readonly Rule[] = [
  rule('could-not-verify', 'DNS record could not be verified', 'medium',
    'A lookup timed out, was refused or answered SERVFAIL, so the record could not be read. This is not the same as the record being missing.',
    'Check the DNS provider and the resolver used (`--dns`), then run the audit again.'),
  rule('apex-not-resolving', 'Apex domain does not resolve', 'blocker',
    'The bare domain has no A or AAAA record (directly or through an ALIAS/flattened CNAME), so visitors who type it get an error.',
    'Publish A/AAAA records at the apex (or the DNS provider\'s ALIAS/flattening to your host).'),
  rule('www-not-resolving', '`www` does not resolve', 'high',
    '`www.<domain>` has no address, so visitors who type it get an error.',
    'Publish a CNAME for `www` to your host (or A/AAAA records), and redirect it to the canonical host.'),
  rule('subdomain-not-resolving', 'Declared subdomain does not resolve', 'high',
    'A host launch.yaml declares has no A or AAAA record (the name does not exist, or exists without addresses).',
    'Publish the record launch.yaml declares for it, or remove the host from launch.yaml.'),
  rule('subdomain-mismatch', 'Subdomain points somewhere else', 'high',
    'The host resolves, but not to the addresses or CNAME target launch.yaml declares: traffic goes to another server than intended.',
    'Change the record at the DNS provider (or launch.yaml, if the new target is intended).'),
  rule('dangling-cname', 'CNAME points at a name that does not resolve', 'blocker',
    'The CNAME target does not exist (or has no address). If the target is a hosted service (Heroku, GitHub Pages, S3, Azure …) anyone who claims that name there serves content on your domain: a subdomain takeover.',
    'Remove the CNAME, or recreate the resource at the service before anyone else claims it.'),
  rule('caa-missing', 'No CAA record', 'low',
    'No CAA record on the name or any parent (RFC 8659 tree climb), so every public CA may issue certificates for it.',
    'Publish `CAA 0 issue "<your CA>"` at the domain (e.g. `letsencrypt.org`), plus `issuewild` if you use wildcards.'),
  rule('caa-disallows-ca', 'CAA forbids the CA in use', 'blocker',
    'The CAA record set that applies to the name does not allow the CA that launch.yaml declares (or that issued the current certificate): renewal will fail.',
    'Add `CAA 0 issue "<the CA\'s domain>"` next to the existing CAA records.'),
  rule('caa-unknown-critical', 'CAA has an unknown critical tag', 'high',
    'A CAA record with the critical flag (128) and a tag CAs do not know forbids issuance by every CA (RFC 8659 §4.1).',
    'Remove the critical flag or the record.'),
  rule('private-host-public', 'Private host resolves in public DNS', 'high',
    'launch.yaml declares the host private (staging, admin …), yet public DNS publishes an address for it, so anyone can find and reach it.',
    'Remove the public record (use a private zone or VPN), or put the host behind authentication and mark it `public: true`.'),
  rule('nameservers-missing', 'No nameservers for the domain', 'blocker',
    'The registrable domain has no NS records, or does not exist: nothing under it can resolve.',
    'Check the registration and set the nameservers at the registrar.'),
  rule('nameserver-single', 'Only one nameserver', 'medium',
    'RFC 1034 asks for at least two nameservers; with one, its outage takes the whole domain down.',
    'Publish the two or more nameservers your DNS provider gives you.'),
  rule('nameserver-provider-mismatch', 'Nameservers are not the declared DNS provider', 'medium',
    'launch.yaml names a DNS provider under `owners.dns`, but the domain is delegated to another one: changes made at the declared provider have no effect.',
    'Point the nameservers at the declared provider at the registrar, or correct `owners.dns.provider`.'),
  rule('nameservers-mixed', 'Nameservers from several providers', 'low',
    'The domain is delegated to nameservers of more than one provider. That is fine for deliberate multi-provider DNS, but often a half-finished migration where the zones differ.',
    'Keep one provider\'s nameservers, or make sure every provider serves the same zone.'),
  rule('dnssec-unsigned', 'Domain is not DNSSEC-signed', 'low',
    'No DS record at the parent: answers for the domain cannot be validated. Acceptable as a conscious decision (`domain.dnssec: false`); a problem when launch.yaml asks for DNSSEC.',
    'Enable DNSSEC at the DNS provider and publish the DS record at the registrar, or set `domain.dnssec: false`.'),
  rule('dnssec-unvalidated', 'DNSSEC answers not validated', 'low',
    'A DS record is published but the resolver did not mark the answers as validated (AD flag): either the resolver does not validate, or the signatures are broken.',
    'Check with a validating resolver (e.g. `--dns https://cloudflare-dns.com/dns-query`); if it fails there too, re-sign the zone or fix the DS record.'),
  rule('ttl-very-low', 'Very low TTL', 'low',
    'A TTL under 60 seconds sends most visitors to DNS on every visit; it makes sense only around a cutover.',
    'Raise the TTL (300–3600 seconds) once the launch cutover is done.'),
  rule('ttl-very-high', 'Very high TTL', 'low',
    'A TTL over a day means a changed record takes that long to reach everyone; lower it well before a cutover.',
    'Lower the TTL (e.g. 300 seconds) a day or more before changing the record, raise it afterwards.'),
];

const BY_ID = new Map(DNS_RULES.map((entry) => [entry.id, entry]));

export function dnsRule(id: string): Rule {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown DNS rule ${id}`);
  return found;
}

export interface DnsFindingDetails {
  host: string;
  /** The record type the finding is about (`A`, `CNAME`, `CAA` …). */
  subject: string;
  message: string;
  /** Zone-file lines as the resolver returned them. */
  records: readonly string[];
  severity?: Severity;
  extra?: Record<string, unknown>;
  /** What makes two findings of one rule on one host and type different. */
  key?: string;
}

export function dnsFinding(ruleId: string, details: DnsFindingDetails): Finding {
  const entry = dnsRule(ruleId);
  return {
    ruleId,
    severity: details.severity ?? entry.defaultSeverity,
    stage: 'dns',
    message: details.message,
    location: { kind: 'host', host: details.host, subject: details.subject },
    remediation: entry.remediation,
    fingerprint: fingerprint(ruleId, details.host, `${details.subject}\0${details.key ?? ''}`),
    observed: { records: [...details.records], ...details.extra },
  };
}
