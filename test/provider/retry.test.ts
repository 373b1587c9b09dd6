import { describe, expect, it } from "vitest";
import { createLimiter } from "../../src/provider/limiter.ts";
import { DEFAULT_RETRY, parseRetryAfter, retryDelay, withRetries, type RetryInfo } from "../../src/provider/retry.ts";

const settings = { maxRetries: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };

describe("retryDelay", () => {
  it("draws from [0, base × 2^(n-1)], full jitter", () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, settings, undefined, () => 0.999_999))).toEqual([999, 1_999, 3_999, 7_999]);
    expect(retryDelay(3, settings, undefined, () => 0)).toBe(0);
    expect(retryDelay(2, settings, undefined, () => 0.5)).toBe(1_000);
  });

  it("never waits longer than maxDelay, however many retries", () => {
    expect(retryDelay(30, settings, undefined, () => 0.999_999)).toBe(59_999);
    expect(retryDelay(10, DEFAULT_RETRY, undefined, () => 1)).toBe(60_000);
  });

  it("believes the server's Retry-After, up to maxDelay", () => {
    expect(retryDelay(1, settings, 5_000, () => 0)).toBe(5_000);
    expect(retryDelay(1, settings, 3_600_000, () => 0)).toBe(60_000);
    expect(retryDelay(1, settings, 0, () => 0.9)).toBe(0);
  });

  it("defaults to six attempts, a minute at most between them", () => {
    expect(DEFAULT_RETRY).toEqual({ maxRetries: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 });
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    [{ "retry-after-ms": "250" }, 250],
    [{ "retry-after-ms": "12.2", "retry-after": "9" }, 13],
    [{ "retry-after": "7" }, 7_000],
    [{ "retry-after": "0.5" }, 500],
    [{ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, 30_000],
    [{ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }, 0],
    [{ "retry-after": "soon" }, undefined],
    [{}, undefined],
  ])("%o → %s ms", (headers, expected) => {
    expect(parseRetryAfter(new Headers(headers), now)).toBe(expected);
  });
});

describe("withRetries", () => {
  const fast = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2 };
  const retryable = (): { status: number; reason: string; retryAfterMs: undefined } => ({ status: 503, reason: "busy", retryAfterMs: undefined });

  it("retries until success and reports each retry", async () => {
    const retries: RetryInfo[] = [];
    let calls = 0;
    const result = await withRetries(async () => (++calls < 3 ? Promise.reject(new Error("busy")) : "ok"), {
      settings: fast, signal: new AbortController().signal, classify: retryable, onRetry: (info) => retries.push(info), random: () => 0,
    });
    expect(result).toBe("ok");
    expect(retries).toEqual([
      { attempt: 1, status: 503, delayMs: 0, reason: "busy" },
      { attempt: 2, status: 503, delayMs: 0, reason: "busy" },
    ]);
  });

  it("gives up after maxRetries + 1 attempts with giveUp's error", async () => {
    let calls = 0;
    const failure = withRetries(() => Promise.reject(new Error(`fail ${++calls}`)), {
      settings: fast, signal: new AbortController().signal, classify: retryable,
      giveUp: (error, attempts) => new Error(`${(error as Error).message} after ${attempts}`),
    });
    await expect(failure).rejects.toThrow("fail 4 after 4");
  });

  it("does not retry what classify refuses", async () => {
    let calls = 0;
    const failure = withRetries(() => Promise.reject(new Error(`fail ${++calls}`)), {
      settings: fast, signal: new AbortController().signal, classify: () => undefined,
    });
    await expect(failure).rejects.toThrow("fail 1");
  });

  it("stops waiting when the signal aborts", async () => {
    const controller = new AbortController();
    const failure = withRetries(() => Promise.reject(new Error("busy")), {
      settings: { maxRetries: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 }, signal: controller.signal, classify: retryable, random: () => 1,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("createLimiter", () => {
  it("keeps at most maxConcurrency requests in flight", async () => {
    const limiter = createLimiter({ maxConcurrency: 2 });
    let active = 0;
    let peak = 0;
    const work = async (): Promise<void> => {
      peak = Math.max(peak, ++active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
    };
    await Promise.all(Array.from({ length: 8 }, () => limiter.run(work, new AbortController().signal)));
    expect(peak).toBe(2);
  });

  it("spaces starts by requestsPerMinute", async () => {
    const limiter = createLimiter({ requestsPerMinute: 3_000 });
    const starts: number[] = [];
    // Measured from before the first run: the limiter reserves every start at once, so a pause before the
    // first task reads the clock could only shorten a span measured from that task, never this one.
    const before = Date.now();
    await Promise.all(Array.from({ length: 4 }, () => limiter.run(async () => void starts.push(Date.now()), new AbortController().signal)));
    expect(starts.at(-1)! - before).toBeGreaterThanOrEqual(55);
  });

  it("lets an aborted waiter go without losing its slot", async () => {
    const limiter = createLimiter({ maxConcurrency: 1 });
    const controller = new AbortController();
    let release = (): void => undefined;
    const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)), new AbortController().signal);
    const aborted = limiter.run(async () => "never", controller.signal);
    const third = limiter.run(async () => "third", new AbortController().signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    release();
    await first;
    await expect(third).resolves.toBe("third");
  });
});
