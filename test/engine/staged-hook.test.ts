import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChangedLines, parseRawDiff } from '../../src/engine/git/staged';
import { CHAINED_SUFFIX, HOOK_BEGIN } from '../../src/engine/git/hooks';
import { cleanEnv, commitFiles, ensureCliBuilt, git, initRepo, removeDir, runCli, tempDir, writeFiles } from '../support/cli';
import { Fakes } from '../support/fakes';

// `scan --staged` and `hook install/uninstall` in real temporary repositories, through the bundled
// CLI, and a real `git commit` running the installed hook.

describe('scan --staged', function () {
  const fakes = new Fakes(7007);
  const dirs: string[] = [];
  const repo = () => {
    const dir = tempDir('staged');
    dirs.push(dir);
    initRepo(dir);
    return dir;
  };
  const stageFiles = (dir: string, files: Record<string, string>) => {
    writeFiles(dir, files);
    git(dir, ['add', '--', ...Object.keys(files)]);
  };
  const json = async (dir: string, args: string[] = []) => {
    const result = await runCli(['scan', '--staged', '--format', 'json', ...args], { cwd: dir });
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: Array<{ ruleId: string; location: { path: string; range: { startLine: number } } }>; summary: Record<string, unknown>; notes: Array<{ reason: string }>; skipped: Array<{ path: string; reason: string }> };
    return { ...report, code: result.code, raw: result.stdout };
  };

  before(() => ensureCliBuilt());
  after(() => dirs.forEach(removeDir));

  it('scans the index, not the working tree', async () => {
    const dir = repo();
    const staged = fakes.stripeKey();
    const unstaged = fakes.githubToken();
    stageFiles(dir, { 'config.js': `const stripe = "${staged}";\n` });
    // The secret is gone from the file but still staged: the commit would add it.
    writeFileSync(join(dir, 'config.js'), 'const stripe = process.env.STRIPE_KEY;\n');
    // Written but never staged: not part of the commit.
    writeFiles(dir, { 'notes.js': `const gh = "${unstaged}";\n` });
    const report = await json(dir);
    assert.equal(report.code, 1);
    assert.deepEqual(report.findings.map((f) => [f.ruleId, f.location.path, f.location.range.startLine]), [['secret/stripe-secret-key', 'config.js', 1]]);
    assert.ok(!report.raw.includes(staged) && !report.raw.includes(unstaged), 'no secret value in the report');
  });

  it('works before the first commit and with nothing staged', async () => {
    const dir = repo();
    const empty = await json(dir);
    assert.equal(empty.code, 0);
    assert.equal(empty.findings.length, 0);
    stageFiles(dir, { 'a.py': `KEY = "${fakes.stripeKey()}"\n` });
    assert.equal((await json(dir)).findings.length, 1);
  });

  it('reports only lines the commit adds or changes; older secrets are counted in a note', async () => {
    const dir = repo();
    const old = fakes.stripeKey();
    commitFiles(dir, { 'app.js': `// app\nconst key = "${old}";\nconst x = 1;\n` }, 'old secret');
    stageFiles(dir, { 'app.js': `// app\nconst key = "${old}";\nconst x = 2;\n` });
    const untouched = await json(dir);
    assert.equal(untouched.code, 0);
    assert.equal(untouched.findings.length, 0);
    assert.equal(untouched.summary.unchangedLineFindings, 1);
    assert.match(untouched.notes.map((n) => n.reason).join('\n'), /1 finding\(s\) in staged files are on lines this commit does not change/);

    const fresh = fakes.stripeKey();
    stageFiles(dir, { 'app.js': `// app\nconst key = "${old}";\nconst x = 2;\nconst other = "${fresh}";\n` });
    const added = await json(dir);
    assert.deepEqual(added.findings.map((f) => f.location.range.startLine), [4]);
  });

  it('a moved file is not re-reported, a changed line in it is', async () => {
    const dir = repo();
    const secret = fakes.stripeKey();
    commitFiles(dir, { 'src/old name.js': `const a = 1;\nconst key = "${secret}";\n` }, 'c1');
    git(dir, ['mv', 'src/old name.js', 'src/new name.js']);
    assert.equal((await json(dir)).findings.length, 0);
    stageFiles(dir, { 'src/new name.js': `const a = 1;\nconst key = "${fakes.stripeKey()}";\n` });
    const changed = await json(dir);
    assert.deepEqual(changed.findings.map((f) => f.location.path), ['src/new name.js']);
  });

  it('honours excludes, inline suppressions, subfolder roots and unusual paths', async () => {
    const dir = repo();
    writeFiles(dir, { 'svc/.launch-ready.json': JSON.stringify({ exclude: ['fixtures/**'] }) });
    stageFiles(dir, {
      'svc/fixtures/keys.js': `k = "${fakes.stripeKey()}"\n`,
      'svc/ok.js': `k = "${fakes.stripeKey()}" // launch-ready-ignore secret/stripe-secret-key\n`,
      'svc/tab\there/ünï code.js': `k = "${fakes.stripeKey()}"\n`,
      'outside.js': `k = "${fakes.stripeKey()}"\n`,
    });
    const report = await json(join(dir, 'svc'));
    assert.deepEqual(report.findings.map((f) => f.location.path), ['tab\there/ünï code.js']);
  });

  it('skips binary and oversized staged files with a reason', async () => {
    const dir = repo();
    writeFiles(dir, { '.launch-ready.json': JSON.stringify({ maxFileSize: 64 }) });
    writeFiles(dir, { 'blob.bin': Buffer.from([0, 1, 2, 3]), 'big.txt': 'x'.repeat(100) });
    git(dir, ['add', 'blob.bin', 'big.txt']);
    const report = await json(dir);
    assert.deepEqual(report.skipped.map((s) => s.path).sort(), ['big.txt', 'blob.bin']);
    assert.match(report.skipped.find((s) => s.path === 'big.txt')?.reason ?? '', /larger than/);
  });

  it('is a usage error outside a repository and combined with --history', async () => {
    const dir = tempDir('staged-norepo');
    dirs.push(dir);
    const outside = await runCli(['scan', '--staged'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: dir } });
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /scan --staged needs a git repository/);
    const both = await runCli(['scan', '--staged', '--history'], { cwd: repo() });
    assert.equal(both.code, 2);
  });

  it('parses raw diffs with renames and -U0 hunks with quoted paths', () => {
    const sha = 'a'.repeat(40);
    const raw = `:100644 100644 ${'0'.repeat(40)} ${sha} M\0a.js\0:100644 100644 ${'0'.repeat(40)} ${sha} R087\0old.js\0new.js\0:000000 120000 ${'0'.repeat(40)} ${sha} A\0link\0`;
    assert.deepEqual(parseRawDiff(raw).map((f) => [f.path, f.mode]), [['a.js', '100644'], ['new.js', '100644'], ['link', '120000']]);
    const patch = ['diff --git "a/t\\tx" "b/t\\tx"', '--- "a/t\\tx"', '+++ "b/t\\tx"', '@@ -1 +1,2 @@', '-a', '+b', '+c', '@@ -9,2 +10,0 @@', '-gone', '-gone', '@@ -20 +20 @@', '-x', '+y'].join('\n');
    assert.deepEqual([...parseChangedLines(patch)], [['t\tx', [[1, 2], [20, 20]]]]);
  });
});

