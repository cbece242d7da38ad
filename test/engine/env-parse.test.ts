import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dotenv from 'dotenv';
import { expand as dotenvExpand } from 'dotenv-expand';
import { expandAll } from '../../src/engine/env/expand';
import { parseEnv, toDotenvObject, type ParseIssueKind } from '../../src/engine/env/parse';
import { seededRandom } from '../support/fakes';

// The parser must read every file exactly as `dotenv.parse` does. Three sources of files: dotenv's
// own fixtures (with the pairs dotenv returned for them, recorded in expected.json), a hand-written
// corpus of tricky cases, and thousands of seeded random files built from the characters that
// matter to the grammar. Key order is compared too: dotenv-expand expands in that order.
//
// Deliberate differences (not compared here, each asserted below by name):
//  - `__proto__`: dotenv's plain-object result silently drops it; we keep the entry and report it.
//  - expansion never consults process.env and never runs `$(…)`; runaway expansion is capped
//    (dotenv-expand grows some self-feeding values until it runs out of memory);
//  - names like `constructor` or `toString` are references to undefined keys for us; dotenv-expand
//    finds them on Object.prototype and never returns.

// Mocha runs from the repository root (npm test), whichever folder the compiled tests are in.
const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'dotenv');

function entriesOf(object: Record<string, string>): [string, string][] {
  return Object.entries(object);
}

function assertSameAsDotenv(text: string, label: string): void {
  const ours = entriesOf(toDotenvObject(parseEnv(text)));
  const theirs = entriesOf(dotenv.parse(text));
  assert.deepEqual(ours, theirs, `${label}: ${JSON.stringify(text)}`);
}

/** Returns false (and compares nothing) where dotenv-expand would never finish: see below. */
function assertSameExpansion(text: string, label: string): boolean {
  const ours = expandAll(Object.entries(toDotenvObject(parseEnv(text))));
  // Deliberate difference: a value like `\$A=$$` that refers to itself once expanded makes
  // dotenv-expand grow the string forever (the `$$` → `$` replacement defeats its cycle check)
  // until the process runs out of memory. We stop at a bound and say so; nothing to compare.
  if ([...ours.values()].some((v) => v.truncated)) return false;
  const object = dotenv.parse(text);
  const theirs = dotenvExpand({ parsed: { ...object }, processEnv: {} }).parsed ?? {};
  assert.deepEqual(
    [...ours].map(([k, v]) => [k, v.value]),
    Object.entries(theirs),
    `${label} (expanded): ${JSON.stringify(text)}`,
  );
  return true;
}

