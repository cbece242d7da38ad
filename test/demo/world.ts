/*
 * The loopback internet of the `npm start` demo: "Acme Invoices", a small B2B invoicing app, with
 * the mistakes real launches carry. One DNS server answers for acme-invoices.com and the providers
 * it uses; one HTTPS and one HTTP server play every web host, with certificates from a CA made at
 * run time. Addresses in the zones are documentation addresses (203.0.113.0/24); the audit reaches
 * the servers through `--connect-to host:port:127.0.0.1:port` entries, as a founder audits a server
 * before DNS points at it, so nothing ever leaves the machine.
 *
 * Planted mistakes (what the audit should find):
 * - SPF needs 11 DNS lookups (limit 10); DMARC is p=none without rua; DKIM selector `s1` of the
 *   SendGrid sender has a 1024-bit key.
 * - help.acme-invoices.com is a CNAME to a Heroku app that was deleted (dangling, claimable).
 * - http://www → https://www → (302) https://acme-invoices.com/: two hops, the last temporary.
 * - HSTS max-age of one day; the certificate of the apex and www expires in 10 days.
 * - staging (declared private) answers 200 to anyone, without noindex.
 * - the health endpoint takes ~350 ms against a 250 ms budget; the app sends no CSP.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTestCa, daysFromNow } from '../world/ca';
import { parseZoneFile, startDnsServer, type RunningDnsServer } from '../world/dns-server';
import { startWebWorld, type RunningWebWorld, type Scheme } from '../world/https-world';

export const DOMAIN = 'acme-invoices.com';
export const HEALTH_DELAY_MS = 350;

/** Hosts served by the loopback web servers (and given a --connect-to entry). */
export const WEB_HOSTS = [DOMAIN, `www.${DOMAIN}`, `app.${DOMAIN}`, `api.${DOMAIN}`, `staging.${DOMAIN}`];

