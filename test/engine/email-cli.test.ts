import { strict as assert } from 'node:assert';
import { runSpf } from '../../src/cli/spf';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type Output } from '../../src/cli/io';
import { startDnsServer, type RunningDnsServer } from '../world/dns-server';

function capture(): Output & { text: () => string } {
  let out = '';
  return { out: (text) => (out += text), err: (text) => (out += text), color: false, text: () => out };
}

describe('email: launch-ready spf', () => {
  let dns: RunningDnsServer;

  before(async () => {
    dns = await startDnsServer([
      {
        origin: 'acme.test',
        records: `
          @          TXT  "v=spf1 ip4:192.0.2.0/24 -all exp=why.acme.test"
          why        TXT  "%{i} is not one of our servers"
        `,
      },
    ]);
  });
  after(async () => {
    await dns?.close();
  });

  it('prints the RFC result as JSON and exits 0 for pass', async () => {
    const io = capture();
    const code = await runSpf(['acme.test', '--ip', '192.0.2.10', '--dns', dns.server, '--format', 'json'], io);
    assert.equal(code, EXIT_OK);
    const json = JSON.parse(io.text()) as Record<string, unknown>;
    assert.deepEqual([json.result, json.mechanism, json.lookups, json.explanation], ['pass', 'ip4:192.0.2.0/24', 0, null]);
  });

  it('explains a fail with the exp= text and exits 1', async () => {
    const io = capture();
    const code = await runSpf(['acme.test', '--ip', '203.0.113.4', '--sender', 'ceo@acme.test', '--helo', 'mx.evil.test', '--dns', dns.server, '--format', 'json'], io);
    assert.equal(code, EXIT_FINDINGS);
    const json = JSON.parse(io.text()) as Record<string, unknown>;
    assert.deepEqual([json.result, json.explanation], ['fail', '203.0.113.4 is not one of our servers']);
  });

  it('rejects a missing or malformed --ip as a usage error', async () => {
    await assert.rejects(runSpf(['acme.test', '--dns', dns.server], capture()), UsageError);
    await assert.rejects(runSpf(['acme.test', '--ip', '999.1.1.1', '--dns', dns.server], capture()), UsageError);
  });
});
