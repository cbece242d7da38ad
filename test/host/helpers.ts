import * as vscode from 'vscode';
import type { LaunchReadyApi } from '../../src/extension/extension';

// Waiting in the editor without fixed sleeps: check, then re-check on each relevant event until
// a deadline.

export const EXTENSION_ID = 'launch-ready.launch-ready';

export async function activateExtension(): Promise<LaunchReadyApi> {
  const extension = vscode.extensions.getExtension<LaunchReadyApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return folder.uri;
}

/** Resolves with the first truthy `probe()` result, re-checked whenever `event` fires. */
export function waitFor<T>(what: string, probe: () => T | undefined | false | null, event: vscode.Event<unknown>, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = probe();
    if (first) return resolve(first);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      subscription.dispose();
      fn();
    };
    const subscription = event(() => {
      const value = probe();
      if (value) done(() => resolve(value));
    });
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
  });
}

/**
 * Resolves with the first truthy result of an async `probe`, asked again every 100 ms until the
 * deadline: for state the editor recomputes without an event we can wait on (code actions).
 */
export async function pollFor<T>(what: string, probe: () => Promise<T | undefined | false | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Launch Ready');
}

export function waitForDiagnostics(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return waitFor(what, () => {
    const diagnostics = ourDiagnostics(uri);
    return predicate(diagnostics) ? diagnostics : undefined;
  }, vscode.languages.onDidChangeDiagnostics);
}

export async function writeFile(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

export async function readFile(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : code === undefined ? undefined : String(code);
}

/**
 * The extension-host sessions the harnesses run. Trust is a server-wide switch, so the harness
 * says when this host is the untrusted one; a workspace opened from a .code-workspace file is the
 * multi-root one.
 */
export type HostSuite = 'trusted' | 'untrusted' | 'multi-root';

export function hostSuite(): HostSuite {
  if (process.env.LAUNCH_READY_HOST_SUITE === 'untrusted') return 'untrusted';
  // The workspace file, not the folders: a web workbench can hand those over after the tests start.
  const file = vscode.workspace.workspaceFile;
  return file && file.scheme !== 'untitled' ? 'multi-root' : 'trusted';
}

/** The folders of the workspace once there are at least `count` of them. */
export function waitForFolders(count: number): Promise<readonly vscode.WorkspaceFolder[]> {
  const folders = () => {
    const current = vscode.workspace.workspaceFolders ?? [];
    return current.length >= count ? current : undefined;
  };
  return waitFor(`${count} workspace folders`, folders, vscode.workspace.onDidChangeWorkspaceFolders, 30_000);
}

/** The session a compiled test file belongs to, by its name (`untrusted.test.js`, `multi-root.test.js`). */
export function suiteOfTestFile(file: string): HostSuite {
  if (file.startsWith('untrusted.')) return 'untrusted';
  if (file.startsWith('multi-root')) return 'multi-root';
  return 'trusted';
}

/**
 * For a suite's `before` hook: skips it, saying why in the output (mocha's skip takes no reason),
 * when this host is not the session it needs: @vscode/test-cli loads every file its configuration
 * lists.
 */
export function skipUnlessSuite(context: Mocha.Context, wanted: HostSuite, why: string): void {
  const current = hostSuite();
  if (current === wanted) return;
  console.log(`  skipped "${context.test?.parent?.title ?? wanted}": needs the ${wanted} session (${why}); this host is the ${current} session`);
  context.skip();
}
