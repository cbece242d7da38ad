import { strict as assert } from 'node:assert';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../src/engine/model';
import { sarifRoot, toSarif } from '../../src/engine/report/sarif';
import { findRepositoryRoot, repositoryLocation } from '../../src/engine/workspace/repo-root';
import { commitFiles, ensureCliBuilt, git, initRepo, removeDir, runCli, tempDir, writeFiles } from '../support/cli';
import { Fakes } from '../support/fakes';

// GitHub code scanning resolves SARIF URIs against the top of the repository, so a scan of a
// subfolder must name `packages/api/src/x.ts`, not `src/x.ts`, or the alert lands on another file.

interface Run {
  originalUriBaseIds?: Record<string, { uri: string }>;
  results: { ruleId: string; locations: { physicalLocation?: { artifactLocation: { uri: string } } }[]; partialFingerprints: Record<string, string> }[];
  invocations: { toolExecutionNotifications: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
}
interface JsonReport {
  findings: { location: { path: string }; fingerprint: string }[];
}

const srcRootOf = (run: Run) => run.originalUriBaseIds?.['%SRCROOT%'].uri;
const urisOf = (run: Run) => run.results.flatMap((r) => r.locations.map((l) => l.physicalLocation?.artifactLocation.uri)).filter((u): u is string => u !== undefined);
const folderUri = (path: string) => pathToFileURL(path).href.replace(/\/?$/, '/');

describe('SARIF URIs relative to the repository root', function () {
  this.timeout(60_000);
  const fakes = new Fakes(4242);
  const dirs: string[] = [];
  // realpath: macOS's tmpdir is a symlink, and the CLI reports the path it was given.
  const newDir = (name: string) => {
    const dir = realpathSync(tempDir(name));
    dirs.push(dir);
    return dir;
  };
  before(() => ensureCliBuilt());
  after(() => dirs.forEach(removeDir));

  describe('finding the repository root', () => {
    it('walks up to a .git folder, or to the .git file of a worktree or submodule', () => {
      const dir = newDir('repo-root');
      mkdirSync(join(dir, 'repo', '.git'), { recursive: true });
      mkdirSync(join(dir, 'repo', 'packages', 'api', 'src'), { recursive: true });
      assert.equal(findRepositoryRoot(join(dir, 'repo', 'packages', 'api', 'src')), join(dir, 'repo'));
      assert.equal(findRepositoryRoot(join(dir, 'repo')), join(dir, 'repo'));
      assert.deepEqual(repositoryLocation(join(dir, 'repo', 'packages', 'api')), { repositoryRoot: join(dir, 'repo'), prefix: 'packages/api' });
      assert.deepEqual(repositoryLocation(join(dir, 'repo')), { repositoryRoot: join(dir, 'repo'), prefix: '' });

      mkdirSync(join(dir, 'repo', 'vendor', 'lib', 'src'), { recursive: true });
      writeFileSync(join(dir, 'repo', 'vendor', 'lib', '.git'), 'gitdir: ../../.git/modules/lib\n');
      assert.equal(findRepositoryRoot(join(dir, 'repo', 'vendor', 'lib', 'src')), join(dir, 'repo', 'vendor', 'lib'), 'the submodule is its own repository');
    });

    it('looks through a symbolic link to a subfolder, as git does', () => {
      const dir = newDir('repo-root-link');
      mkdirSync(join(dir, 'repo', '.git'), { recursive: true });
      mkdirSync(join(dir, 'repo', 'sub'), { recursive: true });
      symlinkSync(join(dir, 'repo', 'sub'), join(dir, 'link'));
      assert.deepEqual(repositoryLocation(join(dir, 'link')), { repositoryRoot: realpathSync(join(dir, 'repo')), prefix: 'sub' });
    });

    it('ignores a stray file named .git, and keeps the folder itself outside any repository', () => {
      const dir = newDir('repo-root-none');
      mkdirSync(join(dir, 'plain', 'sub'), { recursive: true });
      writeFileSync(join(dir, 'plain', '.git'), 'not a pointer\n');
      // The temporary folder itself must lie outside any repository for this test to mean anything.
      assert.equal(findRepositoryRoot(dir), undefined);
      assert.equal(findRepositoryRoot(join(dir, 'plain', 'sub')), undefined);
      assert.deepEqual(repositoryLocation(join(dir, 'plain', 'sub')), { repositoryRoot: join(dir, 'plain', 'sub'), prefix: '' });
    });
  });

  describe('toSarif with a path prefix', () => {
    const range = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 5 };
    const base = { severity: 'high', stage: 'secrets', message: 'm', remediation: 'r' } as const;
    const findings: Finding[] = [
      { ...base, ruleId: 'secret/x', location: { kind: 'file', path: 'src/a b.ts', range }, fingerprint: 'f1' },
      { ...base, ruleId: 'dns/x', location: { kind: 'host', host: 'example.com', declaredAt: { path: 'launch.yaml', range } }, fingerprint: 'f2' },
    ];
    const sarifOf = (extra: { root?: string; pathPrefix?: string }) =>
      (JSON.parse(toSarif({ tool: { name: 't', version: '1' }, rules: [], findings, skipped: [{ path: 'big.bin', reason: 'large' }], notes: [{ path: '.', reason: 'shallow' }], ...extra })) as { runs: Run[] }).runs[0];

    it('prefixes findings, host declarations and notes, and leaves fingerprints alone', () => {
      const run = sarifOf({ root: '/repo', pathPrefix: 'packages/api' });
      assert.deepEqual(urisOf(run), ['packages/api/src/a%20b.ts', 'packages/api/launch.yaml']);
      const notes = run.invocations[0].toolExecutionNotifications.map((n) => n.locations[0].physicalLocation.artifactLocation.uri);
      assert.deepEqual(notes, ['packages/api/big.bin', 'packages/api'], 'a note about the scan root names the folder');
      assert.deepEqual(run.results.map((r) => r.partialFingerprints['launchReady/v1']), ['f1', 'f2']);
      assert.equal(srcRootOf(run), folderUri('/repo'));
    });

    it('writes the same URIs as before without a prefix', () => {
      const run = sarifOf({ root: '/repo' });
      assert.deepEqual(urisOf(run), ['src/a%20b.ts', 'launch.yaml']);
      assert.deepEqual(run.invocations[0].toolExecutionNotifications.map((n) => n.locations[0].physicalLocation.artifactLocation.uri), ['big.bin', '.']);
      assert.deepEqual(sarifOf({ root: '/repo', pathPrefix: '' }), run);
    });

    it('sarifRoot names the repository and the prefix', () => {
      const dir = newDir('sarif-root');
      mkdirSync(join(dir, '.git'));
      mkdirSync(join(dir, 'apps', 'web'), { recursive: true });
      assert.deepEqual(sarifRoot(join(dir, 'apps', 'web')), { root: dir, pathPrefix: 'apps/web' });
    });
  });

  describe('the CLI', () => {
    const sarifRun = async (cwd: string, args: string[]) => {
      const result = await runCli([...args, '--format', 'sarif'], { cwd });
      assert.ok(result.code === 0 || result.code === 1, `${args.join(' ')}: ${result.stderr}`);
      return (JSON.parse(result.stdout) as { runs: Run[] }).runs[0];
    };

    it('scan of a subfolder (as the folder argument or --root) names files from the repository root', async () => {
      const repo = newDir('sarif-sub');
      initRepo(repo);
      writeFiles(repo, { 'packages/api/src/pay.ts': `const key = "${fakes.stripeKey()}";\n`, 'README.md': '# app\n' });

      for (const args of [['scan', 'packages/api'], ['scan', '--root', 'packages/api'], ['scan', '--root', 'packages/api', 'packages/api/src']]) {
        const run = await sarifRun(repo, args);
        assert.deepEqual(urisOf(run), ['packages/api/src/pay.ts'], args.join(' '));
        assert.equal(srcRootOf(run), folderUri(repo), args.join(' '));
      }
      // From inside the subfolder, too: the repository is found by walking up.
      const inside = await sarifRun(join(repo, 'packages', 'api'), ['scan']);
      assert.deepEqual(urisOf(inside), ['packages/api/src/pay.ts']);

      // JSON stays relative to what was scanned, and SARIF keeps its fingerprint.
      const json = JSON.parse((await runCli(['scan', 'packages/api', '--format', 'json'], { cwd: repo })).stdout) as JsonReport;
      assert.equal(json.findings[0].location.path, 'src/pay.ts');
      assert.equal(inside.results[0].partialFingerprints['launchReady/v1'], json.findings[0].fingerprint);
    });

    it('scan --staged and --history of a subfolder prefix once', async () => {
      const repo = newDir('sarif-sub-git');
      initRepo(repo);
      commitFiles(repo, { 'packages/api/src/old.ts': `k = "${fakes.githubToken()}"\n` }, 'first');
      const history = await sarifRun(repo, ['scan', '--history', 'packages/api']);
      assert.deepEqual(urisOf(history), ['packages/api/src/old.ts']);
      assert.equal(srcRootOf(history), folderUri(repo));

      writeFiles(repo, { 'packages/api/src/new.ts': `k = "${fakes.stripeKey()}"\n` });
      git(repo, ['add', 'packages/api/src/new.ts']);
      const staged = await sarifRun(repo, ['scan', '--staged', '--root', 'packages/api']);
      assert.deepEqual(urisOf(staged), ['packages/api/src/new.ts']);
      assert.equal(srcRootOf(staged), folderUri(repo));
    });

    it('env and audit of a subfolder name files from the repository root', async () => {
      const repo = newDir('sarif-sub-env');
      initRepo(repo);
      writeFiles(repo, {
        'apps/web/.env': `DATABASE_URL=postgres://u:p@db/x\nDATABASE_URL=again\n`,
        'apps/web/src/app.js': `const k = "${fakes.stripeKey()}";\n`,
      });
      const env = await sarifRun(repo, ['env', 'apps/web']);
      assert.ok(urisOf(env).length > 0, 'env results');
      for (const uri of urisOf(env)) assert.match(uri, /^apps\/web\//);
      assert.equal(srcRootOf(env), folderUri(repo));

      const audit = await sarifRun(repo, ['audit', 'apps/web', '--offline', '--no-save']);
      assert.ok(urisOf(audit).includes('apps/web/src/app.js'), JSON.stringify(urisOf(audit)));
      for (const uri of urisOf(audit)) assert.match(uri, /^apps\/web\//);
      assert.equal(srcRootOf(audit), folderUri(repo));
    });

    it('outside any repository, URIs stay relative to the scanned folder', async () => {
      const dir = newDir('sarif-norepo');
      writeFiles(dir, { 'site/src/pay.ts': `const key = "${fakes.stripeKey()}";\n` });
      const run = await sarifRun(dir, ['scan', 'site']);
      assert.deepEqual(urisOf(run), ['src/pay.ts']);
      assert.equal(srcRootOf(run), folderUri(join(dir, 'site')));
    });
  });
});
