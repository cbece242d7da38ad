import { isIP } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { getDomain, getPublicSuffix, getSubdomain } from 'tldts';
import type { HostName, WebUrl } from './model';

// Host names and URLs as the DNS and HTTPS checks need them: ASCII (punycode), lower case, no
// trailing dot, with the registrable domain decided by the public suffix list, so that
// `app.acme.co.uk` belongs to `acme.co.uk` and not to `co.uk`.

export interface HostOptions {
  /** `*.acme.com` (a wildcard record). */
  allowWildcard?: boolean;
  /** `_dmarc.acme.com`, `_acme-challenge.acme.com`: service labels are DNS names, not host names. */
  allowUnderscore?: boolean;
  /** `localhost`-style names without a dot. */
  allowSingleLabel?: boolean;
}

export type HostResult = { ok: true; host: HostName } | { ok: false; reason: string; suggestion?: string };

// Private suffixes (vercel.app, github.io, …) are on: `acme.vercel.app` is the customer's own
// domain, and everything under it belongs to them, not to the platform.
const TLDTS_OPTIONS = { allowPrivateDomains: true } as const;

/** The registrable domain (eTLD+1) of an ASCII host, or undefined for a bare public suffix or IP. */
export function registrableDomain(host: string, options: { includePrivateSuffixes?: boolean } = {}): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (isIP(name)) return undefined;
  const domain = getDomain(name, { allowPrivateDomains: options.includePrivateSuffixes ?? true });
  return domain ?? undefined;
}

/** The labels left of the registrable domain: `app` for `app.acme.co.uk`, '' for the apex. */
export function subdomainPart(host: string): string | undefined {
  const sub = getSubdomain(host.toLowerCase(), TLDTS_OPTIONS);
  return sub ?? undefined;
}

export function publicSuffix(host: string): string | undefined {
  return getPublicSuffix(host.toLowerCase(), TLDTS_OPTIONS) ?? undefined;
}

/** A host for people: `bücher.example (xn--bcher-kva.example)` when the Unicode form differs. */
export function displayHost(ascii: string): string {
  const unicode = domainToUnicode(ascii);
  return unicode && unicode !== ascii ? `${unicode} (${ascii})` : ascii;
}

/** Whether `host` is `domain` or a name under it (label-wise, so `notacme.com` is not under `acme.com`). */
export function isWithin(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/\.$/, '');
  return h === d || h.endsWith(`.${d}`);
}

/** Whether two hosts share a registrable domain (both under `acme.co.uk`, say). */
export function sameRegistrableDomain(a: string, b: string): boolean {
  const da = registrableDomain(a);
  return da !== undefined && da === registrableDomain(b);
}

const LABEL = /^[a-z0-9-]+$/;
const SERVICE_LABEL = /^[a-z0-9_-]+$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCHEME_PREFIX = /^[a-z][a-z0-9+.-]*:/i;
const NOT_IN_HOST = /[\s/:@%?#\\[\]<>|^]/;

/** Every pattern run on user text here, for the ReDoS test. */
export const HOST_PATTERNS: readonly RegExp[] = [LABEL, SERVICE_LABEL, URL_SCHEME, SCHEME_PREFIX, NOT_IN_HOST];

/**
 * Validates and normalises a host as written by a person: Unicode names become punycode
 * (`münchen.de` → `xn--mnchen-3ya.de`), case folds, one trailing dot is dropped. URLs and IP
 * addresses are refused with a reason, since a host field wants neither.
 */
export function normalizeHost(input: string, options: HostOptions = {}): HostResult {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'is empty' };
  if (URL_SCHEME.test(trimmed)) {
    const url = tryUrl(trimmed);
    return { ok: false, reason: 'is a URL, not a host name', suggestion: url?.hostname || undefined };
  }
  const bare = trimmed.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return { ok: false, reason: 'is an IP address, not a host name' };
  if (NOT_IN_HOST.test(trimmed)) return { ok: false, reason: 'contains characters a host name cannot have' };
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  const ascii = domainToASCII(withoutDot);
  if (ascii === '') return { ok: false, reason: 'is not a valid domain name (it cannot be converted to its ASCII form)' };
  if (ascii.length > 253) return { ok: false, reason: 'is longer than 253 characters' };
  const labels = ascii.split('.');
  if (labels.length < 2 && !options.allowSingleLabel) return { ok: false, reason: 'has no dot; write the full name, e.g. `www.acme.com`' };
  for (const [index, label] of labels.entries()) {
    if (label === '') return { ok: false, reason: 'has an empty label (two dots in a row, or a leading dot)' };
    if (label.length > 63) return { ok: false, reason: 'has a label longer than 63 characters' };
    if (label === '*' && index === 0 && options.allowWildcard) continue;
    const pattern = options.allowUnderscore ? SERVICE_LABEL : LABEL;
    if (!pattern.test(label) || label.startsWith('-') || label.endsWith('-')) {
      return { ok: false, reason: `has an invalid label "${label}" (letters, digits and inner hyphens only)` };
    }
  }
  if (labels.length > 1 && /^[0-9]+$/.test(labels[labels.length - 1])) return { ok: false, reason: 'ends in a numeric label, which no top-level domain is' };
  return { ok: true, host: { name: ascii, input, registrableDomain: registrableDomain(ascii) } };
}

export type UrlResult = { ok: true; url: WebUrl } | { ok: false; reason: string };

/** An absolute http(s) URL with a valid host; the host is punycoded the same way as `normalizeHost`. */
export function normalizeWebUrl(input: string): UrlResult {
  const trimmed = input.trim();
  const url = tryUrl(trimmed);
  if (!url) {
    if (!SCHEME_PREFIX.test(trimmed)) return { ok: false, reason: 'is not an absolute URL; start it with https://' };
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `uses ${url.protocol.slice(0, -1)}:, not http(s)` };
  // Credentials in a URL are secrets; the message says so without repeating them.
  if (url.username || url.password) return { ok: false, reason: 'contains a user name or password; remove them from the URL' };
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (!isIP(hostname)) {
    const host = normalizeHost(hostname, { allowSingleLabel: true });
    if (!host.ok) return { ok: false, reason: `has a host that ${host.reason}` };
  }
  return { ok: true, url: { href: url.href, host: url.hostname, input } };
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
