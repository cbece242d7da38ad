import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';

// The .vsix must hold the bundles, media and docs, and nothing else. `npm run package` checks the
// real package (scripts/check-vsix.mjs); this test checks what vsce WOULD package from the
// allow-list in .vscodeignore, so a widened ignore file fails `npm test` before anyone packages.

const ROOT = join(__dirname, '..', '..', '..');

interface VsixCheck {
  MAX_VSIX_BYTES: number;
  EXPECTED_ENTRIES: string[];
  zipEntryNames(buffer: Buffer): string[];
  vsixProblems(names: readonly string[], size: number): string[];
}

async function loadCheck(): Promise<VsixCheck> {
  // An ES module shared with `npm run package`; a dynamic import keeps one copy of the rules.
  return (await import(pathToFileURL(join(ROOT, 'scripts', 'check-vsix.mjs')).href)) as VsixCheck;
}

/** Where vsce puts a workspace file inside the zip (it renames the three documents). */
function zipName(path: string): string {
  const renamed: Record<string, string> = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };
  return `extension/${renamed[path] ?? path}`;
}

describe('the extension package', function () {
  this.timeout(120_000);
  let check: VsixCheck;
  let listed: string[];

  before(async () => {
    check = await loadCheck();
    const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const out = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    listed = out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  });

  it('lists exactly the allow-listed files', () => {
    const names = ['[Content_Types].xml', 'extension.vsixmanifest', ...listed.map(zipName)];
    assert.deepEqual(check.vsixProblems(names, 0), []);
  });

  it('ships no sources, tests, fixtures, source maps, node_modules or the CLI bundle', () => {
    const forbidden = listed.filter((p) => /^(src|test|bench|scripts|node_modules|out)\/|\.map$|\.ts$|^dist\/cli\.js$|screenshots\//.test(p));
    assert.deepEqual(forbidden, []);
  });

  it('fits the size budget even with the unminified development bundles', () => {
    // vsce deflates each file; the development build is larger than the production one the real
    // package holds, so this over-estimates the .vsix.
    const compressed = listed.reduce((sum, p) => sum + deflateRawSync(readFileSync(join(ROOT, p))).length + 100, 0);
    assert.ok(compressed < check.MAX_VSIX_BYTES, `about ${compressed} bytes compressed`);
  });

  it('the checker rejects what a careless allow-list would let in', () => {
    const good = check.EXPECTED_ENTRIES;
    assert.deepEqual(check.vsixProblems(good, 200_000), []);
    for (const bad of ['extension/dist/extension.js.map', 'extension/src/extension/extension.ts', 'extension/node_modules/yaml/index.js', 'extension/test/fixtures/a.env', 'extension/media/screenshots/sidebar.png', 'extension/dist/cli.js']) {
      assert.deepEqual(check.vsixProblems([...good, bad], 200_000), [`unexpected file in the package: ${bad}`]);
    }
    assert.deepEqual(check.vsixProblems(good.filter((n) => n !== 'extension/dist/scan-worker.js'), 1), ['missing from the package: extension/dist/scan-worker.js']);
    assert.match(check.vsixProblems(good, check.MAX_VSIX_BYTES + 1)[0], /over the 1048576-byte budget/);
  });

  it('has a Marketplace-ready manifest', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const key of ['displayName', 'description', 'publisher', 'license', 'icon', 'galleryBanner', 'repository', 'keywords']) assert.ok(manifest[key], key);
    assert.ok((manifest.categories as string[]).includes('Linters'));
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
    assert.ok(manifest.capabilities.untrustedWorkspaces.description && manifest.capabilities.virtualWorkspaces.description);
    // The editor tests run on code-server 4.100.3 (VS Code 1.100.3): the floor must not claim less.
    assert.equal(manifest.engines.vscode, '^1.100.0');
    // The Marketplace wants a PNG icon of at least 128×128: width and height sit in the IHDR chunk.
    const icon = readFileSync(join(ROOT, manifest.icon as string));
    assert.equal(icon.toString('latin1', 1, 4), 'PNG');
    assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, `${icon.readUInt32BE(16)}x${icon.readUInt32BE(20)}`);
    assert.ok(listed.includes(manifest.icon as string), 'the icon is packaged');
  });

  it('packages every walkthrough page the manifest names', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { walkthroughs?: Array<{ steps: Array<{ media: { markdown?: string; image?: string } }> }> } };
    const pages = (manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.map((step) => step.media.markdown ?? step.media.image));
    assert.ok(pages.length >= 4, 'create launch.yaml, run the audit, read the tree, handover');
    for (const page of pages) assert.ok(page && listed.includes(page), `${page} packaged`);
  });

  it('reads the names of a real zip', () => {
    // A stored (uncompressed) zip of one file, written by hand: local header, data, central
    // directory, end record; enough to prove the reader walks the central directory.
    const name = Buffer.from('extension/package.json');
    const data = Buffer.from('{}');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + name.length, 12);
    end.writeUInt32LE(30 + name.length + data.length, 16);
    const zip = Buffer.concat([local, name, data, central, name, end]);
    assert.deepEqual(check.zipEntryNames(zip), ['extension/package.json']);
    assert.throws(() => check.zipEntryNames(Buffer.from('not a zip at all, just text that is long enough')), /not a zip/);
  });
});
