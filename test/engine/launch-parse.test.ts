import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Range } from '../../src/engine/model';
import { parseLaunchYaml } from '../../src/engine/launch/parse';
import { LAUNCH_RULES } from '../../src/engine/launch/rules';
import { LAUNCH_SCHEMA, READINESS_ITEM_IDS } from '../../src/engine/launch/schema';
import { DEFAULT_API_P95_MS, DEFAULT_PAGE_P95_MS, EDGE_PROVIDERS, LAUNCH_STAGES } from '../../src/engine/launch/model';
import { READINESS_ITEMS } from '../../src/engine/readiness/catalog';
import { didYouMean } from '../../src/engine/launch/suggest';
import { loadLaunchFile } from '../../src/engine/launch/load';
import { isWithin, registrableDomain, sameRegistrableDomain, subdomainPart } from '../../src/engine/launch/domains';
import { removeDir, tempDir, writeFiles } from '../support/cli';
import { checkSync } from 'recheck';
import { HOST_PATTERNS } from '../../src/engine/launch/domains';
import { VALUE_PATTERNS } from '../../src/engine/launch/validate';
import { REMOTE_PATTERNS } from '../../src/engine/launch/starter';
import type { SchemaNode } from '../../src/engine/launch/schema';
import { Fakes, seededRandom } from '../support/fakes';

const TODAY = '2026-11-25';
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'launch');

function parse(text: string) {
  return parseLaunchYaml(text, 'launch.yaml', { today: TODAY });
}

function rangeOf(finding: Finding): Range {
  assert.equal(finding.location.kind, 'file');
  return finding.location.kind === 'file' ? finding.location.range : { startLine: 0, startColumn: 0, endLine: 0, endColumn: 0 };
}

/** [rule, startLine, startColumn, endLine, endColumn] per finding, in file order. */
function positions(text: string): [string, number, number, number, number][] {
  return parse(text).findings.map((f) => {
    const r = rangeOf(f);
    return [f.ruleId, r.startLine, r.startColumn, r.endLine, r.endColumn];
  });
}

const APP = 'app:\n  name: Acme\n  stage: launch\n';

