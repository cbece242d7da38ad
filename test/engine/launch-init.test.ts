import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInit } from '../../src/cli/init';
import type { Output } from '../../src/cli/io';
import { UsageError } from '../../src/cli/io';
import { parseLaunchYaml } from '../../src/engine/launch/parse';
import { generateStarterLaunchYaml, inferLaunchFacts, nodeFactSource, starterForWorkspace, webRepositoryUrl, type LaunchFacts } from '../../src/engine/launch/starter';
import { Fakes } from '../support/fakes';
import { ensureCliBuilt, removeDir, runCli, tempDir, writeFiles } from '../support/cli';

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (t) => stdout.push(t), err: (t) => stderr.push(t), color: false, stdout, stderr };
}

function assertValidates(text: string) {
  const result = parseLaunchYaml(text, 'launch.yaml', { today: '2026-11-25' });
  assert.deepEqual(result.findings.map((f) => `${f.ruleId} ${JSON.stringify(f.location)} ${f.message}`), []);
  assert.ok(result.config);
  return result.config;
}

describe('launch-ready init: the starter launch.yaml', () => {
  const fakes = new Fakes(404);
  const values = {
    database: `postgres://app:${fakes.alnum(20)}@db.internal/app`,
    stripe: fakes.stripeKey(),
    github: fakes.githubToken(),
    plain: fakes.alnum(32),
    remoteToken: fakes.alnum(36),
  };
  let dir: string;

  beforeEach(() => {
    dir = tempDir('launch-init-');
    writeFiles(dir, {
      'package.json': JSON.stringify({ name: '@acme/invoices', homepage: 'https://www.Bücher.example/' }),
      '.env.production': `DATABASE_URL=${values.database}\nexport STRIPE_SECRET_KEY="${values.stripe}"\nMULTI="line one\nGITHUB_TOKEN=${values.github}"\n`,
      '.env.staging': `DATABASE_URL=${values.plain}\n`,
      '.env': `DEBUG=${values.plain}\n`,
      '.env.example': 'DATABASE_URL=\nSTRIPE_SECRET_KEY=\nSENTRY_DSN=\n',
      '.git/config': `[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://example.org/other.git\n[remote "origin"]\n\turl = https://x-access-token:${values.remoteToken}@github.com/acme/invoices.git\n`,
      '.github/workflows/ci.yml': 'name: ci\n',
      'netlify.toml': '',
    });
  });
  afterEach(() => removeDir(dir));

  it('infers name, primary host (punycode), repository, platform, CI and env names', () => {
    const facts = inferLaunchFacts(nodeFactSource(dir));
    assert.equal(facts.appName, 'invoices');
    assert.equal(facts.repository, 'https://github.com/acme/invoices');
    assert.equal(facts.platform, 'netlify');
    assert.equal(facts.edgeProvider, 'netlify');
    assert.equal(facts.pipeline, 'github-actions');
    assert.deepEqual(
      facts.envFiles.map((f) => [f.file, f.environment, f.keys]),
      [
        ['.env', 'development', ['DEBUG']],
        ['.env.example', 'example', ['DATABASE_URL', 'STRIPE_SECRET_KEY', 'SENTRY_DSN']],
        ['.env.production', 'production', ['DATABASE_URL', 'STRIPE_SECRET_KEY', 'MULTI']],
        ['.env.staging', 'staging', ['DATABASE_URL']],
      ],
    );
    const config = assertValidates(generateStarterLaunchYaml(facts, { today: '2026-11-25' }));
    assert.equal(config.domain?.primary.name, 'www.xn--bcher-kva.example');
    assert.deepEqual(config.domain?.redirects.map((r) => [r.from.host.name, r.to.href]), [['xn--bcher-kva.example', 'https://www.xn--bcher-kva.example/']]);
    assert.deepEqual(config.environments.map((e) => [e.name, e.files, e.required]), [
      ['production', ['.env.production'], ['DATABASE_URL', 'STRIPE_SECRET_KEY', 'MULTI', 'SENTRY_DSN']],
      ['staging', ['.env.staging'], ['DATABASE_URL', 'STRIPE_SECRET_KEY', 'SENTRY_DSN']],
      ['development', ['.env'], ['DEBUG', 'DATABASE_URL', 'STRIPE_SECRET_KEY', 'SENTRY_DSN']],
    ]);
    assert.equal(config.edge.provider, 'netlify');
    assert.equal(config.latency.apiP95Ms, 300);
  });

  it('never copies an env value or a credential from the git remote', async () => {
    const io = capture();
    assert.equal(await runInit([dir], io), 0);
    const written = readFileSync(join(dir, 'launch.yaml'), 'utf8');
    for (const [name, value] of Object.entries(values)) {
      assert.ok(!written.includes(value), `${name} leaked into launch.yaml`);
      assert.ok(!io.stdout.join('').includes(value), `${name} leaked into the output`);
    }
    assert.ok(!written.includes('x-access-token'));
    assertValidates(written);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    writeFiles(dir, { 'launch.yaml': 'app: { name: mine, stage: idea }\n' });
    await assert.rejects(runInit([dir], capture()), (error: unknown) => error instanceof UsageError && /already exists; use --force/.test(error.message));
    assert.equal(readFileSync(join(dir, 'launch.yaml'), 'utf8'), 'app: { name: mine, stage: idea }\n');
    assert.equal(await runInit([dir, '--force'], capture()), 0);
    assert.match(readFileSync(join(dir, 'launch.yaml'), 'utf8'), /^# launch\.yaml: how invoices should look/);
  });

  it('treats an existing launch.yml the same way', async () => {
    writeFiles(dir, { 'launch.yml': 'app: { name: mine, stage: idea }\n' });
    await assert.rejects(runInit([dir], capture()), UsageError);
    assert.equal(existsSync(join(dir, 'launch.yaml')), false);
  });

  it('exits 2 from the real CLI when the file exists', async () => {
    ensureCliBuilt();
    writeFiles(dir, { 'launch.yaml': 'app: { name: mine, stage: idea }\n' });
    const result = await runCli(['init'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /already exists/);
  });

  it('validates for an empty folder and for awkward names', () => {
    const empty = tempDir('launch-init-empty-');
    try {
      const { text, facts } = starterForWorkspace(empty, { today: '2026-11-25' });
      assert.equal(facts.appName, empty.split('/').pop());
      const config = assertValidates(text);
      assert.equal(config.domain, undefined);
      assert.match(text, /^# domain:\n# {3}primary: www\.example\.com/m);
    } finally {
      removeDir(empty);
    }
    const awkward: LaunchFacts[] = [
      { appName: 'Acme: "the #1 app"\nline two', envFiles: [] },
      { appName: 'true', homepage: 'https://acme.com', envFiles: [{ file: '.env.my stage', environment: 'my-stage', keys: ['A.B', 'C-D'] }] },
      { appName: '- yes', homepage: 'https://app.acme.vercel.app/docs', envFiles: [{ file: '.env.example', environment: 'example', keys: ['ONLY'] }] },
      { appName: '', envFiles: [] },
    ];
    for (const facts of awkward) assertValidates(generateStarterLaunchYaml(facts, { today: '2026-11-25' }));
  });

  it('stays valid when every commented example is uncommented', () => {
    const uncomment = (text: string) =>
      text
        .split('\n')
        .map((line) => (/^\s*# (\s*[A-Za-z0-9_-]+:|\s*- )/.test(line) ? line.replace(/^(\s*)# /, '$1') : line))
        .join('\n');
    for (const facts of [inferLaunchFacts(nodeFactSource(dir)), { envFiles: [] } as LaunchFacts]) {
      const full = uncomment(generateStarterLaunchYaml(facts, { today: '2026-11-25' }));
      assert.doesNotMatch(full, /^\s*# \s*[a-z]+:/m, 'every example was uncommented');
      const config = assertValidates(full);
      assert.equal(config.attestations.length, 3);
      assert.equal(config.acceptedRisks[0].until, '2027-02-23');
      assert.ok(config.email && config.monitoring.alerts.length === 1 && config.owners.database);
    }
  });

  it('skips code-hosting homepages and broken package.json', () => {
    const other = tempDir('launch-init-gh-');
    try {
      writeFiles(other, { 'package.json': JSON.stringify({ name: 'x', homepage: 'https://github.com/acme/x#readme' }) });
      assert.equal(inferLaunchFacts(nodeFactSource(other)).homepage, undefined);
      writeFiles(other, { 'package.json': '{ not json' });
      assert.equal(inferLaunchFacts(nodeFactSource(other), 'fallback').appName, 'fallback');
    } finally {
      removeDir(other);
    }
  });

  it('turns clone URLs into web URLs without credentials', () => {
    const token = fakes.alnum(30);
    assert.equal(webRepositoryUrl('git@github.com:acme/app.git'), 'https://github.com/acme/app');
    assert.equal(webRepositoryUrl(`https://user:${token}@gitlab.com/acme/app.git`), 'https://gitlab.com/acme/app');
    assert.equal(webRepositoryUrl('ssh://git@bitbucket.org/acme/app.git'), 'https://bitbucket.org/acme/app');
    assert.equal(webRepositoryUrl('git+https://github.com/acme/app.git'), 'https://github.com/acme/app');
    assert.equal(webRepositoryUrl('file:///srv/repo.git'), undefined);
    assert.equal(webRepositoryUrl('../relative'), undefined);
  });
});
