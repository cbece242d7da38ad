import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEnv } from '../../src/cli/env';
import { main } from '../../src/cli/main';
import { readsTheSame } from '../../src/engine/env/fixes';
import { checkEnvWorkspace } from '../../src/engine/env/workspace';
import { findEnvReads } from '../../src/engine/env/required';
import type { Finding } from '../../src/engine/model';
import { Fakes } from '../support/fakes';

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
}

function write(root: string, path: string, text: string | Buffer): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

const where = (f: Finding) => (f.location.kind === 'file' ? `${f.location.path}:${f.location.range.startLine}` : f.location.host);
const has = (findings: Finding[], ruleId: string, at?: string) => findings.some((f) => f.ruleId === ruleId && (at === undefined || where(f) === at));

function captureOutput() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), color: false }, out, err };
}

describe('env readiness across files', function () {
  const fakes = new Fakes(11);
  const apiKey = fakes.alnum(32);
  const sharedSecret = fakes.alnum(40);
  const stripeLive = fakes.stripeKey('live');
  const publishableTest = ['pk', 'test', fakes.alnum(24)].join('_');
  let root: string;
  let historyCommit = '';
  const gitAvailable = hasGit();

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'launch-ready-env-'));
    write(root, '.gitignore', '.env\n.env.local\n');
    write(root, '.env', `DATABASE_URL=postgres://app:pw@db.acme-prod.com:5432/app\nAPI_KEY=${apiKey}\nEXTRA_ONLY_HERE=1\n`);
    write(root, '.env.example', 'DATABASE_URL=postgres://user:pass@localhost/db\nAPI_KEY=your-api-key-here\nMISSING_IN_ENV=\n');
    write(
      root,
      '.env.production',
      [
        'NODE_ENV=development',
        'DEBUG=true',
        'DATABASE_URL=postgres://app:pw@db.acme-prod.com:5432/app',
        `STRIPE_PUBLISHABLE_KEY=${publishableTest}`,
        `STRIPE_SECRET_KEY=${stripeLive}`,
        'REDIS_URL=redis://localhost:6379',
        'PUBLIC_URL=http://acme-prod.com',
        'PAYPAL_API=https://api-m.sandbox.paypal.com',
        `SESSION_SECRET=${sharedSecret}`,
        '',
      ].join('\n'),
    );
    write(root, '.env.staging', `DATABASE_URL=postgres://staging:pw2@db.acme-prod.com:5432/app\nSESSION_SECRET=${sharedSecret}\n`);
    write(root, 'src/app.ts', 'const a = process.env.API_KEY;\nconst b = process.env.NOT_DECLARED_ANYWHERE;\nconst c = process.env.OPTIONAL_ONE ?? "x";\nconst d = import.meta.env.VITE_PUBLIC_THING;\n');
    write(root, 'worker.py', 'import os\nreq = os.environ["PY_REQUIRED"]\nopt = os.getenv("PY_OPTIONAL", "d")\n');
    write(root, 'dist/.env.bundle', 'IGNORED_DIR=1\n');
    write(root, 'test/setup.ts', 'const t = process.env.TEST_ONLY_VAR;\n');
    write(root, '.gitignore', '.env\n.env.local\ndist/\n');
    if (gitAvailable) {
      git(root, 'init', '-q');
      write(root, '.env.old', 'OLD_TOKEN=abc\n');
      git(root, 'add', '.env.old', '.env.staging', '.gitignore');
      git(root, 'commit', '-q', '-m', 'add env files');
      historyCommit = git(root, 'rev-parse', 'HEAD').trim();
      git(root, 'rm', '-q', '--cached', '.env.old');
      rmSync(join(root, '.env.old'));
      git(root, 'commit', '-q', '-m', 'remove old env');
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds env files, ignored ones included, but not inside ignored folders', async () => {
    const result = await checkEnvWorkspace({ root });
    assert.deepEqual(result.files.map((f) => f.path).sort(), ['.env', '.env.example', '.env.production', '.env.staging']);
  });

  it('reports env files git does not ignore, tracks, or has in history', async function () {
    if (!gitAvailable) this.skip();
    const { findings, ignoreSource } = await checkEnvWorkspace({ root });
    assert.equal(ignoreSource, 'git');
    assert.ok(has(findings, 'env/not-ignored', '.env.production:1'));
    assert.ok(has(findings, 'env/tracked-by-git', '.env.staging:1'));
    const history = findings.find((f) => f.ruleId === 'env/committed-in-history');
    assert.ok(history && history.location.kind === 'file');
    assert.equal(history.location.path, '.env.old');
    assert.equal(history.location.commit, historyCommit);
    assert.ok(!has(findings, 'env/not-ignored', '.env:1'));
    assert.ok(!has(findings, 'env/not-ignored', '.env.example:1'));
    assert.equal(findings.find((f) => f.ruleId === 'env/not-ignored')?.severity, 'blocker');
  });

  it('falls back to .gitignore files without git', async () => {
    const { findings, ignoreSource } = await checkEnvWorkspace({ root, useGit: false });
    assert.equal(ignoreSource, 'gitignore files');
    assert.ok(has(findings, 'env/not-ignored', '.env.production:1'));
    assert.ok(!has(findings, 'env/not-ignored', '.env:1'));
    assert.ok(!has(findings, 'env/committed-in-history'));
  });

  it('checks parity with the example file', async () => {
    const { findings } = await checkEnvWorkspace({ root });
    assert.ok(has(findings, 'env/example-missing-key', '.env:3'));
    assert.ok(has(findings, 'env/missing-from-env', '.env.example:3'));
    assert.ok(!has(findings, 'env/example-real-secret'));
  });

  it('compares production with the other environments', async () => {
    const { findings } = await checkEnvWorkspace({ root });
    for (const [rule, line] of [
      ['env/debug-in-production', 1],
      ['env/debug-in-production', 2],
      ['env/test-key-in-production', 4],
      ['env/local-url-in-production', 6],
      ['env/insecure-url-in-production', 7],
      ['env/test-key-in-production', 8],
      ['env/shared-secret-across-environments', 9],
      ['env/shared-service-url', 3],
    ] as const) {
      assert.ok(has(findings, rule, `.env.production:${line}`), `${rule} at line ${line}`);
    }
    // The live key in the production file is expected there: not a finding of its own.
    assert.ok(!findings.some((f) => f.ruleId === 'secret/stripe-secret-key' && where(f) === '.env.production:5' && !/not ignored/.test(f.message)) || has(findings, 'env/not-ignored', '.env.production:1'));
  });

  it('reports variables the code reads that nothing declares, at the reading line', async () => {
    const { findings } = await checkEnvWorkspace({ root });
    const missing = findings.filter((f) => f.ruleId === 'env/missing-required-variable').map(where).sort();
    assert.deepEqual(missing, ['src/app.ts:2', 'src/app.ts:4', 'worker.py:2']);
  });

  it('never prints a value, in any format', async () => {
    for (const format of ['text', 'json', 'sarif']) {
      const { io, out } = captureOutput();
      const code = await runEnv([root, '--format', format], io);
      assert.equal(code, 1);
      const text = out.join('');
      for (const secret of [apiKey, sharedSecret, stripeLive, publishableTest, 'app:pw']) assert.ok(!text.includes(secret), `${format} leaks a value`);
    }
  });

  it('is wired into the CLI command table and help', async () => {
    const help = captureOutput();
    await main(['--help'], help.io);
    assert.match(help.out.join(''), /env \[dir\]/);
    const run = captureOutput();
    assert.equal(await main(['env', root, '--format', 'json', '--fail-on', 'none'], run.io), 0);
    const report = JSON.parse(run.out.join('')) as { findings: Finding[] };
    assert.ok(report.findings.some((f) => f.ruleId === 'env/debug-in-production'));
    const bad = captureOutput();
    assert.equal(await main(['env', root, '--format', 'xml'], bad.io), 2);
  });

  it('writes SARIF with the env rules', async () => {
    const { io, out } = captureOutput();
    await runEnv([root, '--format', 'sarif'], io);
    const sarif = JSON.parse(out.join('')) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] };
    const ids = new Set(sarif.runs[0].tool.driver.rules.map((r) => r.id));
    assert.ok(ids.has('env/not-ignored') && ids.has('env/duplicated-key'));
    assert.ok(sarif.runs[0].results.every((r) => ids.has(r.ruleId)));
  });
});

