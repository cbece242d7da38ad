// `npm run package`: the .vsix from production bundles built in a folder of their own
// (dist/vsix), so a development build running at the same time (tests, the editor harness) can
// neither end up in the package nor be replaced by it. The folder holds what vsce needs to read:
// the manifest, documents, .vscodeignore (the allow-list) and media; then the package is checked
// (scripts/check-vsix.mjs). Writes dist/launch-ready.vsix.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stage = join(root, 'dist', 'vsix');
const out = join(root, 'dist', 'launch-ready.vsix');
const run = (args, cwd = root) => execFileSync(process.execPath, args, { cwd, stdio: 'inherit' });

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
run(['build.mjs', '--production', `--outdir=${join(stage, 'dist')}`]);
for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) cpSync(join(root, file), join(stage, file));
cpSync(join(root, 'media'), join(stage, 'media'), { recursive: true });
run([join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], stage);
run([join(root, 'scripts', 'check-vsix.mjs'), out]);
