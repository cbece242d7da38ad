import { strict as assert } from 'node:assert';
import type { Finding } from '../../src/engine/model';
import { accumulateEdits, rescanText, type ChangedSpan, type PreviousScan, type TextEdit } from '../../src/engine/secrets/incremental';
import { scanText } from '../../src/engine/secrets/scan';
import { cat, Fakes } from '../support/fakes';

// Re-checking only the changed part of a document must give exactly what a full scan gives.
// A seeded differential test edits random documents thousands of times and compares both after
// every edit; other tests pin that ordinary edits really take the fragment path.

const PATHS = ['src/app.ts', 'config/settings.yaml', 'infra/main.tf', 'app/settings.py', 'src/server.go'];

/** Lines of a realistic source file, dense with secrets and with the cross-line cases. */
class DocumentWriter {
  constructor(
    readonly f: Fakes,
    /** How often a line is one of the cases that force a full scan. */
    public rarePerTenThousand = 5,
    /** Includes UUIDs that two rules claim at the same priority (the rule id decides which). */
    readonly withTies = true,
  ) {}

  plain(): string[] {
    const f = this.f;
    const n = f.int(1000);
    return [f.choose([
      `export function handler${n}(input: number): number { return input * ${n} + offset; }`,
      `const value${n} = compute(${n}, "label-${f.alnum(6)}");`,
      `// password reset and token refresh are handled by the auth service (${n})`,
      `import { helper${n} } from './helpers/helper${n}';`,
      '',
      '}',
      `  return { token: session.token, user: session.user${n} };`,
      `// Grüße — 日本語のコメント ${n}`,
      `    logger.info("request ${n} finished", { status: 200 });`,
      `  if (config.apiKey === undefined) throw new Error("missing api key ${n}");`,
      `  const url = "https://api.acme.io/v${n % 3}/items";`,
    ])];
  }

