// The engine's resolver against a real DNS server on loopback (UDP, TCP and DoH), including the
// failure modes a launch audit must never mistake for a missing record.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import * as packet from 'dns-packet';
import { cachingResolver, createResolver, limitConcurrency, parseResolverSpec } from '../../src/engine/net/dns-resolver';
import { lookupViaSystem } from '../../src/engine/net/dns-system';
import { parseServerAddress } from '../../src/engine/net/dns-udp';
import type { DnsResolver, LookupStatus, RecordType } from '../../src/engine/net/dns-types';
import { startDnsServer, type RunningDnsServer } from '../world/dns-server';
import { startDohServer, type RunningDohServer } from '../world/doh-server';

const DNSKEY = 'mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==';
const DS_DIGEST = '1F987CC6583E92DF0890718C42A8D4FF0D5DDE1EC4D5F9EE2F3ACF7AF1F4E3E2';
const BIG_STRINGS = ['a', 'b', 'c'].map((letter) => `${letter}=${letter.repeat(240)}`);

describe('DNS resolver (wire format, against a loopback DNS server)', () => {
  let dns: RunningDnsServer;
  let resolver: DnsResolver;

  before(async () => {
    dns = await startDnsServer(
      [
        {
          origin: 'example.test',
          authenticated: true,
          records: `
            @          A      192.0.2.10
            @          MX     10 mx1
            @          NS     ns1
            @          TXT    "v=spf1 include:_spf.mail.test " "~all"
            @          CAA    0 issue "letsencrypt.org"
            @          DNSKEY 257 3 13 ${DNSKEY}
            www        CNAME  @
            alias      CNAME  www
            dangling   CNAME  gone.nowhere.test.
            quoted     TXT    "say \\"hi\\"" "back\\\\slash"
            bytes      TXT    "caf\\233" "café"
            big        TXT    ${BIG_STRINGS.map((text) => `"${text}"`).join(' ')}
            xn--bcher-kva A   192.0.2.20
            fail       A      192.0.2.99
            refuse     A      192.0.2.99
            silent     A      192.0.2.99
            tcp-only   TXT    "small"
          `,
        },
        { origin: 'test', records: `example DS 2371 13 2 ${DS_DIGEST}` },
        { origin: 'plain.test', records: '@ A 198.51.100.7' },
      ],
      {
        faults: {
          'fail.example.test': { rcode: 'SERVFAIL' },
          'refuse.example.test': { rcode: 'REFUSED' },
          'silent.example.test': { drop: true },
          'tcp-only.example.test': { truncate: true },
        },
      },
    );
    resolver = createResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 400, retries: 1 });
  });
  after(() => dns.close());

  it('answers with records, raw presentation, the server and the AD flag', async () => {
    const result = await resolver.lookup('example.test', 'A');
    assert.equal(result.status, 'ok');
    assert.deepEqual(result.records, [{ type: 'A', address: '192.0.2.10', ttl: 300 }]);
    assert.deepEqual(result.raw, ['example.test. 300 IN A 192.0.2.10']);
    assert.equal(result.server, dns.server);
    assert.equal(result.authenticated, true);
    assert.equal(result.viaTcp, undefined);
    const query = await dns.waitForQuery('example.test', 'A');
    assert.equal(query.authenticatedData, true, 'queries ask for the AD flag');
    assert.equal(query.recursionDesired, true);
    const unsigned = await resolver.lookup('plain.test', 'A');
    assert.equal(unsigned.status, 'ok');
    assert.equal(unsigned.authenticated, false);
  });

  it('tells every outcome apart: ok, nxdomain, nodata, servfail, refused, timeout, error', async () => {
    const cases: [string, RecordType, LookupStatus][] = [
      ['example.test', 'A', 'ok'],
      ['missing.example.test', 'A', 'nxdomain'],
      ['www.example.test', 'AAAA', 'nodata'],
      ['fail.example.test', 'A', 'servfail'],
      ['refuse.example.test', 'A', 'refused'],
      ['silent.example.test', 'A', 'timeout'],
      ['bad..name.example.test', 'A', 'error'],
      [`${'x'.repeat(64)}.example.test`, 'A', 'error'],
    ];
    const results = await Promise.all(cases.map(([name, type]) => resolver.lookup(name, type)));
    assert.deepEqual(
      results.map((result) => result.status),
      cases.map(([, , status]) => status),
    );
    for (const result of results.filter((entry) => !['ok', 'nxdomain', 'nodata'].includes(entry.status))) {
      assert.ok(result.detail, `${result.name} ${result.status} explains itself`);
    }
    assert.match(results[5].detail ?? '', /no answer from 127\.0\.0\.1:\d+ within 400 ms/);
  });

  it('retransmits a lost query within the timeout (retries) before reporting a timeout', async () => {
    dns.setFault('lost.example.test', { drop: true });
    const result = await resolver.lookup('lost.example.test', 'TXT');
    assert.equal(result.status, 'timeout');
    assert.equal(dns.queries.filter((query) => query.name === 'lost.example.test').length, 2);
  });

  it('retries over TCP when the UDP answer is truncated (a TXT answer over 512 bytes)', async () => {
    const result = await resolver.lookup('big.example.test', 'TXT');
    assert.equal(result.status, 'ok');
    assert.equal(result.viaTcp, true);
    assert.deepEqual(result.records.map((record) => record.type === 'TXT' && record.strings), [BIG_STRINGS]);
    assert.deepEqual(
      dns.queries.filter((query) => query.name === 'big.example.test').map((query) => query.transport),
      ['udp', 'tcp'],
    );
    const forced = await resolver.lookup('tcp-only.example.test', 'TXT');
    assert.equal(forced.viaTcp, true);
    assert.deepEqual(forced.raw, ['tcp-only.example.test. 300 IN TXT "small"']);
  });

  it('keeps TXT character-strings as published and escapes them in raw form', async () => {
    const spf = await resolver.lookup('example.test', 'TXT');
    assert.deepEqual(spf.records, [{ type: 'TXT', strings: ['v=spf1 include:_spf.mail.test ', '~all'], ttl: 300 }]);
    assert.deepEqual(spf.raw, ['example.test. 300 IN TXT "v=spf1 include:_spf.mail.test " "~all"']);
    const quoted = await resolver.lookup('quoted.example.test', 'TXT');
    assert.deepEqual(quoted.records[0].type === 'TXT' && quoted.records[0].strings, ['say "hi"', 'back\\slash']);
    assert.deepEqual(quoted.raw, ['quoted.example.test. 300 IN TXT "say \\"hi\\"" "back\\\\slash"']);
    const bytes = await resolver.lookup('bytes.example.test', 'TXT');
    assert.deepEqual(bytes.records[0].type === 'TXT' && bytes.records[0].strings, ['caf\uFFFD', 'café']);
    assert.deepEqual(bytes.raw, ['bytes.example.test. 300 IN TXT "caf\\233" "caf\\195\\169"'], 'raw shows the bytes as sent');
  });

  it('returns the CNAME chain with the final records, and NXDOMAIN with the chain for a dangling CNAME', async () => {
    const chained = await resolver.lookup('alias.example.test', 'A');
    assert.equal(chained.status, 'ok');
    assert.deepEqual(chained.raw, [
      'alias.example.test. 300 IN CNAME www.example.test.',
      'www.example.test. 300 IN CNAME example.test.',
      'example.test. 300 IN A 192.0.2.10',
    ]);
    const dangling = await resolver.lookup('dangling.example.test', 'A');
    assert.equal(dangling.status, 'nxdomain');
    assert.deepEqual(dangling.records, [{ type: 'CNAME', target: 'gone.nowhere.test', ttl: 300 }]);
    const cnameItself = await resolver.lookup('www.example.test', 'CNAME');
    assert.deepEqual(cnameItself.records, [{ type: 'CNAME', target: 'example.test', ttl: 300 }]);
  });

  it('reads MX, NS, CAA, DNSKEY and the parent DS that node:dns cannot ask for', async () => {
    const [mx, ns, caa, dnskey, ds, soa] = await Promise.all([
      resolver.lookup('example.test', 'MX'),
      resolver.lookup('example.test', 'NS'),
      resolver.lookup('example.test', 'CAA'),
      resolver.lookup('example.test', 'DNSKEY'),
      resolver.lookup('example.test', 'DS'),
      resolver.lookup('example.test', 'SOA'),
    ]);
    assert.deepEqual(soa.raw, ['example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300']);
    assert.deepEqual(mx.records, [{ type: 'MX', priority: 10, exchange: 'mx1.example.test', ttl: 300 }]);
    assert.deepEqual(ns.raw, ['example.test. 300 IN NS ns1.example.test.']);
    assert.deepEqual(caa.raw, ['example.test. 300 IN CAA 0 issue "letsencrypt.org"']);
    assert.deepEqual(dnskey.records, [{ type: 'DNSKEY', data: `257 3 13 ${DNSKEY}`, ttl: 300 }]);
    assert.deepEqual(ds.raw, [`example.test. 300 IN DS 2371 13 2 ${DS_DIGEST}`]);
  });

  it('sends IDN names as punycode', async () => {
    const result = await resolver.lookup('Bücher.example.test', 'A');
    assert.equal(result.status, 'ok');
    assert.equal(result.name, 'xn--bcher-kva.example.test');
    assert.deepEqual(result.records, [{ type: 'A', address: '192.0.2.20', ttl: 300 }]);
    const query = await dns.waitForQuery('xn--bcher-kva.example.test', 'A');
    assert.equal(query.name, 'xn--bcher-kva.example.test');
  });

  it('cancels a lookup when its AbortSignal fires', async () => {
    const patient = createResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 60_000, retries: 0 });
    dns.setFault('hang.example.test', { drop: true });
    const controller = new AbortController();
    const pending = patient.lookup('hang.example.test', 'A', { signal: controller.signal });
    await dns.waitForQuery('hang.example.test', 'A');
    controller.abort();
    await assert.rejects(pending, (error: Error) => error.name === 'AbortError');
    const already = new AbortController();
    already.abort();
    await assert.rejects(patient.lookup('example.test', 'A', { signal: already.signal }), (error: Error) => error.name === 'AbortError');
  });

  it('asks the next server when one refuses', async () => {
    const refusing = await startDnsServer([{ origin: 'example.test', records: '@ A 192.0.2.10' }], { faults: { 'example.test': { rcode: 'REFUSED' } } });
    try {
      const both = createResolver({ kind: 'servers', servers: [refusing.server, dns.server], timeoutMs: 1000, retries: 1 });
      const result = await both.lookup('example.test', 'A');
      assert.equal(result.status, 'ok');
      assert.equal(result.server, dns.server);
      const alone = createResolver({ kind: 'servers', servers: [refusing.server], timeoutMs: 1000, retries: 1 });
      assert.equal((await alone.lookup('example.test', 'A')).status, 'refused');
    } finally {
      await refusing.close();
    }
  });
});