describe('env --fix and bad input', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'launch-ready-envfix-'));
    write(root, '.gitignore', '.env*\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('applies only safe fixes and leaves every value as dotenv reads it', async () => {
    const before = '\ufeffA = 1  \r\nB=x#y\r\n\r\n\r\nA=2\r\nlower=v\r\nC="multi  \r\n\r\n\r\nline"';
    write(root, '.env', before);
    const { io, err } = captureOutput();
    await runEnv([root, '--fix', '--fail-on', 'none'], io);
    const after = readFileSync(join(root, '.env'), 'utf8');
    assert.match(err.join(''), /Applied \d+ safe fix/);
    assert.ok(after.startsWith('\ufeff'));
    assert.ok(readsTheSame(before.slice(1), after.slice(1)));
    assert.equal(after, '\ufeffB=x #y\r\n\r\nA=2\r\nlower=v\r\nC="multi  \r\n\r\n\r\nline"\r\n');
  });

  it('reports binary, invalid UTF-8 and oversized env files with a positioned finding, without crashing', async () => {
    write(root, '.env.binary', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x41, 0x3d]));
    write(root, '.env.latin1', Buffer.from([0x41, 0x3d, 0xe9, 0x0a, 0x42, 0x3d, 0x32, 0x0a]));
    write(root, '.launch-ready.json', JSON.stringify({ maxFileSize: 64 }));
    write(root, '.env.huge', 'A=1\n'.repeat(100));
    const { findings, notes, skipped } = await checkEnvWorkspace({ root });
    assert.ok(has(findings, 'env/unreadable-file', '.env.binary:1'));
    assert.ok(has(findings, 'env/unreadable-file', '.env.huge:1'));
    assert.ok(notes.some((n) => n.path === '.env.latin1'));
    assert.ok(skipped.some((s) => s.path === '.env.binary'));
  });
});

