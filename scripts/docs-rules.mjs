// `npm run docs:rules`: regenerates the rules section of README.md from the rule catalogues
// (src/engine/report/rules-markdown.ts). `--check` only reports whether it is up to date.
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'launch-ready-docs-rules-'));
try {
  const outfile = join(dir, 'rules-markdown.cjs');
  await esbuild.build({ entryPoints: [join(root, 'src/engine/report/rules-markdown.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning' });
  const { withRulesSection } = createRequire(import.meta.url)(outfile);
  const file = join(root, 'README.md');
  const current = readFileSync(file, 'utf8');
  const next = withRulesSection(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      process.stderr.write('README.md rules section is stale: run npm run docs:rules\n');
      process.exitCode = 1;
    }
  } else if (next !== current) {
    writeFileSync(file, next);
    process.stdout.write('README.md: rules section regenerated\n');
  } else {
    process.stdout.write('README.md: rules section already up to date\n');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
