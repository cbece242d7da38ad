import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { DnsRecord, RecordType } from '../../src/engine/net/dns-types';
import { checkHost } from '../../src/engine/email/spf/check-host';
import { MemoryResolver, type Zone, type ZoneEntry } from '../support/memory-dns';

// The openspf.org RFC 7208 test suite (test/fixtures/spf/rfc7208-tests.yml, BSD licence beside
// it) run through our check_host() with an in-memory resolver built from each scenario's zone.

interface SuiteTest {
  spec?: string | string[];
  description?: string;
  helo: string;
  host: string;
  mailfrom: string;
  result: string | string[];
  explanation?: string;
}

interface Scenario {
  description: string;
  tests: Record<string, SuiteTest>;
  zonedata: Record<string, unknown[]>;
}

/** The suite's zone conventions: SPF-type records double as TXT unless TXT is listed; NONE is nothing. */
function zoneFrom(zonedata: Record<string, unknown[]>): Zone {
  const zone: Zone = {};
  for (const [name, rows] of Object.entries(zonedata ?? {})) {
    const entries: ZoneEntry[] = [];
    const hasTxt = rows.some((row) => typeof row === 'object' && row !== null && 'TXT' in row);
    for (const row of rows) {
      if (row === 'TIMEOUT') {
        entries.push('TIMEOUT');
        continue;
      }
      for (const [kind, value] of Object.entries(row as Record<string, unknown>)) {
        if (value === 'NONE') continue;
        const type = (kind === 'SPF' ? 'TXT' : kind) as RecordType;
        if (kind === 'SPF' && hasTxt) continue;
        if (value === 'TIMEOUT') {
          entries.push({ type, fail: 'timeout' });
          continue;
        }
        entries.push(toRecord(type, value));
      }
    }
    zone[name] = entries;
  }
  return zone;
}

function toRecord(type: RecordType, value: unknown): DnsRecord {
  switch (type) {
    case 'TXT':
      return { type, strings: Array.isArray(value) ? value.map(String) : [String(value)], ttl: 60 };
    case 'A':
    case 'AAAA':
      return { type, address: String(value), ttl: 60 };
    case 'MX': {
      const [priority, exchange] = value as [number, string];
      return { type, priority, exchange, ttl: 60 };
    }
    case 'PTR':
    case 'CNAME':
      return { type, target: String(value), ttl: 60 };
    default:
      throw new Error(`unexpected record type ${type} in the suite`);
  }
}

function loadSuite(): Scenario[] {
  const text = readFileSync(join(__dirname, '../../../test/fixtures/spf/rfc7208-tests.yml'), 'utf8');
  return parseAllDocuments(text)
    .map((document) => document.toJS() as Scenario | null)
    .filter((scenario): scenario is Scenario => !!scenario && typeof scenario === 'object' && 'tests' in scenario);
}

describe('email: OpenSPF RFC 7208 test suite', () => {
  const scenarios = loadSuite();
  let total = 0;
  const failures: string[] = [];

  it('loads the suite', () => {
    assert.ok(scenarios.length >= 10);
  });

  for (const scenario of scenarios) {
    describe(scenario.description, () => {
      for (const [id, test] of Object.entries(scenario.tests)) {
        it(id, async () => {
          total++;
          const resolver = new MemoryResolver(zoneFrom(scenario.zonedata));
          const outcome = await checkHost(resolver, { ip: test.host, sender: test.mailfrom, helo: test.helo }, { defaultExplanation: 'DEFAULT' });
          const accepted = Array.isArray(test.result) ? test.result : [test.result];
          try {
            assert.ok(accepted.includes(outcome.result), `${id}: expected ${accepted.join('|')}, got ${outcome.result} (${outcome.reason ?? outcome.mechanism ?? ''})`);
            if (test.explanation !== undefined) assert.equal(outcome.explanation, test.explanation, `${id}: explanation`);
          } catch (error) {
            failures.push(id);
            throw error;
          }
        });
      }
    });
  }

  after(() => {
    process.stdout.write(`      OpenSPF suite: ${total - failures.length}/${total} passed\n`);
  });
});
