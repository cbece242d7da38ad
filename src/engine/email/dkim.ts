import { createPublicKey } from 'node:crypto';
import { shortEvidence } from '../evidence';
import type { Finding } from '../model';
import type { DnsResolver } from '../net/dns-types';
import { isUnverifiable, joinedTxt, lookupChasingCname } from './dns';
import { couldNotVerify, emailFinding } from './findings';
import { parseTagList, tagValue } from './tags';

// DKIM key records (RFC 6376 §3.6.1, RFC 8301 key sizes and hashes, RFC 8463 Ed25519).

export interface DkimKeyReport {
  selector: string;
  name: string;
  /** CNAME hops when the key is delegated to the provider. */
  chain: string[];
  status: 'ok' | 'missing' | 'revoked' | 'invalid' | 'unverified';
  record?: string;
  keyType?: string;
  keyBits?: number;
  testing?: boolean;
  /** A verifier would accept signatures made with this key (present, parsable, ≥ 1024-bit, sha256 allowed). */
  usable: boolean;
}

export async function analyzeDkim(resolver: DnsResolver, domain: string, selector: string): Promise<{ report: DkimKeyReport; findings: Finding[] }> {
  const name = `${selector}._domainkey.${domain}`;
  const findings: Finding[] = [];
  const answer = await lookupChasingCname(resolver, name, 'TXT');
  const report: DkimKeyReport = { selector, name, chain: answer.chain, status: 'ok', usable: false };
  const raw = answer.raw;
  const base = { host: name, raw, key: selector };
  if (isUnverifiable(answer.status)) {
    report.status = 'unverified';
    findings.push(couldNotVerify(answer, `the DKIM key for selector "${selector}"`));
    return { report, findings };
  }
  const texts = joinedTxt(answer);
  const keys = texts.filter((text) => /^\s*v\s*=\s*DKIM1\s*(;|$)/.test(text) || /(^|;)\s*p\s*=/.test(text));
  if (keys.length === 0) {
    report.status = 'missing';
    findings.push(
      emailFinding('email/dkim-missing', {
        ...base,
        message: `No DKIM key for selector "${selector}" at ${name}${answer.chain.length > 1 ? ` (via ${answer.chain.slice(1).join(' → ')})` : ''}: ${answer.status === 'nxdomain' ? 'the name does not exist' : texts.length > 0 ? 'the TXT record there is not a DKIM key' : 'no TXT record'}.`,
        record: texts[0],
      }),
    );
    return { report, findings };
  }
  const record = keys[0];
  report.record = record;
  const syntax = (message: string, position?: { start: number; end: number }) =>
    findings.push(emailFinding('email/dkim-syntax', { ...base, message: `DKIM key ${name}: ${message}`, record, position, key: `${selector}:${message}` }));
  if (keys.length > 1) syntax(`${keys.length} key records are published; verifiers may pick either or fail`);
  const tags = parseTagList(record);
  for (const error of tags.errors) syntax(error.message, error);
  for (const duplicate of tags.duplicates) syntax(`tag "${duplicate.name}" appears more than once, which makes the whole record invalid`, duplicate);
  const version = tagValue(tags, 'v');
  if (version && (version.value !== 'DKIM1' || tags.tags[0] !== version)) syntax('"v=DKIM1" must be the first tag when present', version);
  const keyType = (tagValue(tags, 'k')?.value ?? 'rsa').toLowerCase();
  report.keyType = keyType;
  const testing = (tagValue(tags, 't')?.value ?? '').split(':').some((flag) => flag.trim().toLowerCase() === 'y');
  report.testing = testing;
  if (testing) {
    findings.push(emailFinding('email/dkim-testing', { ...base, message: `DKIM key ${name} is in testing mode (t=y).`, record }));
  }
  const hashes = tagValue(tags, 'h');
  let sha256Allowed = true;
  if (hashes) {
    const allowed = hashes.value.split(':').map((hash) => hash.trim().toLowerCase());
    sha256Allowed = allowed.includes('sha256');
    if (!sha256Allowed) {
      findings.push(
        emailFinding('email/dkim-sha1', {
          ...base,
          message: `DKIM key ${name} allows only ${allowed.join(', ')} (h=${hashes.value}); RFC 8301 verifiers reject rsa-sha1, so its signatures fail.`,
          record,
          position: hashes,
        }),
      );
    }
  }
  const publicKey = tagValue(tags, 'p');
  if (!publicKey) {
    report.status = 'invalid';
    syntax('the required "p=" tag is missing');
    return { report, findings };
  }
  const base64 = publicKey.value.replace(/\s+/g, '');
  if (base64 === '') {
    report.status = 'revoked';
    findings.push(emailFinding('email/dkim-revoked', { ...base, message: `DKIM key ${name} is revoked (empty p=): signatures with selector "${selector}" fail.`, record }));
    return { report, findings };
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    report.status = 'invalid';
    syntax('p= is not base64', publicKey);
    return { report, findings };
  }
  const der = Buffer.from(base64, 'base64');
  if (keyType === 'ed25519') {
    if (der.length !== 32) {
      report.status = 'invalid';
      syntax(`an Ed25519 key is 32 bytes, this p= decodes to ${der.length}`, publicKey);
      return { report, findings };
    }
    report.keyBits = 256;
  } else if (keyType === 'rsa') {
    const bits = rsaModulusBits(der);
    if (bits === undefined) {
      report.status = 'invalid';
      syntax('p= does not decode to an RSA public key', publicKey);
      return { report, findings };
    }
    report.keyBits = bits;
    if (bits < 2048) {
      findings.push(
        emailFinding('email/dkim-weak-key', {
          ...base,
          severity: bits < 1024 ? 'blocker' : 'medium',
          message:
            bits < 1024
              ? `DKIM key ${name} is ${bits}-bit RSA; RFC 8301 verifiers reject keys under 1024 bits, so its signatures fail.`
              : `DKIM key ${name} is ${bits}-bit RSA; 2048 bits is the current recommendation.`,
          record,
          evidence: `${shortEvidence(record)}, ${bits}-bit`,
          extra: { keyBits: bits },
        }),
      );
    }
  } else {
    report.status = 'invalid';
    syntax(`unknown key type k=${keyType} (rsa or ed25519)`, tagValue(tags, 'k'));
    return { report, findings };
  }
  const strongEnough = keyType === 'ed25519' || (sha256Allowed && (report.keyBits ?? 0) >= 1024);
  report.usable = tags.duplicates.length === 0 && strongEnough;
  return { report, findings };
}

/** SubjectPublicKeyInfo as RFC 6376 specifies, or the bare RSAPublicKey some providers publish. */
function rsaModulusBits(der: Buffer): number | undefined {
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType === 'rsa') return key.asymmetricKeyDetails?.modulusLength;
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}