describe('launch.yaml: a complete file', () => {
  const text = readFileSync(join(FIXTURES, 'full.yaml'), 'utf8');
  const result = parse(text);

  it('validates cleanly', () => {
    assert.deepEqual(result.findings.map((f) => `${f.ruleId}: ${f.message}`), []);
  });

  it('builds the model with normalised hosts, defaults and public-suffix-aware domains', () => {
    const config = result.config;
    assert.ok(config);
    assert.equal(config.app.stage, 'first-customers');
    assert.equal(config.domain?.primary.name, 'www.acme.co.uk');
    assert.equal(config.domain?.primary.registrableDomain, 'acme.co.uk');
    assert.deepEqual(
      config.domain?.subdomains.map((s) => [s.key, s.host.name, s.cname?.name ?? s.a.concat(s.aaaa).join(' '), s.public, s.proxied]),
      [
        ['@', 'acme.co.uk', '203.0.113.10 2001:db8::10', true, false],
        ['www', 'www.acme.co.uk', 'acme.vercel-dns.com', true, false],
        ['app', 'app.acme.co.uk', 'cname.vercel-dns.com', true, true],
        ['api', 'api.acme.co.uk', '203.0.113.20 203.0.113.21', true, false],
        ['staging', 'staging.acme.co.uk', 'acme-staging.fly.dev', false, false],
        ['mail', 'mail.acme.co.uk', '203.0.113.30', true, false],
      ],
    );
    assert.deepEqual(config.domain?.redirects.map((r) => [r.from.url?.href ?? r.from.host.name, r.to.href, r.status, r.preservePath]), [
      ['acme.co.uk', 'https://www.acme.co.uk/', 301, true],
      ['http://www.acme.co.uk/', 'https://www.acme.co.uk/', 308, true],
      ['https://old-acme.com/pricing', 'https://www.acme.co.uk/pricing', 301, false],
    ]);
    const [google, postmark] = config.email?.senders ?? [];
    assert.deepEqual(google.spfIncludes.map((h) => h.name), ['_spf.google.com']);
    assert.equal(google.dmarc?.policy, 'quarantine', 'a sender without its own DMARC inherits the section default');
    assert.deepEqual(postmark.dkimSelectors, ['20240101pm', '20240601'], 'a numeric selector stays text as written');
    assert.equal(postmark.dmarc?.policy, 'reject');
    assert.deepEqual(config.email?.dmarc?.reportTo, ['dmarc@acme.co.uk']);
    assert.deepEqual(config.latency, { apiP95Ms: 250, pageP95Ms: DEFAULT_PAGE_P95_MS, endpoints: [{ url: config.latency.endpoints[0].url, p95Ms: 500 }] });
    assert.deepEqual(config.owners.dns, { owner: 'Ana' });
    assert.equal(config.owners.registrar?.recovery, 'Bo');
    assert.equal(config.owners.other.auth?.provider, 'clerk');
    assert.deepEqual(config.attestations.map((a) => [a.item, a.by, a.date]), [['R2', 'Bo', '2026-10-02'], ['R7', 'Ana', '2026-09-20'], ['M6', 'Ana', '2026-09-01']]);
    assert.deepEqual(config.acceptedRisks.map((r) => [r.item, r.until, r.expired]), [['R3', '2027-03-01', false]]);
    assert.deepEqual(config.environments.map((e) => [e.name, e.required.length]), [['production', 3], ['staging', 1]]);
  });

  it('answers positionOf for keys and values', () => {
    assert.deepEqual(result.positionOf(['domain', 'primary']), { startLine: 11, startColumn: 12, endLine: 11, endColumn: 26 });
    assert.deepEqual(result.positionOf(['domain', 'primary'], 'key'), { startLine: 11, startColumn: 3, endLine: 11, endColumn: 10 });
    assert.deepEqual(result.positionOf(['domain', 'redirects', 1, 'to']), { startLine: 17, startColumn: 11, endLine: 17, endColumn: 33 });
    assert.equal(result.positionOf(['domain', 'nothing']), undefined);
  });

  it('accepts the README example as written', () => {
    const readme = readFileSync(join(FIXTURES, '..', '..', '..', 'README.md'), 'utf8');
    const section = readme.indexOf('## `launch.yaml`');
    const start = readme.indexOf('```yaml\n', section) + '```yaml\n'.length;
    const example = readme.slice(start, readme.indexOf('```', start));
    assert.ok(section >= 0 && example.includes('primary:'));
    const parsed = parse(example);
    assert.deepEqual(parsed.findings.map((f) => f.message), []);
    assert.equal(parsed.config?.attestations[0].item, 'R2');
  });

  it('reads dates and numbers as the text written, even under a %YAML 1.1 directive', () => {
    const result = parse(`%YAML 1.1\n---\n${APP}  launchDate: 2026-12-01\nemail:\n  senders:\n    - { domain: acme.com, provider: postmark, dkimSelectors: [20240601, 1e3] }\n`);
    assert.deepEqual(result.findings, []);
    assert.equal(result.config?.app.launchDate, '2026-12-01');
    assert.deepEqual(result.config?.email?.senders[0].dkimSelectors, ['20240601', '1e3']);
  });

  it('applies the default latency budgets when none are written', () => {
    const config = parse(APP).config;
    assert.equal(config?.latency.apiP95Ms, DEFAULT_API_P95_MS);
    assert.equal(config?.latency.pageP95Ms, DEFAULT_PAGE_P95_MS);
  });
});

