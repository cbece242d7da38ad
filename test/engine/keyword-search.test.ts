import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findKeywords, findKeywordsInJavaScript } from '../../src/engine/secrets/detector';
import { CREDENTIAL_KEYWORDS } from '../../src/engine/secrets/generic';
import { PATTERN_RULES } from '../../src/engine/secrets/providers';
import { REPO_ROOT } from '../support/cli';
import { seededRandom } from '../support/fakes';

// The keyword search runs in WebAssembly on ASCII text and in JavaScript otherwise; the two must
// find exactly the same keywords, or a scan's result would depend on a file's other characters.

const KEYWORDS = [...new Set([...PATTERN_RULES.flatMap((rule) => rule.keywords), ...CREDENTIAL_KEYWORDS])];

/** Text dense with keywords, their prefixes, case changes and near misses. */
function keywordSoup(random: () => number, length: number, alphabet: string): string {
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const roll = random();
    let part: string;
    if (roll < 0.3) {
      const keyword = KEYWORDS[Math.floor(random() * KEYWORDS.length)];
      const cut = random() < 0.3 ? Math.max(1, Math.floor(random() * keyword.length)) : keyword.length;
      part = [...keyword.slice(0, cut)].map((c) => (random() < 0.5 ? c.toUpperCase() : c)).join('');
    } else {
      part = Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    }
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

describe('keyword search (WebAssembly and JavaScript)', () => {
  it('is assembled from the current keyword-search.wat (npm run build:wasm)', function () {
    this.timeout(30_000);
    const check = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });

  it('finds the same keywords at the same places in random ASCII text', () => {
    const random = seededRandom(7);
    const ascii = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/="\' \n\t{}()';
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const text = keywordSoup(random, 256 + Math.floor(random() * 4000), ascii);
      const hits = findKeywords(text);
      assert.deepEqual(hits, findKeywordsInJavaScript(text), `round ${round}`);
      compared += hits.length;
    }
    assert.ok(compared > 10_000, `only ${compared} keywords compared`);
  });

  it('hands out hits in batches without losing or repeating one', () => {
    // More hits than one batch of the WebAssembly search holds (4,096).
    const text = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? 'TOKEN=' : i % 3 === 1 ? 'password ' : 'x://')).join('');
    const hits = findKeywords(text);
    assert.equal(hits.length, 10_000);
    assert.deepEqual(hits, findKeywordsInJavaScript(text));
  });

  it('falls back to JavaScript on non-ASCII text, with string offsets', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 50; round++) {
      const text = keywordSoup(random, 300 + Math.floor(random() * 2000), 'abcxyz é€😀 =:\n');
      assert.deepEqual(findKeywords(text), findKeywordsInJavaScript(text));
    }
    const text = `${'é'.repeat(300)} api_key = 1`;
    assert.deepEqual(findKeywords(text), [[301, 308]]);
  });

  it('finds keywords at the very start and end of a text', () => {
    const text = `token${' '.repeat(400)}pwd`;
    assert.deepEqual(findKeywords(text), [[0, 5], [405, 408]]);
  });
});
