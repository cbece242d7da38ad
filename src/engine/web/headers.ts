import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { HttpResponse } from '../net/http-client';

// Reading response headers and the landing HTML. Pure functions over one response, so each rule
// is easy to trigger and not trigger in tests.

export const HSTS_MIN_MAX_AGE = 31_536_000;

export interface Hsts {
  maxAge?: number;
  includeSubDomains: boolean;
  preload: boolean;
  /** How many Strict-Transport-Security headers were sent (browsers read only the first). */
  count: number;
  raw: string;
}

export function header(response: HttpResponse, name: string): string | undefined {
  return response.headers[name]?.[0];
}

export function parseHsts(response: HttpResponse): Hsts | undefined {
  const values = response.headers['strict-transport-security'];
  if (!values || values.length === 0) return undefined;
  const raw = values[0];
  const directives = raw.split(';').map((part) => part.trim().toLowerCase());
  const maxAgeDirective = directives.find((part) => part.startsWith('max-age'));
  const maxAgeMatch = maxAgeDirective ? /^max-age\s*=\s*"?([0-9]+)"?$/.exec(maxAgeDirective) : null;
  return {
    maxAge: maxAgeMatch ? Number(maxAgeMatch[1]) : undefined,
    includeSubDomains: directives.includes('includesubdomains'),
    preload: directives.includes('preload'),
    count: values.length,
    raw,
  };
}

/** The body as text, decompressed when the server compressed it, never more than `limit` bytes. */
export function bodyText(response: HttpResponse, limit = 1024 * 1024): string {
  const encoding = header(response, 'content-encoding')?.toLowerCase().trim();
  try {
    // A truncated compressed body cannot be inflated completely; what decodes is still worth reading.
    const options = { maxOutputLength: limit, finishFlush: 2 };
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(response.body, options).toString('utf8');
    if (encoding === 'br') return brotliDecompressSync(response.body, { maxOutputLength: limit }).toString('utf8');
    if (encoding === 'deflate') return inflateSync(response.body, options).toString('utf8');
  } catch {
    return '';
  }
  return response.body.subarray(0, limit).toString('utf8');
}

export function isHtml(response: HttpResponse): boolean {
  return /text\/html|application\/xhtml/i.test(header(response, 'content-type') ?? '');
}

export interface Subresource {
  tag: string;
  attribute: string;
  url: string;
}

