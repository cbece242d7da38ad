import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCliBuilt, REPO_ROOT } from '../support/cli';

// The CLI is published on its own (`npm run package:cli`): a manifest with a bin, the Node floor,
// and only the bundles. `npm pack --dry-run` on the staged folder is what npm would publish.

describe('the standalone CLI package', function () {
  this.timeout(120_000);
  const staged = join(REPO_ROOT, 'dist', 'cli-package');
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

  before(() => {
    ensureCliBuilt();
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'pack-cli.mjs')], { cwd: REPO_ROOT });
  });

  it('packs only the bundles, the manifest, README and licence', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: staged, encoding: 'utf8' });
    const [pack] = JSON.parse(out) as Array<{ name: string; version: string; files: Array<{ path: string }> }>;
    assert.deepEqual(pack.files.map((f) => f.path).sort(), ['LICENSE', 'README.md', 'dist/cli-commands.js', 'dist/cli.js', 'dist/scan-worker.js', 'package.json']);
    assert.equal(pack.name, 'launch-ready');
    assert.equal(pack.version, root.version);
  });

  it('declares the bin, the Node floor of the project and no dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(staged, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(manifest.bin, { 'launch-ready': 'dist/cli.js' });
    assert.deepEqual(manifest.engines, { node: root.engines.node });
    assert.equal(manifest.dependencies, undefined, 'everything is bundled');
    assert.equal(manifest.private, undefined);
  });

  it('the staged CLI runs from its own folder and knows its version', () => {
    const cli = join(staged, 'dist', 'cli.js');
    assert.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const version = spawnSync(process.execPath, [cli, '--version'], { cwd: staged, encoding: 'utf8' });
    assert.equal(version.stdout.trim(), root.version);
    const help = spawnSync(process.execPath, [cli, 'hook', '--help'], { cwd: staged, encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: launch-ready hook/);
  });
});
