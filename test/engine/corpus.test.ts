import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { scanText } from '../../src/engine/secrets/scan';
import { generateCorpus, type CorpusFile } from '../corpus/generate';

// Precision and recall of the whole secret engine over the labeled corpus. Scoring is per line:
// an expected secret line with a finding starting on it is a true positive; a finding on a line
// with no expected secret is a false positive. Only paths, line numbers and rule ids are printed,
// never values.

interface Scored {
  truePositives: number;
  expected: number;
  falsePositives: number;
  findingLines: number;
  byProvider: Map<string, { expected: number; found: number; rules: Set<string> }>;
  byRule: Map<string, { lines: number; falsePositives: number }>;
  misses: string[];
  falseAlarms: string[];
}

function score(files: readonly CorpusFile[]): Scored {
  const result: Scored = {
    truePositives: 0, expected: 0, falsePositives: 0, findingLines: 0,
    byProvider: new Map(), byRule: new Map(), misses: [], falseAlarms: [],
  };
  for (const file of files) {
    const findings = scanText(file.content, { path: file.path });
    const rulesByLine = new Map<number, Set<string>>();
    for (const finding of findings) {
      if (finding.location.kind !== 'file') continue;
      const line = finding.location.range.startLine;
      const rules = rulesByLine.get(line) ?? new Set<string>();
      rules.add(finding.ruleId);
      rulesByLine.set(line, rules);
    }
    const expectedByLine = new Map(file.expected.map((e) => [e.line, e.provider]));
    for (const [line, provider] of expectedByLine) {
      const stats = result.byProvider.get(provider) ?? { expected: 0, found: 0, rules: new Set<string>() };
      stats.expected++;
      result.expected++;
      const rules = rulesByLine.get(line);
      if (rules) {
        stats.found++;
        result.truePositives++;
        for (const rule of rules) stats.rules.add(rule);
      } else {
        result.misses.push(`${file.path}:${line} (${provider})`);
      }
      result.byProvider.set(provider, stats);
    }
    const negativeKind = new Map(file.negatives.map((n) => [n.line, n.kind]));
    for (const [line, rules] of rulesByLine) {
      result.findingLines++;
      const falseAlarm = !expectedByLine.has(line);
      if (falseAlarm) {
        result.falsePositives++;
        result.falseAlarms.push(`${file.path}:${line} ${[...rules].join(',')} (${negativeKind.get(line) ?? 'unlabeled line'})`);
      }
      for (const rule of rules) {
        const stats = result.byRule.get(rule) ?? { lines: 0, falsePositives: 0 };
        stats.lines++;
        if (falseAlarm) stats.falsePositives++;
        result.byRule.set(rule, stats);
      }
    }
  }
  return result;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const fixed = (n: number) => Number(n.toFixed(3));

describe('secret detection corpus (precision and recall)', function () {
  const corpus = generateCorpus();
  const positives = corpus.reduce((n, f) => n + f.expected.length, 0);
  const negatives = corpus.reduce((n, f) => n + f.negatives.length, 0);
  const providers = new Set(corpus.flatMap((f) => f.expected.map((e) => e.provider)));
  let scored: Scored;

  before(function () {
    scored = score(corpus);
    console.log(`\n    corpus: ${corpus.length} files, ${positives} secrets over ${providers.size} providers, ${negatives} hard negatives`);
    console.table(
      Object.fromEntries(
        [...scored.byProvider].sort(([a], [b]) => a.localeCompare(b)).map(([provider, s]) => [
          provider,
          { expected: s.expected, found: s.found, recall: fixed(ratio(s.found, s.expected)), rules: [...s.rules].map((r) => r.replace('secret/', '')).join(' ') },
        ]),
      ),
    );
    console.table(
      Object.fromEntries(
        [...scored.byRule].sort(([a], [b]) => a.localeCompare(b)).map(([rule, s]) => [
          rule,
          { lines: s.lines, falsePositives: s.falsePositives, precision: fixed(ratio(s.lines - s.falsePositives, s.lines)) },
        ]),
      ),
    );
    const precision = ratio(scored.findingLines - scored.falsePositives, scored.findingLines);
    const recall = ratio(scored.truePositives, scored.expected);
    console.log(`    overall: precision ${fixed(precision)}, recall ${fixed(recall)} (${scored.truePositives}/${scored.expected} found, ${scored.falsePositives} false positives)`);
    for (const miss of scored.misses) console.log(`      missed: ${miss}`);
    for (const alarm of scored.falseAlarms) console.log(`      false positive: ${alarm}`);
  });

  it('is large and varied enough to mean something', () => {
    assert.ok(positives >= 300, `${positives} positives`);
    // Generic families do not count as providers.
    const generic = new Set(['generic-password', 'generic-credential', 'url-password', 'jwt', 'private-key']);
    const named = [...providers].filter((p) => !generic.has(p));
    assert.ok(named.length >= 25, `${named.length} providers`);
    for (const provider of providers) {
      const samples = corpus.reduce((n, f) => n + f.expected.filter((e) => e.provider === provider).length, 0);
      assert.ok(samples >= 3, `${provider}: ${samples} samples`);
    }
    assert.ok(negatives >= 300, `${negatives} negatives`);
    const extensions = new Set(corpus.map((f) => f.path.replace(/^.*\//, '').replace(/^[^.]*(?=\.)/, '').replace(/\.\d+$/, '')));
    assert.ok(extensions.size >= 20, `${extensions.size} kinds of file`);
  });

  it('is the same corpus on every run (seeded)', () => {
    assert.deepEqual(generateCorpus().map((f) => f.content), corpus.map((f) => f.content));
  });

  it('labels lines that exist', () => {
    for (const file of corpus) {
      const lineCount = file.content.split('\n').length;
      for (const label of [...file.expected, ...file.negatives]) assert.ok(label.line >= 1 && label.line < lineCount, `${file.path}:${label.line}`);
    }
  });

  it('has precision >= 0.95', () => {
    const precision = ratio(scored.findingLines - scored.falsePositives, scored.findingLines);
    assert.ok(precision >= 0.95, `precision ${fixed(precision)}; false positives:\n${scored.falseAlarms.join('\n')}`);
  });

  it('has recall >= 0.95', () => {
    const recall = ratio(scored.truePositives, scored.expected);
    assert.ok(recall >= 0.95, `recall ${fixed(recall)}; missed:\n${scored.misses.join('\n')}`);
  });

  it('keeps its own sources free of anything the scanner reports (fakes are built at run time)', () => {
    const repo = resolve(__dirname, '..', '..', '..');
    const sources = [
      ...readdirSync(join(repo, 'test', 'corpus')).map((name) => join(repo, 'test', 'corpus', name)),
      join(repo, 'test', 'support', 'fakes.ts'),
      join(repo, 'test', 'engine', 'corpus.test.ts'),
    ].filter((path) => path.endsWith('.ts'));
    assert.ok(sources.length >= 5);
    for (const path of sources) {
      const where = relative(repo, path).split('\\').join('/');
      const findings = scanText(readFileSync(path, 'utf8'), { path: where });
      assert.deepEqual(findings.map((f) => `${where}:${f.location.kind === 'file' ? f.location.range.startLine : 0} ${f.ruleId}`), []);
    }
  });

  it('never puts a secret value in a finding', () => {
    for (const file of corpus.slice(0, 60)) {
      const lines = file.content.split('\n');
      for (const finding of scanText(file.content, { path: file.path })) {
        if (finding.location.kind !== 'file' || !finding.evidence) continue;
        const { startLine, startColumn, endLine, endColumn } = finding.location.range;
        if (startLine !== endLine) continue;
        const value = lines[startLine - 1].slice(startColumn - 1, endColumn - 1);
        assert.ok(!finding.evidence.includes(value), `${file.path}:${startLine}`);
        assert.ok(!finding.message.includes(value), `${file.path}:${startLine}`);
      }
    }
  });
});