describe('DNS resolver answer matching', () => {
  it('ignores answers with the wrong id or question and takes the genuine one', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.on('message', (message, from) => {
      const query = packet.decode(message);
      const question = query.questions?.[0] ?? { name: '', type: 'A' as const };
      const answer = (id: number, name: string, address: string): Buffer =>
        packet.encode({ type: 'response', id, flags: packet.RECURSION_AVAILABLE, questions: [{ ...question, name }], answers: [{ type: 'A', name, ttl: 60, data: address }] });
      socket.send(answer(((query.id ?? 0) + 1) % 65536, question.name, '203.0.113.66'), from.port, from.address);
      socket.send(answer(query.id ?? 0, `evil.${question.name}`, '203.0.113.67'), from.port, from.address);
      socket.send(Buffer.from('not dns at all'), from.port, from.address);
      socket.send(answer(query.id ?? 0, question.name, '192.0.2.1'), from.port, from.address);
    });
    try {
      const spoofable = createResolver({ kind: 'servers', servers: [`127.0.0.1:${socket.address().port}`], timeoutMs: 2000, retries: 0 });
      const result = await spoofable.lookup('target.test', 'A');
      assert.equal(result.status, 'ok');
      assert.deepEqual(result.records, [{ type: 'A', address: '192.0.2.1', ttl: 60 }]);
    } finally {
      socket.close();
    }
  });
});

