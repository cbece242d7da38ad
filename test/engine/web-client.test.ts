// The HTTP client and TLS probe against real loopback servers behind the loopback DNS server:
// names resolve through our resolver, connect-to keeps the name, bodies and time are bounded, and
// every fault ends as a precise failure instead of a hang.
import { strict as assert } from 'node:assert';
import type * as http from 'node:http';
import { createResolver } from '../../src/engine/net/dns-resolver';
import type { DnsResolver } from '../../src/engine/net/dns-types';
import { createHttpClient, proxyFromEnvironment, type HttpClient } from '../../src/engine/net/http-client';
import { matchConnectTo, parseConnectTo, type ConnectTo } from '../../src/engine/net/http-connect';
import { bypassesProxy, probeTls } from '../../src/engine/net/http-tls';
import { startDnsServer, type RunningDnsServer } from '../world/dns-server';
import { createTestCa, daysFromNow, selfSignedCertificate, type TestCa } from '../world/ca';
import { closedPort, startConnectProxy, startGarbageServer, startLegacyTlsServer, startWebWorld, type RunningServer, type RunningWebWorld } from '../world/https-world';

describe('connect-to', () => {
  it('reads curl syntax, including empty parts and IPv6 brackets', () => {
    assert.deepEqual(parseConnectTo('www.acme.com:443:10.0.0.5:8443'), { host: 'www.acme.com', port: 443, address: '10.0.0.5', toPort: 8443 });
    assert.deepEqual(parseConnectTo('::[::1]:'), { host: '', port: 0, address: '::1', toPort: 0 });
    assert.deepEqual(parseConnectTo('WWW.Acme.com.:80:new.host:'), { host: 'www.acme.com', port: 80, address: 'new.host', toPort: 0 });
    assert.throws(() => parseConnectTo('www.acme.com:443'), /HOST1:PORT1:HOST2:PORT2/);
    assert.throws(() => parseConnectTo('www.acme.com:99999:a:1'), /PORT1/);
  });

  it('uses the first matching entry', () => {
    const entries: ConnectTo[] = [parseConnectTo('a.test:443:127.0.0.2:1'), parseConnectTo(':443::2')];
    assert.equal(matchConnectTo(entries, 'a.test', 443)?.toPort, 1);
    assert.equal(matchConnectTo(entries, 'b.test', 443)?.toPort, 2);
    assert.equal(matchConnectTo(entries, 'b.test', 80), undefined);
  });
});

describe('proxy settings', () => {
  it('come from HTTPS_PROXY / NO_PROXY in either case, and only when set', () => {
    assert.equal(proxyFromEnvironment({}), undefined);
    assert.deepEqual(proxyFromEnvironment({ https_proxy: 'http://proxy:3128', NO_PROXY: 'localhost' }), { url: 'http://proxy:3128', noProxy: 'localhost' });
  });

  it('are bypassed for NO_PROXY names and the names below them, by port when given', () => {
    assert.equal(bypassesProxy('www.acme.test', 443, 'acme.test'), true);
    assert.equal(bypassesProxy('notacme.test', 443, 'acme.test'), false);
    assert.equal(bypassesProxy('www.acme.test', 443, '.acme.test:8443'), false);
    assert.equal(bypassesProxy('www.acme.test', 8443, '*.acme.test:8443'), true);
    assert.equal(bypassesProxy('anything.test', 443, 'localhost, *'), true);
    assert.equal(bypassesProxy('anything.test', 443, undefined), false);
  });

  it('reach the proxy for proxied hosts, and say so without its credentials', async () => {
    const resolver = createResolver({ kind: 'servers', servers: ['127.0.0.1:9'], timeoutMs: 200, retries: 0 });
    const proxyPort = await closedPort();
    const client = createHttpClient({ resolver, proxy: { url: `http://user:pw@127.0.0.1:${proxyPort}` }, timeoutMs: 2000 });
    try {
      assert.equal(client.route, `http://127.0.0.1:${proxyPort}/`);
      const outcome = await client.request('https://example.invalid/');
      // The proxy is down: the failure is about the proxy connection, not about resolving the name.
      assert.equal(outcome.ok, false);
      assert.notEqual(!outcome.ok && outcome.kind, 'dns');
    } finally {
      await client.close();
    }
  });
});

