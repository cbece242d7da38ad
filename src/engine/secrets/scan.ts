import type { ScanConfig } from '../config';
import type { Finding } from '../model';
import { fingerprint, redact } from '../redact';
import { findSuppressions, isSuppressed } from '../suppress';
import { LineIndex } from '../text/line-index';
import { secretRule } from './catalog';
import { detectSecrets } from './detector';

// Text in, findings out: detection, then the user's say (inline suppressions, rule settings),
// then positions and redaction. The editor calls this per document, the CLI per file.

export interface TextScanOptions {
  /** Workspace-relative path with forward slashes. */
  path: string;
  config?: Pick<ScanConfig, 'rules'>;
  /** Git commit the text comes from (history scans). */
  commit?: string;
  /** Line number of the text's first line, when scanning a fragment (history hunks). */
  firstLine?: number;
  /** Maps a fragment line number to the real one (history hunks with gaps). */
  lineMap?: (line: number) => number;
}

const PRODUCTION_ENV = /(?:^|\/)\.env\.(?:prod|production)(?:\.local)?$/i;

export function scanText(text: string, options: TextScanOptions): Finding[] {
  const hits = detectSecrets(text, { path: options.path, productionEnv: PRODUCTION_ENV.test(options.path) });
  if (hits.length === 0) return [];
  // Built only when something was found; only `\n` ends a line in the positions reported here.
  const index = new LineIndex(text, 'lf');
  const suppressions = text.includes('launch-ready-ignore') ? findSuppressions(text, (o) => index.line(o)) : undefined;
  const first = options.firstLine ?? 1;
  const realLine = (line: number) => (options.lineMap ? options.lineMap(line) : line + first - 1);
  const findings: Finding[] = [];
  for (const hit of hits) {
    const startLine = index.line(hit.start);
    if (suppressions && isSuppressed(suppressions, startLine, hit.ruleId)) continue;
    const setting = options.config?.rules[hit.ruleId];
    if (setting === 'off') continue;
    const rule = secretRule(hit.ruleId);
    findings.push({
      ruleId: hit.ruleId,
      severity: setting ?? hit.severity,
      stage: 'secrets',
      message: hit.message,
      location: {
        kind: 'file',
        path: options.path,
        range: {
          startLine: realLine(startLine),
          startColumn: index.column(hit.start),
          endLine: realLine(index.line(hit.end)),
          endColumn: index.column(hit.end),
        },
        ...(options.commit ? { commit: options.commit } : {}),
      },
      remediation: hit.remediation ?? rule?.remediation ?? 'Move the value to an environment variable and rotate it.',
      evidence: redact(hit.secret, hit.publicPrefix),
      fingerprint: fingerprint(hit.ruleId, options.path, hit.secret),
    });
  }
  return findings;
}