export const TRICKY_CORPUS: string[] = [
  'A=1\nB=2\n',
  'A=val#x\n',
  'A=val #x\n',
  'A=#x\n',
  'A= #x\n',
  'A="unclosed\nB=2\nC=3\n',
  'A="swallow\nB=2\nC=3"\nD=4\n',
  "A='x'junk\nB=1\n",
  'A="a"b"\n',
  'A="a\\"b"\n',
  'A="a\\"\n"b"\n',
  'A="a\\nb\\rc"\n',
  "A='a\\nb'\n",
  'A=`a\\nb`\n',
  'A=a\\nb\n',
  'A="\\\\n"\n',
  'export A=1\nexport  B = 2\nexport=3\nexports=4\nexport\nC=5\n',
  'export \n=5\n',
  'KEY\n=value\n',
  'K:\nvalue\n',
  'K: v\nL:w\nM :x\n',
  'K=\n"next line"\n',
  "K=\n\n'two lines down'\n",
  'K= \t \n',
  '   SPACED   =   value with spaces   \n',
  '# comment\n  # indented comment\nA=1 # trailing\n',
  'A="x" # comment\nB="y"# no space\nC="z"  \n',
  'A=1\r\nB="multi\r\nline"\r\nC=3\r\n',
  'A=1\rB=2\r',
  '\ufeffA=bom\n',
  'A=\u00a0nbsp\u00a0\n',
  'A=x\u2028"y"\n',
  'A=x\u2028B=y\n',
  'A="x\u2028y"\n',
  'A.B-C=dots\n1=digit\n-=dash\n',
  'A=1\nA=2\nB=${A}\nA=3\n',
  'A=equals==signs=\n',
  'A={"json": "inside"}\n',
  "A='{\"json\": \"single\"}'\n",
  'A=""\nB=\'\'\nC=``\n',
  'A="\n',
  'A=\'\n',
  'A=`\n',
  'A="""\n',
  'A=\'\'\'x\'\'\'\n',
  'A="x"\n"y"\n',
  'A=`multi\nline "with" \'quotes\'`\nB=after\n',
  'no equals here\nA=1\n= value only\n==\n',
  '   \n\n\t\n',
  '',
  '#',
  'A',
  'A=',
  'A=1',
  'A="1"',
  'A="1" ',
  'A=\\"escaped\\"\n',
  'A="ends with backslash\\"\nB=2\n',
  'A="a\\" # x"\n',
  'A="a" "b"\n',
  "A='it\\'s'\n",
  'A=pa$$word\nB=$A$A\nC=${A:-d}\nD=${UNDEFINED:-fallback}\nE=${A:+alt}\nF=\\$A\nG=${nullable}\n',
  'A=$(whoami)\nB=`$(id)`\n',
  'A=1 2 3\nB= 4 5 \n',
  'A=x\t# tab comment\n',
  'A=x\n\n\n# c\n\nB=y\n',
  'A="x"\n\n\n',
  '__proto__=polluted\nconstructor=c\ntoString=t\n',
];

describe('env parser: dotenv differential', () => {
  it("agrees with dotenv's own fixtures and the pairs dotenv returned for them", () => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { files: Record<string, Record<string, string>> };
    const names = Object.keys(expected.files);
    assert.ok(names.length >= 4);
    for (const name of names) {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      assert.deepEqual(entriesOf(toDotenvObject(parseEnv(text))), entriesOf(expected.files[name]), name);
      assertSameAsDotenv(text, name);
      assert.ok(assertSameExpansion(text, name));
    }
  });

  it('agrees with dotenv.parse on the hand-written corpus', () => {
    TRICKY_CORPUS.forEach((text, i) => {
      if (text.includes('__proto__')) return; // deliberate difference, tested below
      assertSameAsDotenv(text, `corpus #${i}`);
      assert.ok(assertSameExpansion(text, `corpus #${i}`), `corpus #${i} expansion not compared`);
    });
  });

  it('agrees with dotenv.parse and dotenv-expand on seeded random files', () => {
    const files = Number(process.env.ENV_DIFF_FILES ?? 4000);
    const seed = Number(process.env.ENV_DIFF_SEED ?? 20261125);
    const generate = randomEnvFiles(seed);
    let expansionsCompared = 0;
    for (let i = 0; i < files; i++) {
      const text = generate();
      assertSameAsDotenv(text, `random file #${i} (seed ${seed})`);
      if (assertSameExpansion(text, `random file #${i} (seed ${seed})`)) expansionsCompared++;
    }
    // The runaway cases are rare; if most files stopped comparing, the generator broke.
    assert.ok(expansionsCompared > files * 0.95, `only ${expansionsCompared} of ${files} expansions compared`);
  });

  it('agrees with dotenv.parse on seeded character soup (every grammar character, any order)', () => {
    const alphabet = ['A', 'B', '=', '"', "'", '`', '#', '\\', ' ', '\t', '\n', '\r', '\r\n', ':', 'x', 'n', '$', '{', '}', 'export ', '\u2028', '\u00a0', '\ufeff'];
    const seed = Number(process.env.ENV_SOUP_SEED ?? 5);
    const random = seededRandom(seed);
    const files = Number(process.env.ENV_SOUP_FILES ?? 20000);
    for (let i = 0; i < files; i++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
      assertSameAsDotenv(text, `soup #${i} (seed ${seed})`);
    }
  });

  it('deliberately keeps __proto__ (dotenv drops it silently) and reports it', () => {
    const parsed = parseEnv('__proto__=x\nA=1\n');
    assert.deepEqual(parsed.entries.map((e) => e.key), ['__proto__', 'A']);
    assert.ok(parsed.issues.some((i) => i.kind === 'ignored-key'));
    assert.deepEqual(Object.keys(dotenv.parse('__proto__=x\nA=1\n')), ['A']);
  });
});

