import type { HttpClient } from '../net/http-client';
import type { PolicyFetcher } from './mx';

/** RFC 8461 §3.2: a policy file larger than 64 KiB is not a valid policy. */
const MAX_POLICY_BYTES = 64 * 1024;

/**
 * The MTA-STS policy fetch on the audit's HTTP client (which never follows redirects, as RFC 8461
 * §3.3 requires of senders): a 3xx answer is reported as the redirect it is.
 */
export function mtaStsFetcher(client: HttpClient): PolicyFetcher {
  return async (url) => {
    const outcome = await client.request(url, { maxBodyBytes: MAX_POLICY_BYTES });
    if (!outcome.ok) throw new Error(`${outcome.kind}: ${outcome.message}`);
    return {
      status: outcome.status,
      redirected: outcome.status >= 300 && outcome.status < 400,
      contentType: outcome.headers['content-type']?.[0],
      body: outcome.body.toString('utf8'),
    };
  };
}
