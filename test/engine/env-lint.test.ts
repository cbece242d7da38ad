import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandAll } from '../../src/engine/env/expand';
import { applyEdits, applySafeFixes, readsTheSame } from '../../src/engine/env/fixes';
import { classifyEnvFile, lintEnvText } from '../../src/engine/env/lint';
import { ENV_RULES } from '../../src/engine/env/rules';
import { Fakes } from '../support/fakes';
import { randomEnvFiles, TRICKY_CORPUS } from './env-parse.test';

const ids = (text: string, rules: Record<string, 'low'> = {}) => lintEnvText(text, { path: '.env', config: { rules } }).findings.map((f) => f.ruleId);

describe('env lint: rules', () => {
  it('lists every rule once, as data, in the secrets stage', () => {
    assert.equal(new Set(ENV_RULES.map((r) => r.id)).size, ENV_RULES.length);
    assert.ok(ENV_RULES.every((r) => r.id.startsWith('env/') && r.stage === 'secrets' && r.description && r.remediation));
  });

  const cases: [string, string, string][] = [
    ['env/duplicated-key', 'A=1\nA=2\n', '1:1'],
    ['env/key-without-value', 'A=1\nFOO\n', '2:1'],
    ['env/malformed-line', 'A=1\nthis is not it\n', '2:1'],
    ['env/incorrect-delimiter', 'FOO-BAR=1\n', '1:1'],
    ['env/leading-character', '1KEY=1\n', '1:1'],
    ['env/lowercase-key', 'foo=1\n', '1:1'],
    ['env/unbalanced-quote', 'A="open\n', '1:3'],
    ['env/space-around-equals', 'A = 1\n', '1:2'],
    ['env/undefined-substitution', 'A=${MISSING}\n', '1:3'],
    ['env/trailing-whitespace', 'A=1  \n', '1:4'],
    ['env/missing-final-newline', 'A=1', '1:4'],
    ['env/extra-blank-line', 'A=1\n\n\nB=2\n', '3:1'],
    ['env/inline-comment-cut', 'A=val#x\n', '1:6'],
    ['env/quote-swallows-lines', 'A="x\nB=2\nC=3"\n', '1:3'],
    ['env/value-on-next-line', 'A=\n"x"\n', '1:1'],
    ['env/expansion-changes-value', 'A=pa$$word\n', '1:6'],
    ['env/ignored-key', '__proto__=1\n', '1:1'],
  ];
  for (const [rule, text, at] of cases) {
    it(`${rule} at ${at}`, () => {
      const found = lintEnvText(text, { path: '.env' }).findings.filter((f) => f.ruleId === rule);
      assert.equal(found.length, 1, `${rule}: ${JSON.stringify(ids(text))}`);
      const loc = found[0].location;
      assert.equal(loc.kind === 'file' && `${loc.range.startLine}:${loc.range.startColumn}`, at);
    });
  }

  it('are all listed in the README', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    for (const rule of ENV_RULES) assert.ok(readme.includes(`\`${rule.id}\``), rule.id);
  });

  it('keeps unordered-key off unless configured', () => {
    assert.ok(!ids('B=1\nA=2\n').includes('env/unordered-key'));
    assert.ok(ids('B=1\nA=2\n', { 'env/unordered-key': 'low' }).includes('env/unordered-key'));
    assert.ok(!ids('B=1\n\nA=2\n', { 'env/unordered-key': 'low' }).includes('env/unordered-key'));
  });

  it('says nothing about a clean file, and leaves multiline values alone', () => {
    assert.deepEqual(ids('# Settings\nAPI_URL=https://api.example.com\nNAME="two words"\nPEM="line one  \n\n\nline two"\nREF=${API_URL}/v1\n'), []);
  });

  it('honours launch-ready-ignore comments', () => {
    assert.deepEqual(ids('A=1 \n'), ['env/trailing-whitespace']);
    assert.deepEqual(ids('# launch-ready-ignore-next-line env/trailing-whitespace\nA=1 \n'), []);
  });

  it('never puts a value in a message', () => {
    const secret = new Fakes(3).alnum(24);
    const found = lintEnvText(`key=${secret}#x\nB=pa$$${secret}\nC="${secret}\nB=1 \n`, { path: '.env' }).findings;
    assert.ok(found.length > 3);
    for (const f of found) assert.ok(!JSON.stringify({ ...f, fixes: undefined }).includes(secret), f.ruleId);
  });

  it('classifies env files by name', () => {
    assert.equal(classifyEnvFile('.env.production').kind, 'production');
    assert.equal(classifyEnvFile('apps/web/.env.prod.local').kind, 'production');
    assert.equal(classifyEnvFile('.env.example').kind, 'example');
    assert.equal(classifyEnvFile('.env.sample').kind, 'example');
    assert.equal(classifyEnvFile('.env.template').kind, 'example');
    assert.equal(classifyEnvFile('.env.staging').kind, 'staging');
    assert.equal(classifyEnvFile('.env').kind, 'default');
    assert.equal(classifyEnvFile('.env.local').kind, 'default');
    assert.equal(classifyEnvFile('.env.development').kind, 'development');
  });
});

