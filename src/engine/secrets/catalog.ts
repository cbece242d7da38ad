import type { Rule } from '../model';
import { KEYED_FORMATS } from './generic';
import { PATTERN_RULES } from './providers';

// Every secret rule as data: SARIF's `tool.driver.rules`, the README's rule list and the editor's
// documentation links are all generated from this one list.

const GENERIC_RULES: Rule[] = [
  {
    id: 'secret/hardcoded-password',
    title: 'Hardcoded password',
    stage: 'secrets',
    defaultSeverity: 'medium',
    description: 'A value that looks like a real password is assigned to a key that names a password.',
    remediation: 'Move the password to an environment variable or secret manager and change it, since it is in your files.',
  },
  {
    id: 'secret/generic-credential',
    title: 'Hardcoded credential',
    stage: 'secrets',
    defaultSeverity: 'medium',
    description: 'A high-entropy value is assigned to a key that names a secret, token or API key.',
    remediation: 'Move the value to an environment variable or secret manager and rotate it at its provider.',
  },
];

const byId = new Map<string, Rule>();
for (const rule of PATTERN_RULES) {
  byId.set(rule.id, {
    id: rule.id,
    title: rule.title,
    stage: 'secrets',
    defaultSeverity: rule.severity,
    description: rule.description,
    remediation: rule.remediation,
  });
}
for (const format of KEYED_FORMATS) {
  if (byId.has(format.id)) continue;
  byId.set(format.id, {
    id: format.id,
    title: format.title,
    stage: 'secrets',
    defaultSeverity: format.severity,
    description: `A ${format.title} assigned to a key that names the provider.`,
    remediation: format.remediation,
  });
}
for (const rule of GENERIC_RULES) byId.set(rule.id, rule);

// Code-unit order, not localeCompare: the same on every machine, and this runs as each scan
// worker starts, where the first localeCompare costs milliseconds to set up the collator.
export const SECRET_RULES: readonly Rule[] = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function secretRule(id: string): Rule | undefined {
  return byId.get(id);
}