describe('DNS resolver wrappers', () => {
  let dns: RunningDnsServer;

  before(async () => {
    dns = await startDnsServer([{ origin: 'example.test', records: ['@ A 192.0.2.10', '* A 192.0.2.11'] }]);
  });
  after(() => dns.close());

  it('caches per audit and merges identical lookups in flight', async () => {
    const cached = cachingResolver(createResolver({ kind: 'servers', servers: [dns.server] }));
    const names = ['dup.example.test', 'DUP.example.test.', 'dup.example.test', 'dup.example.test'];
    const results = await Promise.all(names.map((name) => cached.lookup(name, 'A')));
    assert.ok(results.every((result) => result.status === 'ok'));
    await cached.lookup('dup.example.test', 'A');
    await cached.lookup('dup.example.test', 'AAAA');
    assert.deepEqual(
      dns.queries.filter((query) => query.name === 'dup.example.test').map((query) => query.type),
      ['A', 'AAAA'],
    );
    assert.equal(cached.size, 2);
  });

  it('keeps a shared lookup alive for the callers that did not abort', async () => {
    dns.setFault('shared.example.test', { delayMs: 50 });
    const cached = cachingResolver(createResolver({ kind: 'servers', servers: [dns.server] }));
    const quitter = new AbortController();
    const abandoned = cached.lookup('shared.example.test', 'A', { signal: quitter.signal });
    const kept = cached.lookup('shared.example.test', 'A', { signal: new AbortController().signal });
    quitter.abort();
    await assert.rejects(abandoned, (error: Error) => error.name === 'AbortError');
    assert.equal((await kept).status, 'ok');
    assert.equal(dns.queries.filter((query) => query.name === 'shared.example.test').length, 1);
  });

  it('bounds the number of lookups in flight', async () => {
    const names = Array.from({ length: 10 }, (_, index) => `n${index}.slow.example.test`);
    for (const name of names) dns.setFault(name, { delayMs: 100 });
    dns.maxInFlight = 0;
    const limited = limitConcurrency(createResolver({ kind: 'servers', servers: [dns.server] }), 3);
    const results = await Promise.all(names.map((name) => limited.lookup(name, 'A')));
    assert.ok(results.every((result) => result.status === 'ok'));
    assert.equal(dns.maxInFlight, 3);

    dns.maxInFlight = 0;
    const unlimited = createResolver({ kind: 'servers', servers: [dns.server] });
    await Promise.all(names.map((name) => unlimited.lookup(name, 'AAAA')));
    assert.ok(dns.maxInFlight > 3, 'without the limiter the same lookups overlap more');
  });

  it('lets a queued lookup be aborted before it starts', async () => {
    dns.setFault('first.example.test', { delayMs: 50 });
    const limited = limitConcurrency(createResolver({ kind: 'servers', servers: [dns.server] }), 1);
    const first = limited.lookup('first.example.test', 'A');
    const controller = new AbortController();
    const queued = limited.lookup('queued.example.test', 'A', { signal: controller.signal });
    controller.abort();
    await assert.rejects(queued, (error: Error) => error.name === 'AbortError');
    assert.equal((await first).status, 'ok');
    assert.equal(dns.queries.some((query) => query.name === 'queued.example.test'), false);
  });
});

