import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Fakes, seededRandom } from '../test/support/fakes';

// A deterministic stand-in for a real SaaS monorepo: application source in several languages,
// lockfiles, minified bundles, configuration and docs, with a handful of planted fake secrets.
// The text is shaped like real code on purpose (credential words in identifiers and prose, URLs,
// integrity hashes, long minified lines), because that is what makes a secret scanner slow or
// noisy; random bytes would flatter every tool.

/** Bump when the generated content changes, so old trees are regenerated. */
export const GENERATOR_VERSION = 5;

export interface PlantedSecret {
  /** Tree-relative path, forward slashes. */
  path: string;
  /** 1-based line of the secret. */
  line: number;
  kind: 'github-token' | 'npm-token' | 'aws-key-pair' | 'stripe-live-key';
  /** Whether secretlint's recommended preset has a rule for this kind. */
  secretlintCovers: boolean;
}

export interface TreeManifest {
  version: number;
  seed: number;
  files: number;
  bytes: number;
  planted: PlantedSecret[];
}

const WORDS = (
  'account user order invoice payment customer session cart product item price plan subscription ' +
  'billing report event queue job worker cache store client server request response handler route ' +
  'config option setting feature flag team member role permission audit log metric trace span ' +
  'upload file image asset page view model schema record entry batch stream buffer chunk index ' +
  'search filter sort query result status state context params payload message notice email'
).split(' ');
// Credential words appear in ordinary code all the time; a scanner has to look at each one.
const NOISY = [
  'token', 'accessToken', 'refreshToken', 'csrfToken', 'tokenizer', 'password', 'passwordHash',
  'resetPasswordUrl', 'secretName', 'clientSecret', 'apiKey', 'privateKeyPath', 'credentials',
  'authKey', 'sessionToken', 'msg', 'keyId',
];

