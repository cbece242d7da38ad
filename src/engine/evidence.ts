// Evidence is the one-line excerpt a finding shows next to its message; the full record stays in
// `observed`. Long base64 keys and long records would otherwise push the message off the screen.

/** Longest evidence a finding shows, in characters. */
export const EVIDENCE_MAX = 120;

/** A base64 or hex run longer than this (a DKIM public key, a hash) is shown as its start and its length. */
const LONG_TOKEN = 32;
const TOKEN_START = 8;

// Names and tags (`include:spf.protection.outlook.com`, `p=`) have characters outside the class,
// so only opaque key material is shortened. One class, then the padding: linear, no backtracking.
export const LONG_TOKENS = new RegExp(`[A-Za-z0-9+/]{${LONG_TOKEN + 1},}={0,2}`, 'g');

/**
 * `v=DKIM1; k=rsa; p=MIGfMA0G…(216 chars)`: long tokens shortened to their start and length, then
 * the whole cut at `max` characters (whole code points) with an ellipsis.
 */
export function shortEvidence(text: string, max = EVIDENCE_MAX): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const shortened = oneLine.replace(LONG_TOKENS, (token) => {
    const points = [...token];
    return `${points.slice(0, TOKEN_START).join('')}…(${points.length} chars)`;
  });
  const points = [...shortened];
  return points.length <= max ? shortened : `${points.slice(0, max - 1).join('')}…`;
}
