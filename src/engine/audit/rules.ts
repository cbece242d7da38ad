import type { Finding, Rule, Stage } from '../model';
import { fingerprint } from '../redact';

// Rules that belong to the audit itself rather than to one check: no launch.yaml to check
// against, and a check that failed to run (a bug or an environment failure, never a pass).

export const AUDIT_RULES: readonly Rule[] = [
  {
    id: 'launch/missing',
    title: 'No launch.yaml',
    stage: 'audit',
    defaultSeverity: 'high',
    description: 'The workspace has no launch.yaml, so the audit does not know the domain, senders or hosts to check: the DNS, email and HTTPS checks were not run.',
    remediation: 'Run `launch-ready init` for a commented starter file, fill in `app` and `domain`, and run the audit again.',
  },
  {
    id: 'audit/check-failed',
    title: 'A check could not run',
    stage: 'audit',
    defaultSeverity: 'high',
    description: 'One of the audit\'s checks stopped with an error, so what it covers is unknown (not passing).',
    remediation: 'Read the error in the message; fix the environment (permissions, network) or report the bug, then run the audit again.',
  },
];

const BY_ID = new Map(AUDIT_RULES.map((entry) => [entry.id, entry]));

export function auditRule(id: string): Rule {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown audit rule ${id}`);
  return found;
}

export function missingLaunchFinding(): Finding {
  const rule = auditRule('launch/missing');
  return {
    ruleId: rule.id,
    severity: rule.defaultSeverity,
    stage: rule.stage,
    message: 'No launch.yaml (or launch.yml) in the workspace: DNS, email and HTTPS checks were not run.',
    location: { kind: 'file', path: 'launch.yaml', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } },
    remediation: rule.remediation,
    fingerprint: fingerprint(rule.id, 'launch.yaml', ''),
  };
}

export function checkFailedFinding(check: string, stage: Stage, error: unknown): Finding {
  const rule = auditRule('audit/check-failed');
  // Only the message: a stack could carry paths and values from the failing code.
  const reason = error instanceof Error ? error.message : String(error);
  return {
    ruleId: rule.id,
    severity: rule.defaultSeverity,
    stage,
    message: `The ${check} check stopped with an error: ${reason.slice(0, 300)}`,
    location: { kind: 'file', path: '.', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } },
    remediation: rule.remediation,
    fingerprint: fingerprint(rule.id, check, ''),
  };
}
