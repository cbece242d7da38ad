import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_GROUPS, RULES_BEGIN, RULES_END, rulesMarkdown, withRulesSection } from '../../src/engine/report/rules-markdown';
import { REPO_ROOT } from '../support/cli';

// The README's rule reference is generated (`npm run docs:rules`); this fails when a rule was
// added, removed or reworded in a catalogue and the README was not regenerated.

describe('README rule reference', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

  it('is up to date with the rule catalogues (run npm run docs:rules)', () => {
    assert.ok(readme.includes(RULES_BEGIN) && readme.includes(RULES_END), 'README has the generated section markers');
    assert.equal(withRulesSection(readme), readme, 'README rules section is stale: run npm run docs:rules');
  });

  it('lists every rule once, with its severity, meaning, fix and a way to silence it', () => {
    const markdown = rulesMarkdown();
    const ids = RULE_GROUPS.flatMap((group) => group.rules.map((rule) => rule.id));
    assert.equal(new Set(ids).size, ids.length, 'no rule in two groups');
    for (const group of RULE_GROUPS) {
      assert.ok(group.rules.length > 0, `${group.title} has rules`);
      for (const rule of group.rules) {
        const row = markdown.split('\n').find((line) => line.startsWith(`| \`${rule.id}\` |`));
        assert.ok(row, rule.id);
        assert.ok(row.includes(` ${rule.defaultSeverity}`), `${rule.id} severity`);
        assert.equal(row.split(/(?<!\\)\|/).length, 6, `${rule.id}: a cell holds a stray pipe`);
      }
    }
    assert.equal((markdown.match(/How to silence one:/g) ?? []).length, RULE_GROUPS.length);
  });

  it('regenerating replaces only the section between the markers', () => {
    const text = `# T\n\nbefore\n${RULES_BEGIN}\nold\n${RULES_END}\nafter\n`;
    const next = withRulesSection(text, 'NEW');
    assert.equal(next, `# T\n\nbefore\n${RULES_BEGIN}\n\nNEW\n\n${RULES_END}\nafter\n`);
    assert.equal(withRulesSection(next, 'NEW'), next);
    assert.throws(() => withRulesSection('# no markers\n'), /no rules section/);
  });
});
