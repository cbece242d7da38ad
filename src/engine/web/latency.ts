import type { HttpClient } from '../net/http-client';

// Samples an endpoint N times with bounded concurrency and a total time cap, and reduces the
// timings to nearest-rank percentiles. Failed samples are counted, never averaged in.

export interface LatencyOptions {
  samples?: number;
  concurrency?: number;
  /** Stop starting new samples after this long (those in flight finish within the request timeout). */
  totalMs?: number;
  signal?: AbortSignal;
}

export interface LatencySample {
  ms: number;
  status?: number;
  error?: string;
}

export interface LatencyReport {
  url: string;
  budgetP95Ms: number;
  samples: number;
  failures: number;
  statuses: Record<string, number>;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** Sampling stopped at the total time cap before all samples ran. */
  cappedByTime: boolean;
  firstError?: string;
}

export const DEFAULT_SAMPLES = 10;
export const DEFAULT_CONCURRENCY = 2;
export const DEFAULT_TOTAL_MS = 20_000;

export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export async function sampleLatency(client: HttpClient, url: string, budgetP95Ms: number, options: LatencyOptions = {}): Promise<LatencyReport> {
  const total = options.samples ?? DEFAULT_SAMPLES;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, total));
  const deadline = Date.now() + (options.totalMs ?? DEFAULT_TOTAL_MS);
  const samples: LatencySample[] = [];
  let started = 0;
  let cappedByTime = false;
  const worker = async (): Promise<void> => {
    while (started < total) {
      if (Date.now() >= deadline) {
        cappedByTime = true;
        return;
      }
      started++;
      const outcome = await client.request(url, { signal: options.signal, headers: { 'cache-control': 'no-cache' } });
      samples.push(outcome.ok ? { ms: outcome.headersMs, status: outcome.status } : { ms: outcome.elapsedMs, error: `${outcome.kind}: ${outcome.message}` });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const good = samples.filter((sample) => sample.error === undefined).map((sample) => sample.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const sample of samples) {
    const key = sample.status === undefined ? 'error' : String(sample.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  return {
    url,
    budgetP95Ms: budgetP95Ms,
    samples: samples.length,
    failures: samples.length - good.length,
    statuses,
    p50Ms: percentile(good, 50),
    p95Ms: percentile(good, 95),
    p99Ms: percentile(good, 99),
    maxMs: good[good.length - 1],
    cappedByTime,
    firstError: samples.find((sample) => sample.error)?.error,
  };
}