describe('launch.yaml: each rule with its exact position', () => {
  const cases: [string, string, [string, number, number, number, number][]][] = [
    ['syntax error', 'app:\n  name: [Acme\n', [['launch/yaml-syntax', 3, 1, 3, 1]]],
    ['duplicate key', `${APP}domain:\n  primary: a.com\n  primary: b.com\n`, [['launch/duplicate-key', 6, 3, 6, 10]]],
    ['unknown key', `${APP}  nmae: x\n`, [['launch/unknown-key', 4, 3, 4, 7]]],
    ['wrong type', `${APP}edge:\n  hsts:\n    preload: "yes"\n`, [['launch/wrong-type', 6, 14, 6, 19]]],
    ['missing required (section)', `${APP}domain:\n  redirects: []\n`, [['launch/missing-required', 4, 1, 4, 7]]],
    ['missing required (empty value)', `${APP}domain:\n  primary:\n`, [['launch/missing-required', 5, 3, 5, 10]]],
    ['empty section', `${APP}edge:\nemail:\n  inboxes:\n    -\n`, [['launch/empty-value', 4, 1, 4, 5], ['launch/empty-value', 7, 6, 7, 6]]],
    ['missing app', 'edge:\n  provider: none\n', [['launch/missing-required', 1, 1, 1, 6]]],
    ['invalid value', `${APP}edge:\n  provider: akamai\n`, [['launch/invalid-value', 5, 13, 5, 19]]],
    ['invalid host', `${APP}domain:\n  primary: www..acme.com\n`, [['launch/invalid-host', 5, 12, 5, 25]]],
    ['URL where a host belongs', `${APP}domain:\n  primary: https://acme.com/\n`, [['launch/invalid-host', 5, 12, 5, 29]]],
    ['invalid url', `${APP}deploy:\n  healthUrl: api.acme.com/health\n`, [['launch/invalid-url', 5, 14, 5, 33]]],
    ['invalid date', `${APP}attestations:\n  R2: { by: Bo, date: 2026-02-30, evidence: log }\n`, [['launch/invalid-date', 5, 23, 5, 33]]],
    ['invalid date format', `${APP}  launchDate: 1/12/2026\n`, [['launch/invalid-date', 4, 15, 4, 24]]],
    ['invalid address', `${APP}domain:\n  primary: acme.com\n  subdomains:\n    api: { a: [10.0.0.1, 10.0.0.256] }\n`, [['launch/invalid-address', 7, 26, 7, 36]]],
    ['invalid email', `${APP}email:\n  dmarc: { policy: none, reportTo: dmarc-at-acme.com }\n`, [['launch/invalid-email', 5, 36, 5, 53]]],
    ['invalid env name', `${APP}environments:\n  production:\n    required: [DATABASE_URL, 2FA_KEY]\n`, [['launch/invalid-env-name', 6, 30, 6, 37]]],
    ['unknown item', `${APP}attestations:\n  Z9: { by: Bo, date: 2026-01-01, evidence: x }\n`, [['launch/unknown-item', 5, 3, 5, 5]]],
    ['unknown item in a risk', `${APP}acceptedRisks:\n  - { risk: r, item: R99, acceptedBy: Ana, until: 2027-01-01 }\n`, [['launch/unknown-item', 5, 22, 5, 25]]],
    ['subdomain outside the domain', `${APP}domain:\n  primary: www.acme.com\n  subdomains:\n    api.other.io: { cname: x.fly.dev }\n`, [['launch/subdomain-outside-domain', 7, 5, 7, 17]]],
    ['cname with address', `${APP}domain:\n  primary: acme.com\n  subdomains:\n    api:\n      a: 10.0.0.1\n      cname: x.fly.dev\n`, [['launch/cname-with-address', 9, 7, 9, 12]]],
    ['cname at apex', `${APP}domain:\n  primary: acme.com\n  subdomains:\n    "@": { cname: x.fly.dev }\n`, [['launch/cname-at-apex', 7, 12, 7, 17]]],
    ['redirect loop', `${APP}domain:\n  primary: www.acme.com\n  redirects:\n    - from: acme.com\n      to: https://acme.com/\n`, [['launch/redirect-loop', 8, 11, 8, 28]]],
    ['primary redirected', `${APP}domain:\n  primary: www.acme.com\n  redirects:\n    - { from: www.acme.com, to: "https://acme.com" }\n`, [['launch/primary-redirected', 7, 15, 7, 27]]],
    ['preload without includeSubDomains', `${APP}edge:\n  hsts: { maxAge: 31536000, preload: true }\n`, [['launch/hsts-preload-needs-subdomains', 5, 38, 5, 42]]],
    ['attestation without evidence', `${APP}attestations:\n  R7: { by: Ana, date: 2026-09-20 }\n`, [['launch/missing-evidence', 5, 3, 5, 5]]],
    ['attestation in the future', `${APP}attestations:\n  R7: { by: Ana, date: 2026-11-26, evidence: x }\n`, [['launch/future-date', 5, 24, 5, 34]]],
    ['expired acceptance', `${APP}acceptedRisks:\n  - risk: no rollback\n    acceptedBy: Ana\n    until: 2026-11-24\n`, [['launch/expired-acceptance', 7, 12, 7, 22]]],
    ['multiple documents', `${APP}---\nother: 1\n`, [['launch/multiple-documents', 4, 1, 4, 4]]],
    ['merge key', `${APP}edge:\n  <<: { provider: none }\n`, [['launch/unsupported-yaml', 5, 3, 5, 5]]],
    ['unresolved tag', `${APP}  description: !secret x\n`, [['launch/unsupported-yaml', 4, 16, 4, 23]]],
    ['root is a list', '- app\n- name\n', [['launch/wrong-type', 1, 1, 1, 6]]],
    ['empty file', '', [['launch/empty-file', 1, 1, 1, 1]]],
    ['only comments', '# nothing yet\n', [['launch/empty-file', 1, 1, 1, 1]]],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      assert.deepEqual(positions(text), expected);
    });
  }

  it('triggers every rule in the catalogue somewhere above (plus the size and depth guards)', () => {
    const seen = new Set(cases.flatMap(([, , expected]) => expected.map(([rule]) => rule)));
    seen.add('launch/file-too-large');
    seen.add('launch/too-complex');
    seen.add('launch/unreadable');
    assert.deepEqual(LAUNCH_RULES.map((r) => r.id).filter((id) => !seen.has(id)), []);
  });

  it('reports one problem once: a wrong value is not also "missing"', () => {
    assert.deepEqual(positions(`${APP}domain:\n  primary: 42\n`).map(([rule]) => rule), ['launch/invalid-host']);
  });

  it('keeps checking other sections when app itself is broken, but returns no config', () => {
    const result = parse('app:\n  name: Acme\n  stage: beta\nedge:\n  hsts: { preload: true }\n');
    assert.equal(result.config, undefined);
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['launch/invalid-value', 'launch/hsts-preload-needs-subdomains']);
  });

  it('accepts a subdomain declared with no details', () => {
    const result = parse(`${APP}domain:\n  primary: acme.com\n  subdomains:\n    staging:\n`);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.config?.domain?.subdomains.map((d) => [d.host.name, d.public]), [['staging.acme.com', true]]);
  });

  it('does not report the HTTPS upgrade of the primary host as a redirect away', () => {
    assert.deepEqual(positions(`${APP}domain:\n  primary: www.acme.com\n  redirects:\n    - { from: "http://www.acme.com", to: "https://www.acme.com/" }\n`), []);
  });
});

