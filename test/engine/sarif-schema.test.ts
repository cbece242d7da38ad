import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { commitFiles, ensureCliBuilt, git, initRepo, removeDir, REPO_ROOT, runCli, tempDir, writeFiles } from '../support/cli';
import { Fakes } from '../support/fakes';

// Every SARIF the CLI writes (scan, scan --history, scan --staged, env, audit) must validate
// against the SARIF 2.1.0 schema: GitHub code scanning rejects an upload that does not.

function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  // The schema is draft-04; ajv 8 reads it as draft-07 once the draft-04 `id` is renamed. It uses
  // no keyword whose meaning changed between the drafts (no boolean exclusiveMinimum/Maximum).
  const { $schema: _draft, id, ...rest } = schema;
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    // The schema's language pattern has a stray `]`, legal only without the u flag.
    unicodeRegExp: false,
    formats: {
      uri: (value: string) => URL.canParse(value),
      'uri-reference': (value: string) => URL.canParse(value, 'file:///base/'),
      'date-time': (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(value),
    },
  });
  return ajv.compile({ ...rest, $id: id as string });
}

describe('SARIF against the SARIF 2.1.0 JSON schema', function () {
  this.timeout(60_000);
  const fakes = new Fakes(2100);
  const dirs: string[] = [];
  let validate: ValidateFunction;
  const assertValid = (text: string, what: string) => {
    const log = JSON.parse(text) as { runs: Array<{ results: unknown[] }> };
    const ok = validate(log);
    assert.ok(ok, `${what}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
    return log;
  };
  const sarifOf = async (cwd: string, args: string[]) => {
    const result = await runCli([...args, '--format', 'sarif'], { cwd });
    assert.ok(result.code === 0 || result.code === 1, `${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  before(() => {
    ensureCliBuilt();
    validate = sarifValidator();
  });
  after(() => dirs.forEach(removeDir));

  it('the validator rejects what the schema forbids (so a pass means something)', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false);
    assert.equal(validate({ version: '2.0.0', runs: [] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', informationUri: 'not a uri' } } }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] }), true);
  });

  it('scan, scan --staged and scan --history with findings, skipped files and notes', async () => {
    const dir = tempDir('sarif-schema');
    dirs.push(dir);
    initRepo(dir);
    commitFiles(dir, { 'src/pay.ts': `const key = "${fakes.stripeKey()}";\n`, 'assets/logo.bin': Buffer.from([0, 1, 2]) }, 'first');
    writeFiles(dir, { 'src/gh.py': `TOKEN = "${fakes.githubToken()}"\n`, 'latin1.txt': Buffer.from([0x70, 0x3d, 0xe9, 0x0a]) });
    const tree = assertValid(await sarifOf(dir, ['scan']), 'scan');
    assert.ok(tree.runs[0].results.length >= 2, 'results to validate');
    commitFiles(dir, {}, 'second');
    assertValid(await sarifOf(dir, ['scan', '--history']), 'scan --history');
    writeFiles(dir, { 'src/more.js': `k = "${fakes.stripeKey()}"\n` });
    git(dir, ['add', 'src/more.js']);
    const staged = assertValid(await sarifOf(dir, ['scan', '--staged']), 'scan --staged');
    assert.equal(staged.runs[0].results.length, 1);
  });

  it('scan, env and audit of a subfolder of a repository (URIs from the repository root)', async () => {
    const dir = tempDir('sarif-schema-sub');
    dirs.push(dir);
    initRepo(dir);
    writeFiles(dir, { 'packages/api/src/pay.ts': `const key = "${fakes.stripeKey()}";\n`, 'packages/api/.env': 'A=1\nA=2\n' });
    for (const args of [['scan', 'packages/api'], ['env', 'packages/api'], ['audit', 'packages/api', '--offline', '--no-save']]) {
      const log = assertValid(await sarifOf(dir, args), args.join(' '));
      assert.ok(log.runs[0].results.length > 0, `${args.join(' ')}: results to validate`);
    }
  });

  it('env and audit (offline) with findings', async () => {
    const dir = tempDir('sarif-schema-audit');
    dirs.push(dir);
    initRepo(dir);
    writeFiles(dir, {
      '.env': `DATABASE_URL=postgres://u:p@db/x\nDATABASE_URL=again\nSTRIPE_KEY=${fakes.stripeKey()}\n`,
      '.env.example': 'DATABASE_URL=\n',
      'src/app.js': `const k = "${fakes.stripeKey()}";\n`,
      'launch.yaml': 'domain: example.com\n',
    });
    const env = assertValid(await sarifOf(dir, ['env']), 'env');
    assert.ok(env.runs[0].results.length > 0, 'env results to validate');
    const audit = assertValid(await sarifOf(dir, ['audit', '--offline', '--no-save']), 'audit');
    assert.ok(audit.runs.some((run) => run.results.length > 0), 'audit results to validate');
  });
});