  secret(): string[] {
    const f = this.f;
    const pw = f.strongPassword().replace(/[@#]/g, 'x');
    switch (f.int(27)) {
      case 0: return [`const stripeKey = "${f.stripeKey()}";`];
      case 1: return [`const gh = '${f.githubToken()}';`];
      case 2: return [`password = "${pw}"`];
      case 3: return [`api_key: ${f.apiKey()}`];
      case 4: return [`AWS_ACCESS_KEY_ID = "${f.awsKeyId()}"`];
      case 5: return [`AWS_SECRET_ACCESS_KEY = "${f.awsSecret()}"`];
      case 6: return [`const blob = "${f.awsSecret()}";`];
      case 7: return [`AWS_ACCESS_KEY_ID = "${f.awsKeyId()}"`, `AWS_SECRET_ACCESS_KEY = "${f.awsSecret()}"`];
      case 8: return [`  apiKey: "${f.googleApiKey()}",`, ...(f.int(2) ? ['  authDomain: "acme.firebaseapp.com",'] : [])];
      case 9: return [`const db = "postgres://admin:${f.alnum(18)}@db.acme.io:5432/app";`];
      case 10: return [`const session = "${f.jwt({ sub: String(f.int(1e6)), iat: 1700000000 })}";`];
      case 11: return [`const slack = "${f.slackToken()}";`];
      case 12: return ['- name: DB_PASSWORD', `  value: ${pw}`];
      case 13: return ['variable "db_password" {', '  type = string', `  default = "${pw}"`, '}'];
      case 14: return ['// launch-ready-ignore-next-line', `const ignored = "${f.githubToken()}";`];
      case 15: return [`const quiet = "${f.stripeKey()}"; // launch-ready-ignore`];
      case 16: return ['// launch-ready-ignore-next-line secret/github-token'];
      case 17: return [`const sendgrid = "${f.sendgridKey()}";`];
      case 18: return [`client_secret = "${f.alnum(30)}"`, `  secret_token: '${f.b64url(28)}'`];
      case 19: return [`const mailgun = "${f.mailgunKey()}";`];
      case 20: return [`AKIA_LIKE = "${f.awsKeyId()}" + "${f.awsSecret()}"`];
      case 21: return [`const windows = "${f.githubToken()}";\r`, `const crlf = compute(${f.int(99)});\r`];
      case 22: return ['const bundle = "' + f.alnum(700) + '";'];
      case 23: return [`AWS_ACCESS_KEY_ID = "${f.awsKeyId()}"`, ...this.filler(2 + f.int(10)), `  secret: "${f.awsSecret()}"`];
      case 24: return [`  apiKey: "${f.googleApiKey()}",`, ...this.filler(2 + f.int(10)), '  messagingSenderId: "1234",'];
      case 25: return ['variable "api_token" {', ...this.filler(f.int(5)).map((l) => `  # ${l}`), `  default = "${f.alnum(24)}"`, '}'];
      default: return [`export const npm = "${f.npmToken()}";`];
    }
  }

  filler(count: number): string[] {
    const out: string[] = [];
    while (out.length < count) out.push(...this.plain());
    return out;
  }

  /** Cases that make the re-check fall back to a full scan. */
  rare(): string[] {
    const f = this.f;
    switch (f.int(this.withTies ? 5 : 4)) {
      case 0: return f.pemLines(f.privateKeyLabel(f.choose(['rsa', 'pkcs8', 'openssh'] as const)), 6);
      case 1: return ['{', `  "type": ${JSON.stringify(cat('service', '_account'))},`, `  "private_key": "${f.pemLines(f.privateKeyLabel('pkcs8'), 4).join('\\n')}\\n",`, '  "client_email": "bot@acme.iam.gserviceaccount.com"', '}'];
      case 2: return ['kind: ' + cat('Sealed', 'Secret')];
      case 3: return [`HEROKU_POSTMARK_TOKEN = "${f.uuid()}"`];
      default: return [`postmark_server_token = "${f.uuid()}"`];
    }
  }

  line(): string[] {
    const roll = this.f.int(10_000);
    if (roll < this.rarePerTenThousand) return this.rare();
    if (roll < 700) return this.secret();
    return this.plain();
  }

  document(lines: number): string {
    const out: string[] = [];
    while (out.length < lines) out.push(...this.line());
    return out.join('\n') + (this.f.int(4) ? '\n' : '');
  }

  /** Characters someone might type: code, token pieces, quotes and line breaks. */
  typed(): string {
    const f = this.f;
    return f.choose(['x', 'a', '"', "'", ' ', '=', ':', '\n', 'token', 'password = "', f.githubToken(), f.awsKeyId(), f.awsSecret(), f.alnum(3), '// launch-ready-ignore-next-line\n', 'BEGIN', '\r\n', 'é']);
  }
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.offset) + edit.text + result.slice(edit.offset + edit.length);
  return result;
}

const lineOffsets = (text: string) => {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
};

/** One random change event for `text`, ordered as an editor reports it (from the end backwards). */
function randomEvent(w: DocumentWriter, text: string, near?: number): TextEdit[] {
  const f = w.f;
  const starts = lineOffsets(text);
  // Typing goes on where it was; multi-cursor edits are often a few lines apart.
  const around = near ?? (f.int(2) === 0 ? f.int(text.length + 1) : undefined);
  const offset = () => (around === undefined ? f.int(text.length + 1) : Math.max(0, Math.min(text.length, around - 300 + f.int(600))));
  const lineStart = () => {
    const at = offset();
    return at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
  };
  const single = (): TextEdit => {
    switch (f.int(7)) {
      case 0: return { offset: lineStart(), length: 0, text: w.line().join('\n') + '\n' };
      case 1: {
        const line = starts.indexOf(lineStart());
        const end = starts[Math.min(starts.length - 1, line + 1 + f.int(3))];
        return { offset: starts[line], length: Math.max(0, end - starts[line]), text: '' };
      }
      case 2: {
        const line = starts.indexOf(lineStart());
        const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
        return { offset: starts[line], length: end - starts[line], text: w.line().join('\n') };
      }
      case 3: return { offset: offset(), length: 0, text: w.typed() };
      case 4: {
        const at = offset();
        return { offset: at, length: Math.min(text.length - at, 1 + f.int(20)), text: '' };
      }
      case 5: {
        const at = offset();
        return { offset: at, length: Math.min(text.length - at, f.int(4)), text: w.typed() };
      }
      default: {
        // Paste a block of lines.
        const block: string[] = [];
        for (let i = 0, n = 2 + f.int(12); i < n; i++) block.push(...w.line());
        return { offset: lineStart(), length: 0, text: block.join('\n') + '\n' };
      }
    }
  };
  if (f.int(25) === 0) {
    // Take out a case that forces full scans, so a document can go back to fragments.
    const rare = /BEGIN|END|service_account|POSTMARK|postmark|SealedSecret/.exec(text);
    if (rare) {
      const from = text.lastIndexOf('\n', rare.index) + 1;
      const to = starts.find((s) => s > rare.index + 400) ?? text.length;
      return [{ offset: from, length: to - from, text: '' }];
    }
  }
  if (f.int(5) > 0) return [single()];
  // Multi-cursor: non-overlapping edits of the same text, reported from the last one back so
  // that each offset is still right when the ones after it have been applied.
  const edits: TextEdit[] = [];
  for (let i = 0, n = 2 + f.int(3); i < n; i++) edits.push(single());
  edits.sort((a, b) => b.offset - a.offset);
  const kept: TextEdit[] = [];
  for (const edit of edits) if (kept.length === 0 || edit.offset + edit.length <= kept[kept.length - 1].offset) kept.push(edit);
  return kept;
}

const describeFinding = (f: Finding) => `${f.ruleId}@${f.location.kind === 'file' ? `${f.location.range.startLine}:${f.location.range.startColumn}` : '?'}`;

describe('incremental secret re-check', function () {
  this.timeout(300_000);

  it('accumulates edits into the span where old and new text differ', () => {
    const w = new DocumentWriter(new Fakes(7));
    for (let round = 0; round < 300; round++) {
      const original = w.document(5 + w.f.int(30));
      let text = original;
      let span: ChangedSpan | undefined;
      for (let n = 0, events = 1 + w.f.int(6); n < events; n++) {
        const event = randomEvent(w, text);
        span = accumulateEdits(span, event);
        text = applyEdits(text, event);
      }
      assert.ok(span);
      assert.equal(original.length - span.oldEnd, text.length - span.newEnd);
      assert.equal(original.slice(0, span.start), text.slice(0, span.start));
      assert.equal(original.slice(span.oldEnd), text.slice(span.newEnd));
    }
  });

  it('gives exactly the findings of a full scan after thousands of random edits', () => {
    const methods = { fragment: 0, full: 0, unchanged: 0 };
    const reasons = new Map<string, number>();
    let edits = 0;
    let compared = 0;
    for (let seed = 1; seed <= 8; seed++) {
      // Two documents start full of the cases that force full scans; the others meet them rarely.
      const w = new DocumentWriter(new Fakes(1000 + seed), seed <= 2 ? 40 : 0, seed !== 1);
      const path = PATHS[seed % PATHS.length];
      let text = w.document(1300 + w.f.int(800));
      w.rarePerTenThousand = 4;
      let previous: PreviousScan = { text, findings: scanText(text, { path }) };
      for (let step = 0; step < 250; step++) {
        let span: ChangedSpan | undefined;
        // A few change events may arrive before the debounced re-check runs.
        let near: number | undefined;
        for (let n = 0, events = 1 + (w.f.int(3) === 0 ? w.f.int(4) : 0); n < events; n++) {
          const event = randomEvent(w, text, near);
          near = w.f.int(5) > 0 ? event[event.length - 1].offset : undefined;
          span = accumulateEdits(span, event);
          text = applyEdits(text, event);
          edits += event.length;
        }
        const expected = scanText(text, { path });
        const result = rescanText(previous, span, text, { path });
        methods[result.method]++;
        if (result.reason) reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
        if (JSON.stringify(result.findings) !== JSON.stringify(expected)) {
          assert.deepEqual(result.findings.map(describeFinding), expected.map(describeFinding), `seed ${seed}, step ${step}, ${result.method}`);
          assert.deepEqual(result.findings, expected, `seed ${seed}, step ${step}, ${result.method}`);
        }
        compared++;
        previous = { text, findings: result.findings };
      }
    }
    if (process.env.INCREMENTAL_STATS) console.log(edits, compared, methods, [...reasons]);
    assert.ok(edits >= 3000, `${edits} edits`);
    // Most edits are ordinary ones: the fragment path must carry them, not the fallback.
    assert.ok(methods.fragment > compared * 0.5, `${JSON.stringify(methods)} ${JSON.stringify([...reasons])}`);
    // And every fallback reason the generator aims at was exercised.
    for (const reason of ['a key block or service-account key nearby', 'a SealedSecret manifest']) {
      assert.ok((reasons.get(reason) ?? 0) > 0, `never fell back for "${reason}": ${JSON.stringify([...reasons])}`);
    }
  });

  it('re-checks a few hundred lines of a 10,000-line file for a one-character edit', () => {
    const f = new Fakes(99);
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 500 === 250) lines.push(`const stripeKey${i} = "${f.stripeKey()}";`);
      else lines.push(`export function handler${i}(input: number): number { return input * ${i} + offset; }`);
    }
    const path = 'src/large.ts';
    const text = lines.join('\n') + '\n';
    const previous = { text, findings: scanText(text, { path }) };
    assert.equal(previous.findings.length, 20);
    const at = text.indexOf('handler5000(');
    const edit: TextEdit = { offset: at, length: 0, text: 'x' };
    const edited = applyEdits(text, [edit]);
    const result = rescanText(previous, accumulateEdits(undefined, [edit]), edited, { path });
    assert.equal(result.method, 'fragment', result.reason);
    assert.deepEqual(result.findings, scanText(edited, { path }));
    const [first, last] = result.scannedLines ?? [0, 0];
    assert.ok(first <= 5001 && last >= 5001 && last - first < 600, `scanned lines ${first}–${last}`);
  });