describe('DNS-over-HTTPS resolver (RFC 8484, loopback HTTP)', () => {
  let dns: RunningDnsServer;
  let doh: RunningDohServer;

  before(async () => {
    dns = await startDnsServer(
      [{ origin: 'example.test', authenticated: true, records: ['@ TXT "v=spf1 " "-all"', `big TXT ${BIG_STRINGS.map((text) => `"${text}"`).join(' ')}`, 'fail A 192.0.2.1', 'silent A 192.0.2.1'] }],
      { faults: { 'fail.example.test': { rcode: 'SERVFAIL' }, 'silent.example.test': { drop: true } } },
    );
    doh = await startDohServer(dns);
  });
  after(async () => {
    await doh.close();
    await dns.close();
  });

  it('looks up over POST application/dns-message with the same statuses', async () => {
    const resolver = createResolver({ kind: 'doh', url: doh.url, timeoutMs: 500, retries: 0 });
    const [txt, big, missing, failed, silent] = await Promise.all([
      resolver.lookup('example.test', 'TXT'),
      resolver.lookup('big.example.test', 'TXT'),
      resolver.lookup('missing.example.test', 'A'),
      resolver.lookup('fail.example.test', 'A'),
      resolver.lookup('silent.example.test', 'A'),
    ]);
    assert.deepEqual(txt.records, [{ type: 'TXT', strings: ['v=spf1 ', '-all'], ttl: 300 }]);
    assert.equal(txt.authenticated, true);
    assert.equal(txt.server, doh.url);
    assert.equal(big.status, 'ok', 'no 512-byte limit over HTTP');
    assert.deepEqual([missing.status, failed.status, silent.status], ['nxdomain', 'servfail', 'timeout']);
    assert.ok(dns.queries.every((query) => query.transport === 'doh' && query.id === 0));
  });

  it('cancels a DoH lookup when its AbortSignal fires', async () => {
    const resolver = createResolver({ kind: 'doh', url: doh.url, timeoutMs: 60_000 });
    dns.setFault('hang.example.test', { drop: true });
    const controller = new AbortController();
    const pending = resolver.lookup('hang.example.test', 'A', { signal: controller.signal });
    await dns.waitForQuery('hang.example.test', 'A');
    controller.abort();
    await assert.rejects(pending, (error: Error) => error.name === 'AbortError');
  });

  it('reports an HTTP error as an error, not as a missing record', async () => {
    const resolver = createResolver({ kind: 'doh', url: doh.url.replace('/dns-query', '/nope'), timeoutMs: 1000, retries: 0 });
    const result = await resolver.lookup('example.test', 'TXT');
    assert.equal(result.status, 'error');
    assert.match(result.detail ?? '', /HTTP 404/);
  });
});