describe('launch.yaml: the user\'s say', () => {
  it('honours launch-ready-ignore comments and rule settings', () => {
    const text = `${APP}  nmae: x  # launch-ready-ignore launch/unknown-key\n  # launch-ready-ignore-next-line\n  colour: blue\n  flavour: vanilla\n`;
    assert.deepEqual(positions(text), [['launch/unknown-key', 7, 3, 7, 10]]);
    const relaxed = parseLaunchYaml(text, 'launch.yaml', { today: TODAY, rules: { 'launch/unknown-key': 'low' } });
    assert.deepEqual(relaxed.findings.map((f) => f.severity), ['low']);
    assert.deepEqual(parseLaunchYaml(text, 'launch.yaml', { today: TODAY, rules: { 'launch/unknown-key': 'off' } }).findings, []);
  });

  it('quotes keys with dots in messages', () => {
    const [finding] = parse(`${APP}domain:\n  primary: acme.com\n  subdomains:\n    eu.api: { a: 300.1.1.1 }\n`).findings.filter((f) => f.ruleId === 'launch/invalid-address');
    assert.match(finding.message, /^domain\.subdomains\["eu\.api"\]\.a:/);
  });
});

describe('launch.yaml: did you mean', () => {
  const message = (text: string) => parse(text).findings.map((f) => f.message).join('\n');

  it('suggests the nearest sibling key for typos and other spellings', () => {
    assert.match(message(`${APP}domain:\n  primay: acme.com\n`), /did you mean `primary`\?/);
    assert.match(message(`${APP}domain:\n  primary: acme.com\n  redirects:\n    - { from: a.acme.com, to: "https://acme.com", preserve_path: false }\n`), /did you mean `preservePath`\?/);
    assert.match(message(`${APP}owners:\n  registar: Ana\n`), /did you mean `registrar`\?/);
  });

  it('names the section where a misplaced key belongs', () => {
    assert.match(message(`${APP}primary: acme.com\n`), /`primary` belongs under `domain`/);
  });

  it('suggests enum values and readiness ids', () => {
    assert.match(message('app:\n  name: A\n  stage: first-customer\n'), /did you mean `first-customers`\?/);
    assert.match(message(`${APP}edge:\n  provider: cloudfare\n`), /did you mean `cloudflare`\?/);
    assert.match(message(`${APP}attestations:\n  r7: { by: Ana, date: 2026-01-01, evidence: x }\n`), /did you mean `R7`\?/);
  });

  it('stays silent when nothing is close', () => {
    assert.equal(didYouMean('zzzzzz', ['primary', 'redirects']), undefined);
    assert.doesNotMatch(message(`${APP}  flavour: vanilla\n`), /did you mean/);
  });

  it('ignores x- keys kept for people', () => {
    assert.deepEqual(positions(`${APP}x-notes: hello\n  \ndomain:\n  primary: acme.com\n  x-todo: move DNS\n`), []);
  });
});

