import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitFiles, ensureCliBuilt, initRepo, removeDir, runCli, tempDir, writeFiles, type CliResult } from '../support/cli';
import { Fakes } from '../support/fakes';

// The product's first promise: no secret value ever reaches an output. Many fake secrets go into a
// workspace that is also a git repository; every output of the real CLI (text with and without
// colour, verbose text, JSON, SARIF, report files, the baseline file, history scans, error
// messages) is collected, and neither any value nor any 8-character slice of its random part may
// appear in any of it.

interface Planted {
  label: string;
  value: string;
  /** The part that is not a documented prefix or fixed structure. */
  random: string;
  file: string;
  /** Found by a provider format: the test insists the scan reports it (else the check proves little). */
  mustFind: boolean;
}

const SLICE = 8;

function plant(fakes: Fakes): { planted: Planted[]; files: Record<string, string | Buffer> } {
  const planted: Planted[] = [];
  const lines = new Map<string, string[]>();
  const add = (file: string, line: string, label: string, value: string, random: string, mustFind: boolean) => {
    planted.push({ label, value, random, file, mustFind });
    lines.set(file, [...(lines.get(file) ?? []), line]);
  };
  for (let i = 0; i < 4; i++) {
    const token = fakes.githubToken();
    add(`src/github${i}.ts`, `export const token${i} = "${token}";`, 'github', token, token.slice(4), true);
  }
  const npm = fakes.npmToken();
  add('.npmrc', `//registry.npmjs.org/:_authToken=${npm}`, 'npm', npm, npm.slice(4), true);
  for (let i = 0; i < 3; i++) {
    const stripe = fakes.stripeKey('live');
    add('server/payments.js', `const stripe${i} = require('stripe')('${stripe}');`, 'stripe', stripe, stripe.slice(8), true);
  }
  const keyId = fakes.awsKeyId();
  const secret = fakes.awsSecret();
  add('config/credentials.ini', '[default]', 'aws-header', '', '', false);
  add('config/credentials.ini', `aws_access_key_id = ${keyId}`, 'aws-id', keyId, keyId.slice(4), true);
  add('config/credentials.ini', `aws_secret_access_key = ${secret}`, 'aws-secret', secret, secret, true);
  const slack = ['xo', 'xb-'].join('') + fakes.pick('123456789', 11) + '-' + fakes.pick('123456789', 12) + '-' + fakes.alnum(24);
  add('.env', `SLACK_BOT_TOKEN=${slack}`, 'slack', slack, slack.slice(5), true);
  const password = fakes.alnum(9) + '%' + fakes.alnum(7);
  add('.env.production', `DB_PASSWORD=${password}`, 'password', password, password, false);
  const dbPassword = fakes.alnum(18);
  const url = `postgres://app:${dbPassword}@db.internal.acme.io:5432/app`;
  add('settings.py', `DATABASE_URL = "${url}"`, 'db-url', url, dbPassword, true);
  const apiKey = fakes.hex(40);
  add('settings.py', `api_key = "${apiKey}"`, 'api-key', apiKey, apiKey, false);
  const signature = fakes.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 43);
  const jwtPart = (object: object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const jwt = `${jwtPart({ alg: 'HS256', typ: 'JWT' })}.${jwtPart({ sub: fakes.alnum(12), role: 'service', iat: 1700000000 })}.${signature}`;
  add('deploy/values.yaml', `serviceToken: ${jwt}`, 'jwt', jwt, signature, true);
  const body = Array.from({ length: 10 }, () => fakes.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 64));
  const pem = ['-----BEGIN RSA ' + 'PRIVATE KEY-----', ...body, '-----END RSA ' + 'PRIVATE KEY-----'].join('\n');
  add('keys/server.pem', pem, 'private-key', pem, body.join(''), true);
  for (const line of body) planted.push({ label: 'private-key line', value: line, random: line, file: 'keys/server.pem', mustFind: false });

  const files: Record<string, string | Buffer> = {};
  for (const [file, content] of lines) files[file] = content.join('\n') + '\n';
  // A file that is not valid UTF-8 is still scanned (byte by byte) and still must not leak.
  const latin = fakes.githubToken();
  planted.push({ label: 'latin1 github', value: latin, random: latin.slice(4), file: 'legacy/latin1.txt', mustFind: true });
  files['legacy/latin1.txt'] = Buffer.concat([Buffer.from('caf\xe9 \xff\xfe\n', 'latin1'), Buffer.from(`token = "${latin}"\n`)]);
  // A long minified line: provider formats still run there.
  const minified = fakes.githubToken();
  planted.push({ label: 'minified github', value: minified, random: minified.slice(4), file: 'public/app.min.js', mustFind: true });
  files['public/app.min.js'] = 'var a=1;'.repeat(1200) + `var t="${minified}";` + 'var b=2;'.repeat(1200) + '\n';
  return { planted: planted.filter((p) => p.value !== ''), files };
}

function assertNoLeak(outputs: Map<string, string>, planted: readonly Planted[]): void {
  for (const [name, text] of outputs) {
    for (const secret of planted) {
      assert.ok(!text.includes(secret.value), `${name} contains the ${secret.label} value`);
      for (let i = 0; i + SLICE <= secret.random.length; i++) {
        const slice = secret.random.slice(i, i + SLICE);
        assert.ok(!text.includes(slice), `${name} contains an ${SLICE}-character slice of the ${secret.label} value (offset ${i})`);
      }
    }
  }
}

