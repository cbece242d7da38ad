import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/engine/config';
import { checkEnvWorkspace } from '../../src/engine/env/workspace';
import type { SkipNote } from '../../src/engine/model';
import { LineIndex } from '../../src/engine/text/line-index';
import { walkFiles } from '../../src/engine/workspace/files';

// The secrets walk and the env discovery share one walker but not one policy: these pin where
// they deliberately differ, so sharing code never quietly merges their behaviour.

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lr-walk-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('one walker, two policies', function () {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const make = (files: Record<string, string>) => {
    const root = workspace(files);
    roots.push(root);
    return root;
  };

  it('secrets walk: a parent .gitignore wins over a nested re-include; env discovery: the nested rule wins, as in git', async () => {
    const root = make({ '.gitignore': '.env*\n', 'app/.gitignore': '!.env.shared\n', 'app/.env.shared': 'A=1\n', 'app/.env.local': 'B=1\n', 'app/index.ts': 'x\n' });
    const skipped: SkipNote[] = [];
    const walked = (await walkFiles(root, { exclude: [] }, skipped)).map((f) => f.path);
    assert.deepEqual(walked, ['.gitignore', 'app/.gitignore', 'app/index.ts']);
    const { findings } = await checkEnvWorkspace({ root, useGit: false });
    const notIgnored = findings.filter((f) => f.ruleId === 'env/not-ignored').map((f) => (f.location.kind === 'file' ? f.location.path : ''));
    assert.deepEqual(notIgnored, ['app/.env.shared']);
  });

  it('env discovery reads ignored env files but never excluded ones', async () => {
    const root = make({ '.gitignore': '.env\n', '.env': 'A=1\n', 'vendor/.env': 'B=1\n' });
    const { files } = await checkEnvWorkspace({ root, useGit: false, config: { ...defaultConfig(), exclude: ['vendor/'] } });
    assert.deepEqual(files.map((f) => f.path), ['.env']);
  });

  it('secrets walk lists every unignored symbolic link; env discovery lists env-named ones, ignored or not', async function () {
    const root = make({ '.gitignore': '.env\nlinked.ts\n', 'real.ts': 'x\n', 'real.env': 'A=1\n' });
    try {
      symlinkSync(join(root, 'real.env'), join(root, '.env'));
      symlinkSync(join(root, 'real.ts'), join(root, 'alias.ts'));
      symlinkSync(join(root, 'real.ts'), join(root, 'linked.ts'));
    } catch {
      this.skip();
    }
    const skipped: SkipNote[] = [];
    await walkFiles(root, { exclude: [] }, skipped);
    assert.deepEqual(skipped, [{ path: 'alias.ts', reason: 'symbolic link (not followed)' }]);
    const env = await checkEnvWorkspace({ root, useGit: false });
    assert.deepEqual(env.skipped, [{ path: '.env', reason: 'symbolic link (not followed)' }]);
  });
});

describe('line index', function () {
  const text = 'a\r\nb\rc\nd';

  it("'lf' ends lines at \\n only", function () {
    const index = new LineIndex(text, 'lf');
    assert.equal(index.lineCount, 3);
    assert.deepEqual(index.position(text.indexOf('c')), { line: 2, column: 3 });
    assert.equal(index.column(text.indexOf('d')), 1);
    assert.deepEqual(index.range(0, text.length), { startLine: 1, startColumn: 1, endLine: 3, endColumn: 2 });
  });

  it("'lf-crlf-cr' ends lines at \\r\\n, \\n and a lone \\r", function () {
    const index = new LineIndex(text, 'lf-crlf-cr');
    assert.equal(index.lineCount, 4);
    assert.deepEqual([1, 2, 3, 4].map((l) => text.slice(index.lineStart(l), index.lineEnd(l))), ['a', 'b', 'c', 'd']);
    assert.deepEqual(index.position(text.indexOf('c')), { line: 3, column: 1 });
    assert.equal(index.line(text.indexOf('\n')), 1, 'the \\n of a \\r\\n belongs to the line it ends');
  });
});