describe('HTTP client and TLS probe on loopback', () => {
  let dns: RunningDnsServer;
  let resolver: DnsResolver;
  let ca: TestCa;
  let world: RunningWebWorld;
  let garbage: RunningServer;
  let legacy: RunningServer;
  let refusedPort: number;
  let connectTo: ConnectTo[];
  let client: HttpClient;

  const handle = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const url = request.url ?? '/';
    if (url === '/hang') return;
    if (url === '/reset') {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('partial');
      setImmediate(() => request.socket.destroy());
      return;
    }
    if (url === '/endless') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = (): void => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      response.on('error', () => undefined);
      pump();
      return;
    }
    if (url === '/moved') {
      response.writeHead(301, { location: 'https://www.acme.test/' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain', 'x-host': request.headers.host ?? '' }).end('hello');
  };

  before(async () => {
    ca = await createTestCa();
    const [good, expired, soon, wrong, wildcard, self] = await Promise.all([
      ca.issue({ names: ['www.acme.test', 'acme.test'] }),
      ca.issue({ names: ['expired.acme.test'], notBefore: daysFromNow(-100), notAfter: daysFromNow(-2) }),
      ca.issue({ names: ['soon.acme.test'], notAfter: daysFromNow(5) }),
      ca.issue({ names: ['other.example.test'] }),
      ca.issue({ names: ['*.apps.acme.test'] }),
      selfSignedCertificate(['self.acme.test']),
    ]);
    world = await startWebWorld({
      certificates: { 'www.acme.test': good, 'acme.test': good, 'expired.acme.test': expired, 'soon.acme.test': soon, 'wrong.acme.test': wrong, '*.apps.acme.test': wildcard, 'self.acme.test': self },
      handle: (request, response) => handle(request, response),
    });
    garbage = await startGarbageServer();
    legacy = await startLegacyTlsServer(await ca.issue({ names: ['legacy.acme.test'] }), (_request, response) => response.end('old'));
    refusedPort = await closedPort();
    dns = await startDnsServer(
      [
        {
          origin: 'acme.test',
          records: `
            @        A     127.0.0.1
            www      A     127.0.0.1
            expired  A     127.0.0.1
            soon     A     127.0.0.1
            wrong    A     127.0.0.1
            self     A     127.0.0.1
            broken   A     127.0.0.1
            legacy   A     127.0.0.1
            down     A     127.0.0.1
            *.apps   A     127.0.0.1
            silent   A     127.0.0.1
          `,
        },
      ],
      { faults: { 'silent.acme.test': { drop: true } } },
    );
    resolver = createResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 300, retries: 0 });
    connectTo = [
      parseConnectTo(`broken.acme.test:443::${garbage.port}`),
      parseConnectTo(`legacy.acme.test:443::${legacy.port}`),
      parseConnectTo(`down.acme.test:443::${refusedPort}`),
      ...world.connectTo,
    ];
    client = createHttpClient({ resolver, connectTo, extraCaPem: ca.certPem, timeoutMs: 1500, maxBodyBytes: 100_000 });
  });

  after(async () => {
    await client?.close();
    await Promise.all([world?.close(), garbage?.close(), legacy?.close(), dns?.close()]);
  });

  it('resolves names through our resolver and keeps the name for Host and the certificate', async () => {
    const outcome = await client.request('https://www.acme.test/');
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(outcome.status, 200);
    assert.equal(outcome.body.toString(), 'hello');
    assert.equal(outcome.headers['x-host']?.[0], 'www.acme.test');
    assert.equal(outcome.target?.address, '127.0.0.1');
    assert.equal(outcome.target?.port, world.httpsPort);
    assert.ok(dns.queries.some((query) => query.name === 'www.acme.test' && query.type === 'A'));
  });

  it('does not trust the test CA unless it is given', async () => {
    const strict = createHttpClient({ resolver, connectTo, timeoutMs: 1500 });
    try {
      const outcome = await strict.request('https://www.acme.test/');
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.kind, 'tls');
    } finally {
      await strict.close();
    }
  });

  it('goes through an HTTPS proxy, except for NO_PROXY hosts', async () => {
    const proxy = await startConnectProxy(world.httpsPort);
    // NO_PROXY entries match the name and the names below it, as curl reads them.
    const proxied = createHttpClient({ resolver, connectTo, extraCaPem: ca.certPem, proxy: { url: proxy.url, noProxy: 'www.acme.test' }, timeoutMs: 3000 });
    try {
      const through = await proxied.request('https://acme.test/');
      assert.ok(through.ok, JSON.stringify(through));
      assert.equal(through.headers['x-host']?.[0], 'acme.test');
      assert.deepEqual(proxy.connects, ['acme.test:443']);
      const direct = await proxied.request('https://www.acme.test/');
      assert.ok(direct.ok, JSON.stringify(direct));
      assert.equal(direct.target?.port, world.httpsPort, 'direct: through our resolver and connect-to');
      assert.deepEqual(proxy.connects, ['acme.test:443']);
    } finally {
      await proxied.close();
      await proxy.close();
    }
  });

  it('never follows redirects', async () => {
    const outcome = await client.request('http://www.acme.test/moved');
    assert.ok(outcome.ok);
    assert.equal(outcome.status, 301);
    assert.deepEqual(outcome.headers.location, ['https://www.acme.test/']);
  });

  it('cuts an endless body at the cap', async () => {
    const outcome = await client.request('https://www.acme.test/endless');
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.message));
    assert.equal(outcome.body.length, 100_000);
    assert.equal(outcome.bodyTruncated, true);
  });

  it('ends a request that never answers at the timeout', async () => {
    const outcome = await client.request('https://www.acme.test/hang');
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.kind, 'timeout');
  });

  it('reports a reset mid-response', async () => {
    const outcome = await client.request('https://www.acme.test/reset');
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.kind, 'reset');
  });

  it('reports refused connections, failed handshakes and names that do not resolve', async () => {
    const refused = await client.request('https://down.acme.test/');
    assert.equal(!refused.ok && refused.kind, 'refused');
    const handshake = await client.request('https://broken.acme.test/');
    assert.equal(!handshake.ok && handshake.kind, 'tls', JSON.stringify(handshake));
    const missing = await client.request('https://nothing.acme.test/');
    assert.equal(!missing.ok && missing.kind, 'dns');
    const silent = await client.request('https://silent.acme.test/');
    assert.equal(!silent.ok && silent.kind, 'dns');
    assert.match(!silent.ok ? silent.message : '', /timeout/);
  });

  it('sends nothing to hosts outside the allow-list', async () => {
    const limited = createHttpClient({ resolver, connectTo, extraCaPem: ca.certPem, allowedHosts: ['www.acme.test'] });
    try {
      const before = world.requests.length;
      const outcome = await limited.request('https://acme.test/');
      assert.equal(!outcome.ok && outcome.kind, 'not-allowed');
      assert.equal(world.requests.length, before);
      assert.ok((await limited.request('https://www.acme.test/')).ok);
    } finally {
      await limited.close();
    }
  });

  it('rejects with the reason when the caller cancels', async () => {
    const controller = new AbortController();
    const pending = client.request('https://www.acme.test/hang', { signal: controller.signal });
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
  });

  it('refuses URLs it cannot check', async () => {
    assert.equal((await client.request('ftp://www.acme.test/')).ok, false);
    const bad = await client.request('https://exa mple.test/');
    assert.equal(!bad.ok && bad.kind, 'invalid-url');
  });

  describe('TLS probe', () => {
    const probe = (host: string, extra: Partial<Parameters<typeof probeTls>[2]> = {}) =>
      probeTls(host, 443, { resolver, connectTo, extraCaPem: ca.certPem, timeoutMs: 1500, ...extra });

    it('describes a good chain', async () => {
      const facts = await probe('www.acme.test');
      assert.ok(facts.ok, JSON.stringify(facts));
      assert.equal(facts.trusted, true);
      assert.equal(facts.hostnameMatches, true);
      assert.deepEqual(facts.chain[0].subjectAltNames, ['www.acme.test', 'acme.test']);
      assert.equal(facts.chain[0].keyType, 'ec');
      assert.equal(facts.chain[0].keyBits, 256);
      assert.equal(facts.protocol, 'TLSv1.3');
    });

    it('tells expired, wrong-host and self-signed certificates apart', async () => {
      const expired = await probe('expired.acme.test');
      assert.ok(expired.ok);
      assert.equal(expired.trusted, false);
      assert.equal(expired.trustError, 'CERT_HAS_EXPIRED');
      const wrong = await probe('wrong.acme.test');
      assert.ok(wrong.ok);
      assert.equal(wrong.trusted, true);
      assert.equal(wrong.hostnameMatches, false);
      const self = await probe('self.acme.test');
      assert.ok(self.ok);
      assert.equal(self.trusted, false);
      assert.equal(self.chain[0].selfSigned, true);
    });

    it('matches wildcards one label deep only', async () => {
      const one = await probe('x.apps.acme.test');
      assert.ok(one.ok);
      assert.equal(one.hostnameMatches, true);
      const two = await probe('y.x.apps.acme.test', { connectTo: [parseConnectTo(`y.x.apps.acme.test:443:127.0.0.1:${world.httpsPort}`)] });
      assert.ok(two.ok);
      assert.equal(two.hostnameMatches, false);
    });

    it('learns whether TLS 1.0/1.1 is still accepted', async () => {
      const old = await probe('legacy.acme.test', { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
      assert.ok(old.ok, JSON.stringify(old));
      assert.match(old.protocol ?? '', /^TLSv1(\.1)?$/);
      const modern = await probe('www.acme.test', { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
      assert.equal(modern.ok, false);
    });

    it('tunnels through an HTTPS proxy when one applies', async () => {
      const proxy = await startConnectProxy(world.httpsPort);
      try {
        const facts = await probe('www.acme.test', { proxy: { url: proxy.url } });
        assert.ok(facts.ok, JSON.stringify(facts));
        assert.equal(facts.hostnameMatches, true);
        assert.deepEqual(proxy.connects, ['www.acme.test:443']);
        const direct = await probe('www.acme.test', { proxy: { url: proxy.url, noProxy: 'acme.test' } });
        assert.ok(direct.ok);
        assert.deepEqual(proxy.connects, ['www.acme.test:443']);
      } finally {
        await proxy.close();
      }
    });

    it('reports a failed handshake precisely', async () => {
      const broken = await probe('broken.acme.test');
      assert.equal(broken.ok, false);
      assert.equal(!broken.ok && broken.kind, 'tls');
      const refused = await probe('down.acme.test');
      assert.equal(!refused.ok && refused.kind, 'refused');
    });
  });
});
