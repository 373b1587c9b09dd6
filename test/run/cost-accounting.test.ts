/** Cost accounting: prices, budgets and sums (src/provider/pricing.ts, src/run/budget.ts). */
import { calcPrice } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { costOfUsage, isPriced, priceUsage } from "../../src/provider/pricing.ts";
import type { ProviderConfig, Usage } from "../../src/provider/types.ts";
import { createRunBudget, createTaskBudget } from "../../src/run/budget.ts";
import type { TaskLimits } from "../../src/run/limits.ts";

const usage = (input: number, output: number, cached = 0, reportedCostUsd?: number): Usage => ({
  input,
  output,
  cached,
  estimated: false,
  ...(reportedCostUsd === undefined ? {} : { reportedCostUsd }),
});

const publicProvider = (extra: Partial<ProviderConfig> = {}): ProviderConfig =>
  ({ name: "remote", baseUrl: "https://llm.example.com/v1", models: ["m"], ...extra }) as ProviderConfig;

const limits = (extra: Partial<TaskLimits> = {}): TaskLimits => ({ max_turns: 50, max_denials: 20, timeout_ms: 60_000, ...extra }) as TaskLimits;

describe("prices", () => {
  it("an unknown model on a public server has no price: null, never 0", () => {
    const provider = publicProvider();
    expect(priceUsage(provider, "no-such-model-anywhere", usage(1000, 100), calcPrice)).toBeNull();
    expect(isPriced(provider, "no-such-model-anywhere", calcPrice)).toBe(false);
    expect(costOfUsage(provider, "no-such-model-anywhere", [usage(1, 1)], calcPrice)).toBeNull();
  });

  it("one unpriced request makes the task's cost unknown, even after priced ones", () => {
    const provider = publicProvider();
    expect(costOfUsage(provider, "no-such-model-anywhere", [usage(10, 10, 0, 0.5), usage(10, 10)], calcPrice)).toBeNull();
  });

  it("prices from the config: cached input apart, per million tokens", () => {
    const provider = publicProvider({ pricing: { m: { input: 2, output: 10, cached_input: 0.5 } } } as Partial<ProviderConfig>);
    // 800 uncached * 2 + 200 cached * 0.5 + 100 out * 10 = 1600 + 100 + 1000 = 2700 per million.
    expect(priceUsage(provider, "m", usage(1000, 100, 200), calcPrice)).toBeCloseTo(0.0027, 12);
  });

  it("a cost the server reports wins", () => {
    const provider = publicProvider({ pricing: { m: { input: 2, output: 10 } } } as Partial<ProviderConfig>);
    expect(priceUsage(provider, "m", usage(1000, 100, 0, 0.123), calcPrice)).toBe(0.123);
  });

  it("sums exactly: many tiny requests add up to the total of their prices", () => {
    const provider = publicProvider({ pricing: { m: { input: 0.1, output: 0.3 } } } as Partial<ProviderConfig>);
    const many = Array.from({ length: 1000 }, () => usage(1, 1));
    // 1000 * (0.1 + 0.3) / 1e6 = 0.0004
    expect(costOfUsage(provider, "m", many, calcPrice)).toBe(0.0004);
  });
});

describe("budgets", () => {
  it("counts every recorded response once in the task and in the run, and stops at --max-cost-usd", () => {
    const run = createRunBudget(0.01);
    const price = (entry: Usage) => entry.reportedCostUsd ?? null;
    const a = createTaskBudget(limits(), price, run);
    const b = createTaskBudget(limits(), price, run);
    a.record(usage(1, 1, 0, 0.004));
    expect(a.exhausted()).toBeUndefined();
    b.record(usage(1, 1, 0, 0.004));
    expect(b.exhausted()).toBeUndefined();
    a.record(usage(1, 1, 0, 0.002));
    // 0.004 + 0.004 + 0.002 = 0.01 exactly, in nano-dollars: the run's budget is spent for every task.
    expect(a.exhausted()).toMatch(/the run's budget is spent: .* of --max-cost-usd 0.01/);
    expect(b.exhausted()).toMatch(/the run's budget is spent/);
    expect(run.exhausted()).toMatch(/the run's budget is spent/);
  });

  it("stops a task at its own max_cost_usd and max_tokens", () => {
    const run = createRunBudget(undefined);
    const byCost = createTaskBudget(limits({ max_cost_usd: 0.001 }), () => 0.0005, run);
    byCost.record(usage(1, 1));
    expect(byCost.exhausted()).toBeUndefined();
    byCost.record(usage(1, 1));
    expect(byCost.exhausted()).toMatch(/max_cost_usd 0.001/);
    const byTokens = createTaskBudget(limits({ max_tokens: 100 }), () => 0, run);
    byTokens.record(usage(60, 40));
    expect(byTokens.exhausted()).toMatch(/used 100 tokens of max_tokens 100/);
  });
});
