import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Range, Rule, Severity } from '../model';
import { repositoryLocation } from '../workspace/repo-root';
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

/** A scan-root-relative path as a URI relative to %SRCROOT%. */
function artifactUri(path: string, prefix: string): string {
  return encodePath(prefix === '' ? path : posix.join(prefix, path));
}

function physicalLocation(path: string, range: Range, prefix: string) {
  return {
    artifactLocation: { uri: artifactUri(path, prefix), uriBaseId: '%SRCROOT%' },
    region: { startLine: range.startLine, startColumn: range.startColumn, endLine: range.endLine, endColumn: range.endColumn },
  };
}

export interface SarifInput extends ReportInput {
  rules: readonly Rule[];
  informationUri?: string;
  /**
   * Absolute folder %SRCROOT% stands for. GitHub resolves the relative URIs against the top of
   * the repository, so this is the repository root, not the scan root (see sarifRoot).
   */
  root?: string;
  /** Where the scan root lies inside `root` ('' or absent when they are the same): prefixed to every finding's path. */
  pathPrefix?: string;
}

/**
 * %SRCROOT% and the path prefix for a scan of `scanRoot`: the git repository that contains it
 * (found by walking up to `.git`), or the scan root itself outside any repository.
 */
export function sarifRoot(scanRoot: string): Pick<SarifInput, 'root' | 'pathPrefix'> {
  const { repositoryRoot, prefix } = repositoryLocation(scanRoot);
  return { root: repositoryRoot, pathPrefix: prefix };
}

export function toSarif(input: SarifInput): string {
  const rules = input.rules;
  const pathPrefix = input.pathPrefix ?? '';
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = input.findings.map((finding: Finding) => {
    const location =
      finding.location.kind === 'file'
        ? { physicalLocation: physicalLocation(finding.location.path, finding.location.range, pathPrefix) }
        : {
            // Code scanning shows only results with a file location: the launch.yaml line naming the host.
            ...(finding.location.declaredAt ? { physicalLocation: physicalLocation(finding.location.declaredAt.path, finding.location.declaredAt.range, pathPrefix) } : {}),
            logicalLocations: [{ name: finding.location.host, kind: 'resource', fullyQualifiedName: finding.location.subject ? `${finding.location.host} ${finding.location.subject}` : finding.location.host }],
          };
    const message = finding.evidence ? `${finding.message} (${finding.evidence}). ${finding.remediation}` : `${finding.message}. ${finding.remediation}`;
    return {
      ruleId: finding.ruleId,
      ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId) } : {}),
      level: LEVEL[finding.severity],
      message: { text: message },
      locations: [location],
      // The fingerprint hashes the scan-root-relative path, as baselines do: left as it is so that
      // alerts and baselines made before the prefix keep matching. A workflow scans the same
      // folder on every run, so it stays as stable as the URI.
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
              locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(note.path, pathPrefix), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
        ...(input.baseline ? { properties: { baselined: input.baseline.accepted, baselineFile: input.baseline.file } } : {}),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
