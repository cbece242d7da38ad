// The loopback DNS server is the ground truth for every live check, so it is tested on the wire
// directly (raw dns-packet over UDP and TCP), independent of the engine's resolver.
import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as packet from 'dns-packet';
import { parseZoneFile, startDnsServer, type RunningDnsServer } from '../world/dns-server';

function udpQuery(port: number, name: string, type: packet.RecordType, id = 4242): Promise<packet.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.on('error', reject);
    socket.on('message', (message) => {
      socket.close();
      resolve(packet.decode(message));
    });
    socket.send(packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED | packet.AUTHENTIC_DATA, questions: [{ name, type }] }), port, '127.0.0.1');
  });
}

function tcpQuery(port: number, name: string, type: packet.RecordType): Promise<packet.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffered = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        socket.destroy();
        resolve(packet.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
      }
    });
    socket.write(packet.streamEncode({ type: 'query', id: 7, flags: packet.RECURSION_DESIRED, questions: [{ name, type }] }));
  });
}

function dataOf(answer: packet.Answer | undefined): unknown {
  return (answer as { data?: unknown } | undefined)?.data;
}

describe('loopback DNS server (test world)', () => {
  let server: RunningDnsServer;
  const longSpf = Array.from({ length: 3 }, (_, index) => `"${String.fromCharCode(97 + index).repeat(250)}"`).join(' ');

  before(async () => {
    server = await startDnsServer([
      {
        origin: 'example.test',
        authenticated: true,
        records: `
          @        300 A     192.0.2.10
          @            MX    10 mx1
          @            TXT   "v=spf1 " "-all"
          www          CNAME @
          deep.www     CNAME www
          away         CNAME gone.elsewhere.test.
          big          TXT   ${longSpf}
          a.b          A     192.0.2.11
          *.wild       A     192.0.2.12
          @            CAA   0 issue "letsencrypt.org"
          @            DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==
          loop1        CNAME loop2
          loop2        CNAME loop1
        `,
      },
      { origin: 'test', records: 'example DS 2371 13 2 1F987CC6583E92DF0890718C42A8D4FF0D5DDE1EC4D5F9EE2F3ACF7AF1F4E3E2' },
    ]);
  });
  after(() => server.close());

  it('answers A over UDP with the AD flag for a signed zone', async () => {
    const response = await udpQuery(server.port, 'example.test', 'A', 999);
    assert.equal(response.id, 999);
    assert.equal(response.flag_ad, true);
    assert.deepEqual(response.answers?.map(dataOf), ['192.0.2.10']);
  });

  it('chases CNAME chains and keeps TXT strings split', async () => {
    const chained = await udpQuery(server.port, 'deep.www.example.test', 'A');
    assert.deepEqual(chained.answers?.map((answer) => answer.type), ['CNAME', 'CNAME', 'A']);
    const txt = await udpQuery(server.port, 'example.test', 'TXT');
    assert.deepEqual((dataOf(txt.answers?.[0]) as Buffer[]).map(String), ['v=spf1 ', '-all']);
  });

  it('tells NXDOMAIN from NODATA and puts the SOA in authority', async () => {
    const missing = await udpQuery(server.port, 'nope.example.test', 'A');
    assert.equal((missing as unknown as { rcode: string }).rcode, 'NXDOMAIN');
    assert.equal(missing.authorities?.[0].type, 'SOA');
    const nodata = await udpQuery(server.port, 'example.test', 'AAAA');
    assert.equal((nodata as unknown as { rcode: string }).rcode, 'NOERROR');
    assert.equal(nodata.answers?.length, 0);
    assert.equal(nodata.authorities?.[0].type, 'SOA');
    const emptyNonTerminal = await udpQuery(server.port, 'b.example.test', 'A');
    assert.equal((emptyNonTerminal as unknown as { rcode: string }).rcode, 'NOERROR');
    const dangling = await udpQuery(server.port, 'away.example.test', 'A');
    assert.equal((dangling as unknown as { rcode: string }).rcode, 'NXDOMAIN');
    assert.equal(dangling.answers?.[0].type, 'CNAME');
  });

  it('truncates large UDP answers and serves them over TCP', async () => {
    const udp = await udpQuery(server.port, 'big.example.test', 'TXT');
    assert.equal(udp.flag_tc, true);
    assert.equal(udp.answers?.length, 0);
    const tcp = await tcpQuery(server.port, 'big.example.test', 'TXT');
    assert.equal(tcp.flag_tc, false);
    assert.equal((dataOf(tcp.answers?.[0]) as Buffer[]).length, 3);
  });

  it('serves wildcards, CAA, DNSKEY, DS from the parent, and fails CNAME loops', async () => {
    const wild = await udpQuery(server.port, 'x.wild.example.test', 'A');
    assert.equal(wild.answers?.[0].name, 'x.wild.example.test');
    const caa = await udpQuery(server.port, 'example.test', 'CAA');
    assert.equal((dataOf(caa.answers?.[0]) as packet.CaaData).value, 'letsencrypt.org');
    const dnskey = await tcpQuery(server.port, 'example.test', 'DNSKEY');
    assert.equal((dataOf(dnskey.answers?.[0]) as packet.DnskeyData).flags, 257);
    const ds = await udpQuery(server.port, 'example.test', 'DS');
    assert.equal((dataOf(ds.answers?.[0]) as packet.DsData).keyTag, 2371);
    const loop = await udpQuery(server.port, 'loop1.example.test', 'A');
    assert.equal((loop as unknown as { rcode: string }).rcode, 'SERVFAIL');
  });

  it('applies rcode faults and records every query it receives', async () => {
    server.setFault('bad.example.test', { rcode: 'REFUSED' });
    const before = server.queries.length;
    const refused = await udpQuery(server.port, 'bad.example.test', 'A');
    assert.equal((refused as unknown as { rcode: string }).rcode, 'REFUSED');
    assert.deepEqual(server.queries.slice(before).map((query) => [query.name, query.type, query.transport, query.authenticatedData]), [['bad.example.test', 'A', 'udp', true]]);
  });

  it('rejects malformed zone lines with the line in the message', async () => {
    await assert.rejects(startDnsServer([{ origin: 'x.test', records: 'www A not-an-ip' }]), /bad A address: www A not-an-ip/);
    await assert.rejects(startDnsServer([{ origin: 'x.test', records: `t TXT "${'a'.repeat(256)}"` }]), /over 255 bytes/);
  });
});

describe('zone files for the test world', () => {
  it('reads several zones with $ORIGIN and $SIGNED and serves them', async () => {
    const zones = parseZoneFile(`
      ; the demo world
      $ORIGIN acme.test
      $SIGNED
      @   A    192.0.2.1
      www CNAME @
      $ORIGIN mail.test
      mx1 A 192.0.2.25 ; the mail host
    `);
    assert.deepEqual(
      zones.map((zone) => [zone.origin, zone.authenticated, (zone.records as string[]).length]),
      [['acme.test', true, 2], ['mail.test', false, 1]],
    );
    const seen: string[] = [];
    const server = await startDnsServer(zones, { onQuery: (query) => seen.push(`${query.type} ${query.name}`) });
    try {
      const response = await udpQuery(server.port, 'www.acme.test', 'A');
      assert.equal(response.flag_ad, true);
      assert.deepEqual(response.answers?.map(dataOf), ['acme.test', '192.0.2.1']);
      assert.deepEqual(seen, ['A www.acme.test']);
    } finally {
      await server.close();
    }
    assert.throws(() => parseZoneFile('www A 192.0.2.1'), /record before any \$ORIGIN/);
    assert.throws(() => parseZoneFile('$INCLUDE other.zone'), /unknown directive/);
  });
});