/**
 * Random files from grammar-relevant fragments: keys, separators, every quote, backslashes,
 * comments, the line endings dotenv normalises, Unicode whitespace and expansion syntax.
 */
export function randomEnvFiles(seed: number): () => string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const keys = ['A', 'B', 'KEY', 'a_b', 'X.Y', 'K-1', '1', 'export', 'DB_URL', 'A'];
  const separators = ['=', ' = ', '=\t', ': ', ':', ' =', '=\n', ':\n', '\n='];
  const fragments = [
    'x', 'abc', ' ', '  ', '\t', '"', "'", '`', '\\', '\\n', '\\r', '\\"', "\\'", '#', ' #', '# c', '=', ':',
    '$', '$A', '${A}', '${B:-d}', '${A:+y}', '$$', '\\$A', '{', '}', '\n', '\r\n', '\r', '\u2028', '\u00a0', '\ufeff', 'é', 'export ',
  ];
  const value = () => {
    let out = '';
    const length = Math.floor(random() * 6);
    for (let i = 0; i < length; i++) out += pick(fragments);
    const quote = random();
    if (quote < 0.15) return `"${out}"`;
    if (quote < 0.25) return `'${out}'`;
    if (quote < 0.3) return '`' + out + '`';
    if (quote < 0.38) return pick(['"', "'", '`']) + out;
    return out;
  };
  return () => {
    const lines: string[] = [];
    const count = 1 + Math.floor(random() * 8);
    for (let i = 0; i < count; i++) {
      const r = random();
      if (r < 0.08) lines.push(pick(['', '   ', '# comment', '  # x=y', 'garbage line', '\t']));
      else lines.push(`${random() < 0.1 ? pick(['export ', '  ', 'export\t']) : ''}${pick(keys)}${pick(separators)}${value()}${random() < 0.15 ? pick([' # c', '#c', '  ']) : ''}`);
    }
    return lines.join(pick(['\n', '\n', '\n', '\r\n', '\r'])) + (random() < 0.7 ? '\n' : '');
  };
}