function dkimKey(bits: number): string {
  return generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** TXT rdata as 255-byte character-strings, as DNS requires for long keys. */
function txt(text: string): string {
  return (text.match(/.{1,255}/g) ?? []).map((piece) => `"${piece}"`).join(' ');
}

export function zoneText(keys: { google: string; sendgrid: string }): string {
  return `
$ORIGIN ${DOMAIN}
@            3600 NS    ns1.cloudflare.com.
@            3600 NS    ns2.cloudflare.com.
@                 A     203.0.113.10
@                 MX    1 aspmx.l.google.com.
@                 MX    5 alt1.aspmx.l.google.com.
; 11 lookups: a, mx, google (1 + 3 nested), sendgrid, zendesk, mailchimp, salesforce, outlook
@                 TXT   "v=spf1 a mx include:_spf.google.com include:sendgrid.net include:mail.zendesk.com include:servers.mcsv.net include:_spf.salesforce.com include:spf.protection.outlook.com ~all"
@                 TXT   "google-site-verification=acme-invoices-demo"
_dmarc            TXT   "v=DMARC1; p=none"
google._domainkey TXT   ${txt(`v=DKIM1; k=rsa; p=${keys.google}`)}
www               CNAME ${DOMAIN}.
app               A     203.0.113.11
api               A     203.0.113.12
staging           A     203.0.113.20
help              CNAME acme-help.herokuapp.com.
mail              TXT   "v=spf1 include:sendgrid.net -all"
s1._domainkey.mail TXT  ${txt(`v=DKIM1; k=rsa; p=${keys.sendgrid}`)}

$ORIGIN cloudflare.com
ns1               A     203.0.113.201
ns2               A     203.0.113.202

$ORIGIN google.com
_spf              TXT   "v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all"
_netblocks        TXT   "v=spf1 ip4:198.51.100.0/26 ~all"
_netblocks2       TXT   "v=spf1 ip6:2001:db8:4860::/48 ~all"
_netblocks3       TXT   "v=spf1 ip4:198.51.100.64/26 ~all"
aspmx.l           A     198.51.100.27
alt1.aspmx.l      A     198.51.100.28

$ORIGIN sendgrid.net
@                 TXT   "v=spf1 ip4:198.51.100.128/26 ~all"

$ORIGIN zendesk.com
mail              TXT   "v=spf1 ip4:198.51.100.192/28 ~all"

$ORIGIN mcsv.net
servers           TXT   "v=spf1 ip4:198.51.100.208/28 ~all"

$ORIGIN salesforce.com
_spf              TXT   "v=spf1 ip4:198.51.100.224/28 ~all"

$ORIGIN outlook.com
spf.protection    TXT   "v=spf1 ip4:198.51.100.240/28 ~all"

$ORIGIN herokuapp.com
; acme-help was deleted; another customer's app still exists
acme-status       A     203.0.113.99
`;
}

const LANDING = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme Invoices: get paid on time</title>
<link rel="stylesheet" href="/assets/site.css"></head>
<body><h1>Invoices your clients pay</h1><p>Send, chase and reconcile B2B invoices.</p>
<a href="https://app.${DOMAIN}/">Sign in</a></body>
</html>
`;

const HARDENED = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

function send(response: ServerResponse, status: number, headers: Record<string, string>, body = ''): void {
  response.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers }).end(body);
}

function handle(request: IncomingMessage, response: ServerResponse, scheme: Scheme): void {
  const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const path = request.url ?? '/';
  if (scheme === 'http') {
    send(response, 301, { location: `https://${host}${path}` });
    return;
  }
  switch (host) {
    case `www.${DOMAIN}`:
      // The old marketing host: a temporary redirect that drops the path.
      send(response, 302, { location: `https://${DOMAIN}/` });
      return;
    case DOMAIN:
      if (path === '/.well-known/security.txt') {
        send(response, 200, { 'content-type': 'text/plain' }, `Contact: mailto:security@${DOMAIN}\nExpires: 2027-12-31T00:00:00Z\n`);
      } else if (path === '/assets/site.css') {
        send(response, 200, { 'content-type': 'text/css', 'cache-control': 'public, max-age=31536000, immutable' }, 'body{font-family:system-ui}\n');
      } else if (path === '/') {
        send(response, 200, { 'content-type': 'text/html; charset=utf-8', 'strict-transport-security': 'max-age=86400', 'content-security-policy': "default-src 'self'; frame-ancestors 'none'", ...HARDENED }, LANDING);
      } else {
        send(response, 404, { 'content-type': 'text/plain' }, 'not found\n');
      }
      return;
    case `app.${DOMAIN}`:
      // The product itself forgot its Content-Security-Policy.
      send(response, 200, { 'content-type': 'text/html; charset=utf-8', 'strict-transport-security': 'max-age=86400', ...HARDENED }, '<!doctype html><title>Acme Invoices: sign in</title><form method="post"></form>\n');
      return;
    case `api.${DOMAIN}`:
      if (path === '/health') {
        // Each check runs a database round trip on a cold pool: slower than its budget.
        const timer = setTimeout(() => send(response, 200, { 'content-type': 'application/json' }, '{"ok":true}'), HEALTH_DELAY_MS);
        response.on('close', () => clearTimeout(timer));
      } else if (path === '/') {
        send(response, 200, { 'content-type': 'application/json', 'strict-transport-security': 'max-age=86400', ...HARDENED }, '{"name":"acme-invoices-api","docs":"https://help.acme-invoices.com/api"}');
      } else {
        send(response, 404, { 'content-type': 'application/json' }, '{"error":"not found"}');
      }
      return;
    case `staging.${DOMAIN}`:
      // Open to the world: no login, no noindex.
      send(response, 200, { 'content-type': 'text/html; charset=utf-8' }, '<!doctype html><title>Acme Invoices (staging)</title><p>Seeded with last month\'s customer data.</p>\n');
      return;
    default:
      send(response, 404, { 'content-type': 'text/plain' }, 'no such host\n');
  }
}

export interface DemoWorld {
  dns: RunningDnsServer;
  web: RunningWebWorld;
  caPem: string;
  zones: string;
  /** `--connect-to` values sending every web host's :443 and :80 to the loopback servers. */
  connectTo: string[];
  close(): Promise<void>;
}

export async function startDemoWorld(): Promise<DemoWorld> {
  const ca = await createTestCa('Acme Demo Root CA');
  const [site, wildcard] = await Promise.all([
    ca.issue({ names: [DOMAIN, `www.${DOMAIN}`], notAfter: daysFromNow(10) }),
    ca.issue({ names: [`*.${DOMAIN}`], notAfter: daysFromNow(75) }),
  ]);
  const zones = zoneText({ google: dkimKey(2048), sendgrid: dkimKey(1024) });
  const dns = await startDnsServer(parseZoneFile(zones));
  let web: RunningWebWorld;
  try {
    web = await startWebWorld({ certificates: { [DOMAIN]: site, [`www.${DOMAIN}`]: site, [`*.${DOMAIN}`]: wildcard }, handle });
  } catch (error) {
    await dns.close();
    throw error;
  }
  const connectTo = WEB_HOSTS.flatMap((host) => [`${host}:443:127.0.0.1:${web.httpsPort}`, `${host}:80:127.0.0.1:${web.httpPort}`]);
  let closing: Promise<void> | undefined;
  return {
    dns,
    web,
    caPem: ca.certPem,
    zones,
    connectTo,
    close() {
      closing ??= Promise.all([web.close(), dns.close()]).then(() => undefined);
      return closing;
    },
  };
}
