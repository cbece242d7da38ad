// Evidence beside a finding's message is one short line; the full record stays in `observed`.
import { strict as assert } from 'node:assert';
import { checkSync } from 'recheck';
import { EVIDENCE_MAX, LONG_TOKENS, shortEvidence } from '../../src/engine/evidence';

describe('finding evidence', () => {
  it('shows a long key as its start and length, keeping the tags around it', () => {
    const key = 'MIGfMA0G' + 'A'.repeat(206) + 'AB==';
    assert.equal(shortEvidence(`v=DKIM1; k=rsa; p=${key}`), 'v=DKIM1; k=rsa; p=MIGfMA0G…(218 chars)');
  });

  it('leaves short records alone and cuts long ones at the limit', () => {
    assert.equal(shortEvidence('v=DMARC1; p=none'), 'v=DMARC1; p=none');
    const spf = 'v=spf1 ' + Array.from({ length: 30 }, (_, index) => `include:_spf${index}.example.com`).join(' ') + ' -all';
    const shown = shortEvidence(spf);
    assert.equal([...shown].length, EVIDENCE_MAX);
    assert.ok(shown.startsWith('v=spf1 include:_spf0.example.com'));
    assert.ok(shown.endsWith('…'));
  });

  it('puts a multi-line value on one line', () => {
    assert.equal(shortEvidence('a\n  b\tc'), 'a b c');
  });

  it('cuts at whole code points', () => {
    const shown = shortEvidence('é'.repeat(200), 10);
    assert.equal(shown, 'é'.repeat(9) + '…');
  });

  it('reads long tokens in linear time (recheck)', function () {
    this.timeout(60_000);
    const diagnostics = checkSync(LONG_TOKENS.source, LONG_TOKENS.flags, { timeout: null, attackTimeout: null, incubationTimeout: null });
    assert.equal(diagnostics.status, 'safe');
  });
});
