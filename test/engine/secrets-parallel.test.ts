import { strict as assert } from 'node:assert';
import { findKeywords, PREFILTER } from '../../src/engine/secrets/detector';
import { defaultConfig } from '../../src/engine/config';
import { scanWorkspaceSecrets } from '../../src/engine/secrets/workspace-scan';
import { removeDir, tempDir, writeFiles } from '../support/cli';
import { Fakes, seededRandom } from '../support/fakes';

// The fast paths must not change what is found: the table-driven keyword search against the
// regex it implements, and a scan with worker threads against one on the calling thread.

describe('secret scan fast paths', function () {
  this.timeout(60_000);
  const fakes = new Fakes(4242);

  it('finds exactly the keywords the PREFILTER regex matches, in any case, next to non-ASCII text', () => {
    const random = seededRandom(9);
    const pieces = ['token', 'TOKEN', 'Pass', 'password', 'PassWD', 'ghp_', 'GHO_', 'akia', 'sg.', 'SG.', '://', 'eyJ', ':AA', 'a3t',
      'private key', 'PRIVATE KEY', '"service_account"', 'api_key', 'api-key', 'é', 'İ', '\u212a', 'ſ', '\n', '\r\n', ' ', '=', '"', 'x', 'pw', 'to', 'tok'];
    for (let n = 0; n < 400; n++) {
      let text = '';
      const count = 1 + Math.floor(random() * 40);
      for (let i = 0; i < count; i++) text += random() < 0.7 ? pieces[Math.floor(random() * pieces.length)] : fakes.alnum(Math.floor(random() * 6));
      const expected: Array<[number, number]> = [];
      const regex = new RegExp(PREFILTER.source, PREFILTER.flags);
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) expected.push([m.index, m.index + m[0].length]);
      assert.deepEqual(findKeywords(text), expected, JSON.stringify(text));
    }
  });

  it('reports the same findings, skips and notes with worker threads as without', async () => {
    const root = tempDir('parallel');
    try {
      const files: Record<string, string | Buffer> = {};
      for (let i = 0; i < 60; i++) {
        const secret = i % 3 === 0 ? fakes.githubToken() : i % 3 === 1 ? fakes.stripeKey() : fakes.npmToken();
        files[`src/module${i}.ts`] = `export const a${i} = 1;\nconst token = "${secret}";\n// password reset lives elsewhere\n`;
      }
      files['config/aws.ini'] = `aws_access_key_id = ${fakes.awsKeyId()}\naws_secret_access_key = ${fakes.awsSecret()}\n`;
      files['assets/logo.bin'] = Buffer.from([0x89, 0x50, 0x00, 0x01]);
      files['legacy/latin1.txt'] = Buffer.concat([Buffer.from(`key = "${fakes.githubToken()}" `), Buffer.from([0xe9, 0xff]), Buffer.from('\n')]);
      files['big/huge.txt'] = 'x'.repeat(5000);
      writeFiles(root, files);
      const config = { ...defaultConfig(), maxFileSize: 4096 };
      const single = await scanWorkspaceSecrets({ root, config, workers: 0 });
      let lastProgress = 0;
      const parallel = await scanWorkspaceSecrets({ root, config, workers: 2, onProgress: (done) => (lastProgress = done) });
      assert.ok(single.findings.length >= 62, `found ${single.findings.length}`);
      assert.deepEqual(parallel, single);
      assert.equal(lastProgress, Object.keys(files).length);
      assert.deepEqual(single.skipped.map((s) => s.path), ['assets/logo.bin', 'big/huge.txt']);
      assert.deepEqual(single.notes.map((s) => s.path), ['legacy/latin1.txt']);
    } finally {
      removeDir(root);
    }
  });

  it('stops a parallel scan that is cancelled before it starts', async () => {
    const root = tempDir('parallel-cancel');
    try {
      writeFiles(root, { 'a.ts': `const token = "${fakes.githubToken()}";\n` });
      const abort = new AbortController();
      abort.abort();
      const result = await scanWorkspaceSecrets({ root, config: defaultConfig(), workers: 2, signal: abort.signal });
      assert.equal(result.cancelled, true);
      assert.equal(result.filesScanned, 0);
    } finally {
      removeDir(root);
    }
  });
});