describe('resolver configuration', () => {
  it('parses --dns values and server addresses', () => {
    assert.deepEqual(parseResolverSpec('system'), { kind: 'system' });
    assert.deepEqual(parseResolverSpec('https://dns.example/dns-query', { timeoutMs: 500 }), { kind: 'doh', url: 'https://dns.example/dns-query', timeoutMs: 500 });
    assert.deepEqual(parseResolverSpec('127.0.0.1:5353, [::1]:53'), { kind: 'servers', servers: ['127.0.0.1:5353', '[::1]:53'] });
    assert.deepEqual(parseServerAddress('[0:0::1]:5353'), { host: '::1', port: 5353, family: 6, label: '[::1]:5353' });
    assert.deepEqual(parseServerAddress('192.0.2.53'), { host: '192.0.2.53', port: 53, family: 4, label: '192.0.2.53:53' });
    assert.throws(() => parseResolverSpec('dns.google:53'), /not an IP address/);
    assert.throws(() => parseResolverSpec('127.0.0.1:99999'), /invalid port/);
    assert.throws(() => createResolver({ kind: 'servers', servers: [] }), /no DNS servers/);
  });
});

describe('system resolver mode (node:dns), pointed at the loopback server', () => {
  let dns: RunningDnsServer;
  const tuning = { timeoutMs: 500, retries: 1 };

  before(async () => {
    dns = await startDnsServer(
      [
        {
          origin: 'example.test',
          authenticated: true,
          records: ['@ A 192.0.2.10', '@ TXT "v=spf1 " "-all"', '@ CAA 0 issue "letsencrypt.org"', '@ MX 10 mx1', 'fail A 192.0.2.1', 'silent A 192.0.2.1'],
        },
        { origin: 'test', records: `example DS 2371 13 2 ${DS_DIGEST}` },
      ],
      { faults: { 'fail.example.test': { rcode: 'SERVFAIL' }, 'silent.example.test': { drop: true } } },
    );
  });
  after(() => dns.close());

  it('maps node:dns answers and errors onto the same statuses, without an AD flag', async () => {
    const lookup = (name: string, type: RecordType) => lookupViaSystem(name, type, tuning, undefined, [dns.server]);
    const [a, txt, caa, mx, missing, nodata, failed, silent] = await Promise.all([
      lookup('example.test', 'A'),
      lookup('example.test', 'TXT'),
      lookup('example.test', 'CAA'),
      lookup('example.test', 'MX'),
      lookup('missing.example.test', 'A'),
      lookup('example.test', 'AAAA'),
      lookup('fail.example.test', 'A'),
      lookup('silent.example.test', 'A'),
    ]);
    assert.deepEqual(a.records, [{ type: 'A', address: '192.0.2.10', ttl: 300 }]);
    assert.equal(a.authenticated, undefined, 'node:dns cannot see the AD flag');
    assert.deepEqual(txt.records, [{ type: 'TXT', strings: ['v=spf1 ', '-all'], ttl: 0 }]);
    assert.deepEqual(caa.raw, ['example.test. 0 IN CAA 0 issue "letsencrypt.org"']);
    assert.deepEqual(mx.records, [{ type: 'MX', priority: 10, exchange: 'mx1.example.test', ttl: 0 }]);
    assert.deepEqual(
      [missing.status, nodata.status, failed.status, silent.status],
      ['nxdomain', 'nodata', 'servfail', 'timeout'],
    );
  });

  it('asks the same servers in wire format for DS, which node:dns cannot', async () => {
    const ds = await lookupViaSystem('example.test', 'DS', tuning, undefined, [dns.server]);
    assert.equal(ds.status, 'ok');
    assert.deepEqual(ds.raw, [`example.test. 300 IN DS 2371 13 2 ${DS_DIGEST}`]);
    assert.equal(ds.authenticated, false, 'the parent zone is unsigned in this world');
  });
});

