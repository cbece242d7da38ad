import { strict as assert } from 'node:assert';
import { checkSync } from 'recheck';
import { PREFILTER } from '../../src/engine/secrets/detector';
import { CREDENTIAL_KEYWORDS, KEYED_FORMATS, GENERIC_PATTERNS } from '../../src/engine/secrets/generic';
import { HEURISTIC_PATTERNS } from '../../src/engine/secrets/heuristics';
import { PATTERN_RULES } from '../../src/engine/secrets/providers';

// Every regex the secret engine runs on file content goes through a ReDoS analyser: a pattern
// that can backtrack super-linearly would let one crafted file stall the editor or CI. recheck's
// fuzzer is seeded (seed 0 by default), so its verdict is the same on every run. Patterns that
// need it are rewritten to be linear (e.g. a token may not start inside a longer run of its own
// alphabet), never exempted here.

const patterns: Array<[string, RegExp]> = [
  ['PREFILTER', PREFILTER],
  ...PATTERN_RULES.map((rule): [string, RegExp] => [rule.id, rule.pattern]),
  ...KEYED_FORMATS.flatMap((format): Array<[string, RegExp]> => [
    [`${format.id} (key)`, format.key],
    [`${format.id} (value)`, format.value],
  ]),
  ...GENERIC_PATTERNS.map((pattern): [string, RegExp] => [`generic /${shorten(pattern.source)}/`, pattern]),
  ...HEURISTIC_PATTERNS.map((pattern): [string, RegExp] => [`heuristic /${shorten(pattern.source)}/`, pattern]),
];

function shorten(source: string): string {
  return source.length > 48 ? `${source.slice(0, 45)}…` : source;
}

// Verdicts come from step counts, not wall-clock time: a loaded CI machine must not turn a safe
// pattern into `unknown` (timeout) or into a false `vulnerable` (an attack run that timed out).
const DETERMINISTIC = { timeout: null, attackTimeout: null, incubationTimeout: null } as const;

describe('secret patterns run in linear time (recheck)', function () {
  this.timeout(120_000);

  it('covers the prefilter, every provider rule, keyed format and heuristic', () => {
    assert.ok(PATTERN_RULES.length >= 30 && KEYED_FORMATS.length >= 8 && HEURISTIC_PATTERNS.length >= 8);
    assert.ok(CREDENTIAL_KEYWORDS.every((keyword) => new RegExp(PREFILTER.source, PREFILTER.flags).test(keyword)));
  });

  for (const [name, pattern] of patterns) {
    it(`${name} is safe`, () => {
      // `g` only changes where matching resumes, not how it backtracks; recheck does not take it.
      const diagnostics = checkSync(pattern.source, pattern.flags.replace('g', ''), DETERMINISTIC);
      const detail = diagnostics.status === 'vulnerable'
        ? `${diagnostics.complexity.summary}, e.g. ${JSON.stringify(diagnostics.attack.pattern)}`
        : diagnostics.status === 'unknown' ? diagnostics.error.kind : '';
      assert.equal(diagnostics.status, 'safe', `${name}: ${detail}`);
    });
  }
});
