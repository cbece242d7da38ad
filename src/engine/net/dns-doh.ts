// DNS-over-HTTPS (RFC 8484): the same wire-format messages POSTed as application/dns-message, for
// networks where port 53 is blocked or the user wants a validating public resolver.
import { request, type Dispatcher } from 'undici';
import type { LookupResult, RecordType } from './dns-types';
import { MAX_MESSAGE_BYTES, answersQuestion, decodeMessage, encodeQuery, failure, resultFromMessage } from './dns-wire';
import type { ExchangeTuning } from './dns-udp';

const DNS_MESSAGE = 'application/dns-message';

class AttemptFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export function validateDohUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`DNS-over-HTTPS URL "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`DNS-over-HTTPS URL "${url}" must be https:`);
  return parsed;
}

/**
 * One lookup over DoH. Transport failures and 5xx answers are retried up to `retries` times, all
 * within one `timeoutMs` budget; when the budget runs out the result is `timeout`.
 */
export async function exchangeOverDoh(
  url: URL,
  name: string,
  type: RecordType,
  tuning: ExchangeTuning,
  dispatcher: Dispatcher | undefined,
  signal?: AbortSignal,
): Promise<LookupResult> {
  signal?.throwIfAborted();
  const server = url.href;
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(), tuning.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, budget.signal]) : budget.signal;
  // RFC 8484 §4.1: id 0 keeps answers cacheable by HTTP caches; matching still checks the question.
  const id = 0;
  const query = encodeQuery(id, name, type);
  let lastFailure = 'no attempt made';
  try {
    for (let attempt = 0; attempt <= tuning.retries; attempt++) {
      try {
        const answer = await postOnce(url, query, combined, dispatcher);
        const decoded = decodeMessage(answer);
        if (!decoded || !answersQuestion(decoded, id, name, type)) {
          return failure(name, type, 'error', `${server} sent an answer that does not match the question`, server);
        }
        return resultFromMessage(decoded, name, type, server);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (budget.signal.aborted) break;
        lastFailure = error instanceof Error ? error.message : String(error);
        if (error instanceof AttemptFailed && !error.retryable) return failure(name, type, 'error', lastFailure, server);
      }
    }
    if (budget.signal.aborted) return failure(name, type, 'timeout', `no answer from ${server} within ${tuning.timeoutMs} ms`, server);
    return failure(name, type, 'error', lastFailure, server);
  } finally {
    clearTimeout(timer);
  }
}

async function postOnce(url: URL, query: Buffer, signal: AbortSignal, dispatcher: Dispatcher | undefined): Promise<Buffer> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': DNS_MESSAGE, accept: DNS_MESSAGE },
    body: query,
    signal,
    ...(dispatcher ? { dispatcher } : {}),
  });
  if (response.statusCode !== 200) {
    response.body.resume();
    throw new AttemptFailed(`${url.href} answered HTTP ${response.statusCode}`, response.statusCode >= 500);
  }
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith(DNS_MESSAGE)) {
    response.body.resume();
    throw new AttemptFailed(`${url.href} answered with content-type "${contentType}", not ${DNS_MESSAGE}`, false);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_MESSAGE_BYTES) {
      response.body.destroy();
      throw new AttemptFailed(`${url.href} sent more than ${MAX_MESSAGE_BYTES} bytes`, false);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
