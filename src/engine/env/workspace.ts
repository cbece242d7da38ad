import { lstat, readFile } from 'node:fs/promises';
import ignore from 'ignore';
import { loadConfig, type ScanConfig } from '../config';
import { severityRank, type Finding, type SkipNote } from '../model';
import { scanText } from '../secrets/scan';
import { findSuppressions, isSuppressed } from '../suppress';
import { decodeFile, formatBytes, walkTree } from '../workspace/files';
import { GitRepository } from './git';
import { classifyEnvFile, FindingSink, lintEnvText, type EnvFileInfo } from './lint';
import { PositionIndex } from './parse';
import { checkExampleParity, checkProduction, fileFinding, type LoadedEnvFile } from './readiness';
import { findEnvReads, isCodeFile, isProvidedByPlatform } from './required';

// The env check of a whole workspace: find every `.env*` file (ignored ones too: that is where
// they should be), lint each, ask git whether each is ignored, tracked or in history, compare the
// files with each other, and match the variables the code reads against what the files declare.

/** Not dotenv files despite the name: direnv scripts, folders of env files, code. */
const NOT_DOTENV = /^\.envrc$|\.(?:[cm]?[jt]sx?|json|ya?ml|toml|py|rb|sh|md|txt|go|php|lock)$/i;
const MAX_CODE_FILE = 2 * 1024 * 1024;
/** Code whose env reads are the developer's, not the deployed app's: tests, tooling, build config. */
const NOT_APP_CODE = /(?:^|\/)(?:test|tests|__tests__|__mocks__|spec|specs|e2e|fixtures?|scripts|tools|bench|benchmarks?|examples?|docs?)\/|\.(?:test|spec|stories|config)\.[^/]*$|(?:^|\/)(?:build|esbuild|rollup|webpack|vite|jest|vitest|playwright|eslint)[^/]*\.[cm]?[jt]s$/i;

/** Most urgent first, then by file and line: the order every report shows. */
function sortFindings(findings: Finding[]): Finding[] {
  const where = (f: Finding) => (f.location.kind === 'file' ? f.location.path : f.location.host);
  const line = (f: Finding) => (f.location.kind === 'file' ? f.location.range.startLine : 0);
  return findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || where(a).localeCompare(where(b)) || line(a) - line(b) || a.ruleId.localeCompare(b.ruleId));
}

export function isEnvFileName(name: string): boolean {
  return (name === '.env' || name.startsWith('.env.')) && !NOT_DOTENV.test(name);
}

export interface EnvCheckOptions {
  root: string;
  config?: ScanConfig;
  signal?: AbortSignal;
  /** Ask git (default true); false reads .gitignore files only. */
  useGit?: boolean;
}

export interface EnvFileState {
  path: string;
  absolute: string;
  info: EnvFileInfo;
  /** The text as read (BOM removed); undefined when the file could not be read as text. */
  text?: string;
  hadBom: boolean;
  /** Only valid UTF-8 files are rewritten by `--fix`. */
  fixable: boolean;
  /** The file's own lint findings (with their fixes). */
  findings: Finding[];
}

export interface EnvCheckResult {
  findings: Finding[];
  skipped: SkipNote[];
  notes: SkipNote[];
  files: EnvFileState[];
  codeFilesScanned: number;
  bytesScanned: number;
  /** How ignore status was decided. */
  ignoreSource: 'git' | 'gitignore files';
}

interface Discovered {
  envFiles: { path: string; absolute: string; ignoredByFiles: boolean }[];
  codeFiles: { path: string; absolute: string }[];
}

/**
 * Walks the workspace. Ignored directories are skipped (build output, vendored code), but env
 * files are collected whether or not they are ignored; code files only when not ignored. Ignore
 * files combine as git combines them, so `ignoredByFiles` agrees with `git check-ignore`.
 */
async function discover(root: string, exclude: string[], signal: AbortSignal | undefined, skipped: SkipNote[]): Promise<Discovered> {
  const found: Discovered = { envFiles: [], codeFiles: [] };
  await walkTree(root, { exclude, precedence: 'git', ...(signal ? { signal } : {}) }, skipped, (entry) => {
    if (isEnvFileName(entry.name)) {
      if (entry.type === 'symbolic link') skipped.push({ path: entry.path, reason: 'symbolic link (not followed)' });
      else if (entry.type === 'file') found.envFiles.push({ path: entry.path, absolute: entry.absolute, ignoredByFiles: entry.ignored });
    } else if (entry.type === 'file' && !entry.ignored && isCodeFile(entry.name)) {
      found.codeFiles.push({ path: entry.path, absolute: entry.absolute });
    }
  });
  return found;
}

