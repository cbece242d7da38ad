import { strict as assert } from 'node:assert';
import { scanText } from '../../src/engine/secrets/scan';
import { hasValidBase62Checksum } from '../../src/engine/secrets/checksums';
import { redact } from '../../src/engine/redact';
import { Fakes } from '../support/fakes';

describe('secret detection basics', () => {
  const fakes = new Fakes(7);

  it('finds a GitHub token only when its checksum is valid', () => {
    const token = fakes.githubToken();
    assert.ok(hasValidBase62Checksum(token, 4));
    const broken = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const found = scanText(`const a = "${token}";\nconst b = "${broken}";\n`, { path: 'src/a.ts' });
    assert.deepEqual(found.map((f) => [f.ruleId, f.location.kind === 'file' && f.location.range.startLine]), [['secret/github-token', 1]]);
  });

  it('reports exact 1-based positions', () => {
    const key = fakes.stripeKey();
    const [finding] = scanText(`\n  stripe("${key}")\n`, { path: 'pay.js' });
    assert.equal(finding.ruleId, 'secret/stripe-secret-key');
    assert.deepEqual(finding.location.kind === 'file' && finding.location.range, { startLine: 2, startColumn: 11, endLine: 2, endColumn: 11 + key.length });
  });

  it('pairs an AWS key id with its nearby secret as blockers', () => {
    const text = `aws_access_key_id = ${fakes.awsKeyId()}\naws_secret_access_key = ${fakes.awsSecret()}\n`;
    const found = scanText(text, { path: 'credentials.ini' });
    assert.deepEqual(found.map((f) => [f.ruleId, f.severity]).sort(), [['secret/aws-access-key-id', 'blocker'], ['secret/aws-secret-access-key', 'blocker']]);
  });

  it('stays quiet on placeholders, environment reads and documented examples', () => {
    const text = [
      'password = "changeme"',
      'api_key = "<your-api-key>"',
      'API_KEY=your_api_key_here',
      'token = process.env.GITHUB_TOKEN',
      'secret = os.environ["SECRET"]',
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'password: "${DB_PASSWORD}"',
      'passwordLabel = "Enter your password"',
    ].join('\n');
    assert.deepEqual(scanText(text, { path: 'settings.py' }), []);
  });

  it('honours launch-ready-ignore comments, with and without rule ids', () => {
    const key = fakes.stripeKey();
    const text = [
      `a = "${key}" # launch-ready-ignore`,
      `# launch-ready-ignore-next-line secret/stripe-secret-key`,
      `b = "${key}"`,
      `c = "${key}" # launch-ready-ignore secret/jwt`,
    ].join('\n');
    const found = scanText(text, { path: 'x.py' });
    assert.deepEqual(found.map((f) => f.location.kind === 'file' && f.location.range.startLine), [4]);
  });

  it('redacts to a short prefix and the length', () => {
    assert.equal(redact('ghp_' + 'a'.repeat(36), 4), 'ghp_…(40 chars)');
    assert.equal(redact('hunter2hunter2'), 'h…(14 chars)');
    assert.equal(redact('abc'), '…(3 chars)');
    // One character per 8 of length, at most 4.
    assert.equal(redact('mnopqrstuvwxy'), 'm…(13 chars)');
    assert.equal(redact('abcdefghijklmnopqrst'), 'ab…(20 chars)');
    assert.equal(redact('abcdefgh'.repeat(4)), 'abcd…(32 chars)');
    assert.equal(redact('abcdefgh'.repeat(8)), 'abcd…(64 chars)');
    // A documented public prefix is shown in full, but only while it is at most half the value.
    assert.equal(redact('sk_live_' + 'x'.repeat(24), 8), 'sk_live_…(32 chars)');
    assert.equal(redact('sk_live_' + 'x'.repeat(4), 8), 's…(12 chars)');
  });
});