class Writer {
  readonly random: () => number;
  constructor(seed: number) {
    this.random = seededRandom(seed);
  }
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  word(): string {
    return this.pick(WORDS);
  }
  camel(parts = 2): string {
    let out = this.word();
    for (let i = 1; i < parts; i++) {
      const w = this.word();
      out += w[0].toUpperCase() + w.slice(1);
    }
    return out;
  }
  pascal(parts = 2): string {
    const c = this.camel(parts);
    return c[0].toUpperCase() + c.slice(1);
  }
  snake(parts = 2): string {
    return Array.from({ length: parts }, () => this.word()).join('_');
  }
  ident(): string {
    return this.chance(0.08) ? this.pick(NOISY) : this.camel(1 + this.int(3));
  }
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  sentence(): string {
    const n = 5 + this.int(10);
    const words = Array.from({ length: n }, () => (this.chance(0.06) ? this.pick(['token', 'password', 'secret', 'key', 'credentials']) : this.word()));
    return words.join(' ');
  }
  url(): string {
    return `https://${this.pick(['api', 'docs', 'cdn', 'auth', 'www'])}.${this.word()}.example.com/${this.word()}/${this.word()}`;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEXCHARS = '0123456789abcdef';

function typescriptFile(w: Writer, targetBytes: number): string[] {
  const lines: string[] = [];
  let size = 0;
  const push = (line: string) => {
    lines.push(line);
    size += line.length + 1;
  };
  for (let i = 0; i < 3 + w.int(6); i++) push(`import { ${w.pascal()}, ${w.camel()} } from '../${w.word()}/${w.word()}';`);
  push('');
  while (size < targetBytes) {
    const name = w.pascal();
    if (w.chance(0.3)) {
      push(`/** ${w.sentence()}. */`);
      push(`export interface ${name} {`);
      for (let i = 0; i < 2 + w.int(8); i++) push(`  ${w.ident()}${w.chance(0.3) ? '?' : ''}: ${w.pick(['string', 'number', 'boolean', 'Date', `${w.pascal()}[]`])};`);
      push('}');
    } else {
      push(`// ${w.sentence()}`);
      push(`export async function ${w.camel()}(${w.ident()}: ${w.pascal()}, options: ${name}Options = {}): Promise<${w.pascal()}> {`);
      for (let i = 0; i < 3 + w.int(14); i++) {
        const r = w.int(10);
        if (r < 3) push(`  const ${w.ident()} = await this.${w.camel()}.${w.camel()}(${w.ident()}, { ${w.ident()}: ${w.int(1000)} });`);
        else if (r < 5) push(`  if (!${w.ident()}.${w.ident()}) throw new ${w.pascal()}Error('${w.sentence()}');`);
        else if (r < 6) push(`  const endpoint = \`${w.url()}/\${${w.ident()}.id}\`;`);
        else if (r < 7) push(`  logger.debug('${w.sentence()}', { ${w.ident()} });`);
        else if (r < 8) push(`  const ${w.ident()} = process.env.${w.snake().toUpperCase()} ?? '';`);
        else push(`  ${w.ident()}.${w.ident()} = ${w.ident()}.${w.camel()}.map((x) => x.${w.ident()});`);
      }
      push(`  return ${w.ident()};`);
      push('}');
    }
    push('');
  }
  return lines;
}

function pythonFile(w: Writer, targetBytes: number): string[] {
  const lines = [`"""${w.sentence()}."""`, 'import os', `from ${w.word()}.${w.word()} import ${w.pascal()}`, ''];
  let size = 0;
  while (size < targetBytes) {
    const block: string[] = [];
    block.push(`class ${w.pascal()}(${w.pascal()}):`);
    block.push(`    """${w.sentence()}."""`);
    for (let m = 0; m < 1 + w.int(4); m++) {
      block.push(`    def ${w.snake()}(self, ${w.snake(1)}, ${w.snake(1)}=None):`);
      for (let i = 0; i < 2 + w.int(8); i++) {
        const r = w.int(6);
        if (r === 0) block.push(`        ${w.snake()} = os.environ.get("${w.snake().toUpperCase()}")`);
        else if (r === 1) block.push(`        # ${w.sentence()}`);
        else if (r === 2) block.push(`        if not self.${w.snake()}:`, `            raise ValueError("${w.sentence()}")`);
        else block.push(`        self.${w.snake()} = ${w.snake(1)}.${w.snake()}(${w.int(100)})`);
      }
      block.push(`        return self.${w.snake()}`, '');
    }
    for (const line of block) size += line.length + 1;
    lines.push(...block);
  }
  return lines;
}

function goFile(w: Writer, targetBytes: number): string[] {
  const lines = [`package ${w.word()}`, '', 'import (', '\t"context"', '\t"fmt"', ')', ''];
  let size = 0;
  while (size < targetBytes) {
    const block = [`// ${w.pascal()} ${w.sentence()}.`, `func (s *${w.pascal()}Service) ${w.pascal()}(ctx context.Context, ${w.camel()} string) error {`];
    for (let i = 0; i < 3 + w.int(10); i++) {
      block.push(w.chance(0.3) ? `\tif err := s.${w.camel()}(ctx); err != nil {\n\t\treturn fmt.Errorf("${w.sentence()}: %w", err)\n\t}` : `\t${w.camel()} := s.${w.pascal()}.${w.pascal()}(${w.camel()})`);
    }
    block.push('\treturn nil', '}', '');
    for (const line of block) size += line.length + 1;
    lines.push(...block.join('\n').split('\n'));
  }
  return lines;
}

function yamlFile(w: Writer, targetBytes: number): string[] {
  const lines: string[] = [];
  let size = 0;
  while (size < targetBytes) {
    const block = [`${w.snake()}:`, `  image: registry.example.com/${w.word()}/${w.word()}:${w.int(9)}.${w.int(20)}.${w.int(50)}`, '  env:'];
    for (let i = 0; i < 2 + w.int(6); i++) {
      const key = w.chance(0.15) ? w.pick(['DB_PASSWORD', 'API_TOKEN', 'JWT_SECRET', 'STRIPE_SECRET_KEY']) : w.snake().toUpperCase();
      block.push(`    ${key}: \${${key}}`);
    }
    block.push(`  replicas: ${1 + w.int(5)}`, `  # ${w.sentence()}`);
    for (const line of block) size += line.length + 1;
    lines.push(...block);
  }
  return lines;
}

function markdownFile(w: Writer, targetBytes: number): string[] {
  const lines = [`# ${w.pascal()} ${w.word()}`, ''];
  let size = 0;
  while (size < targetBytes) {
    const block = [`## ${w.sentence()}`, '', `${w.sentence()}. ${w.sentence()}. See ${w.url()} for the ${w.word()} reference.`, ''];
    if (w.chance(0.3)) block.push('```sh', `export ${w.snake().toUpperCase()}=<your-api-key>`, `curl -H "Authorization: Bearer $TOKEN" ${w.url()}`, '```', '');
    for (const line of block) size += line.length + 1;
    lines.push(...block);
  }
  return lines;
}

function packageLock(w: Writer, targetBytes: number): string[] {
  const lines = ['{', `  "name": "${w.word()}-${w.word()}",`, '  "lockfileVersion": 3,', '  "requires": true,', '  "packages": {'];
  let size = 0;
  while (size < targetBytes) {
    const name = w.chance(0.3) ? `@${w.word()}/${w.word()}-${w.word()}` : `${w.word()}-${w.word()}${w.int(10)}`;
    const version = `${w.int(10)}.${w.int(30)}.${w.int(40)}`;
    const block = [
      `    "node_modules/${name}": {`,
      `      "version": "${version}",`,
      `      "resolved": "https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz",`,
      `      "integrity": "sha512-${w.chars(BASE64, 86)}==",`,
    ];
    if (w.chance(0.5)) block.push('      "dev": true,');
    if (w.chance(0.4)) block.push('      "dependencies": {', `        "${w.word()}-${w.word()}": "^${w.int(10)}.${w.int(10)}.0"`, '      },');
    block.push('      "license": "MIT"', '    },');
    for (const line of block) size += line.length + 1;
    lines.push(...block);
  }
  lines.push('    "": {}', '  }', '}');
  return lines;
}

function goSum(w: Writer, targetBytes: number): string[] {
  const lines: string[] = [];
  let size = 0;
  while (size < targetBytes) {
    const mod = `github.com/${w.word()}/${w.word()}-${w.word()} v${w.int(3)}.${w.int(30)}.${w.int(20)}`;
    const a = `${mod} h1:${w.chars(BASE64, 43)}=`;
    const b = `${mod}/go.mod h1:${w.chars(BASE64, 43)}=`;
    lines.push(a, b);
    size += a.length + b.length + 2;
  }
  return lines;
}

function poetryLock(w: Writer, targetBytes: number): string[] {
  const lines: string[] = [];
  let size = 0;
  while (size < targetBytes) {
    const block = ['[[package]]', `name = "${w.word()}-${w.word()}"`, `version = "${w.int(5)}.${w.int(20)}.${w.int(9)}"`, `description = "${w.sentence()}"`, 'files = ['];
    for (let i = 0; i < 1 + w.int(4); i++) block.push(`    {file = "${w.word()}-${w.int(9)}.${w.int(9)}-py3-none-any.whl", hash = "sha256:${w.chars(HEXCHARS, 64)}"},`);
    block.push(']', '');
    for (const line of block) size += line.length + 1;
    lines.push(...block);
  }
  return lines;
}

/** A production bundle: a few very long lines of short identifiers, strings and numbers. */
function minifiedBundle(w: Writer, targetBytes: number): string[] {
  const lines = ['/*! For license information please see bundle.js.LICENSE.txt */'];
  const v = () => String.fromCharCode(97 + w.int(26)) + (w.chance(0.4) ? String.fromCharCode(65 + w.int(26)) : '');
  let size = 0;
  while (size < targetBytes) {
    const lineTarget = 20_000 + w.int(200_000);
    const parts: string[] = [];
    let length = 0;
    while (length < lineTarget) {
      // Proportions measured on real bundles in node_modules: URLs and `msg.` are rare (tens per MB),
      // credential words in strings and property names are common (up to thousands per MB).
      const r = w.int(400);
      let part: string;
      if (r < 100) part = `function ${v()}(${v()},${v()}){return ${v()}.${w.camel()}(${v()})||${v()}}`;
      else if (r < 180) part = `var ${v()}=${v()}(${w.int(9999)}),${v()}=${v()}.n(${v()});`;
      else if (r < 260) part = `${v()}.${w.ident()}="${w.sentence()}";`;
      else if (r < 320) part = `${v()}.prototype.${w.ident()}=function(){return this.${w.camel()}};`;
      else if (r < 322) part = `fetch("${w.url()}",{headers:{Authorization:"Bearer "+${v()}.${w.ident()}}});`;
      else if (r < 323) part = `${v()}.msg.${w.camel()}=${v()};`;
      else part = `case ${w.int(500)}:${v()}=${v()}[${w.int(64)}];break;`;
      parts.push(part);
      length += part.length;
    }
    const line = parts.join('');
    lines.push(line);
    size += line.length + 1;
  }
  lines.push('//# sourceMappingURL=bundle.js.map');
  return lines;
}

/** Writes the tree under `root` (replacing it) and returns what was written and planted. */
export function generateTree(root: string, seed: number): TreeManifest {
  rmSync(root, { recursive: true, force: true });
  const w = new Writer(seed);
  const fakes = new Fakes(seed);
  // Files are written as they are generated so the generator never holds the whole tree.
  const paths: string[] = [];
  const add = (path: string, lines: string[]) => {
    const absolute = join(root, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, lines.join('\n') + '\n');
    paths.push(path);
  };
  const sizes = () => 1_000 + Math.floor(w.random() ** 2 * 30_000);

  const services = Array.from({ length: 12 }, (_, i) => `${w.word()}-${i}`);
  for (const service of services) {
    // About ten files per directory, as in real projects.
    const dirs = Array.from({ length: 22 }, () => `${w.word()}/${w.word()}`);
    for (let i = 0; i < 220; i++) {
      const dir = w.pick(dirs);
      const r = w.int(10);
      if (r < 5) add(`apps/${service}/src/${dir}/${w.camel()}${i}.ts`, typescriptFile(w, sizes()));
      else if (r < 7) add(`services/${service}/${dir}/${w.snake()}_${i}.py`, pythonFile(w, sizes()));
      else if (r < 8) add(`services/${service}/internal/${dir}/${w.snake()}_${i}.go`, goFile(w, sizes()));
      else if (r < 9) add(`deploy/${service}/${w.word()}-${i}.yaml`, yamlFile(w, sizes() / 3));
      else add(`docs/${service}/${w.word()}-${i}.md`, markdownFile(w, sizes()));
    }
    add(`apps/${service}/package-lock.json`, packageLock(w, 700_000 + w.int(800_000)));
  }
  for (let i = 0; i < 4; i++) add(`services/${services[i]}/go.sum`, goSum(w, 300_000));
  for (let i = 0; i < 4; i++) add(`services/${services[i]}/poetry.lock`, poetryLock(w, 400_000));
  for (let i = 0; i < 10; i++) add(`apps/${services[i]}/public/assets/main.${w.chars(HEXCHARS, 8)}.min.js`, minifiedBundle(w, 1_200_000 + w.int(1_200_000)));

  // Plant the fake secrets in ordinary-looking files, at lines recorded in the manifest.
  const planted: PlantedSecret[] = [];
  const plant = (path: string, kind: PlantedSecret['kind'], secretlintCovers: boolean, make: () => string[]) => {
    const absolute = join(root, path);
    const lines = readFileSync(absolute, 'utf8').split('\n');
    const at = Math.min(lines.length - 1, 5 + w.int(Math.max(1, lines.length - 10)));
    const added = make();
    lines.splice(at, 0, ...added);
    writeFileSync(absolute, lines.join('\n'));
    for (const p of planted) if (p.path === path && p.line > at) p.line += added.length;
    planted.push({ path, line: at + 1, kind, secretlintCovers });
  };
  const ofType = (suffix: string) => paths.filter((p) => p.endsWith(suffix));
  const ts = ofType('.ts');
  const py = ofType('.py');
  const yaml = ofType('.yaml');
  const goFiles = ofType('.go');
  const bundles = ofType('.min.js');
  plant(ts[17], 'github-token', true, () => [`const githubToken = "${fakes.githubToken()}";`]);
  plant(ts[301], 'github-token', true, () => [`  const client = new Octokit({ auth: '${fakes.githubToken('s')}' });`]);
  plant(yaml[40], 'github-token', true, () => [`    GH_TOKEN: ${fakes.githubToken()}`]);
  plant(bundles[3], 'github-token', true, () => [`var gh={auth:"${fakes.githubToken()}"};`]);
  plant(ts[512], 'npm-token', true, () => [`const NPM_TOKEN = "${fakes.npmToken()}";`]);
  plant(yaml[77], 'npm-token', true, () => [`    NPM_AUTH: ${fakes.npmToken()}`]);
  plant(py[33], 'aws-key-pair', true, () => [`AWS_ACCESS_KEY_ID = "${fakes.awsKeyId()}"`, `AWS_SECRET_ACCESS_KEY = "${fakes.awsSecret()}"`]);
  plant(goFiles[12], 'aws-key-pair', true, () => [`\tawsAccessKeyID := "${fakes.awsKeyId()}"`, `\taws_secret_access_key := "${fakes.awsSecret()}"`]);
  plant(ts[777], 'stripe-live-key', false, () => [`export const stripe = new Stripe('${fakes.stripeKey('live')}');`]);
  plant(py[120], 'stripe-live-key', false, () => [`stripe.api_key = "${fakes.stripeKey('live')}"`]);

  let bytes = 0;
  for (const path of paths) bytes += statSync(join(root, path)).size;
  planted.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return { version: GENERATOR_VERSION, seed, files: paths.length, bytes, planted };
}

/** A realistic source file of exactly `count` lines, for the editor's per-document cost. */
export function sourceFileOfLines(seed: number, count: number): string {
  const w = new Writer(seed);
  const lines: string[] = [];
  while (lines.length < count) lines.push(...typescriptFile(w, 20_000));
  return lines.slice(0, count).join('\n') + '\n';
}