describe('env secrets policy', () => {
  let root: string;
  const fakes = new Fakes(21);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'launch-ready-envsec-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps quiet about secrets in ignored env files, reports them in exposed and example files', async () => {
    const live = fakes.stripeKey('live');
    write(root, '.gitignore', '.env\n');
    write(root, '.env', `STRIPE_SECRET_KEY=${live}\n`);
    write(root, '.env.development', `STRIPE_SECRET_KEY=${live}\n`);
    write(root, '.env.example', `STRIPE_SECRET_KEY=${live}\n`);
    const { findings } = await checkEnvWorkspace({ root, useGit: false });
    assert.ok(!findings.some((f) => where(f) === '.env:1' && f.ruleId.startsWith('secret/')));
    assert.ok(has(findings, 'secret/stripe-secret-key', '.env.development:1'));
    assert.ok(has(findings, 'env/not-ignored', '.env.development:1'));
    assert.match(findings.find((f) => f.ruleId === 'env/not-ignored')?.message ?? '', /1 live-looking secret/);
    assert.ok(has(findings, 'env/example-real-secret', '.env.example:1'));
    assert.ok(!JSON.stringify(findings).includes(live));
  });

  it('treats dotenvx-encrypted files as meant to be committed', async () => {
    write(root, '.env.production', `DOTENV_PUBLIC_KEY_PRODUCTION="${fakes.hex(66)}"\nAPI_KEY="encrypted:${fakes.alnum(80)}"\n`);
    const { findings } = await checkEnvWorkspace({ root, useGit: false });
    assert.ok(!has(findings, 'env/not-ignored'));
  });
});

describe('env reads in code', () => {
  it('finds reads in each language and notices defaults', () => {
    const reads = (path: string, text: string) => findEnvReads(path, text).map((r) => `${r.name}${r.hasDefault ? '?' : ''}`);
    assert.deepEqual(reads('a.ts', 'process.env.A; process.env["B"]; process.env.C || 1; import.meta.env.D'), ['A', 'B', 'C?', 'D']);
    assert.deepEqual(reads('a.py', 'os.environ["A"]; os.environ.get("B"); os.getenv("C", "x")'), ['A', 'B', 'C?']);
    assert.deepEqual(reads('a.rb', 'ENV["A"]; ENV.fetch("B"); ENV.fetch("C", nil); ENV["D"] || "x"'), ['A', 'B', 'C?', 'D?']);
    assert.deepEqual(reads('main.go', 'os.Getenv("A"); os.LookupEnv("B")'), ['A', 'B']);
  });
});
