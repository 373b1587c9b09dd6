/**
 * How hard a run may hit one server: at most `maxConcurrency` requests in flight and, optionally, at
 * most `requestsPerMinute` started, evenly spaced. One limiter is shared by every task of a run that
 * uses the same provider, so concurrent tasks queue for the server instead of drawing 429s.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface LimiterSettings {
  maxConcurrency?: number | undefined;
  requestsPerMinute?: number | undefined;
}

export interface Limiter {
  /** Runs `work` once a slot is free and the rate allows; a wait ends early when `signal` aborts. */
  run<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T>;
}

export function createLimiter({ maxConcurrency, requestsPerMinute }: LimiterSettings): Limiter {
  const slots = maxConcurrency ?? Number.POSITIVE_INFINITY;
  const spacingMs = requestsPerMinute ? 60_000 / requestsPerMinute : 0;
  let active = 0;
  let nextStart = 0;
  const waiting: (() => void)[] = [];

  const acquire = async (signal: AbortSignal): Promise<void> => {
    while (active >= slots) {
      signal.throwIfAborted();
      let resolve = (): void => undefined;
      const promise = new Promise<void>((done) => (resolve = done));
      const onAbort = (): void => resolve();
      waiting.push(resolve);
      signal.addEventListener("abort", onAbort, { once: true });
      await promise;
      signal.removeEventListener("abort", onAbort);
      const position = waiting.indexOf(resolve);
      if (position >= 0) waiting.splice(position, 1);
      // Woken by a release but no longer wanted: pass the free slot on.
      else if (signal.aborted) waiting.shift()?.();
    }
    signal.throwIfAborted();
    active++;
    // Reserve the next start time before waiting, so concurrent callers space out.
    const now = Date.now();
    const start = Math.max(now, nextStart);
    nextStart = start + spacingMs;
    try {
      if (start > now) await sleep(start - now, undefined, { signal });
    } catch (error) {
      release();
      throw error;
    }
  };

  const release = (): void => {
    active--;
    waiting.shift()?.();
  };

  return {
    async run(work, signal) {
      await acquire(signal);
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/** No limits: what a provider uses when the run gives it no shared limiter. */
export const UNLIMITED: Limiter = { run: (work) => work() };
