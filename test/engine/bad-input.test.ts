import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, closeSync, constants, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../src/engine/config';
import { scanWorkspaceSecrets } from '../../src/engine/secrets/workspace-scan';
import { readFileText } from '../../src/engine/workspace/files';
import { commitFiles, ensureCliBuilt, initRepo, removeDir, runCli, tempDir, writeFiles } from '../support/cli';
import { Fakes } from '../support/fakes';

// Hostile or odd workspaces: the scan always completes, finds what is findable, and says what it
// skipped and why. Nothing here measures time; a hang fails through mocha's timeout.

interface JsonReport {
  findings: { ruleId: string; location: { path: string; range: { startLine: number }; commit?: string } }[];
  skipped: { path: string; reason: string }[];
  notes: { path: string; reason: string }[];
}

describe('bad input', function () {
  this.timeout(120_000);
  const fakes = new Fakes(31337);
  const dirs: string[] = [];
  const workspace = (files: Record<string, string | Buffer> = {}) => {
    const dir = tempDir('bad');
    dirs.push(dir);
    writeFiles(dir, files);
    return dir;
  };
  const scanJson = async (cwd: string, args: string[] = []) => {
    const result = await runCli(['scan', '--format', 'json', '--fail-on', 'none', ...args], { cwd });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as JsonReport;
  };

  before(() => ensureCliBuilt());
  after(() => dirs.forEach(removeDir));

  it('scans invalid UTF-8 byte by byte, with a note', async () => {
    const token = fakes.githubToken();
    const cwd = workspace({ 'old.txt': Buffer.concat([Buffer.from([0xc3, 0x28, 0xff, 0x0a]), Buffer.from(`key = "${token}"\n`)]) });
    const report = await scanJson(cwd);
    assert.deepEqual(report.findings.map((f) => [f.location.path, f.location.range.startLine]), [['old.txt', 2]]);
    assert.deepEqual(report.notes, [{ path: 'old.txt', reason: 'not valid UTF-8: scanned byte by byte' }]);
    const text = await runCli(['scan', '--verbose'], { cwd });
    assert.match(text.stdout, /note old\.txt: not valid UTF-8/);
  });

  it('skips files with NUL bytes as binary and says so', async () => {
    const token = fakes.githubToken();
    const cwd = workspace({ 'blob.dat': Buffer.concat([Buffer.from(`t = "${token}"\n`), Buffer.from([0, 0, 1])]) });
    const report = await scanJson(cwd);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.skipped, [{ path: 'blob.dat', reason: 'binary file (NUL bytes)' }]);
    const text = await runCli(['scan'], { cwd });
    assert.match(text.stdout, /1 skipped \(--verbose lists them\)/);
  });

  describe('a 50 MB single-line file', () => {
    let cwd = '';
    const token = fakes.githubToken();
    before(() => {
      cwd = workspace();
      // Written in chunks: the test itself never holds 50 MB either.
      const fd = openSync(join(cwd, 'huge.min.js'), 'w');
      const chunk = 'var a=1,b="abcdefghij";'.repeat(4096);
      const chunks = Math.ceil((50 * 1024 * 1024) / chunk.length);
      for (let i = 0; i < chunks; i++) {
        writeSync(fd, chunk);
        if (i === Math.floor(chunks / 2)) writeSync(fd, `var t="${token}";`);
      }
      writeSync(fd, '\n');
      closeSync(fd);
      writeFiles(cwd, { 'small.ts': 'export const ok = true;\n' });
    });

    it('is skipped with the reason under the default maxFileSize', async () => {
      const report = await scanJson(cwd);
      assert.deepEqual(report.findings, []);
      assert.equal(report.skipped.length, 1);
      assert.equal(report.skipped[0].path, 'huge.min.js');
      assert.match(report.skipped[0].reason, /larger than 10 MB \(50(\.\d)? MB\); raise maxFileSize/);
    });

    it('is scanned, and the planted secret found, when maxFileSize allows it', async () => {
      writeFiles(cwd, { '.launch-ready.json': JSON.stringify({ maxFileSize: 64 * 1024 * 1024 }) });
      const report = await scanJson(cwd);
      assert.deepEqual(report.findings.map((f) => [f.ruleId, f.location.path, f.location.range.startLine]), [['secret/github-token', 'huge.min.js', 1]]);
      assert.deepEqual(report.skipped, []);
    });
  });

  it('walks 200 nested folders', async () => {
    const token = fakes.githubToken();
    const deep = Array.from({ length: 200 }, (_, i) => `d${i}`).join('/');
    const cwd = workspace({ [`${deep}/leak.ts`]: `t = "${token}"\n` });
    const report = await scanJson(cwd);
    assert.deepEqual(report.findings.map((f) => f.location.path), [`${deep}/leak.ts`]);
  });

  it('does not follow symbolic links, so loops end, and lists them', async () => {
    const token = fakes.githubToken();
    const cwd = workspace({ 'real/leak.ts': `t = "${token}"\n` });
    symlinkSync('.', join(cwd, 'real', 'self'));
    symlinkSync('loop-b', join(cwd, 'loop-a'));
    symlinkSync('loop-a', join(cwd, 'loop-b'));
    symlinkSync(join(cwd, 'real', 'leak.ts'), join(cwd, 'alias.ts'));
    const report = await scanJson(cwd);
    assert.deepEqual(report.findings.map((f) => f.location.path), ['real/leak.ts'], 'the file is reported once, by its real path');
    assert.deepEqual(
      report.skipped.map((s) => [s.path, s.reason]),
      ['alias.ts', 'loop-a', 'loop-b', 'real/self'].map((p) => [p, 'symbolic link (not followed)']),
    );
  });

  it('skips named pipes instead of blocking on them', async function () {
    const cwd = workspace({ 'ok.ts': 'x = 1\n' });
    const mkfifo = spawnSync('mkfifo', [join(cwd, 'pipe')]);
    if (mkfifo.status !== 0) this.skip();
    const report = await scanJson(cwd);
    assert.deepEqual(report.skipped, [{ path: 'pipe', reason: 'not a regular file (named pipe)' }]);
  });

  it('reports unreadable files and folders, or scans them when the user may read them anyway', async () => {
    const token = fakes.githubToken();
    const cwd = workspace({ 'locked.ts': `t = "${token}"\n`, 'closed/inner.ts': `t = "${token}"\n` });
    chmodSync(join(cwd, 'locked.ts'), 0o000);
    chmodSync(join(cwd, 'closed'), 0o000);
    try {
      // root (as in CI) reads mode-000 files regardless; the expectation follows what this user can do.
      let readable = true;
      try {
        accessSync(join(cwd, 'locked.ts'), constants.R_OK);
      } catch {
        readable = false;
      }
      const report = await scanJson(cwd);
      if (readable) {
        assert.deepEqual(report.findings.map((f) => f.location.path).sort(), ['closed/inner.ts', 'locked.ts']);
        assert.deepEqual(report.skipped, []);
      } else {
        assert.deepEqual(report.findings, []);
        assert.deepEqual(report.skipped, [
          { path: 'closed', reason: 'directory not readable (EACCES)' },
          { path: 'locked.ts', reason: 'not readable (EACCES)' },
        ]);
      }
    } finally {
      chmodSync(join(cwd, 'locked.ts'), 0o644);
      chmodSync(join(cwd, 'closed'), 0o755);
    }
  });

  it('turns a file that cannot be read (even by root) into a skip note, not a crash', async () => {
    const cwd = workspace();
    mkdirSync(join(cwd, 'a-folder'));
    assert.deepEqual(await readFileText(join(cwd, 'a-folder'), 1024), { kind: 'skipped', reason: 'not a regular file' });
    assert.deepEqual(await readFileText(join(cwd, 'vanished.ts'), 1024), { kind: 'skipped', reason: 'not readable (ENOENT)' });
    // The same through a whole scan: the folder is walked into, the file read, nothing thrown.
    writeFiles(cwd, { 'a-folder/inside.ts': 'x = 1\n' });
    const result = await scanWorkspaceSecrets({ root: cwd, config: defaultConfig() });
    assert.equal(result.filesScanned, 1);
  });

  it('exits 2 with a clear message on an invalid .launch-ready.json', async () => {
    const cwd = workspace({ '.launch-ready.json': '{\n  "exclude": ["dist/**",]\n}\n', 'a.ts': 'x = 1\n' });
    const result = await runCli(['scan'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^launch-ready scan: \.launch-ready\.json: not valid JSON \(invalid JSON at line 2, column \d+\)/);
    assert.equal(result.stdout, '');
    writeFiles(cwd, { '.launch-ready.json': '{"maxFileSize": -1}' });
    const negative = await runCli(['scan'], { cwd });
    assert.equal(negative.code, 2);
    assert.match(negative.stderr, /"maxFileSize" must be a positive number/);
  });

  describe('history', () => {
    it('reads a commit that adds a huge file in bounded batches, with exact line numbers', async () => {
      const cwd = workspace();
      initRepo(cwd);
      const token = fakes.githubToken();
      // ~6 MB of added lines in one commit: several batches.
      const lines = Array.from({ length: 120_000 }, (_, i) => `row ${i} ${'x'.repeat(40)}`);
      lines[100_000] = `secret_row = "${token}"`;
      const commit = commitFiles(cwd, { 'data/big.txt': lines.join('\n') + '\n', 'img.png': Buffer.from([0x89, 0x50, 0, 0, 1]) }, 'big');
      const report = await scanJson(cwd, ['--history']);
      assert.deepEqual(report.findings.map((f) => [f.location.path, f.location.commit, f.location.range.startLine]), [['data/big.txt', commit, 100_001]]);
      assert.deepEqual(report.skipped, [{ path: 'img.png', reason: 'binary in history (not scanned)' }]);
    });

    it('reads invalid UTF-8 and CRLF lines in patches', async () => {
      const cwd = workspace();
      initRepo(cwd);
      const token = fakes.githubToken();
      commitFiles(cwd, { 'latin.txt': Buffer.concat([Buffer.from([0xe9, 0xff, 0x0a]), Buffer.from(`k = "${token}"\r\n`)]) }, 'latin');
      const report = await scanJson(cwd, ['--history']);
      assert.deepEqual(report.findings.map((f) => [f.location.path, f.location.range.startLine]), [['latin.txt', 2]]);
    });
  });
});