describe('launch.yaml: Unicode and IDN hosts', () => {
  it('normalises to punycode and keeps what the user wrote', () => {
    const result = parse(`${APP}domain:\n  primary: www.Bücher.example\n  subdomains:\n    shop: { cname: shop.münchen.de }\n`);
    assert.deepEqual(result.findings, []);
    assert.equal(result.config?.domain?.primary.name, 'www.xn--bcher-kva.example');
    assert.equal(result.config?.domain?.primary.input, 'www.Bücher.example');
    assert.equal(result.config?.domain?.subdomains[0].host.name, 'shop.xn--bcher-kva.example');
    assert.equal(result.config?.domain?.subdomains[0].cname?.name, 'shop.xn--mnchen-3ya.de');
  });

  it('treats a Unicode name and its punycode as the same domain', () => {
    const result = parse(`${APP}domain:\n  primary: münchen.de\n  subdomains:\n    www.xn--mnchen-3ya.de: { a: 192.0.2.1 }\n`);
    assert.deepEqual(result.findings, []);
  });

  it('reports an invalid IDN with the original text and columns counted in characters', () => {
    const [finding] = parse(`${APP}domain:\n  primary: "ü..de"\n`).findings;
    assert.equal(finding.ruleId, 'launch/invalid-host');
    assert.match(finding.message, /"ü\.\.de"/);
    assert.deepEqual(rangeOf(finding), { startLine: 5, startColumn: 12, endLine: 5, endColumn: 19 });
  });

  it('names Unicode domains in both forms in messages', () => {
    const [finding] = parse(`${APP}domain:\n  primary: www.bücher.example\n  subdomains:\n    shop.other.example: { a: 192.0.2.1 }\n`).findings;
    assert.equal(finding.ruleId, 'launch/subdomain-outside-domain');
    assert.match(finding.message, /not under bücher\.example \(xn--bcher-kva\.example\)/);
  });

  it('handles a byte-order mark and CRLF line ends', () => {
    const text = `\ufeff${APP}domain:\n  primry: acme.com\n  primary: acme.com\n`.replace(/\n/g, '\r\n');
    assert.deepEqual(positions(text), [['launch/unknown-key', 5, 3, 5, 9]]);
  });
});