describe('env parser: positions and data-loss notes', () => {
  const kinds = (text: string): ParseIssueKind[] => parseEnv(text).issues.map((i) => i.kind);

  it('keeps the line and column of every key and value, CRLF included', () => {
    const parsed = parseEnv('# c\r\n  API_KEY = "abc"\r\nexport B=x\r\n');
    const [a, b] = parsed.entries;
    assert.deepEqual(a.keyRange, { startLine: 2, startColumn: 3, endLine: 2, endColumn: 10 });
    assert.deepEqual(a.valueRange, { startLine: 2, startColumn: 13, endLine: 2, endColumn: 18 });
    assert.equal(a.value, 'abc');
    assert.equal(a.quote, '"');
    assert.ok(b.exported);
    assert.deepEqual(b.keyRange, { startLine: 3, startColumn: 8, endLine: 3, endColumn: 9 });
    assert.equal(parsed.text.slice(b.valueStart, b.valueEnd), 'x');
  });

  it('spans multiline values', () => {
    const parsed = parseEnv('A="one\r\ntwo"\r\nB=1\r\n');
    assert.deepEqual(parsed.entries[0].valueRange, { startLine: 1, startColumn: 3, endLine: 2, endColumn: 5 });
    assert.equal(parsed.entries[0].value, 'one\ntwo');
    assert.deepEqual(parsed.entries[1].keyRange.startLine, 3);
  });

  it('says where dotenv loses or changes data', () => {
    assert.deepEqual(kinds('A=val#x\n'), ['comment-cut']);
    assert.deepEqual(kinds('A=val #x\n'), []);
    assert.deepEqual(kinds('A=#x\n'), ['comment-cut']);
    assert.deepEqual(kinds('A="open\nB=2\n'), ['unclosed-quote']);
    assert.deepEqual(kinds('A="open\nB=2\nC=3"\n'), ['quote-swallows-lines']);
    assert.deepEqual(parseEnv('A="open\nB=2\nC=3"\n').issues[0].swallowed, ['B', 'C']);
    assert.deepEqual(kinds('not a statement\nA=1\n'), ['malformed-line']);
    assert.deepEqual(kinds('A=1\nA=2\n'), ['duplicate-key']);
    assert.equal(parseEnv('A=1\nA=2\n').entries[0].overriddenBy, 1);
    assert.deepEqual(kinds('A=\n"b"\n'), ['value-on-next-line']);
    assert.deepEqual(kinds('A=1\n# B=2\n\nC="q" # c\n'), []);
  });

  it('reports expansion that eats $ sequences, and never executes anything', () => {
    const expanded = expandAll([['P', 'pa$$word'], ['C', '$(touch /tmp/launch-ready-pwned)']]);
    assert.equal(expanded.get('P')?.value, 'pa$');
    assert.deepEqual(expanded.get('P')?.undefinedReferences, ['word']);
    assert.equal(expanded.get('C')?.value, '$(touch /tmp/launch-ready-pwned)');
  });

  it('stops the self-feeding expansion that never ends in dotenv-expand', () => {
    const expanded = expandAll([['A', '\\$A=$$'], ['B', '$A']]);
    assert.equal(expanded.get('B')?.truncated, true);
  });

  it('deliberately ignores inherited object properties as references (dotenv-expand loops forever on them)', () => {
    // dotenv-expand looks names up on a plain object, so `$constructor` finds Object's constructor,
    // passes it to String.prototype.replace as a replacer, and re-finds the same reference forever.
    const expanded = expandAll([['A', 'x$constructor'], ['B', '${toString:-d}']]);
    assert.equal(expanded.get('A')?.value, 'x');
    assert.equal(expanded.get('B')?.value, 'd');
  });

  it('caps runaway expansion instead of growing without bound', () => {
    const pairs: [string, string][] = [['A0', 'x'.repeat(64)]];
    for (let i = 1; i < 20; i++) pairs.push([`A${i}`, `\${A${i - 1}}\${A${i - 1}}`]);
    const expanded = expandAll(pairs);
    assert.equal(expanded.get('A19')?.truncated, true);
    assert.ok((expanded.get('A19')?.value.length ?? 0) <= 1 << 20);
  });

  it('survives hostile input: BOMs, invalid UTF-8, binary, huge unclosed quotes', () => {
    const hostile = [
      '\ufeff\ufeffA=1',
      Buffer.from([0x41, 0x3d, 0xff, 0xfe, 0x0a, 0x42, 0x3d, 0xc3]).toString('latin1'),
      '\u0000\u0001A=\u0000\n',
      'A="' + 'x\\"'.repeat(50_000),
      ('A="\n').repeat(50_000),
      ("A='" + "\\'".repeat(10) + '\n').repeat(5_000),
      '"#"#'.repeat(100_000),
      '${'.repeat(100_000),
    ];
    for (const text of hostile) {
      const parsed = parseEnv(text);
      assert.ok(Array.isArray(parsed.entries));
    }
    // Small versions of the same shapes still agree with dotenv.
    for (const text of ['A="' + 'x\\"'.repeat(20), ('A="\n').repeat(20), '"#"#'.repeat(20)]) assertSameAsDotenv(text, 'hostile (small)');
  });

  it('parses a 10 MB file of one-line statements', () => {
    const line = 'SOME_KEY_NAME="some value here" # and a comment\n';
    const text = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
    const parsed = parseEnv(text);
    assert.equal(parsed.entries.length, Math.ceil((10 * 1024 * 1024) / line.length));
    assert.equal(parsed.entries.at(-1)?.value, 'some value here');
  });
});
