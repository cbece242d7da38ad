import { strict as assert } from 'node:assert';
import { ensureCliBuilt, removeDir, runCli, tempDir, writeFiles } from '../support/cli';
import { Fakes } from '../support/fakes';

// What GitHub code scanning needs from an uploaded SARIF file: version 2.1.0 with its $schema,
// rules in tool.driver with ids (and security-severity for the severity column), and results
// with ruleId, level, message, 1-based regions on relative URIs, and partialFingerprints.

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; properties: Record<string, unknown> }[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: {
      ruleId: string;
      ruleIndex?: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
      partialFingerprints: Record<string, string>;
    }[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[];
  }[];
}

describe('SARIF output', () => {
  const fakes = new Fakes(99);
  let dir = '';
  before(() => {
    ensureCliBuilt();
    dir = tempDir('sarif');
  });
  after(() => removeDir(dir));

  it('has the structure GitHub code scanning accepts', async () => {
    const token = fakes.githubToken();
    writeFiles(dir, {
      'src/app config.ts': `// settings\nexport const token = "${token}";\n`,
      'data.bin': Buffer.from([0, 1, 2, 3]),
    });
    const result = await runCli(['scan', '--format', 'sarif'], { cwd: dir });
    assert.equal(result.code, 1);
    const sarif = JSON.parse(result.stdout) as SarifLog;
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const [run] = sarif.runs;
    assert.equal(run.tool.driver.name, 'launch-ready');
    const ruleIds = run.tool.driver.rules.map((r) => r.id);
    assert.ok(ruleIds.length > 10);
    assert.equal(new Set(ruleIds).size, ruleIds.length, 'rule ids are unique');
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0, rule.id);
      assert.match(String(rule.properties['security-severity']), /^\d+(\.\d)?$/, rule.id);
    }

    assert.equal(run.results.length, 1);
    const [finding] = run.results;
    assert.equal(finding.ruleId, 'secret/github-token');
    assert.equal(ruleIds[finding.ruleIndex ?? -1], finding.ruleId, 'ruleIndex points at the rule');
    assert.ok(['error', 'warning', 'note'].includes(finding.level));
    assert.ok(finding.message.text.length > 0);
    assert.ok(!finding.message.text.includes(token));
    const location = finding.locations[0].physicalLocation;
    assert.equal(location.artifactLocation.uri, 'src/app%20config.ts', 'relative and percent-encoded');
    assert.equal(location.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.deepEqual(location.region, { startLine: 2, startColumn: 23, endLine: 2, endColumn: 23 + token.length });
    assert.match(finding.partialFingerprints['launchReady/v1'], /^[0-9a-f]{32}$/);
    assert.match(run.originalUriBaseIds?.['%SRCROOT%'].uri ?? '', /^file:\/\/\/.*\/$/);
    assert.equal(run.invocations[0].executionSuccessful, true);
    assert.ok(run.invocations[0].toolExecutionNotifications.some((n) => /binary/.test(n.message.text)));
  });

  it('keeps the same partial fingerprint when the line moves', async () => {
    const token = fakes.githubToken();
    writeFiles(dir, { 'src/app config.ts': `t = "${token}"\n`, 'data.bin': '' });
    const before = (JSON.parse((await runCli(['scan', '--format', 'sarif'], { cwd: dir })).stdout) as SarifLog).runs[0].results[0];
    writeFiles(dir, { 'src/app config.ts': `\n\n// moved\nt = "${token}"\n` });
    const moved = (JSON.parse((await runCli(['scan', '--format', 'sarif'], { cwd: dir })).stdout) as SarifLog).runs[0].results[0];
    assert.equal(moved.locations[0].physicalLocation.region.startLine, 4);
    assert.equal(moved.partialFingerprints['launchReady/v1'], before.partialFingerprints['launchReady/v1']);
  });
});