describe('no secret value in any output', function () {
  this.timeout(120_000);
  const fakes = new Fakes(20261125);
  const { planted, files } = plant(fakes);
  const outputs = new Map<string, string>();
  let dir = '';

  const record = (name: string, result: CliResult, expectedCode: number) => {
    assert.equal(result.code, expectedCode, `${name}: exit ${result.code}\n${result.stderr}`);
    outputs.set(`${name} (stdout)`, result.stdout);
    outputs.set(`${name} (stderr)`, result.stderr);
    return result;
  };

  before(() => {
    ensureCliBuilt();
    dir = tempDir('leaks');
    initRepo(dir);
    commitFiles(dir, files, 'add everything');
  });
  after(() => removeDir(dir));

  it('reports every planted provider secret (so the leak checks below are meaningful)', async () => {
    const result = record('scan json', await runCli(['scan', '--format', 'json'], { cwd: dir }), 1);
    const report = JSON.parse(result.stdout) as { findings: { location: { path: string } }[] };
    const foundFiles = new Set(report.findings.map((f) => f.location.path));
    for (const secret of planted.filter((p) => p.mustFind)) assert.ok(foundFiles.has(secret.file), `${secret.label} in ${secret.file} was found`);
    assert.ok(report.findings.length >= planted.filter((p) => p.mustFind).length - 1);
  });

  it('working-tree scans in every format, with and without colour', async () => {
    record('scan text', await runCli(['scan'], { cwd: dir }), 1);
    const coloured = record('scan text colour', await runCli(['scan', '--verbose'], { cwd: dir, env: { FORCE_COLOR: '1' } }), 1);
    assert.ok(coloured.stdout.includes('\u001b['), 'the coloured run really is coloured');
    record('scan sarif', await runCli(['scan', '--format', 'sarif'], { cwd: dir }), 1);
    record('scan low threshold', await runCli(['scan', '--fail-on', 'low', '--no-color', '--verbose'], { cwd: dir }), 1);
    for (const format of ['text', 'json', 'sarif']) {
      const file = `report.${format}`;
      record(`scan --output ${format}`, await runCli(['scan', '--format', format, '--output', join(dir, '..', `${file}-${process.pid}`)], { cwd: dir }), 1);
      outputs.set(`${file} file`, readFileSync(join(dir, '..', `${file}-${process.pid}`), 'utf8'));
      removeDir(join(dir, '..', `${file}-${process.pid}`));
    }
    assertNoLeak(outputs, planted);
  });

  it('the baseline file and scans against it', async () => {
    record('baseline', await runCli(['baseline'], { cwd: dir }), 0);
    const baseline = readFileSync(join(dir, '.launch-ready-baseline.json'), 'utf8');
    assert.ok((JSON.parse(baseline) as { findings: unknown[] }).findings.length > 5);
    outputs.set('baseline file', baseline);
    for (const format of ['text', 'json', 'sarif']) record(`baselined ${format}`, await runCli(['scan', '--format', format], { cwd: dir }), 0);
    assertNoLeak(outputs, planted);
  });

  it('history scans, after the secrets were deleted from the working tree', async () => {
    const deletions = Object.fromEntries(Object.keys(files).map((f) => [f, null]));
    commitFiles(dir, { ...deletions, '.launch-ready-baseline.json': null }, 'remove everything');
    record('tree after removal', await runCli(['scan'], { cwd: dir }), 0);
    const json = record('history json', await runCli(['scan', '--history', '--format', 'json'], { cwd: dir }), 1);
    assert.ok((JSON.parse(json.stdout) as { findings: unknown[] }).findings.length >= planted.filter((p) => p.mustFind).length - 1);
    record('history text', await runCli(['scan', '--history'], { cwd: dir }), 1);
    record('history text colour', await runCli(['scan', '--history', '--verbose'], { cwd: dir, env: { FORCE_COLOR: '1' } }), 1);
    record('history sarif', await runCli(['scan', '--history', '--format', 'sarif'], { cwd: dir }), 1);
    record('history baseline', await runCli(['baseline', '--history', '--baseline', 'history-baseline.json'], { cwd: dir }), 0);
    outputs.set('history baseline file', readFileSync(join(dir, 'history-baseline.json'), 'utf8'));
    record('history against baseline', await runCli(['scan', '--history', '--baseline', 'history-baseline.json'], { cwd: dir }), 0);
    assertNoLeak(outputs, planted);
  });

  it('error messages about broken config and baseline files that hold a secret', async () => {
    const [github] = planted;
    writeFiles(dir, { '.launch-ready.json': `{"exclude": [${github.value}]}` });
    record('config with a pasted secret', await runCli(['scan'], { cwd: dir }), 2);
    writeFiles(dir, { '.launch-ready.json': JSON.stringify({ [github.value]: true }) });
    record('config key that is a secret', await runCli(['scan'], { cwd: dir }), 2);
    writeFiles(dir, { '.launch-ready.json': JSON.stringify({ rules: { [github.value]: 'loud' } }) });
    record('rule id that is a secret', await runCli(['scan'], { cwd: dir }), 2);
    writeFiles(dir, { '.launch-ready.json': '{}', 'bad-baseline.json': `{"version": 1, "findings": ${github.value}}` });
    record('baseline with a pasted secret', await runCli(['scan', '--baseline', 'bad-baseline.json'], { cwd: dir }), 2);
    assert.ok([...outputs.values()].some((text) => /not valid JSON/.test(text)), 'the errors were reported');
    assertNoLeak(outputs, planted);
  });

  it('the checker itself catches a leak', () => {
    const [secret] = planted;
    assert.throws(() => assertNoLeak(new Map([['x', `...${secret.random.slice(3, 3 + SLICE)}...`]]), planted), /slice/);
  });
});