describe('hook install / uninstall', function () {
  const fakes = new Fakes(8008);
  let tools: string | undefined;
  const toolDir = () => {
    if (tools) return tools;
    tools = tempDir('hook-path');
    dirs.push(tools);
    for (const name of ['node', 'git', 'dirname', 'sh', 'bash']) {
      const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(name === 'node' ? process.execPath : found, join(tools, name));
    }
    return tools;
  };
  const dirs: string[] = [];
  const repo = () => {
    const dir = tempDir('hook');
    dirs.push(dir);
    initRepo(dir);
    return dir;
  };
  const hook = async (dir: string, action: string) => {
    const result = await runCli(['hook', action], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  /** A real commit, hooks and all; returns git's exit status and output. */
  const commit = (dir: string, files: Record<string, string>) => {
    writeFiles(dir, files);
    git(dir, ['add', '--', ...Object.keys(files)]);
    // A PATH holding only what the hooks run (node, git, dirname, the shells): a launch-ready installed on this
    // machine must not stand in for the CLI under test (the hook falls back to the one that installed it).
    const path = toolDir();
    const result = spawnSync('git', ['commit', '-q', '-m', 'test'], { cwd: dir, env: cleanEnv({ PATH: path }), encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  before(() => ensureCliBuilt());
  after(() => dirs.forEach(removeDir));

  it('creates an executable hook that stops a commit adding a secret, and is idempotent', async () => {
    const dir = repo();
    const file = join(dir, '.git', 'hooks', 'pre-commit');
    assert.match(await hook(dir, 'install'), /created the pre-commit hook/);
    const first = readFileSync(file, 'utf8');
    assert.ok(statSync(file).mode & 0o100, 'executable');
    assert.match(await hook(dir, 'install'), /already runs the check/);
    assert.equal(readFileSync(file, 'utf8'), first);

    const secret = fakes.stripeKey();
    const blocked = commit(dir, { 'pay.js': `const k = "${secret}";\n` });
    assert.notEqual(blocked.status, 0, 'commit stopped');
    assert.match(blocked.output, /secret\/stripe-secret-key/);
    assert.ok(!blocked.output.includes(secret), 'the hook output never shows the value');
    const clean = commit(dir, { 'pay.js': 'const k = process.env.STRIPE_KEY;\n' });
    assert.equal(clean.status, 0, clean.output);

    assert.match(await hook(dir, 'uninstall'), /removed the pre-commit hook/);
    assert.equal(existsSync(file), false);
    assert.match(await hook(dir, 'uninstall'), /nothing to remove/);
  });

  it('adds to an existing shell hook, keeps it running, and uninstall restores it byte for byte', async () => {
    const dir = repo();
    const file = join(dir, '.git', 'hooks', 'pre-commit');
    const original = '#!/usr/bin/env bash\nset -e\necho "team hook ran" >&2\n';
    writeFileSync(file, original);
    chmodSync(file, 0o755);
    assert.match(await hook(dir, 'install'), /added the check to the existing pre-commit hook/);
    const installed = readFileSync(file, 'utf8');
    assert.ok(installed.startsWith('#!/usr/bin/env bash\n' + HOOK_BEGIN), 'block right after the shebang');
    assert.ok(installed.endsWith('set -e\necho "team hook ran" >&2\n'), 'their lines kept');
    await hook(dir, 'install');
    assert.equal(readFileSync(file, 'utf8'), installed);
    const ok = commit(dir, { 'a.txt': 'hello\n' });
    assert.equal(ok.status, 0, ok.output);
    assert.match(ok.output, /team hook ran/);
    assert.match(await hook(dir, 'uninstall'), /the rest is untouched/);
    assert.equal(readFileSync(file, 'utf8'), original);
  });

  it('chains a hook written in another language and puts it back on uninstall', async () => {
    const dir = repo();
    const file = join(dir, '.git', 'hooks', 'pre-commit');
    const original = '#!/usr/bin/env node\nprocess.stderr.write("node hook ran " + process.argv.length + "\\n");\n';
    writeFileSync(file, original);
    chmodSync(file, 0o755);
    assert.match(await hook(dir, 'install'), /the existing one runs after it/);
    assert.equal(readFileSync(file + CHAINED_SUFFIX, 'utf8'), original);
    const ok = commit(dir, { 'a.txt': 'hello\n' });
    assert.equal(ok.status, 0, ok.output);
    assert.match(ok.output, /node hook ran/);
    const blocked = commit(dir, { 'b.js': `k = "${fakes.stripeKey()}"\n` });
    assert.notEqual(blocked.status, 0);
    assert.doesNotMatch(blocked.output, /node hook ran/, 'a failing check stops before the chained hook');
    assert.match(await hook(dir, 'install'), /already runs the check/);
    assert.match(await hook(dir, 'uninstall'), /put the original pre-commit hook back/);
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.equal(existsSync(file + CHAINED_SUFFIX), false);
  });

  it('installs where core.hooksPath points, from a subfolder', async () => {
    const dir = repo();
    git(dir, ['config', 'core.hooksPath', '.githooks']);
    writeFiles(dir, { 'src/x.txt': 'x' });
    const result = await runCli(['hook', 'install', '--root', 'src'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(dir, '.githooks', 'pre-commit')));
    assert.deepEqual(readdirSync(join(dir, '.git', 'hooks')).filter((n) => n === 'pre-commit'), []);
    const blocked = commit(dir, { 'src/k.js': `k = "${fakes.stripeKey()}"\n` });
    assert.notEqual(blocked.status, 0);
  });

  it('says what is wrong outside a repository or with a bad action', async () => {
    const dir = tempDir('hook-norepo');
    dirs.push(dir);
    const outside = await runCli(['hook', 'install'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: dir } });
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /not inside one/);
    assert.equal((await runCli(['hook'], { cwd: repo() })).code, 2);
    assert.equal((await runCli(['hook', 'remove'], { cwd: repo() })).code, 2);
  });
});