  it('moves findings below the edit by the lines it adds, and takes new ones from the fragment', () => {
    const f = new Fakes(5);
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `const filler${i} = compute(${i});`);
    const key = f.githubToken();
    const text = [...filler(2000), `const gh = "${key}";`, ...filler(2000)].join('\n');
    const path = 'src/moved.ts';
    const previous = { text, findings: scanText(text, { path }) };
    assert.equal(previous.findings.length, 1);
    // Far above the key: the key's finding is outside the zone and is moved, not re-found.
    const inserted = `const stripeKey = "${f.stripeKey()}";\n\n\n`;
    const edit: TextEdit = { offset: 0, length: 0, text: inserted };
    const edited = applyEdits(text, [edit]);
    const result = rescanText(previous, accumulateEdits(undefined, [edit]), edited, { path });
    assert.equal(result.method, 'fragment', result.reason);
    assert.deepEqual(result.findings.map((x) => [x.ruleId, x.location.kind === 'file' && x.location.range.startLine]), [
      ['secret/stripe-secret-key', 1],
      ['secret/github-token', 2004],
    ]);
    assert.deepEqual(result.findings, scanText(edited, { path }));
  });

  it('scans the whole text for env files, key blocks nearby, and edits that do not fit the text', () => {
    const f = new Fakes(11);
    const filler = Array.from({ length: 3000 }, (_, i) => `VALUE_${i}=plain-${i}`).join('\n');
    const edit: TextEdit = { offset: 10, length: 0, text: 'x' };
    const span = accumulateEdits(undefined, [edit]);
    const env = rescanText({ text: filler, findings: [] }, span, applyEdits(filler, [edit]), { path: 'deploy/.env.production' });
    assert.deepEqual([env.method, env.reason], ['full', 'env file']);

    const pem = f.pemLines(f.privateKeyLabel('rsa'), 8).join('\n');
    const code = Array.from({ length: 3000 }, (_, i) => `const value${i} = compute(${i});`);
    const withKey = [...code.slice(0, 1500), pem, ...code.slice(1500)].join('\n');
    const previous = { text: withKey, findings: scanText(withKey, { path: 'src/keys.ts' }) };
    assert.equal(previous.findings.length, 1);
    // Breaking the block's body must drop the finding: a fragment could not know the block.
    const body = withKey.indexOf('-----\n') + 6;
    const broken: TextEdit = { offset: body + 10, length: 1, text: '!' };
    const result = rescanText(previous, accumulateEdits(undefined, [broken]), applyEdits(withKey, [broken]), { path: 'src/keys.ts' });
    assert.deepEqual([result.method, result.reason], ['full', 'a key block or service-account key nearby']);
    assert.deepEqual(result.findings, []);

    const wrong = rescanText({ text: filler, findings: [] }, { start: 0, oldEnd: 5, newEnd: 1 }, filler, { path: 'src/a.ts' });
    assert.deepEqual([wrong.method, wrong.reason], ['full', 'the edits do not match the text']);
  });

  it('scans the whole text when a key block may reach past the fragment, or the text looks minified', () => {
    const f = new Fakes(12);
    const code = Array.from({ length: 3000 }, (_, i) => `const value${i} = compute(${i});`);
    // A 200-line key whose header has a typo: fixing it makes a block longer than the zone.
    const pem = f.pemLines(f.privateKeyLabel('rsa'), 200);
    const typo = pem[0].replace('KEY', 'KEX');
    const text = [...code.slice(0, 1000), typo, ...pem.slice(1), ...code.slice(1000)].join('\n');
    const path = 'src/keys.ts';
    const previous = { text, findings: scanText(text, { path }) };
    assert.deepEqual(previous.findings, []);
    const fix: TextEdit = { offset: text.indexOf('KEX'), length: 3, text: 'KEY' };
    const fixed = applyEdits(text, [fix]);
    const result = rescanText(previous, accumulateEdits(undefined, [fix]), fixed, { path });
    assert.deepEqual([result.method, result.reason], ['full', 'a key block or service-account key nearby']);
    assert.deepEqual(result.findings.map((x) => x.ruleId), ['secret/private-key']);

    // The first lines of a bundle decide that generic rules stay quiet in all of it.
    const long = Array.from({ length: 64 }, () => `var a=${JSON.stringify(f.alnum(600))};`);
    const assignments = Array.from({ length: 3000 }, (_, i) => (i % 50 === 0 ? `password = "${f.strongPassword()}"` : `var b${i} = c(${i});`));
    const bundle = [...long, ...assignments].join('\n');
    const bundlePath = 'dist/app.js';
    const scanned = { text: bundle, findings: scanText(bundle, { path: bundlePath }) };
    const typed: TextEdit = { offset: bundle.indexOf('var b2001 '), length: 0, text: 'x' };
    const edited = applyEdits(bundle, [typed]);
    const minified = rescanText(scanned, accumulateEdits(undefined, [typed]), edited, { path: bundlePath });
    assert.deepEqual([minified.method, minified.reason], ['full', 'minified-looking text']);
    assert.deepEqual(minified.findings, scanText(edited, { path: bundlePath }));
  });

  it('re-checks only the edit when two rules claim the same value far away (the rule id decides)', () => {
    const f = new Fakes(13);
    const code = Array.from({ length: 3000 }, (_, i) => `const value${i} = compute(${i});`);
    code[2500] = `HEROKU_POSTMARK_TOKEN = "${f.uuid()}"`;
    const text = code.join('\n');
    const previous = { text, findings: scanText(text, { path: 'src/mail.ts' }) };
    assert.equal(previous.findings.length, 1);
    const typed: TextEdit = { offset: text.indexOf('value100 '), length: 0, text: 'x' };
    const next = applyEdits(text, [typed]);
    const result = rescanText(previous, accumulateEdits(undefined, [typed]), next, { path: 'src/mail.ts' });
    assert.equal(result.method, 'fragment');
    assert.deepEqual(result.findings, scanText(next, { path: 'src/mail.ts' }));
    // Alone, the line gives the same winner as in the whole file.
    assert.equal(scanText(code[2500], { path: 'src/mail.ts' })[0].ruleId, previous.findings[0].ruleId);
  });

  it('returns the previous findings when nothing changed', () => {
    const text = `const gh = "${new Fakes(3).githubToken()}";\n`;
    const findings = scanText(text, { path: 'a.ts' });
    const result = rescanText({ text, findings }, undefined, text, { path: 'a.ts' });
    assert.equal(result.method, 'unchanged');
    assert.deepEqual(result.findings, findings);
  });
});
