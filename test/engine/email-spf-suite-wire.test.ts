// The OpenSPF RFC 7208 suite again, this time over the wire: each scenario's zone is served by the
// loopback DNS server and read through the real resolver, so record encoding, TXT strings, CNAMEs,
// NXDOMAIN/NODATA and timeouts all take the path a user's audit takes.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createResolver } from '../../src/engine/net/dns-resolver';
import { checkHost } from '../../src/engine/email/spf/check-host';
import { startDnsServer, type Fault, type ZoneSpec } from '../world/dns-server';

interface SuiteTest {
  helo: string;
  host: string;
  mailfrom: string;
  result: string | string[];
  explanation?: string;
}
interface Scenario {
  description: string;
  tests: Record<string, SuiteTest>;
  zonedata?: Record<string, unknown[]>;
}

/** Zone-file TXT: printable ASCII as is, everything else (and quote, backslash) as \DDD bytes. */
function quoted(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/**
 * Data the wire (or the test server's zone text) cannot carry is left out: labels over 63 octets,
 * owner names with spaces, a TXT with no strings.
 */
function servable(name: string): boolean {
  return !/\s/.test(name) && name.split('.').every((label) => label.length > 0 && label.length <= 63);
}

function zonesFor(zonedata: Record<string, unknown[]>): { zones: ZoneSpec[]; faults: Record<string, Fault>; skipped: string[] } {
  const byTld = new Map<string, string[]>();
  const faults: Record<string, Fault> = {};
  const skipped: string[] = [];
  for (const [rawName, rows] of Object.entries(zonedata)) {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    if (!servable(name)) {
      skipped.push(name);
      continue;
    }
    const hasTxt = rows.some((row) => typeof row === 'object' && row !== null && 'TXT' in row);
    const lines: string[] = [];
    const seenTypes = new Set<string>();
    const timeoutTypes: string[] = [];
    let wholeTimeout = false;
    for (const row of rows) {
      if (row === 'TIMEOUT') {
        wholeTimeout = true;
        break;
      }
      for (const [kind, value] of Object.entries(row as Record<string, unknown>)) {
        if (value === 'NONE' || (kind === 'SPF' && hasTxt)) continue;
        const type = kind === 'SPF' ? 'TXT' : kind;
        if (value === 'TIMEOUT') {
          timeoutTypes.push(type);
          continue;
        }
        seenTypes.add(type);
        let rdata: string;
        if (type === 'TXT') {
          const strings = Array.isArray(value) ? value.map(String) : [String(value)];
          if (strings.length === 0) continue;
          rdata = strings.map(quoted).join(' ');
        } else if (type === 'MX') {
          const [priority, exchange] = value as [number, string];
          rdata = `${priority} ${String(exchange).replace(/\.?$/, '.')}`;
        } else if (type === 'CNAME' || type === 'PTR') {
          rdata = String(value).replace(/\.?$/, '.');
        } else {
          rdata = String(value);
        }
        lines.push(`${name}. 60 IN ${type} ${rdata}`);
      }
    }
    if (wholeTimeout) {
      const types = ['A', 'AAAA', 'MX', 'TXT', 'PTR', 'CNAME'].filter((type) => !seenTypes.has(type));
      faults[name] = { drop: true, types };
    } else if (timeoutTypes.length > 0) {
      faults[name] = { drop: true, types: timeoutTypes };
    }
    const tld = name.slice(name.lastIndexOf('.') + 1);
    byTld.set(tld, [...(byTld.get(tld) ?? []), ...lines]);
  }
  return { zones: [...byTld].map(([origin, records]) => ({ origin, records })), faults, skipped };
}

/**
 * Its only record lives at an owner name with spaces, which the test server's zone text cannot
 * write and our resolver refuses to send; the in-memory run of the suite covers it.
 */
const UNSERVABLE = new Set(['macro-mania-in-domain']);

describe('email: OpenSPF RFC 7208 suite over the loopback DNS server', () => {
  const text = readFileSync(join(__dirname, '../../../test/fixtures/spf/rfc7208-tests.yml'), 'utf8');
  const scenarios = parseAllDocuments(text)
    .map((document) => document.toJS() as Scenario | null)
    .filter((scenario): scenario is Scenario => !!scenario && typeof scenario === 'object' && 'tests' in scenario);
  let passed = 0;
  let total = 0;

  for (const scenario of scenarios) {
    it(scenario.description, async function () {
      // Scenarios with a server that never answers wait out a generous per-lookup timeout.
      this.timeout(60_000);
      const { zones, faults } = zonesFor(scenario.zonedata ?? {});
      const dns = await startDnsServer(zones, { faults });
      try {
        const resolver = createResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 1000, retries: 2 });
        const failures: string[] = [];
        for (const [id, test] of Object.entries(scenario.tests)) {
          if (UNSERVABLE.has(id)) continue;
          total++;
          const outcome = await checkHost(resolver, { ip: test.host, sender: test.mailfrom, helo: test.helo }, { defaultExplanation: 'DEFAULT' });
          const accepted = Array.isArray(test.result) ? test.result : [test.result];
          const explained = test.explanation === undefined || test.explanation === outcome.explanation;
          if (accepted.includes(outcome.result) && explained) passed++;
          else failures.push(`${id}: expected ${accepted.join('|')}${test.explanation ? ` "${test.explanation}"` : ''}, got ${outcome.result} ${outcome.explanation ?? ''} (${outcome.reason ?? outcome.mechanism ?? ''})`);
        }
        assert.deepEqual(failures, []);
      } finally {
        await dns.close();
      }
    });
  }

  after(() => {
    process.stdout.write(`      OpenSPF suite over the wire: ${passed}/${total} passed\n`);
  });
});
