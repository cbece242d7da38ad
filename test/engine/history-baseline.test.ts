import { strict as assert } from 'node:assert';
import { applyBaseline, formatBaseline, parseBaseline, updateBaseline } from '../../src/engine/baseline';
import { COMMIT_MARKER, PatchParser, pathFromDiffHeader, unquoteGitPath } from '../../src/engine/git/patch-parser';
import { historyArgs } from '../../src/engine/git/history';
import type { Finding } from '../../src/engine/model';

// The pieces under `scan --history` and baselines, without spawning anything.

function parse(lines: string[]) {
  const events: string[] = [];
  const parser = new PatchParser({
    commit: (hash, time) => events.push(`commit ${hash} ${time}`),
    file: (path) => events.push(`file ${path}`),
    added: (line, n) => events.push(`+${n} ${line}`),
    binary: (path) => events.push(`binary ${path}`),
  });
  for (const line of lines) parser.push(line);
  return events;
}

describe('git patch parser', () => {
  it('reports added lines with new-file line numbers, hunk by hunk', () => {
    const events = parse([
      `${COMMIT_MARKER}abc123 1700000000`,
      '',
      'diff --git a/src/a.ts b/src/a.ts',
      'index 1111111..2222222 100644',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -3 +3 @@ header context',
      '-old',
      '+new three',
      '@@ -10,0 +11,2 @@',
      '+eleven',
      '+twelve',
      '\\ No newline at end of file',
    ]);
    assert.deepEqual(events, ['commit abc123 1700000000', 'file src/a.ts', '+3 new three', '+11 eleven', '+12 twelve']);
  });

  it('never mistakes added text for a header, thanks to the hunk counts', () => {
    const events = parse([
      `${COMMIT_MARKER}c1 1`,
      'diff --git a/x b/x',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/x',
      '@@ -0,0 +1,3 @@',
      '++++ b/evil',
      '+diff --git a/y b/y',
      '+@@ -1 +1 @@',
      `${COMMIT_MARKER}c2 2`,
      'diff --git a/gone b/gone',
      'deleted file mode 100644',
      '--- a/gone',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/img.png b/img.png',
      'Binary files /dev/null and b/img.png differ',
    ]);
    assert.deepEqual(events, [
      'commit c1 1',
      'file x',
      '+1 +++ b/evil',
      '+2 diff --git a/y b/y',
      '+3 @@ -1 +1 @@',
      'commit c2 2',
      'file gone',
      'file img.png',
      'binary img.png',
    ]);
  });

  it('reads paths with spaces and git-quoted paths', () => {
    assert.equal(pathFromDiffHeader('diff --git a/dir with space/b b/x b/dir with space/b b/x'), 'dir with space/b b/x');
    assert.equal(pathFromDiffHeader('diff --git "a/tab\\there" "b/tab\\there"'), 'tab\there');
    assert.equal(unquoteGitPath('"a/caf\\303\\251 \\"q\\""'), 'a/café "q"');
    assert.equal(unquoteGitPath('plain'), 'plain');
  });

  it('asks git for every ref, zero context, no renames and a NUL-led commit line', () => {
    const args = historyArgs([]);
    for (const flag of ['--all', '-p', '-U0', '--no-renames', '--no-ext-diff', '--no-textconv', '--no-color', '--relative']) assert.ok(args.includes(flag), flag);
    assert.ok(args.some((a) => a.startsWith('--format=%x00commit ')));
    assert.deepEqual(historyArgs(['src']).slice(-2), ['--', 'src']);
  });
});

function finding(path: string, fingerprint: string, ruleId = 'secret/github-token'): Finding {
  return {
    ruleId,
    severity: 'high',
    stage: 'secrets',
    message: 'm',
    remediation: 'r',
    location: { kind: 'file', path, range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } },
    fingerprint,
  };
}

describe('baseline', () => {
  const fp = (n: number) => n.toString(16).padStart(32, '0');

  it('formats sorted, deduplicated entries with only fingerprint, rule and path', () => {
    const text = formatBaseline([
      { fingerprint: fp(2), ruleId: 'secret/b', path: 'z.ts' },
      { fingerprint: fp(1), ruleId: 'secret/a', path: 'a.ts' },
      { fingerprint: fp(2), ruleId: 'secret/b', path: 'z.ts' },
    ]);
    assert.equal(text, JSON.stringify({ version: 1, findings: [{ fingerprint: fp(1), ruleId: 'secret/a', path: 'a.ts' }, { fingerprint: fp(2), ruleId: 'secret/b', path: 'z.ts' }] }, null, 2) + '\n');
    assert.deepEqual(parseBaseline(text, 'b.json').entries.length, 2);
  });

  it('rejects what is not a baseline', () => {
    assert.throws(() => parseBaseline('nope', 'b.json'), /b\.json: not valid JSON/);
    assert.throws(() => parseBaseline('{"findings": []}', 'b.json'), /not a launch-ready baseline/);
    assert.throws(() => parseBaseline('{"version": 1, "findings": [{"fingerprint": "zz", "ruleId": "r", "path": "p"}]}', 'b.json'), /hex "fingerprint"/);
  });

  it('filters accepted fingerprints and counts them', () => {
    const baseline = parseBaseline(formatBaseline([{ fingerprint: fp(1), ruleId: 'secret/a', path: 'a.ts' }]), 'b');
    const result = applyBaseline([finding('a.ts', fp(1)), finding('b.ts', fp(2))], baseline);
    assert.deepEqual(result.findings.map((f) => f.fingerprint), [fp(2)]);
    assert.equal(result.baselined, 1);
  });

  it('replaces entries inside the scanned scope and keeps the rest', () => {
    const previous = [
      { fingerprint: fp(1), ruleId: 'r', path: 'src/a.ts' },
      { fingerprint: fp(2), ruleId: 'r', path: 'lib/b.ts' },
      { fingerprint: fp(3), ruleId: 'r', path: 'srcx/c.ts' },
    ];
    const update = updateBaseline(previous, [finding('src/new.ts', fp(4))], ['./src/']);
    assert.deepEqual(update.entries.map((e) => e.fingerprint).sort(), [fp(2), fp(3), fp(4)]);
    assert.deepEqual([update.added, update.removed], [1, 1]);
    const everything = updateBaseline(previous, [], []);
    assert.deepEqual([everything.entries.length, everything.removed], [0, 3]);
  });
});
