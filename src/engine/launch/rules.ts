import type { Rule } from '../model';

// Every launch.yaml rule as data: SARIF's rule list, the README and the editor's documentation
// links come from here. All are `audit` stage: they are about the file, not the live setup.

const rule = (id: string, title: string, defaultSeverity: Rule['defaultSeverity'], description: string, remediation: string): Rule => ({
  id,
  title,
  stage: 'audit',
  defaultSeverity,
  description,
  remediation,
});

export const LAUNCH_RULES: readonly Rule[] = [
  rule('launch/yaml-syntax', 'launch.yaml is not valid YAML', 'high', 'The file cannot be read as YAML, so nothing in it is checked.', 'Fix the YAML at the position shown (indentation, an unclosed bracket or quote).'),
  rule('launch/duplicate-key', 'Key written twice', 'high', 'The same key appears twice in one mapping; tools disagree on which one wins.', 'Keep one of the two entries.'),
  rule('launch/multiple-documents', 'More than one YAML document', 'medium', 'Only the first document (before `---`) is read.', 'Merge the documents into one or remove the extra `---`.'),
  rule('launch/unreadable', 'launch.yaml cannot be read', 'high', 'The file exists but could not be opened (a folder, or no permission), so nothing in it is checked.', 'Make launch.yaml a readable file.'),
  rule('launch/empty-file', 'launch.yaml is empty', 'high', 'The file has no content, so there is nothing to check against.', 'Run `launch-ready init --force` for a starter file, or fill in at least `app`.'),
  rule('launch/file-too-large', 'launch.yaml is too large', 'high', 'The file is far larger than a launch description needs and was not read.', 'Keep launch.yaml to the launch description; move data elsewhere.'),
  rule('launch/too-complex', 'launch.yaml nests too deeply', 'high', 'The file nests deeper (or expands aliases further) than any launch description needs and was not read.', 'Flatten the structure; launch.yaml needs only a few levels.'),
  rule('launch/unsupported-yaml', 'YAML feature not supported here', 'medium', 'A tag, merge key or alias that launch.yaml does not use; the value is read as plain data or ignored.', 'Write the value out plainly.'),
  rule('launch/unknown-key', 'Unknown key', 'medium', 'The key is not part of launch.yaml and is ignored; often a typo.', 'Rename it to the suggested key, or prefix it with `x-` to keep private notes.'),
  rule('launch/wrong-type', 'Value has the wrong type', 'high', 'The value is not of the kind this key needs (text, number, yes/no, list or section).', 'Write the kind of value the message names.'),
  rule('launch/empty-value', 'Key without a value', 'medium', 'A key has nothing after it, so it says nothing; editors flag it as the wrong type too.', 'Fill in the value, or remove or comment out the line.'),
  rule('launch/missing-required', 'Required key missing', 'high', 'A key this section needs is absent, so the checks that rely on it cannot run.', 'Add the key named in the message.'),
  rule('launch/invalid-value', 'Value not allowed', 'high', 'The value is not one of those this key accepts, or is out of range.', 'Use one of the values listed in the message.'),
  rule('launch/invalid-host', 'Not a valid host name', 'high', 'The value is not a DNS host name (or is a URL or IP address where a host name is needed).', 'Write just the host, e.g. `www.acme.com`.'),
  rule('launch/invalid-url', 'Not a valid http(s) URL', 'high', 'The value is not an absolute http:// or https:// URL.', 'Write the full URL, e.g. `https://www.acme.com/health`.'),
  rule('launch/invalid-date', 'Not a valid date', 'high', 'Dates are written YYYY-MM-DD and must exist on the calendar.', 'Write the date as YYYY-MM-DD, e.g. `2026-11-01`.'),
  rule('launch/invalid-address', 'Not a valid IP address', 'high', 'An `a` entry must be an IPv4 address and an `aaaa` entry an IPv6 address.', 'Write the address the name must resolve to.'),
  rule('launch/invalid-email', 'Not a valid email address', 'high', 'The value is not a mailbox such as `dmarc@acme.com`.', 'Write a full address (DMARC report addresses may start with `mailto:`).'),
  rule('launch/invalid-env-name', 'Not an environment variable name', 'high', 'Required variables are listed by name only (letters, digits and `_`); values never belong in launch.yaml.', 'Write the variable name alone, e.g. `DATABASE_URL`, and keep the value in the env file or secret store.'),
  rule('launch/unknown-item', 'Unknown readiness item', 'medium', 'Attestations and accepted risks refer to readiness item ids such as R2, R7 or H3.', 'Use an id from the readiness checklist.'),
  rule('launch/subdomain-outside-domain', 'Host outside the primary domain', 'medium', "A subdomain is not under the primary host's registrable domain, so it is probably a typo or a different zone.", 'Write the name under the primary domain, or move it to that domain\'s own launch.yaml.'),
  rule('launch/cname-with-address', 'CNAME together with addresses', 'high', 'DNS does not allow a CNAME next to other records at the same name.', 'Keep either `cname` or `a`/`aaaa` for this name.'),
  rule('launch/cname-at-apex', 'CNAME at the apex', 'medium', 'A CNAME at the zone apex breaks MX, TXT and NS records; only provider-specific ALIAS/flattening works there.', 'Use A/AAAA records (or the DNS provider\'s ALIAS/flattening) for the apex.'),
  rule('launch/redirect-loop', 'Redirect to itself', 'high', 'A redirect leads back to the host it comes from, which browsers stop as a loop.', 'Point the redirect at the primary host.'),
  rule('launch/primary-redirected', 'Primary host redirected away', 'high', 'The canonical host is listed as a redirect source, so customers could never land on it.', 'Remove the redirect or change `domain.primary`.'),
  rule('launch/hsts-preload-needs-subdomains', 'HSTS preload without includeSubDomains', 'medium', 'The browsers\' preload list requires includeSubDomains and a max-age of at least one year.', 'Set `includeSubDomains: true` and `maxAge: 31536000` or more, or drop `preload`.'),
  rule('launch/missing-evidence', 'Attestation without evidence', 'medium', 'An attestation says who and when but not how it can be checked.', 'Add `evidence` (a link, ticket or file), or `notApplicable` with the reason.'),
  rule('launch/future-date', 'Date in the future', 'medium', 'An attestation is dated after today, so it cannot have happened yet.', 'Write the date it actually happened.'),
  rule('launch/expired-acceptance', 'Risk acceptance expired', 'high', 'The date a risk was accepted until has passed, so the risk counts as open again.', 'Fix the gap, or have the owner accept it again with a new `until` date.'),
];

const byId = new Map(LAUNCH_RULES.map((r) => [r.id, r]));

export function launchRule(id: string): Rule {
  const found = byId.get(id);
  if (!found) throw new Error(`unknown launch rule ${id}`);
  return found;
}
