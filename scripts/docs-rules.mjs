// `npm run docs:rules`: regenerates the rules section of README.md from the rule catalogues
// (src/engine/report/rules-markdown.ts). `--check` only reports whether it is up to date.
import * as esbuild from 'esbuild';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOrCheck } from './generated-file.mjs';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'launch-ready-docs-rules-'));
try {
  const outfile = join(dir, 'rules-markdown.cjs');
  await esbuild.build({ entryPoints: [join(root, 'src/engine/report/rules-markdown.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning' });
  const { withRulesSection } = createRequire(import.meta.url)(outfile);
  const file = join(root, 'README.md');
  writeOrCheck(file, withRulesSection(readFileSync(file, 'utf8')), { what: 'README.md rules section', command: 'npm run docs:rules' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