describe('launch.yaml: bad input never crashes', () => {
  it('refuses a huge file with a finding', () => {
    const text = APP + `x-pad: "${'a'.repeat(300 * 1024)}"\n`;
    assert.deepEqual(positions(text), [['launch/file-too-large', 1, 1, 1, 1]]);
    assert.equal(parseLaunchYaml(text, 'launch.yaml', { today: TODAY, maxBytes: 1024 * 1024 }).findings.length, 0);
  });

  it('refuses deep flow nesting before the YAML parser can exhaust the stack', () => {
    const text = `${APP}x-deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    assert.deepEqual(positions(text), [['launch/too-complex', 4, 73, 4, 74]]);
  });

  it('refuses deep block nesting', () => {
    const text = APP + 'x-deep:\n' + Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n') + '\n';
    assert.equal(parse(text).findings[0].ruleId, 'launch/too-complex');
    assert.equal(parse(APP + 'x-seq: ' + '- '.repeat(3000) + 'a\n').findings[0].ruleId, 'launch/yaml-syntax');
    assert.equal(parse(APP + '- '.repeat(3000) + 'a\n').findings[0].ruleId, 'launch/too-complex');
  });

  it('stops an alias that contains itself and an alias bomb', () => {
    assert.deepEqual(positions(`${APP}monitoring:\n  uptime: &a [*a]\n`).map(([rule]) => rule), ['launch/wrong-type']);
    // Each alias is cheap to write and expensive to expand: 12 environments × 8,000 names.
    const names = Array.from({ length: 8000 }, (_, i) => `V${i}`).join(', ');
    const bomb = `${APP}x-defs:\n  env: &env { required: [${names}] }\nenvironments:\n${Array.from({ length: 12 }, (_, i) => `  e${i}: *env`).join('\n')}\n`;
    assert.deepEqual(positions(bomb), [['launch/too-complex', 1, 1, 1, 1]]);
    // The same data referenced twice is fine.
    const twice = `${APP}x-defs:\n  env: &env { required: [${names}] }\nenvironments:\n  a: *env\n  b: *env\n`;
    assert.deepEqual(parse(twice).config?.environments.map((e) => e.required.length), [8000, 8000]);
  });

  it('survives arbitrary junk and truncated files', () => {
    const full = readFileSync(join(FIXTURES, 'full.yaml'), 'utf8');
    const junk = ['\0\0\0', '{', '}', ']]]', ':', '- - -', '"unterminated', "'", '&', '*nope', '!!binary aGVsbG8=', '? complex\n: key', '%YAML 1.1\n---\na: 1', 'a: |\n  text\n b', '\t\tapp:'];
    for (const text of [...junk, ...Array.from({ length: 60 }, (_, i) => full.slice(0, Math.floor((full.length * i) / 60)))]) {
      const result = parse(text);
      for (const finding of result.findings) {
        const range = rangeOf(finding);
        assert.ok(range.startLine >= 1 && range.startColumn >= 1, `${JSON.stringify(text.slice(0, 20))}: ${finding.ruleId}`);
        assert.ok(range.endLine > range.startLine || (range.endLine === range.startLine && range.endColumn >= range.startColumn));
      }
    }
  });

  it('survives seeded random edits of a full file without throwing', function () {
    this.timeout(60_000);
    const full = readFileSync(join(FIXTURES, 'full.yaml'), 'utf8');
    const random = seededRandom(2026);
    const pick = (n: number) => Math.floor(random() * n);
    const alphabet = [':', '-', '[', ']', '{', '}', '"', "'", '&a ', '*a', '!', '|', '>', '#', '%', '@', '\n', ' ', '  ', '\t', 'x', '9', 'ü', '.', '/', '<<: ', '? ', '---\n'];
    const lineCount = full.split('\n').length;
    for (let round = 0; round < 300; round++) {
      let text = full;
      for (let edits = 1 + pick(4); edits > 0; edits--) {
        const at = pick(text.length);
        const op = pick(4);
        if (op === 0) text = text.slice(0, at) + text.slice(at + 1 + pick(8));
        else if (op === 1) text = text.slice(0, at) + alphabet[pick(alphabet.length)] + text.slice(at);
        else if (op === 2) {
          const lines = text.split('\n');
          const line = pick(lines.length);
          lines.splice(pick(lines.length), 0, lines[line]);
          text = lines.join('\n');
        } else text = text.slice(0, at);
      }
      let result;
      try {
        result = parse(text);
      } catch (error) {
        assert.fail(`round ${round} threw ${(error as Error).message} on:\n${text}`);
      }
      for (const finding of result.findings) {
        const range = rangeOf(finding);
        assert.ok(range.startLine >= 1 && range.endLine <= lineCount + 40 && range.startColumn >= 1, `round ${round}: ${finding.ruleId}`);
      }
    }
  });

  it('accepts a redirect source named by IP address', () => {
    const result = parse(`${APP}domain:\n  primary: acme.com\n  redirects:\n    - { from: "http://192.0.2.7/", to: "https://acme.com" }\n    - { from: "http://[2001:db8::1]/old", to: "https://acme.com/new" }\n`);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.config?.domain?.redirects.map((r) => r.from.host.name), ['192.0.2.7', '2001:db8::1']);
  });

  it('never repeats a pasted secret in a message', () => {
    const token = new Fakes(11).githubToken();
    const text = `${APP}domain:\n  primary: ${token}\nmonitoring:\n  statusPage: ${token}\nowners:\n  ${token}: x\n`;
    const result = parse(text);
    assert.ok(result.findings.length >= 3);
    for (const finding of result.findings) assert.ok(!JSON.stringify(finding).includes(token), finding.message);
  });

  it('never repeats credentials written into a URL', () => {
    const secret = new Fakes(12).alnum(24);
    const [finding] = parse(`${APP}deploy:\n  healthUrl: https://admin:${secret}@api.acme.com/health\n`).findings;
    assert.equal(finding.ruleId, 'launch/invalid-url');
    assert.ok(!finding.message.includes(secret));
  });
});