describe('env lint: fixes keep what the application reads', () => {
  it('fixes each fixable case the expected way', () => {
    const fixed = (text: string) => applySafeFixes(text, lintEnvText(text, { path: '.env' }).findings).text;
    assert.equal(fixed('A=1\nA=2\n'), 'A=2\n');
    assert.equal(fixed('A = 1  \n\n\nB=2'), 'A=1\n\nB=2\n');
    assert.equal(fixed('A=val#x\n'), 'A=val #x\n');
    assert.equal(fixed('A=\n"x"\n'), 'A="x"\n');
    assert.equal(fixed('FOO\nA=1\n'), '# FOO\nA=1\n');
    assert.equal(fixed('A=1\r\nA=2'), 'A=2\r\n');
  });

  it('offers the value-changing fixes only as unsafe quick fixes', () => {
    const [cut] = lintEnvText('A=val#x\n', { path: '.env' }).findings;
    const quote = cut.fixes?.find((f) => !f.safe);
    assert.ok(quote);
    assert.equal(applyEdits('A=val#x\n', quote.edits), 'A="val#x"\n');
    assert.ok(!readsTheSame('A=val#x\n', 'A="val#x"\n'));
  });

  it('offers a quick fix for the rules whose fix changes the value', () => {
    const fixOf = (text: string, rule: string, config: Record<string, 'low'> = {}) => {
      const finding = lintEnvText(text, { path: '.env', config: { rules: config } }).findings.find((f) => f.ruleId === rule);
      const fix = finding?.fixes?.[0];
      assert.ok(fix && !fix.safe, rule);
      return applyEdits(text, fix.edits);
    };
    assert.equal(fixOf('A="open\n', 'env/unbalanced-quote'), 'A="open"\n');
    assert.equal(fixOf('A="x\nB=2\nC=3"\n', 'env/quote-swallows-lines'), 'A="x"\nB=2\nC=3\n');
    assert.equal(fixOf('A=pa$$word\n', 'env/expansion-changes-value'), 'A=pa$\\$word\n');
    assert.equal(fixOf('A=${NOPE}\n', 'env/undefined-substitution'), 'A=\\${NOPE}\n');
    assert.equal(fixOf('B=1\nC=2\nA=3\n\nZ=1\n', 'env/unordered-key', { 'env/unordered-key': 'low' }), 'A=3\nB=1\nC=2\n\nZ=1\n');
    // The escaped dollar is what dotenv-expand users then read literally.
    const escaped = Object.fromEntries([...expandAll([['A', 'pa$\\$word']])].map(([k, v]) => [k, v.value]));
    assert.equal(escaped.A, 'pa$$word');
  });

  it('demotes a "safe" fix that would change the reading (duplicate referenced by expansion order)', () => {
    // Deleting the first A would move A after B in dotenv's key order, so B would expand to ''.
    const text = 'A=1\nB=${A}\nA=2\n';
    const dup = lintEnvText(text, { path: '.env' }).findings.find((f) => f.ruleId === 'env/duplicated-key');
    assert.equal(dup?.fixes?.[0].safe, false);
    assert.equal(applySafeFixes(text, lintEnvText(text, { path: '.env' }).findings).text, text);
  });

  it('re-parses every fixed file (corpus, fixtures, thousands of random files) and reads the same', () => {
    const generate = randomEnvFiles(4242);
    const files = [...TRICKY_CORPUS, ...Array.from({ length: Number(process.env.ENV_FIX_FILES ?? 1500) }, generate)];
    let changed = 0;
    for (const text of files) {
      const { findings } = lintEnvText(text, { path: '.env' });
      const result = applySafeFixes(text, findings);
      assert.ok(readsTheSame(text, result.text), JSON.stringify(text));
      if (result.text !== text) changed++;
      // Fixing is idempotent enough to converge: a second pass never changes the reading either.
      const again = applySafeFixes(result.text, lintEnvText(result.text, { path: '.env' }).findings);
      assert.ok(readsTheSame(text, again.text));
    }
    assert.ok(changed > files.length / 4, `only ${changed} files had a safe fix`);
  });
});
