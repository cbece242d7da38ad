import { strict as assert } from 'node:assert';
import { AUDIT_RULES, auditToText, buildReport, isStageLevelFinding, isStageLevelRule, readinessItemsForFinding, stagesOfFinding, stageStatusOf } from '../../src/engine/audit';
import type { Attestation } from '../../src/engine/launch/model';
import { DNS_RULES } from '../../src/engine/dns/rules';
import { EMAIL_RULES } from '../../src/engine/email/catalog';
import { ENV_RULES } from '../../src/engine/env/rules';
import { LAUNCH_RULES } from '../../src/engine/launch';
import type { Finding, Rule } from '../../src/engine/model';
import { readinessItem } from '../../src/engine/readiness/catalog';
import { SECRET_RULES } from '../../src/engine/secrets/catalog';
import { WEB_RULES } from '../../src/engine/web/rules';

// Every rule's findings land on a readiness item of their own stage (or are declared stage-level),
// so a stage never fails above items that all pass with nothing shown for why.

const CATALOGUES: Record<string, readonly Rule[]> = {
  launch: LAUNCH_RULES,
  audit: AUDIT_RULES,
  secrets: SECRET_RULES,
  env: ENV_RULES,
  dns: DNS_RULES,
  email: EMAIL_RULES,
  web: WEB_RULES,
};

/** What every report built here shares; each test adds its findings, checks and attestations. */
const REPORT_BASE = { tool: { name: 't', version: '0' }, generatedAt: new Date('2026-11-25T00:00:00Z'), checkedFrom: 'test', root: '/w', offline: false } as const;

function findingOf(rule: Rule): Finding {
  const host = { kind: 'host', host: 'acme.com', subject: 'TXT' } as const;
  const file = { kind: 'file', path: 'a.ts', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } } as const;
  const live = rule.id.startsWith('dns/') || rule.id.startsWith('email/') || rule.id.startsWith('web/');
  return { ruleId: rule.id, severity: 'high', stage: rule.stage, message: 'm', location: live ? host : file, remediation: 'r', fingerprint: rule.id };
}

describe('rule → readiness item mapping', () => {
  for (const [name, rules] of Object.entries(CATALOGUES)) {
    it(`maps every ${name} rule to a readiness item, or lists it as stage-level`, () => {
      assert.ok(rules.length > 0);
      const problems: string[] = [];
      for (const rule of rules) {
        const items = readinessItemsForFinding(findingOf(rule));
        const unknown = items.filter((id) => !readinessItem(id));
        if (unknown.length > 0) problems.push(`${rule.id} maps to unknown item(s) ${unknown.join(', ')}`);
        if (isStageLevelRule(rule.id)) continue;
        if (items.length === 0) problems.push(`${rule.id} maps to no readiness item`);
      }
      assert.deepEqual(problems, []);
    });
  }

  it('lists only launch.yaml, audit and BIMI rules as stage-level', () => {
    const stageLevel = Object.values(CATALOGUES).flat().filter((rule) => isStageLevelRule(rule.id)).map((rule) => rule.id);
    assert.ok(stageLevel.includes('launch/yaml-syntax') && stageLevel.includes('audit/check-failed'));
    assert.deepEqual(stageLevel.filter((id) => !id.startsWith('launch/') && !id.startsWith('audit/')), ['email/bimi-syntax']);
  });

  it('a stage-level finding counts on the stage it is filed under', () => {
    const report = buildReport({
      ...REPORT_BASE,
      findings: [{ ruleId: 'launch/unknown-key', severity: 'medium', stage: 'audit', message: 'm', remediation: 'r', location: { kind: 'file', path: 'launch.yaml', range: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 4 } }, fingerprint: 'b' }],
      checks: [],
      attestations: [],
      acceptedRisks: [],
    });
    assert.equal(report.findings[0].items, undefined);
    assert.equal(report.stages.audit.status, 'warn');
    assert.equal(report.stages.audit.counts.medium, 1);
  });

  it('a p95 over budget fails P7, so "Performance and caching" never fails above items that pass', () => {
    const rule = WEB_RULES.find((entry) => entry.id === 'web/latency-over-budget');
    assert.ok(rule);
    assert.deepEqual(readinessItemsForFinding(findingOf(rule)), ['P7']);
    const report = buildReport({
      ...REPORT_BASE,
      findings: [{ ...findingOf(rule), location: { kind: 'host', host: 'api.acme.com', subject: 'https://api.acme.com/health' } }],
      checks: [{ id: 'web', status: 'ran', findings: 1, items: ['P1', 'P2', 'P3'] }],
      attestations: [],
      acceptedRisks: [],
    });
    const performance = report.stages.performance;
    assert.equal(performance.status, 'fail');
    assert.deepEqual(performance.items.filter((item) => item.status !== 'not-checked').map((item) => `${item.id} ${item.status}`), ['P1 pass', 'P2 pass', 'P3 pass', 'P7 fail']);
  });
});

