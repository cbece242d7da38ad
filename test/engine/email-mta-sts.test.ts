// MTA-STS end to end on loopback: the TXT record and policy host from the loopback DNS server, the
// policy file over real HTTPS (test CA) through the audit's HTTP client, which follows no redirects.
import { strict as assert } from 'node:assert';
import type * as http from 'node:http';
import { checkEmail, mtaStsFetcher } from '../../src/engine/email';
import { createResolver } from '../../src/engine/net/dns-resolver';
import { createHttpClient, type HttpClient } from '../../src/engine/net/http-client';
import { createTestCa } from '../world/ca';
import { startDnsServer, type RunningDnsServer } from '../world/dns-server';
import { startWebWorld, type RunningWebWorld } from '../world/https-world';

const ids = (findings: { ruleId: string }[]) => findings.map((finding) => finding.ruleId).sort();

const POLICIES: Record<string, (response: http.ServerResponse) => void> = {
  'mta-sts.good.test': (response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end('version: STSv1\nmode: enforce\nmx: *.mail.test\nmax_age: 604800\n'),
  'mta-sts.moved.test': (response) => void response.writeHead(301, { location: 'https://elsewhere.test/.well-known/mta-sts.txt' }).end(),
  'mta-sts.partial.test': (response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end('version: STSv1\nmode: enforce\nmx: mx1.mail.test\nmax_age: 604800\n'),
};

describe('email: MTA-STS policy over loopback HTTPS', () => {
  let dns: RunningDnsServer;
  let world: RunningWebWorld;
  let client: HttpClient;
  let resolver: ReturnType<typeof createResolver>;

  before(async () => {
    const ca = await createTestCa();
    const certificate = await ca.issue({ names: Object.keys(POLICIES) });
    world = await startWebWorld({
      certificates: Object.fromEntries(Object.keys(POLICIES).map((name) => [name, certificate])),
      handle: (request, response) => {
        const serve = POLICIES[(request.headers.host ?? '').replace(/:\d+$/, '')];
        if (serve && request.url === '/.well-known/mta-sts.txt') serve(response);
        else response.writeHead(404).end();
      },
    });
    const zone = (origin: string) => ({
      origin,
      records: `
        @          MX   10 mx1.mail.test.
        @          MX   20 mx2.mail.test.
        @          TXT  "v=spf1 -all"
        _dmarc     TXT  "v=DMARC1; p=reject; rua=mailto:d@${origin}"
        _mta-sts   TXT  "v=STSv1; id=20261125"
        mta-sts    A    127.0.0.1
      `,
    });
    dns = await startDnsServer([zone('good.test'), zone('moved.test'), zone('partial.test'), { origin: 'mail.test', records: 'mx1 A 192.0.2.1\nmx2 A 192.0.2.2' }]);
    resolver = createResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 1500, retries: 2 });
    client = createHttpClient({ resolver, connectTo: world.connectTo, extraCaPem: ca.certPem });
  });

  after(async () => {
    await client?.close();
    await Promise.all([world?.close(), dns?.close()]);
  });

  const check = (domain: string) => checkEmail({ domain, dkimSelectors: [], sends: true }, resolver, { fetchMtaStsPolicy: mtaStsFetcher(client) });

  it('a policy served as text/plain that matches every MX has no findings', async () => {
    assert.deepEqual(ids((await check('good.test')).findings), ['email/dkim-no-selector']);
    assert.ok(world.requests.includes('https://mta-sts.good.test/.well-known/mta-sts.txt'));
  });

  it('email/mta-sts-policy for a redirect (not followed) and for an MX no pattern matches', async () => {
    const moved = (await check('moved.test')).findings.filter((finding) => finding.ruleId === 'email/mta-sts-policy');
    assert.equal(moved.length, 1);
    assert.match(moved[0].message, /redirects \(HTTP 301\)/);
    assert.ok(!world.requests.some((request) => request.includes('elsewhere.test')));
    const partial = (await check('partial.test')).findings.filter((finding) => finding.ruleId === 'email/mta-sts-policy');
    assert.deepEqual(partial.map((finding) => finding.message.split(' ').slice(0, 2).join(' ')), ['MX mx2.mail.test']);
  });
});
