/**
 * Retries of one model request: which failures are worth another try, how long to wait, and the loop.
 *
 * The wait before retry n (1-based) is drawn uniformly from [0, min(maxDelay, baseDelay × 2^(n-1))]
 * ("full jitter"), so tasks that failed together do not come back together. A server that says when
 * to come back (`retry-after-ms`, `Retry-After` in seconds or as an HTTP date) is believed, up to
 * maxDelay. The schedule is pure; the loop takes its clock and randomness from its options.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  /** No wait is longer than this, whatever the server asks for. */
  maxDelayMs: number;
}

/** Six attempts over about a minute of backoff, and never more than a minute at a time. */
export const DEFAULT_RETRY: RetrySettings = { maxRetries: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** Why a failed attempt is worth another; undefined when it is not. */
export interface RetryReason {
  /** HTTP status, when the server answered with one. */
  status: number | undefined;
  reason: string;
  /** What the server asked for, in ms. */
  retryAfterMs: number | undefined;
}

/** The wait before retry `retry` (1-based). */
export function retryDelay(retry: number, settings: RetrySettings, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), settings.maxDelayMs);
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

interface HeaderSource {
  get(name: string): string | null;
}

/** `retry-after-ms` (OpenAI's), else `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(headers: HeaderSource | undefined, now: number = Date.now()): number | undefined {
  const ms = headers?.get("retry-after-ms")?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryInfo {
  /** The retry about to happen, 1-based. */
  attempt: number;
  status: number | undefined;
  delayMs: number;
  reason: string;
}

export interface RetryOptions {
  settings: RetrySettings;
  signal: AbortSignal;
  /** Whether the failure is worth another attempt, and why. */
  classify(error: unknown): RetryReason | undefined;
  onRetry?(info: RetryInfo): void;
  /** The error to throw when no attempt is left; the last failure unchanged unless given. */
  giveUp?(error: unknown, attempts: number): unknown;
  random?: () => number;
}

/** Runs `attempt` until it succeeds, fails for good, or the retries run out. A wait ends early when `signal` aborts. */
export async function withRetries<T>(attempt: (number: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { settings, signal } = options;
  for (let number = 1; ; number++) {
    try {
      return await attempt(number);
    } catch (error) {
      const why = signal.aborted ? undefined : options.classify(error);
      if (why === undefined) throw error;
      if (number > settings.maxRetries) throw options.giveUp ? options.giveUp(error, number) : error;
      const delayMs = retryDelay(number, settings, why.retryAfterMs, options.random);
      options.onRetry?.({ attempt: number, status: why.status, delayMs, reason: why.reason });
      await sleep(delayMs, undefined, { signal });
    }
  }
}