// Attribute values inside tags that fetch something. Tags are found by a scan that visits each
// character once (a tag ends at the next `>`); the attribute pattern runs on one tag at a time,
// cut to MAX_TAG characters, so a hostile page costs linear time.
const FETCHING_TAGS = new Set(['script', 'link', 'img', 'iframe', 'source', 'video', 'audio', 'embed', 'object', 'form']);
const MAX_TAG = 4096;
const TAG_NAME = /^([a-z]+)/i;
const ATTRIBUTE = /\b(src|href|data|action|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const REL = /\brel\s*=\s*["']?([a-z -]+)/i;

/** Every pattern run on page content, for the ReDoS test. */
export const CONTENT_PATTERNS: readonly RegExp[] = [TAG_NAME, ATTRIBUTE, REL];

function* tags(html: string): Generator<{ name: string; attributes: string }> {
  let start = html.indexOf('<');
  while (start >= 0) {
    const end = html.indexOf('>', start + 1);
    if (end < 0) return;
    const inner = html.slice(start + 1, Math.min(end, start + 1 + MAX_TAG));
    const name = TAG_NAME.exec(inner)?.[1]?.toLowerCase();
    if (name && FETCHING_TAGS.has(name)) yield { name, attributes: inner.slice(name.length) };
    start = html.indexOf('<', end + 1);
  }
}

export function subresources(html: string): Subresource[] {
  const found: Subresource[] = [];
  for (const { name: tag, attributes } of tags(html)) {
    const rel = REL.exec(attributes)?.[1]?.toLowerCase() ?? '';
    for (const attributeMatch of attributes.matchAll(ATTRIBUTE)) {
      const attribute = attributeMatch[1].toLowerCase();
      const value = (attributeMatch[2] ?? attributeMatch[3] ?? attributeMatch[4] ?? '').trim();
      // <link href> only loads for stylesheets, icons, preloads and the like; <a href> is not scanned at all.
      if (tag === 'link' && attribute === 'href' && !/stylesheet|icon|preload|modulepreload|manifest/.test(rel)) continue;
      if (attribute === 'srcset') {
        for (const candidate of value.split(',')) {
          const url = candidate.trim().split(/\s+/)[0];
          if (url) found.push({ tag, attribute, url });
        }
      } else if (value !== '') {
        found.push({ tag, attribute, url: value });
      }
    }
  }
  return found;
}

export function mixedContent(html: string): Subresource[] {
  return subresources(html).filter((resource) => /^http:\/\//i.test(resource.url));
}

/** Same-origin scripts and stylesheets of the page, absolute, at most `limit`. */
export function staticAssets(html: string, pageUrl: string, limit = 3): string[] {
  const page = new URL(pageUrl);
  const urls: string[] = [];
  for (const resource of subresources(html)) {
    if (!((resource.tag === 'script' && resource.attribute === 'src') || (resource.tag === 'link' && resource.attribute === 'href'))) continue;
    let url: URL;
    try {
      url = new URL(resource.url, page);
    } catch {
      continue;
    }
    if (url.origin !== page.origin || !/\.(?:js|mjs|css)$/i.test(url.pathname)) continue;
    if (!urls.includes(url.href)) urls.push(url.href);
    if (urls.length >= limit) break;
  }
  return urls;
}

export interface CacheControl {
  directives: Map<string, string | true>;
  maxAge?: number;
  sMaxAge?: number;
}

export function cacheControl(response: HttpResponse): CacheControl {
  const directives = new Map<string, string | true>();
  for (const value of response.headers['cache-control'] ?? []) {
    for (const part of value.split(',')) {
      const [name, ...rest] = part.trim().split('=');
      if (name) directives.set(name.toLowerCase(), rest.length > 0 ? rest.join('=').replace(/^"|"$/g, '') : true);
    }
  }
  const number = (name: string): number | undefined => {
    const value = directives.get(name);
    return typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : undefined;
  };
  return { directives, maxAge: number('max-age'), sMaxAge: number('s-maxage') };
}

/** A shared cache (CDN) may store this response. */
export function sharedCacheable(response: HttpResponse): boolean {
  const cache = cacheControl(response);
  const { directives } = cache;
  if (directives.has('private') || directives.has('no-store') || directives.has('no-cache')) return false;
  if (cache.sMaxAge !== undefined) return cache.sMaxAge > 0;
  if (directives.has('public')) return cache.maxAge === undefined || cache.maxAge > 0;
  return false;
}

export interface CookieIssue {
  name: string;
  missing: string[];
}

export function cookieIssues(response: HttpResponse): CookieIssue[] {
  const issues: CookieIssue[] = [];
  for (const value of response.headers['set-cookie'] ?? []) {
    const [pair, ...attributes] = value.split(';').map((part) => part.trim());
    const name = pair.split('=')[0];
    const names = new Set(attributes.map((attribute) => attribute.split('=')[0].toLowerCase()));
    const missing = ['Secure', 'HttpOnly', 'SameSite'].filter((attribute) => !names.has(attribute.toLowerCase()));
    if (missing.length > 0) issues.push({ name, missing });
  }
  return issues;
}

/** Frame protection: X-Frame-Options or CSP frame-ancestors. */
export function framingProtected(response: HttpResponse): boolean {
  if (header(response, 'x-frame-options')) return true;
  return (response.headers['content-security-policy'] ?? []).some((policy) => /(^|;)\s*frame-ancestors\b/i.test(policy));
}

export function versionBanner(response: HttpResponse): string | undefined {
  const poweredBy = header(response, 'x-powered-by');
  if (poweredBy) return `X-Powered-By: ${poweredBy}`;
  const server = header(response, 'server');
  if (server && /[0-9]+\.[0-9]+/.test(server)) return `Server: ${server}`;
  return undefined;
}
