import type { Finding, Rule, Severity, Stage } from '../model';
import { fingerprint } from '../redact';

// Every live HTTPS rule as data (SARIF's rule list and the README are generated from it), and the
// one constructor for their findings: each says which machine ran the check and how it reached
// the internet, because a result from a VPN laptop and one from a Codespace can differ.

function rule(id: string, stage: Stage, title: string, defaultSeverity: Severity, description: string, remediation: string): Rule {
  return { id: `web/${id}`, title, stage, defaultSeverity, description, remediation };
}

export const WEB_RULES: readonly Rule[] = [
  rule('unreachable', 'edge', 'Host could not be reached', 'high',
    'A request to a host named in launch.yaml failed before an HTTP answer: the name does not resolve, the connection was refused or reset, the TLS handshake failed or nothing answered in time. A name with no address at all is reported once per host, at medium, since the DNS findings carry the cause.',
    'Check DNS, the server and the firewall; the finding names the exact failure and the address that was tried.'),
  rule('redirect-mismatch', 'dns', 'Redirect does not reach its target', 'high',
    'A redirect launch.yaml declares (or the move of a non-canonical host to the canonical one) ends somewhere other than its `to`.',
    'Fix the redirect rule at the host, CDN or platform so the chain ends at the declared target.'),
  rule('http-not-upgraded', 'edge', 'Plain HTTP is not redirected to HTTPS', 'high',
    'The host answers `http://` without redirecting to `https://`, so visitors and their cookies travel unencrypted.',
    'Redirect every http:// request to https:// with 301 or 308 (most CDNs and platforms have a switch for it).'),
  rule('https-upgrade-other-host', 'dns', 'HTTP is upgraded on another host first', 'medium',
    'The first hop from http:// goes to a different host; HSTS set on the canonical host never reaches browsers that typed this one, and the preload list requires the same host first.',
    'Redirect http://host/ to https://host/ (same host), then canonicalise.'),
  rule('redirect-chain-long', 'dns', 'Redirect chain has more than one hop', 'medium',
    'Each hop costs a round trip on a cold connection, and long chains hide mistakes.',
    'Point each redirect straight at the final URL.'),
  rule('redirect-loop', 'dns', 'Redirect loop', 'blocker',
    'The chain returns to a URL it already visited: browsers stop with ERR_TOO_MANY_REDIRECTS (a classic with Cloudflare "Flexible" SSL in front of an origin that redirects to HTTPS).',
    'Find the two rules that send requests back and forth; with Cloudflare use Full (strict).'),
  rule('redirect-too-many', 'dns', 'More than 10 redirects', 'blocker',
    'The chain did not end within 10 hops; browsers give up at about 20 and crawlers earlier.',
    'Collapse the chain to a single redirect.'),
  rule('redirect-dead-end', 'dns', 'Redirect leads to an error', 'blocker',
    'The chain ends in a 4xx/5xx answer or a host that does not answer.',
    'Fix the target or the redirect.'),
  rule('redirect-invalid-location', 'dns', 'Redirect without a usable Location', 'blocker',
    'A 3xx answer has no Location header, or one that is not a valid http(s) URL.',
    'Send an absolute https:// URL in Location.'),
  rule('redirect-offsite', 'dns', 'Redirect to a host launch.yaml does not name', 'medium',
    'The chain leaves for a host not named in launch.yaml; it was reported and not followed (nothing is sent to unnamed hosts).',
    'Add the host to launch.yaml if the redirect is intended, or fix the redirect.'),
  rule('redirect-temporary', 'dns', 'Temporary redirect where a permanent one belongs', 'medium',
    '302/307 tell browsers and search engines the move is temporary: nothing is cached and ranking is not passed on.',
    'Use 301 or 308 for canonical-host, HTTPS and old-URL redirects.'),
  rule('redirect-path-dropped', 'dns', 'Redirect drops the path or query', 'medium',
    'launch.yaml says the redirect keeps the path, but a deep link lands elsewhere (often on the home page).',
    'Redirect to the same path and query on the target (e.g. `https://www.acme.com$request_uri`).'),
  rule('redirect-downgrade', 'edge', 'Redirect chain goes back to http://', 'high',
    'A hop leaves https:// for http://, exposing the request and breaking HSTS expectations.',
    'Use https:// in every Location header.'),
  rule('cert-untrusted', 'edge', 'Certificate chain is not trusted', 'blocker',
    'The certificate does not verify against the system roots (plus any `--ca`): self-signed, a missing intermediate or an unknown issuer. Browsers show a full-page warning.',
    'Serve the full chain from a public CA (e.g. Let\'s Encrypt); include intermediates.'),
  rule('cert-hostname-mismatch', 'edge', 'Certificate does not cover the host name', 'blocker',
    'No subjectAltName matches the host (a wildcard covers exactly one label, never the apex).',
    'Issue a certificate whose SANs include this host.'),
  rule('cert-expired', 'edge', 'Certificate has expired', 'blocker',
    'The certificate\'s notAfter date has passed; every browser refuses the site.',
    'Renew now and check that renewal is automated and monitored.'),
  rule('cert-expires-soon', 'edge', 'Certificate expires soon', 'medium',
    'Fewer than 21 days left (blocker under 7). Automated renewal normally renews with about 30 days left, so this suggests renewal is failing.',
    'Renew, then find out why automatic renewal did not run.'),
  rule('cert-weak-key', 'edge', 'Certificate key is weak', 'high',
    'RSA keys under 2048 bits (or EC keys under 256 bits) are below what CAs and browsers accept.',
    'Reissue with an RSA 2048+ or ECDSA P-256 key.'),
  rule('tls-legacy-protocol', 'edge', 'TLS 1.0/1.1 still accepted', 'medium',
    'The server completes a handshake with TLS 1.1 or older, which browsers disabled in 2020 and PCI DSS forbids.',
    'Set the minimum TLS version to 1.2 at the server or CDN.'),
  rule('hsts-missing', 'edge', 'No HSTS header', 'high',
    'Without Strict-Transport-Security a first visit over http:// can be intercepted before the redirect.',
    'Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on HTTPS responses.'),
  rule('hsts-weak', 'edge', 'HSTS is weak', 'medium',
    'max-age under one year, includeSubDomains missing, or several HSTS headers (browsers read only the first).',
    'Use one header with `max-age=31536000; includeSubDomains`.'),
  rule('hsts-preload-not-ready', 'edge', 'Not ready for the HSTS preload list', 'medium',
    'launch.yaml asks for preload, but the preload bar is not met: same-host http→https first, `preload`, `includeSubDomains`, max-age ≥ 1 year, at most 3 redirects.',
    'Meet every requirement before submitting to hstspreload.org (removal takes months).'),
  rule('mixed-content', 'edge', 'Landing page loads http:// resources', 'high',
    'Scripts, styles, images or frames loaded over http:// are blocked or flagged by browsers on an https:// page.',
    'Load every resource over https:// (or protocol-relative to the page).'),
  rule('edge-dns-only', 'edge', 'Host is not behind the declared edge', 'high',
    'launch.yaml says the host is proxied by the edge provider, but it resolves outside the provider\'s published address ranges: the "DNS only" (grey cloud) mistake, which exposes the origin.',
    'Turn the proxy on for the record (orange cloud in Cloudflare) or fix launch.yaml.'),
  rule('origin-exposed', 'edge', 'Origin answers directly, bypassing the edge', 'medium',
    'The origin address launch.yaml declares for a proxied host answers HTTPS itself, so attackers who find it skip the CDN\'s firewall, rate limits and DDoS protection.',
    'Accept connections at the origin only from the provider\'s ranges (or use authenticated origin pulls / a tunnel).'),
  rule('edge-not-detected', 'edge', 'Edge provider not seen in the response', 'low',
    'The response carries none of the provider\'s headers (cf-ray, server: cloudflare …), so the edge may not be in front of this host.',
    'Check the DNS record and the provider\'s settings for the host.'),
  rule('private-host-exposed', 'edge', 'Private host answers the public without authentication', 'blocker',
    'A host launch.yaml declares private (staging, admin …) answers 200 with no WWW-Authenticate and no access gate.',
    'Put it behind authentication (basic auth, Cloudflare Access, VPN) or take it off public DNS.'),
  rule('staging-indexable', 'edge', 'Staging can be indexed by search engines', 'medium',
    'A staging host answers without `X-Robots-Tag: noindex`, so its pages can show up in search results next to production.',
    'Send `X-Robots-Tag: noindex` on every staging response.'),
  rule('cache-static-short', 'performance', 'Static asset is not cached for long', 'low',
    'A versioned script or stylesheet is served without a long-lived Cache-Control, so every visit downloads it again.',
    'Serve hashed assets with `Cache-Control: public, max-age=31536000, immutable`.'),
  rule('cache-public-with-cookie', 'performance', 'Response with Set-Cookie is publicly cacheable', 'high',
    'A shared cache (CDN) may store the response, cookie and all, and hand one user\'s session to another.',
    'Mark such responses `Cache-Control: private, no-store` (or stop setting cookies on cacheable responses).'),
  rule('compression-off', 'performance', 'Text response is not compressed', 'low',
    'HTML, CSS, JS or JSON over 1 KB is sent without gzip or brotli although the request accepted them.',
    'Turn on compression at the server or CDN.'),
  rule('health-failing', 'deploy', 'Health endpoint does not return 2xx', 'blocker',
    'The declared health URL does not answer with a 2xx status, so uptime monitors and deploy gates cannot rely on it.',
    'Make the health endpoint return 200 when the service works.'),
  rule('latency-over-budget', 'performance', 'p95 latency over budget', 'high',
    'The sampled p95 response time exceeds the budget from launch.yaml (default 300 ms for APIs, 2 s for pages).',
    'Profile the endpoint (database queries, cold starts, region distance) or revise the budget deliberately.'),
  rule('header-csp-missing', 'edge', 'No Content-Security-Policy', 'medium',
    'Without a CSP one injected script can run with the page\'s full authority.',
    'Start with `Content-Security-Policy: object-src \'none\'; base-uri \'none\'; frame-ancestors \'self\'` and tighten.'),
  rule('header-nosniff-missing', 'edge', 'No X-Content-Type-Options: nosniff', 'low',
    'Browsers may guess content types and run uploaded files as scripts.',
    'Send `X-Content-Type-Options: nosniff`.'),
  rule('header-frame-missing', 'edge', 'Page can be framed by any site', 'medium',
    'Neither X-Frame-Options nor CSP frame-ancestors is set, which allows clickjacking.',
    'Send `Content-Security-Policy: frame-ancestors \'self\'` (or `X-Frame-Options: DENY`).'),
  rule('header-referrer-missing', 'edge', 'No Referrer-Policy', 'low',
    'Full URLs (with tokens in query strings) may leak to other sites in the Referer header.',
    'Send `Referrer-Policy: strict-origin-when-cross-origin`.'),
  rule('cookie-insecure', 'edge', 'Cookie without Secure, HttpOnly or SameSite', 'medium',
    'A cookie set on the landing page lacks Secure (sent over http://), HttpOnly (readable by scripts) or SameSite.',
    'Set cookies with `Secure; HttpOnly; SameSite=Lax` (session cookies with the `__Host-` prefix).'),
  rule('version-banner', 'audit', 'Server announces its software version', 'low',
    '`Server` or `X-Powered-By` names software and version, which helps attackers pick exploits.',
    'Remove X-Powered-By and the version from Server.'),
  rule('git-exposed', 'audit', 'Git metadata is served', 'blocker',
    '`/.git/HEAD` answers with a git ref: the whole repository, history and secrets included, can be downloaded.',
    'Block `/.git` at the server and remove it from the deployed files; rotate secrets that were in the repository.'),
  rule('security-txt-missing', 'audit', 'No security.txt', 'low',
    'No `/.well-known/security.txt` with a Contact line, so researchers who find a problem do not know whom to tell (optional, RFC 9116).',
    'Publish `/.well-known/security.txt` with `Contact:` and `Expires:`.'),
];

const BY_ID = new Map(WEB_RULES.map((entry) => [entry.id, entry]));

export function webRule(id: string): Rule {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown web rule ${id}`);
  return found;
}

export interface WebFindingDetails {
  host: string;
  /** The URL the finding is about. */
  subject: string;
  message: string;
  severity?: Severity;
  observed?: Record<string, unknown>;
  evidence?: string;
  /** What makes two findings of one rule on one URL different. */
  key?: string;
}

export interface RunInfo {
  machine: string;
  route: string;
}

export function webFinding(ruleId: string, details: WebFindingDetails, run: RunInfo): Finding {
  const entry = webRule(ruleId);
  return {
    ruleId,
    severity: details.severity ?? entry.defaultSeverity,
    stage: entry.stage,
    message: details.message,
    location: { kind: 'host', host: details.host, subject: details.subject },
    remediation: entry.remediation,
    evidence: details.evidence,
    fingerprint: fingerprint(ruleId, details.host, `${details.subject}\0${details.key ?? ''}`),
    observed: { ...details.observed, machine: run.machine, route: run.route },
  };
}
