// Stages the standalone CLI package in dist/cli-package from its manifest and README in
// packages/cli: the bundles it runs (the CLI, its less used commands and the worker of parallel
// scans, both of which the CLI loads from beside itself), the licence, and the root package.json's version. Staging under
// dist/ keeps build output out of git and the linter. `npm run package:cli` builds production
// bundles, stages, and packs dist/launch-ready-<version>.tgz.
// Usage: node scripts/pack-cli.mjs
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const source = join(root, 'packages', 'cli');
const target = join(root, 'dist', 'cli-package');
rmSync(target, { recursive: true, force: true });
mkdirSync(join(target, 'dist'), { recursive: true });
for (const file of ['cli.js', 'cli-commands.js', 'scan-worker.js']) copyFileSync(join(root, 'dist', file), join(target, 'dist', file));
copyFileSync(join(root, 'LICENSE'), join(target, 'LICENSE'));
copyFileSync(join(source, 'README.md'), join(target, 'README.md'));

const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
manifest.version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
writeFileSync(join(target, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
process.stdout.write(`staged ${manifest.name}@${manifest.version} in dist/cli-package\n`);
