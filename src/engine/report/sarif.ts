import { pathToFileURL } from 'node:url';
import type { Finding, Range, Rule, Severity } from '../model';
import type { ReportInput } from './json';

// SARIF 2.1.0 as GitHub code scanning reads it: rules in tool.driver, a level per result,
// physical locations with 1-based regions, and partialFingerprints so alerts survive commits.

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  blocker: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub's numeric severity scale for code scanning ("security-severity"). */
const SECURITY_SEVERITY: Record<Severity, string> = { blocker: '9.5', high: '8.0', medium: '5.5', low: '2.0' };

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function physicalLocation(path: string, range: Range) {
  return {
    artifactLocation: { uri: encodePath(path), uriBaseId: '%SRCROOT%' },
    region: { startLine: range.startLine, startColumn: range.startColumn, endLine: range.endLine, endColumn: range.endColumn },
  };
}

export interface SarifInput extends ReportInput {
  rules: readonly Rule[];
  informationUri?: string;
  /** Absolute workspace root: what %SRCROOT% stands for. GitHub resolves the relative URIs itself. */
  root?: string;
}

export function toSarif(input: SarifInput): string {
  const rules = input.rules;
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = input.findings.map((finding: Finding) => {
    const location =
      finding.location.kind === 'file'
        ? { physicalLocation: physicalLocation(finding.location.path, finding.location.range) }
        : {
            // Code scanning shows only results with a file location: the launch.yaml line naming the host.
            ...(finding.location.declaredAt ? { physicalLocation: physicalLocation(finding.location.declaredAt.path, finding.location.declaredAt.range) } : {}),
            logicalLocations: [{ name: finding.location.host, kind: 'resource', fullyQualifiedName: finding.location.subject ? `${finding.location.host} ${finding.location.subject}` : finding.location.host }],
          };
    const message = finding.evidence ? `${finding.message} (${finding.evidence}). ${finding.remediation}` : `${finding.message}. ${finding.remediation}`;
    return {
      ruleId: finding.ruleId,
      ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
      level: LEVEL[finding.severity],
      message: { text: message },
      locations: [location],
      partialFingerprints: { 'launchReady/v1': finding.fingerprint },
      properties: {
        severity: finding.severity,
        stage: finding.stage,
        ...(finding.location.kind === 'file' && finding.location.commit ? { commit: finding.location.commit } : {}),
      },
    };
  });
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: input.tool.name,
            version: input.tool.version,
            semanticVersion: input.tool.version,
            ...(input.informationUri ? { informationUri: input.informationUri } : {}),
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description },
              help: { text: rule.remediation, markdown: `**How to fix:** ${rule.remediation}\n\n**How to silence:** add \`launch-ready-ignore ${rule.id}\` in a comment on the line, or set \`"${rule.id}": "off"\` under \`rules\` in \`.launch-ready.json\`.` },
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
              properties: { tags: ['security', rule.stage], 'security-severity': SECURITY_SEVERITY[rule.defaultSeverity] },
            })),
          },
        },
        // SARIF requires a base URI to end with a slash.
        ...(input.root ? { originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(input.root).href.replace(/\/?$/, '/') } } } : {}),
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...(input.skipped ?? []).map((note) => ({ note, prefix: 'Skipped' })),
              ...(input.notes ?? []).map((note) => ({ note, prefix: 'Note' })),
            ].map(({ note, prefix }) => ({
              level: 'note',
              message: { text: `${prefix}: ${note.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodePath(note.path), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
        ...(input.baseline ? { properties: { baselined: input.baseline.accepted, baselineFile: input.baseline.file } } : {}),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