describe('launch.yaml: the schema is the one source', () => {
  it('lists the readiness catalogue ids for attestation keys', () => {
    assert.deepEqual([...READINESS_ITEM_IDS].sort(), READINESS_ITEMS.map((i) => i.id).sort());
  });

  it('agrees with the model constants', () => {
    const props = LAUNCH_SCHEMA.properties ?? {};
    assert.deepEqual(props.app.properties?.stage.enum, [...LAUNCH_STAGES]);
    assert.deepEqual(props.edge.properties?.provider.enum, [...EDGE_PROVIDERS]);
    assert.equal(props.latency.properties?.apiP95Ms.default, DEFAULT_API_P95_MS);
    assert.equal(props.latency.properties?.pageP95Ms.default, DEFAULT_PAGE_P95_MS);
  });

  it('gives every rule a stage, severity and remediation, and findings carry stable fingerprints', () => {
    for (const rule of LAUNCH_RULES) assert.ok(rule.id.startsWith('launch/') && rule.stage === 'audit' && rule.remediation.length > 0, rule.id);
    const a = parse(`${APP}  nmae: x\n`).findings[0];
    const b = parse(`# moved down\n\n${APP}  nmae: x\n`).findings[0];
    assert.equal(a.fingerprint, b.fingerprint);
    assert.notDeepEqual(rangeOf(a), rangeOf(b));
  });
});

describe('launch.yaml: loading from a workspace', () => {
  it('finds launch.yaml or launch.yml, says when it is unreadable, and returns nothing when absent', () => {
    const dir = tempDir('launch-load-');
    try {
      assert.equal(loadLaunchFile(dir), undefined);
      writeFiles(dir, { 'launch.yml': APP });
      const loaded = loadLaunchFile(dir, { today: TODAY });
      assert.equal(loaded?.path, 'launch.yml');
      assert.equal(loaded?.config?.app.name, 'Acme');
      writeFiles(dir, { 'launch.yaml/inner.txt': 'a folder, not a file' });
      const unreadable = loadLaunchFile(dir);
      assert.deepEqual(unreadable?.findings.map((f) => f.ruleId), ['launch/unreadable']);
    } finally {
      removeDir(dir);
    }
  });
});

describe('registrable domains (public-suffix aware)', () => {
  it('places hosts under their registrable domain', () => {
    assert.equal(registrableDomain('app.acme.co.uk'), 'acme.co.uk');
    assert.equal(registrableDomain('a.b.acme.com'), 'acme.com');
    assert.equal(registrableDomain('acme.vercel.app'), 'acme.vercel.app', 'private suffixes belong to the customer');
    assert.equal(registrableDomain('acme.vercel.app', { includePrivateSuffixes: false }), 'vercel.app');
    assert.equal(registrableDomain('co.uk'), undefined);
    assert.equal(registrableDomain('203.0.113.1'), undefined);
    assert.equal(subdomainPart('app.eu.acme.co.uk'), 'app.eu');
    assert.ok(sameRegistrableDomain('app.acme.co.uk', 'www.acme.co.uk'));
    assert.ok(!sameRegistrableDomain('acme.co.uk', 'other.co.uk'));
    assert.ok(isWithin('api.acme.com', 'acme.com') && isWithin('acme.com.', 'ACME.com'));
    assert.ok(!isWithin('notacme.com', 'acme.com'));
  });
});

describe('launch.yaml patterns run in linear time (recheck)', function () {
  this.timeout(120_000);
  const schemaPatterns: RegExp[] = [];
  const collect = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const schema = node as SchemaNode;
    if (typeof schema.pattern === 'string') schemaPatterns.push(new RegExp(schema.pattern));
    for (const pattern of Object.keys(schema.patternProperties ?? {})) schemaPatterns.push(new RegExp(pattern));
    for (const value of Object.values(node)) collect(value);
  };
  collect(LAUNCH_SCHEMA);
  const all = [...HOST_PATTERNS, ...VALUE_PATTERNS, ...REMOTE_PATTERNS, ...schemaPatterns];

  it('covers the schema patterns too', () => assert.ok(schemaPatterns.length >= 3));

  for (const pattern of all) {
    it(`/${pattern.source}/ is safe`, () => {
      const diagnostics = checkSync(pattern.source, pattern.flags, { timeout: null, attackTimeout: null, incubationTimeout: null });
      assert.equal(diagnostics.status, 'safe', diagnostics.status === 'vulnerable' ? diagnostics.complexity.summary : '');
    });
  }
});
