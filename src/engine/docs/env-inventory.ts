import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchConfig } from '../launch/model';
import { classifyEnvFile } from '../env/lint';
import { parseEnv } from '../env/parse';
import { isEnvFileName } from '../env/workspace';
import { scanText } from '../secrets/scan';
import { compareText } from './common';
import type { EnvEnvironment, EnvVariable } from './input';

// Variable NAMES per environment, and which are secrets, for the handover and the leaked-secret
// playbook. Values are read only to ask the secret scanner whether one looks like a credential;
// nothing but the name and that yes/no leaves this file.

/** Names that hold credentials whatever their value looks like today. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|API_?KEY|ACCESS_?KEY|CREDENTIAL|(?:^|_)AUTH(?:_|$)|SIGNING|ENCRYPTION_KEY|(?:^|_)SALT(?:_|$)|DSN$|(?:DATABASE|DB|REDIS|MONGO(?:DB)?|POSTGRES|MYSQL)_?URL$|WEBHOOK/i;

const MAX_ENV_FILE_BYTES = 1024 * 1024;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

interface ReadFile {
  path: string;
  names: string[];
  /** Names whose value the secret scanner flags. */
  secretValues: Set<string>;
}

function readEnvFile(root: string, path: string): ReadFile | undefined {
  let text: string;
  try {
    const absolute = join(root, path);
    if (statSync(absolute).size > MAX_ENV_FILE_BYTES) return undefined;
    text = readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseEnv(text);
  const names = [...new Set(parsed.entries.map((entry) => entry.key).filter((key) => key !== '__proto__'))];
  const flaggedLines = new Set(scanText(text, { path }).map((finding) => (finding.location.kind === 'file' ? finding.location.range.startLine : 0)));
  const secretValues = new Set<string>();
  for (const entry of parsed.entries) {
    for (let line = entry.keyRange.startLine; line <= entry.valueRange.endLine; line++) {
      if (flaggedLines.has(line)) secretValues.add(entry.key);
    }
  }
  return { path, names, secretValues };
}

/** Env files at the workspace root, in name order (nested apps declare theirs in launch.yaml). */
function rootEnvFiles(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isFile() && isEnvFileName(entry.name))
      .map((entry) => entry.name)
      .sort(compareText);
  } catch {
    return [];
  }
}

function environmentOfFile(path: string): string | undefined {
  const info = classifyEnvFile(path);
  if (info.kind === 'example') return undefined;
  if (info.kind === 'default') return info.local ? 'local' : 'default';
  return info.kind === 'other' ? (info.mode ?? 'other') : info.kind;
}

export function collectEnvInventory(root: string, config: LaunchConfig | undefined): EnvEnvironment[] {
  const cache = new Map<string, ReadFile | undefined>();
  const read = (path: string) => {
    if (!cache.has(path)) cache.set(path, readEnvFile(root, path));
    return cache.get(path);
  };
  const environments: EnvEnvironment[] = [];
  const claimed = new Set<string>();
  for (const declared of config?.environments ?? []) {
    const variables = new Map<string, EnvVariable>();
    const add = (name: string): EnvVariable => {
      const existing = variables.get(name) ?? { name, secret: isSecretName(name), required: false, setIn: [] };
      variables.set(name, existing);
      return existing;
    };
    for (const path of declared.files) {
      claimed.add(path);
      const file = read(path);
      if (!file) continue;
      for (const name of file.names) {
        const variable = add(name);
        variable.setIn.push(path);
        if (file.secretValues.has(name)) variable.secret = true;
      }
    }
    for (const name of declared.required) add(name).required = true;
    environments.push({ name: declared.name, secretsStore: declared.secretsStore, declared: true, variables: [...variables.values()].sort((a, b) => compareText(a.name, b.name)) });
  }
  const inferred = new Map<string, EnvEnvironment>();
  for (const path of rootEnvFiles(root)) {
    if (claimed.has(path)) continue;
    const name = environmentOfFile(path);
    if (!name) continue;
    const file = read(path);
    if (!file) continue;
    // A file named for a declared environment (`.env.production`) belongs to it even when launch.yaml lists no files.
    const declared = environments.find((environment) => environment.name === name);
    const environment = declared ?? inferred.get(name) ?? { name, declared: false, variables: [] };
    if (!declared) inferred.set(name, environment);
    for (const key of file.names) {
      let variable = environment.variables.find((entry) => entry.name === key);
      if (!variable) {
        variable = { name: key, secret: isSecretName(key), required: false, setIn: [] };
        environment.variables.push(variable);
      }
      variable.setIn.push(path);
      if (file.secretValues.has(key)) variable.secret = true;
    }
  }
  environments.push(...[...inferred.keys()].sort(compareText).map((name) => inferred.get(name) as EnvEnvironment));
  for (const environment of environments) environment.variables.sort((a, b) => compareText(a.name, b.name));
  return environments;
}
