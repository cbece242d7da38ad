import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSeverity, type Severity } from './model';

// The scanner's settings, read from `.launch-ready.json` at the workspace root. The editor maps
// its `launchReady.*` settings onto the same shape, so both run the same scan.

export type RuleSetting = Severity | 'off';

export interface ScanConfig {
  /** gitignore-style patterns of paths never scanned (on top of .gitignore). */
  exclude: string[];
  /** Per-rule override: a severity, or `off`. */
  rules: Record<string, RuleSetting>;
  /** Files larger than this are skipped with a note. */
  maxFileSize: number;
  /** Baseline file, relative to the workspace root. */
  baseline?: string;
}

export const CONFIG_FILE = '.launch-ready.json';
export const DEFAULT_BASELINE = '.launch-ready-baseline.json';

export function defaultConfig(): ScanConfig {
  return { exclude: [], rules: {}, maxFileSize: 10 * 1024 * 1024 };
}

export class ConfigError extends Error {}

/** Reads the config at `root`, or returns defaults when there is none. Throws ConfigError on bad content. */
export function loadConfig(root: string): ScanConfig {
  const config = defaultConfig();
  let raw: string;
  try {
    raw = readFileSync(join(root, CONFIG_FILE), 'utf8');
  } catch {
    return config;
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`${CONFIG_FILE}: not valid JSON (${(error as Error).message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`${CONFIG_FILE}: expected an object`);
  const object = data as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!['exclude', 'rules', 'maxFileSize', 'baseline', '$schema'].includes(key)) {
      throw new ConfigError(`${CONFIG_FILE}: unknown setting "${key}" (known: exclude, rules, maxFileSize, baseline)`);
    }
  }
  if (object.exclude !== undefined) {
    if (!Array.isArray(object.exclude) || !object.exclude.every((e) => typeof e === 'string')) {
      throw new ConfigError(`${CONFIG_FILE}: "exclude" must be a list of path patterns`);
    }
    config.exclude = object.exclude as string[];
  }
  if (object.rules !== undefined) {
    if (!object.rules || typeof object.rules !== 'object' || Array.isArray(object.rules)) {
      throw new ConfigError(`${CONFIG_FILE}: "rules" must map rule ids to a severity or "off"`);
    }
    for (const [id, setting] of Object.entries(object.rules as Record<string, unknown>)) {
      if (typeof setting !== 'string' || (setting !== 'off' && !isSeverity(setting))) {
        throw new ConfigError(`${CONFIG_FILE}: rule "${id}" must be one of off, blocker, high, medium, low`);
      }
      config.rules[id] = setting as RuleSetting;
    }
  }
  if (object.maxFileSize !== undefined) {
    if (typeof object.maxFileSize !== 'number' || !(object.maxFileSize > 0)) {
      throw new ConfigError(`${CONFIG_FILE}: "maxFileSize" must be a positive number of bytes`);
    }
    config.maxFileSize = object.maxFileSize;
  }
  if (object.baseline !== undefined) {
    if (typeof object.baseline !== 'string') throw new ConfigError(`${CONFIG_FILE}: "baseline" must be a path`);
    config.baseline = object.baseline;
  }
  return config;
}