describe('which stage a finding counts in', () => {
  const host = (ruleId: string, severity: Finding['severity'], subject: string): Finding => ({
    ruleId,
    severity,
    stage: 'edge',
    message: `${ruleId} on ${subject}`,
    location: { kind: 'host', host: 'www.acme.com', subject },
    remediation: 'r',
    fingerprint: `${ruleId}:${subject}`,
  });
  const reportOf = (findings: Finding[], attestations: Attestation[] = []) =>
    buildReport({
      ...REPORT_BASE,
      findings,
      checks: [{ id: 'web', status: 'ran', findings: findings.length, items: ['D2', 'D3', 'E1', 'E3', 'E5', 'E6', 'A7', 'A8', 'P1', 'P2', 'P3'] }],
      attestations,
      acceptedRisks: [],
    });

  it('counts a finding filed under Edge that answers D3 in "DNS and redirects" only', () => {
    const report = reportOf([host('web/http-not-upgraded', 'high', 'http://www.acme.com/')]);
    assert.deepEqual(stagesOfFinding(report.findings[0]), ['dns']);
    assert.equal(report.stages.dns.status, 'fail');
    assert.equal(report.stages.dns.counts.high, 1);
    assert.equal(report.stages.edge.status, 'pass');
    assert.deepEqual(report.stages.edge.counts, { blocker: 0, high: 0, medium: 0, low: 0 });
    // The text lists it under the stage whose line counts it.
    const text = auditToText(report, { color: false });
    const dnsSection = text.split('\nDNS and redirects\n')[1]?.split('\n\n')[0] ?? '';
    assert.match(dnsSection, /web\/http-not-upgraded/);
    assert.doesNotMatch(text, /\nEdge and SSL\n/);
    assert.match(text, /^ {2}Edge and SSL +pass +E1 pass/m);
  });

  it('counts a stage-level finding on its own stage, and an item marked not applicable keeps its findings out', () => {
    assert.deepEqual(stagesOfFinding({ stage: 'audit', items: [] }), ['audit']);
    // An item id this version does not know leaves the finding stage-level rather than lost.
    assert.deepEqual(stagesOfFinding({ stage: 'edge', items: ['Z9'] }), ['edge']);
    assert.equal(isStageLevelFinding({ stage: 'edge', items: ['Z9'] }), true);
    const report = reportOf([host('web/security-txt-missing', 'low', 'https://www.acme.com/.well-known/security.txt')], [{ item: 'A8', by: 'Ana', date: '2026-11-20', notApplicable: 'internal tool' }]);
    assert.equal(report.stages.audit.items.find((item) => item.id === 'A8')?.status, 'not-applicable');
    assert.equal(report.stages.audit.status, 'pass');
    assert.equal(report.stages.audit.counts.low, 0);
  });

  it('decides a stage from its items and stage-level findings', () => {
    assert.equal(stageStatusOf(['pass', 'fail', 'not-checked'], []), 'fail');
    assert.equal(stageStatusOf(['pass', 'not-checked'], ['high']), 'fail');
    assert.equal(stageStatusOf(['pass', 'warn'], []), 'warn');
    assert.equal(stageStatusOf(['pass'], ['low']), 'warn');
    assert.equal(stageStatusOf(['pass', 'not-checked', 'attested'], []), 'pass');
    // An attestation answers its own item only: the others were not checked.
    assert.equal(stageStatusOf(['attested', 'not-checked'], []), 'not-checked');
    assert.equal(stageStatusOf(['attested', 'not-applicable'], []), 'pass');
    assert.equal(stageStatusOf(['not-checked', 'not-checked'], []), 'not-checked');
  });
});