/** Secret findings in env files: where secrets belong, they are only news when the file is exposed. */
function secretPolicy(findings: Finding[], info: EnvFileInfo, exposed: boolean, config: ScanConfig, path: string): Finding[] {
  if (info.kind === 'example') {
    const sink = new FindingSink(path, config, undefined);
    for (const f of findings) {
      if (f.location.kind !== 'file') continue;
      const added = sink.add('env/example-real-secret', f.location.range, `${f.message} in an example file, which is committed by design (${f.ruleId})`, f.fingerprint, { ...(f.evidence ? { evidence: f.evidence } : {}) });
      if (added) added.remediation = `Replace it with a placeholder. ${f.remediation}`;
    }
    return sink.findings;
  }
  // Test-mode keys in production files are reported by env/test-key-in-production instead.
  const withoutTestMode = findings.filter((f) => !(info.kind === 'production' && /test-mode/i.test(f.message)));
  return exposed ? withoutTestMode : [];
}

export async function checkEnvWorkspace(options: EnvCheckOptions): Promise<EnvCheckResult> {
  const config = options.config ?? loadConfig(options.root);
  const skipped: SkipNote[] = [];
  const notes: SkipNote[] = [];
  const findings: Finding[] = [];
  const { envFiles, codeFiles } = await discover(options.root, config.exclude, options.signal, skipped);

  const repo = options.useGit === false ? undefined : await GitRepository.open(options.root);
  const paths = envFiles.map((f) => f.path);
  const gitIgnored = repo && paths.length > 0 ? await repo.ignored(paths) : undefined;
  const tracked = repo && paths.length > 0 ? await repo.tracked(paths) : undefined;
  const history = repo ? await repo.envFileAdditions() : undefined;
  const ignoreSource = gitIgnored ? 'git' : 'gitignore files';
  if (repo && paths.length > 0 && (!gitIgnored || !tracked)) notes.push({ path: '.', reason: 'git check-ignore or ls-files failed: ignore status read from .gitignore files, tracking unknown' });
  if (repo && !history) notes.push({ path: '.', reason: 'git log failed or timed out: env files in history not checked' });

  const states: EnvFileState[] = [];
  const encryptedFiles = new Set<string>();
  const loaded: LoadedEnvFile[] = [];
  let bytesScanned = 0;
  for (const file of envFiles) {
    const info = classifyEnvFile(file.path);
    const state: EnvFileState = { path: file.path, absolute: file.absolute, info, hadBom: false, fixable: false, findings: [] };
    states.push(state);
    const isTracked = tracked?.has(file.path) ?? false;
    const isIgnored = gitIgnored ? gitIgnored.has(file.path) : file.ignoredByFiles;
    let exposed = info.kind !== 'example' && (isTracked || !isIgnored);

    let bytes: Buffer | undefined;
    let unreadable: string | undefined;
    try {
      const stat = await lstat(file.absolute);
      if (stat.size > config.maxFileSize) unreadable = `larger than ${formatBytes(config.maxFileSize)} (${formatBytes(stat.size)})`;
      else bytes = await readFile(file.absolute);
    } catch (error) {
      unreadable = `not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    }
    let secretsInFile: Finding[] = [];
    if (bytes) {
      const decoded = decodeFile(bytes);
      if (decoded.kind === 'skipped') {
        unreadable = decoded.reason;
      } else {
        state.text = decoded.text;
        state.hadBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
        state.fixable = decoded.note === undefined;
        if (decoded.note) notes.push({ path: file.path, reason: decoded.note });
        bytesScanned += decoded.text.length;
        const lint = lintEnvText(decoded.text, { path: file.path, config });
        // dotenvx-encrypted files (every value `encrypted:…`) and `.env.vault` are meant to be committed.
        const values = lint.parsed.entries.filter((e) => !e.key.startsWith('DOTENV_PUBLIC_KEY'));
        if (/(?:^|\/)\.env\.vault$/.test(file.path) || (values.length > 0 && values.every((e) => e.value.startsWith('encrypted:')))) encryptedFiles.add(file.path);
        state.findings = lint.findings;
        for (const [ruleId, count] of lint.unlisted) notes.push({ path: file.path, reason: `${count} more ${ruleId} finding${count === 1 ? '' : 's'} not listed` });
        findings.push(...lint.findings);
        loaded.push({ path: file.path, info, parsed: lint.parsed });
        secretsInFile = scanText(decoded.text, { path: file.path, config });
        if (encryptedFiles.has(file.path)) exposed = false;
        findings.push(...secretPolicy(secretsInFile, info, exposed, config, file.path));
      }
    }
    if (unreadable) {
      skipped.push({ path: file.path, reason: unreadable });
      const f = fileFinding('env/unreadable-file', file.path, `Env file not checked: ${unreadable}`, config);
      if (f) findings.push(f);
    }

    if (info.kind !== 'example' && !encryptedFiles.has(file.path)) {
      const live = secretsInFile.filter((f) => f.severity === 'blocker' || f.severity === 'high').length;
      const holding = live > 0 ? ` and holds ${live} live-looking secret${live === 1 ? '' : 's'}` : '';
      const added = history?.filter((h) => h.path === file.path) ?? [];
      if (isTracked) {
        const first = added.at(-1)?.commit;
        const f = fileFinding('env/tracked-by-git', file.path, `${file.path} is committed to git${holding}${first ? ` (added in ${first.slice(0, 12)})` : ''}`, config);
        if (f) findings.push(f);
      } else if (!isIgnored) {
        const f = fileFinding('env/not-ignored', file.path, `${file.path} is not ignored by git${holding}: the next \`git add .\` commits it`, config);
        if (f) findings.push(f);
      }
    }
  }

  // Env files committed in the past that are not tracked now (deleted, or removed from the index).
  if (history) {
    const reported = new Set<string>();
    for (const { commit, path } of history) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (!isEnvFileName(name) || classifyEnvFile(path).kind === 'example' || tracked?.has(path) || reported.has(path)) continue;
      if (config.exclude.length > 0 && ignore().add(config.exclude).ignores(path)) continue;
      reported.add(path);
      const f = fileFinding('env/committed-in-history', path, `${path} was committed in ${commit.slice(0, 12)}; its values remain in git history`, config, commit);
      if (f) findings.push(f);
    }
  }

  findings.push(...checkExampleParity(loaded, config), ...checkProduction(loaded, config));

  // Variables the code reads that nothing declares. Without any env file or example there is no
  // declaration to compare with (the project may configure everything on its platform): skipped.
  const declared = new Set(loaded.flatMap((f) => f.parsed.entries.map((e) => e.key)));
  let codeFilesScanned = 0;
  const appCode = loaded.length === 0 ? [] : codeFiles.filter((f) => !NOT_APP_CODE.test(f.path));
  for (const file of appCode) {
    if (options.signal?.aborted) break;
    let text: string;
    try {
      const stat = await lstat(file.absolute);
      if (stat.size > MAX_CODE_FILE) continue;
      const decoded = decodeFile(await readFile(file.absolute));
      if (decoded.kind === 'skipped') continue;
      text = decoded.text;
    } catch {
      continue;
    }
    codeFilesScanned++;
    const reads = findEnvReads(file.path, text).filter((r) => !r.hasDefault && !declared.has(r.name) && !isProvidedByPlatform(r.name));
    if (reads.length === 0) continue;
    const positions = new PositionIndex(text);
    const suppressions = text.includes('launch-ready-ignore') ? findSuppressions(text, (o) => positions.line(o)) : undefined;
    const sink = new FindingSink(file.path, config, undefined);
    const seen = new Set<string>();
    for (const read of reads) {
      if (seen.has(read.name)) continue;
      seen.add(read.name);
      const range = positions.range(read.start, read.end);
      if (suppressions && isSuppressed(suppressions, range.startLine, 'env/missing-required-variable')) continue;
      sink.add('env/missing-required-variable', range, `${read.name} is read here without a default, but no env file or example declares it`, read.name);
    }
    findings.push(...sink.findings);
  }

  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { findings: sortFindings(findings), skipped, notes, files: states, codeFilesScanned, bytesScanned, ignoreSource };
}
