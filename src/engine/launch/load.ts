import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchRule } from './rules';
import { LAUNCH_FILE_NAMES, parseLaunchYaml, type LaunchParseOptions, type LaunchParseResult } from './parse';
import { fingerprint } from '../redact';

// Finds and reads the workspace's launch.yaml for the audit and the CLI. A file that exists but
// cannot be read is a finding, so the audit says why the launch checks had nothing to go on.

export interface LoadedLaunchFile extends LaunchParseResult {
  /** Workspace-relative: `launch.yaml` or `launch.yml`. */
  path: string;
}

export function loadLaunchFile(root: string, options: LaunchParseOptions = {}): LoadedLaunchFile | undefined {
  for (const name of LAUNCH_FILE_NAMES) {
    let text: string;
    try {
      text = readFileSync(join(root, name), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      const rule = launchRule('launch/unreadable');
      return {
        path: name,
        findings: [
          {
            ruleId: rule.id,
            severity: rule.defaultSeverity,
            stage: rule.stage,
            message: `${name} could not be read (${code ?? 'error'}).`,
            location: { kind: 'file', path: name, range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } },
            remediation: rule.remediation,
            fingerprint: fingerprint(rule.id, name, code ?? ''),
          },
        ],
        positionOf: () => undefined,
      };
    }
    return { path: name, ...parseLaunchYaml(text, name, options) };
  }
  return undefined;
}
