import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/main';
import { resolveTarget } from '../../src/cli/scan';
import { wantsColor } from '../../src/cli/io';
import { commitFiles, ensureCliBuilt, git, initRepo, removeDir, runCli, tempDir, writeFiles } from '../support/cli';
import { Fakes } from '../support/fakes';

// The real CLI, spawned: exit codes, help, colour, baselines and history scans as a user meets them.

const ESC = '\u001b[';

describe('CLI', function () {
  const fakes = new Fakes(4242);
  const dirs: string[] = [];
  const workspace = (files: Record<string, string | Buffer>) => {
    const dir = tempDir('cli');
    dirs.push(dir);
    writeFiles(dir, files);
    return dir;
  };

  before(() => ensureCliBuilt());
  after(() => dirs.forEach(removeDir));

  describe('help, version and usage errors', () => {
    it('prints help for the tool and for every command, exiting 0', async () => {
      const cwd = workspace({});
      const top = await runCli(['--help'], { cwd });
      assert.equal(top.code, 0);
      for (const name of Object.keys(COMMANDS)) {
        assert.match(top.stdout, new RegExp(`^  ${name} `, 'm'), `${name} listed in the main help`);
        for (const args of [[name, '--help'], [name, '-h'], ['help', name]]) {
          const result = await runCli(args, { cwd });
          assert.equal(result.code, 0, args.join(' '));
          assert.match(result.stdout, new RegExp(`^Usage: launch-ready ${name}`), args.join(' '));
        }
      }
    });

    it('prints the package version', async () => {
      const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
      const result = await runCli(['--version'], { cwd: workspace({}) });
      assert.equal(result.code, 0);
      assert.equal(result.stdout, `${version}\n`);
    });

    it('exits 2 on a missing or unknown command, an unknown flag and bad option values', async () => {
      const cwd = workspace({ 'a.txt': 'hello\n' });
      const cases: [string[], RegExp][] = [
        [[], /Usage: launch-ready/],
        [['launch'], /unknown command "launch"/],
        [['scan', '--frobnicate'], /frobnicate/],
        [['scan', '--format', 'xml'], /--format must be text, json or sarif/],
        [['scan', '--fail-on', 'critical'], /--fail-on must be/],
        [['scan', 'no-such-file.ts'], /no such file or folder/],
        [['scan', '--root', 'a.txt'], /not a folder/],
        [['scan', '--baseline', 'missing.json'], /does not exist/],
        [['scan', '--baseline', 'x.json', '--no-baseline'], /cannot be combined/],
        [['baseline', '--format', 'json'], /format/],
        [['scan', '--output', 'no/such/folder/report.txt'], /cannot write no\/such\/folder\/report\.txt \(ENOENT\)/],
        [['baseline', '--baseline', 'no/such/folder/b.json'], /cannot write .*b\.json \(ENOENT\)/],
      ];
      for (const [args, message] of cases) {
        const result = await runCli(args, { cwd });
        assert.equal(result.code, 2, `${args.join(' ')} → ${result.stderr}`);
        assert.match(result.stderr, message, args.join(' '));
        assert.equal(result.stdout, '', `${args.join(' ')} prints nothing on stdout`);
      }
    });

    it('exits 2 with the reason when .launch-ready.json is broken', async () => {
      for (const [content, message] of [
        ['{ "exclude": [', /not valid JSON/],
        ['{ "rules": { "secret/jwt": "loud" } }', /rule "secret\/jwt" must be one of/],
        ['{ "excludes": [] }', /unknown setting "excludes"/],
        ['[]', /expected an object/],
      ] as const) {
        const result = await runCli(['scan'], { cwd: workspace({ '.launch-ready.json': content }) });
        assert.equal(result.code, 2, content);
        assert.match(result.stderr, /\.launch-ready\.json/);
        assert.match(result.stderr, message);
      }
    });
  });

  describe('exit codes and --fail-on', () => {
    const token = fakes.githubToken(); // high

    it('exits 0 on a clean workspace and 1 when a high finding remains', async () => {
      assert.equal((await runCli(['scan'], { cwd: workspace({ 'src/ok.ts': 'export const x = process.env.TOKEN;\n' }) })).code, 0);
      const result = await runCli(['scan'], { cwd: workspace({ 'src/app.ts': `const t = "${token}";\n` }) });
      assert.equal(result.code, 1);
      assert.match(result.stdout, /src\/app\.ts/);
      assert.match(result.stdout, /1 finding: 1 high/);
    });

    it('compares findings with the threshold by severity', async () => {
      // The config sets the severity, so the test does not depend on how rules are tuned.
      const cwd = workspace({ 'config.ts': `t = "${token}"\n`, '.launch-ready.json': JSON.stringify({ rules: { 'secret/github-token': 'medium' } }) });
      const code = async (failOn: string) => (await runCli(['scan', '--fail-on', failOn], { cwd })).code;
      assert.equal(await code('high'), 0);
      assert.equal(await code('medium'), 1);
      assert.equal(await code('low'), 1);
      assert.equal(await code('none'), 0);
      assert.equal((await runCli(['scan'], { cwd })).code, 0, 'default threshold is high');
    });

    it('scans a single folder argument as the root and other paths inside the root', async () => {
      const cwd = workspace({ 'a/leak.ts': `t = "${token}"\n`, 'b/fine.ts': 'x = 1\n' });
      assert.equal((await runCli(['scan', 'b'], { cwd })).code, 0);
      assert.equal((await runCli(['scan', 'a'], { cwd })).code, 1);
      assert.equal((await runCli(['scan', 'b/fine.ts', 'a/leak.ts'], { cwd })).code, 1);
      assert.equal((await runCli(['scan', 'b/fine.ts'], { cwd })).code, 0);
      assert.deepEqual(resolveTarget(undefined, ['a/leak.ts', 'b'], cwd), { root: cwd, only: ['a/leak.ts', 'b'] });
      assert.throws(() => resolveTarget('a', ['b'], cwd), /outside the workspace root/);
    });

    it('writes the report to --output and nothing to stdout', async () => {
      const cwd = workspace({ 'app.ts': `t = "${token}"\n` });
      const result = await runCli(['scan', '--format', 'json', '--output', 'report.json', '--root', '.', 'app.ts'], { cwd });
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as { findings: { ruleId: string }[] };
      assert.deepEqual(report.findings.map((f) => f.ruleId), ['secret/github-token']);
    });
  });

  describe('colour', () => {
    const files = () => workspace({ 'app.ts': `t = "${fakes.githubToken()}"\n` });

    it('colours only when forced or on a terminal, and never with NO_COLOR or --no-color', async () => {
      const cwd = files();
      assert.ok(!(await runCli(['scan'], { cwd })).stdout.includes(ESC), 'a pipe gets no colour');
      assert.ok((await runCli(['scan'], { cwd, env: { FORCE_COLOR: '1' } })).stdout.includes(ESC));
      assert.ok(!(await runCli(['scan'], { cwd, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout.includes(ESC));
      assert.ok(!(await runCli(['scan', '--no-color'], { cwd, env: { FORCE_COLOR: '1' } })).stdout.includes(ESC));
      assert.ok(!(await runCli(['scan', '--output', 'r.txt'], { cwd, env: { FORCE_COLOR: '1' } })).stdout.includes(ESC));
      assert.ok(!readFileSync(join(cwd, 'r.txt'), 'utf8').includes(ESC), 'a report file gets no colour');
    });

    it('decides colour from flag, environment and terminal', () => {
      assert.equal(wantsColor(false, {}, true), true);
      assert.equal(wantsColor(false, { TERM: 'dumb' }, true), false);
      assert.equal(wantsColor(false, { NO_COLOR: '' }, true), true, 'an empty NO_COLOR does not count');
      assert.equal(wantsColor(false, { FORCE_COLOR: '0' }, false), false);
      assert.equal(wantsColor(true, { FORCE_COLOR: '1' }, true), false);
    });
  });

  describe('baseline', () => {
    const first = fakes.githubToken();
    const second = fakes.npmToken();

    it('writes sorted, value-free, idempotent JSON and hides accepted findings', async () => {
      const cwd = workspace({ 'z/app.ts': `a = "${first}"\n`, 'a/pub.ts': `b = "${second}"\n` });
      const written = await runCli(['baseline'], { cwd });
      assert.equal(written.code, 0, written.stderr);
      assert.match(written.stdout, /Wrote baseline \.launch-ready-baseline\.json: 2 accepted findings \(2 added, 0 removed\)/);
      const file = join(cwd, '.launch-ready-baseline.json');
      const content = readFileSync(file, 'utf8');
      const data = JSON.parse(content) as { version: number; findings: Record<string, string>[] };
      assert.equal(data.version, 1);
      assert.deepEqual(data.findings.map((f) => f.path), ['a/pub.ts', 'z/app.ts']);
      for (const entry of data.findings) assert.deepEqual(Object.keys(entry), ['fingerprint', 'ruleId', 'path']);

      const again = await runCli(['baseline'], { cwd });
      assert.match(again.stdout, /Baseline unchanged/);
      assert.equal(readFileSync(file, 'utf8'), content, 'a second run changes no byte');

      const scan = await runCli(['scan'], { cwd });
      assert.equal(scan.code, 0, scan.stdout);
      assert.match(scan.stdout, /No secrets found/);
      assert.match(scan.stdout, /2 findings accepted in the baseline \.launch-ready-baseline\.json not shown/);
      const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd })).stdout) as { summary: { baselined: number; total: number } };
      assert.deepEqual([json.summary.total, json.summary.baselined], [0, 2]);
      assert.equal((await runCli(['scan', '--no-baseline'], { cwd })).code, 1);
    });

    it('reports only findings the baseline does not know', async () => {
      const cwd = workspace({ 'app.ts': `a = "${first}"\n` });
      await runCli(['baseline'], { cwd });
      writeFiles(cwd, { 'new.ts': `b = "${fakes.githubToken()}"\n`, 'moved/app.ts': `a = "${first}"\n` });
      const result = await runCli(['scan', '--format', 'json'], { cwd });
      assert.equal(result.code, 1);
      const report = JSON.parse(result.stdout) as { findings: { location: { path: string } }[]; summary: { baselined: number } };
      // The fingerprint includes the path: the same value in a new file is a new finding.
      assert.deepEqual(report.findings.map((f) => f.location.path).sort(), ['moved/app.ts', 'new.ts']);
      assert.equal(report.summary.baselined, 1);
    });

    it('uses --baseline FILE and the config key, and refuses a broken baseline', async () => {
      const cwd = workspace({ 'app.ts': `a = "${first}"\n` });
      assert.equal((await runCli(['baseline', '--baseline', 'accepted.json'], { cwd })).code, 0);
      assert.ok(existsSync(join(cwd, 'accepted.json')));
      assert.ok(!existsSync(join(cwd, '.launch-ready-baseline.json')));
      assert.equal((await runCli(['scan'], { cwd })).code, 1, 'not the default file name: not used unless named');
      assert.equal((await runCli(['scan', '--baseline', 'accepted.json'], { cwd })).code, 0);
      writeFiles(cwd, { '.launch-ready.json': JSON.stringify({ baseline: 'accepted.json' }) });
      assert.equal((await runCli(['scan'], { cwd })).code, 0);

      writeFiles(cwd, { 'accepted.json': '{"version": 1, "findings": [{"fingerprint": "not hex"}]}' });
      const broken = await runCli(['scan'], { cwd });
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /accepted\.json: every finding needs/);
      const refused = await runCli(['baseline'], { cwd });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /not overwriting it/);
    });

    it('with paths, replaces only the entries under them', async () => {
      const cwd = workspace({ 'a/one.ts': `a = "${first}"\n`, 'b/two.ts': `b = "${second}"\n` });
      await runCli(['baseline'], { cwd });
      writeFiles(cwd, { 'a/one.ts': 'a = process.env.A\n' });
      const result = await runCli(['baseline', '--root', '.', 'a'], { cwd });
      assert.match(result.stdout, /1 accepted finding \(0 added, 1 removed\)/);
      const data = JSON.parse(readFileSync(join(cwd, '.launch-ready-baseline.json'), 'utf8')) as { findings: { path: string }[] };
      assert.deepEqual(data.findings.map((f) => f.path), ['b/two.ts']);
    });
  });

  describe('--history', () => {
    it('is a usage error outside a git repository', async () => {
      const cwd = workspace({ 'a.ts': 'x = 1\n' });
      const result = await runCli(['scan', '--history'], { cwd });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--history needs a git repository/);
    });

    it('finds a secret that was committed and later removed, at its real line in the oldest commit', async () => {
      const cwd = workspace({});
      initRepo(cwd);
      const token = fakes.githubToken();
      commitFiles(cwd, { 'README.md': '# demo\n', 'src/config.ts': 'export const a = 1;\nexport const b = 2;\n' }, 'start');
      const introduced = commitFiles(cwd, { 'src/config.ts': `export const a = 1;\nexport const b = 2;\nexport const token = "${token}";\n` }, 'add token');
      commitFiles(cwd, { 'src/config.ts': 'export const a = 1;\nexport const b = 2;\nexport const token = process.env.TOKEN;\n' }, 'remove token');
      // Put back on another branch later: still one finding, attributed to the first commit.
      git(cwd, ['checkout', '--quiet', '-b', 'feature']);
      commitFiles(cwd, { 'src/config.ts': `export const a = 1;\n\nexport const b = 2;\nexport const token = "${token}";\n` }, 'again');
      git(cwd, ['checkout', '--quiet', 'main']);

      assert.equal((await runCli(['scan'], { cwd })).code, 0, 'the working tree is clean');
      const result = await runCli(['scan', '--history', '--format', 'json'], { cwd });
      assert.equal(result.code, 1, result.stderr);
      const report = JSON.parse(result.stdout) as { findings: { ruleId: string; location: { path: string; commit: string; range: { startLine: number } } }[]; summary: { commitsScanned: number } };
      assert.equal(report.summary.commitsScanned, 4);
      assert.deepEqual(
        report.findings.map((f) => [f.ruleId, f.location.path, f.location.commit, f.location.range.startLine]),
        [['secret/github-token', 'src/config.ts', introduced, 3]],
      );
      const text = await runCli(['scan', '--history'], { cwd });
      assert.match(text.stdout, new RegExp(`${introduced.slice(0, 12)}:src/config\\.ts`));
    });

    it('numbers lines across several hunks and reads unusual paths', async () => {
      const cwd = workspace({});
      initRepo(cwd);
      const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
      commitFiles(cwd, { 'dir with space/fïle "q".txt': lines.join('\n') + '\n' }, 'start');
      const changed = [...lines];
      const tokens = [fakes.githubToken(), fakes.githubToken()];
      changed[4] = `a = "${tokens[0]}"`; // line 5
      changed.splice(30, 0, 'inserted', `b = "${tokens[1]}"`); // lines 31-32
      const commit = commitFiles(cwd, { 'dir with space/fïle "q".txt': changed.join('\n') + '\n' }, 'edit');
      const report = JSON.parse((await runCli(['scan', '--history', '--format', 'json'], { cwd })).stdout) as { findings: { location: { path: string; commit: string; range: { startLine: number; startColumn: number } } }[] };
      assert.deepEqual(
        report.findings.map((f) => [f.location.path, f.location.commit, f.location.range.startLine, f.location.range.startColumn]),
        [
          ['dir with space/fïle "q".txt', commit, 5, 6],
          ['dir with space/fïle "q".txt', commit, 32, 6],
        ],
      );
    });

    it('notes binary files, honours excludes, --root subfolders and path limits', async () => {
      const cwd = workspace({});
      initRepo(cwd);
      const token = fakes.githubToken();
      commitFiles(
        cwd,
        {
          'img/logo.bin': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`t=${token}`)]),
          'fixtures/leak.ts': `t = "${token}"\n`,
          'app/src/leak.ts': `t = "${token}"\n`,
          '.launch-ready.json': JSON.stringify({ exclude: ['fixtures/**'] }),
        },
        'all',
      );
      const report = JSON.parse((await runCli(['scan', '--history', '--format', 'json'], { cwd })).stdout) as { findings: { location: { path: string } }[]; skipped: { path: string; reason: string }[] };
      assert.deepEqual(report.findings.map((f) => f.location.path), ['app/src/leak.ts']);
      assert.deepEqual(report.skipped, [{ path: 'img/logo.bin', reason: 'binary in history (not scanned)' }]);

      const sub = JSON.parse((await runCli(['scan', '--history', '--format', 'json', 'app'], { cwd })).stdout) as { findings: { location: { path: string } }[] };
      assert.deepEqual(sub.findings.map((f) => f.location.path), ['src/leak.ts'], 'paths are relative to the root');
      const limited = await runCli(['scan', '--history', '--root', '.', 'img'], { cwd });
      assert.equal(limited.code, 0);
    });

    it('says when a shallow clone hides older history', async () => {
      const origin = workspace({});
      initRepo(origin);
      commitFiles(origin, { 'a.ts': 'a = 1\n' }, 'one');
      commitFiles(origin, { 'b.ts': 'b = 2\n' }, 'two');
      const parent = workspace({});
      git(parent, ['clone', '--quiet', '--depth', '1', `file://${origin}`, 'shallow']);
      const shallow = JSON.parse((await runCli(['scan', '--history', '--format', 'json'], { cwd: join(parent, 'shallow') })).stdout) as { notes: { reason: string }[]; summary: { commitsScanned: number } };
      assert.equal(shallow.summary.commitsScanned, 1);
      assert.match(shallow.notes.map((n) => n.reason).join('\n'), /shallow clone: only the fetched commits were scanned/);
      const text = await runCli(['scan', '--history'], { cwd: join(parent, 'shallow') });
      assert.match(text.stdout, /^Note: shallow clone/m, 'shown without --verbose');
      const full = JSON.parse((await runCli(['scan', '--history', '--format', 'json'], { cwd: origin })).stdout) as { notes: unknown[] };
      assert.deepEqual(full.notes, []);
    });

    it('scans a repository with no commits as empty, and baselines history findings', async () => {
      const cwd = workspace({});
      initRepo(cwd);
      assert.equal((await runCli(['scan', '--history'], { cwd })).code, 0);
      commitFiles(cwd, { 'old.ts': `t = "${fakes.githubToken()}"\n` }, 'leak');
      commitFiles(cwd, { 'old.ts': null }, 'delete');
      assert.equal((await runCli(['scan', '--history'], { cwd })).code, 1);
      assert.equal((await runCli(['scan', '--history', 'old.ts'], { cwd })).code, 1, 'a deleted file can be named');
      assert.equal((await runCli(['scan', 'old.ts'], { cwd })).code, 2, 'but not in a working-tree scan');
      assert.equal((await runCli(['baseline', '--history'], { cwd })).code, 0);
      const after = await runCli(['scan', '--history'], { cwd });
      assert.equal(after.code, 0, after.stdout);
      assert.match(after.stdout, /1 finding accepted in the baseline/);
    });
  });
});
