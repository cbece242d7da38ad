import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { analyzeDkim } from '../../src/engine/email/dkim';
import { MemoryResolver, cname, txt, type Zone } from '../support/memory-dns';

// Keys are generated at run time: no key material is written into the repository.
function rsaKey(bits: number, encoding: 'spki' | 'pkcs1' = 'spki'): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return publicKey.export({ type: encoding, format: 'der' }).toString('base64');
}
function ed25519Key(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');
}

const ids = (findings: { ruleId: string }[]) => findings.map((finding) => finding.ruleId).sort();

describe('email: DKIM keys', () => {
  const strong = rsaKey(2048);
  const medium = rsaKey(1024);
  const weak = rsaKey(512);
  const zone: Zone = {
    's1._domainkey.acme.test': [txt('v=DKIM1; k=rsa; p=' + strong.slice(0, 200), strong.slice(200))],
    'pk1._domainkey.acme.test': [txt(`v=DKIM1; p=${rsaKey(2048, 'pkcs1')}`)],
    'ed._domainkey.acme.test': [txt(`v=DKIM1; k=ed25519; p=${ed25519Key()}`)],
    'mid._domainkey.acme.test': [txt(`v=DKIM1; k=rsa; p=${medium}`)],
    'weak._domainkey.acme.test': [txt(`v=DKIM1; k=rsa; p=${weak}`)],
    'gone._domainkey.acme.test': [txt('v=DKIM1; k=rsa; p=')],
    'sha1._domainkey.acme.test': [txt(`v=DKIM1; h=sha1; p=${strong}`)],
    'both._domainkey.acme.test': [txt(`v=DKIM1; h=sha1:sha256; p=${strong}`)],
    'test._domainkey.acme.test': [txt(`v=DKIM1; t=y; p=${strong}`)],
    'dup._domainkey.acme.test': [txt(`v=DKIM1; k=rsa; k=rsa; p=${strong}`)],
    'junk._domainkey.acme.test': [txt('v=DKIM1; k=rsa; p=not*base64')],
    'dsa._domainkey.acme.test': [txt(`v=DKIM1; k=dsa; p=${strong}`)],
    'delegated._domainkey.acme.test': [cname('s1.domainkey.u1.provider.test')],
    's1.domainkey.u1.provider.test': [cname('key-2048.provider.test')],
    'key-2048.provider.test': [txt(`v=DKIM1; p=${strong}`)],
    'dangling._domainkey.acme.test': [cname('nowhere.provider.test')],
    'loop1._domainkey.acme.test': [cname('loop2._domainkey.acme.test')],
    'loop2._domainkey.acme.test': [cname('loop1._domainkey.acme.test')],
    'fail._domainkey.acme.test': ['SERVFAIL'],
    'other._domainkey.acme.test': [txt('some-verification=1')],
  };
  const resolver = new MemoryResolver(zone);
  const check = (selector: string) => analyzeDkim(resolver, 'acme.test', selector);

  it('accepts a 2048-bit RSA key split over two strings, a PKCS#1 key and an Ed25519 key', async () => {
    for (const [selector, bits] of [['s1', 2048], ['pk1', 2048], ['ed', 256]] as const) {
      const { report, findings } = await check(selector);
      assert.deepEqual(ids(findings), [], selector);
      assert.equal(report.keyBits, bits, selector);
      assert.equal(report.usable, true, selector);
    }
  });

  it('follows CNAME delegation to the provider, hop by hop', async () => {
    const { report, findings } = await check('delegated');
    assert.deepEqual(ids(findings), []);
    assert.deepEqual(report.chain, ['delegated._domainkey.acme.test', 's1.domainkey.u1.provider.test', 'key-2048.provider.test']);
  });

  it('email/dkim-missing: no record, a dangling CNAME, or a TXT that is not a key', async () => {
    for (const selector of ['absent', 'dangling', 'other']) {
      const { findings } = await check(selector);
      assert.deepEqual(ids(findings), ['email/dkim-missing'], selector);
    }
  });

  it('email/dkim-weak-key: < 1024 bits is a blocker, < 2048 a warning', async () => {
    const weakResult = await check('weak');
    assert.deepEqual(weakResult.findings.map((f) => [f.ruleId, f.severity]), [['email/dkim-weak-key', 'blocker']]);
    assert.equal(weakResult.report.usable, false);
    const mid = await check('mid');
    assert.deepEqual(mid.findings.map((f) => [f.ruleId, f.severity]), [['email/dkim-weak-key', 'medium']]);
    assert.equal(mid.report.usable, true);
    // The key is shown by its start and length; the whole record stays in `observed`.
    assert.equal(mid.findings[0].evidence, `v=DKIM1; k=rsa; p=${medium.slice(0, 8)}…(${medium.length} chars), 1024-bit`);
    assert.equal(mid.findings[0].observed?.record, `v=DKIM1; k=rsa; p=${medium}`);
  });

  it('email/dkim-revoked', async () => {
    const { findings, report } = await check('gone');
    assert.deepEqual(ids(findings), ['email/dkim-revoked']);
    assert.equal(report.status, 'revoked');
    assert.equal(findings[0].observed?.record, 'v=DKIM1; k=rsa; p=');
  });

  it('email/dkim-sha1 only when sha256 is not allowed', async () => {
    assert.deepEqual(ids((await check('sha1')).findings), ['email/dkim-sha1']);
    assert.deepEqual(ids((await check('both')).findings), []);
  });

  it('email/dkim-testing', async () => {
    assert.deepEqual(ids((await check('test')).findings), ['email/dkim-testing']);
  });

  it('email/dkim-syntax: duplicate tags, bad base64, unknown key type', async () => {
    for (const selector of ['dup', 'junk', 'dsa']) {
      const { findings, report } = await check(selector);
      assert.deepEqual(ids(findings), ['email/dkim-syntax'], selector);
      assert.equal(report.usable, false, selector);
    }
  });

  it('email/could-not-verify for SERVFAIL and for a CNAME loop, never dkim-missing', async () => {
    for (const selector of ['fail', 'loop1']) {
      const { findings, report } = await check(selector);
      assert.deepEqual(ids(findings), ['email/could-not-verify'], selector);
      assert.equal(report.status, 'unverified');
    }
  });
});