describe('DNS resolver over IPv6 loopback', () => {
  it('talks to a [::1]:port server and matches its answers', async function () {
    let dns: RunningDnsServer;
    try {
      dns = await startDnsServer([{ origin: 'example.test', records: '@ A 192.0.2.10' }], { host: '::1' });
    } catch {
      this.skip();
    }
    try {
      assert.match(dns.server, /^\[::1\]:\d+$/);
      const resolver = createResolver({ kind: 'servers', servers: [dns.server.replace('[::1]', '[0:0:0:0:0:0:0:1]')], timeoutMs: 2000 });
      const result = await resolver.lookup('example.test', 'A');
      assert.equal(result.status, 'ok');
      assert.equal(result.server, dns.server);
    } finally {
      await dns.close();
    }
  });
});

describe('DNS-over-HTTPS with TLS (certificate made by openssl at run time)', () => {
  let directory: string;
  let dns: RunningDnsServer;
  let doh: RunningDohServer;
  let cert: string;

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'launch-ready-doh-'));
    const keyPath = join(directory, 'key.pem');
    const certPath = join(directory, 'cert.pem');
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        { stdio: 'ignore' },
      );
    } catch {
      rmSync(directory, { recursive: true, force: true });
      this.skip();
    }
    cert = readFileSync(certPath, 'utf8');
    dns = await startDnsServer([{ origin: 'example.test', authenticated: true, records: '@ A 192.0.2.10' }]);
    doh = await startDohServer(dns, { tls: { key: readFileSync(keyPath, 'utf8'), cert } });
  });
  after(async () => {
    await doh?.close();
    await dns?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('answers over https when the CA is trusted, and refuses an untrusted certificate', async () => {
    assert.match(doh.url, /^https:/);
    const agent = new Agent({ connect: { ca: cert } });
    try {
      const trusted = await createResolver({ kind: 'doh', url: doh.url, dispatcher: agent, timeoutMs: 2000 }).lookup('example.test', 'A');
      assert.equal(trusted.status, 'ok');
      assert.equal(trusted.authenticated, true);
    } finally {
      await agent.close();
    }
    const untrusted = await createResolver({ kind: 'doh', url: doh.url, timeoutMs: 2000, retries: 0 }).lookup('example.test', 'A');
    assert.equal(untrusted.status, 'error');
    assert.match(untrusted.detail ?? '', /certificate/i);
  });
});
