import { builtinPolicy } from "../../src/policy/default.ts";
import { describe, expect, it } from "vitest";
import type { ProviderConfig, Usage } from "../../src/provider/types.ts";
import { createRunBudget, createTaskBudget } from "../../src/run/budget.ts";
import { requirePrices } from "../../src/run/require-prices.ts";
import type { PlannedTask } from "../../src/run/task.ts";
import { taskFromPrompt } from "../../src/task/load.ts";

const usage = (input: number, output: number): Usage => ({ input, output, cached: 0, estimated: false });
const tenthOfADollar = () => 0.1;
const limits = { max_turns: 50, max_denials: 20, timeout_ms: 60_000 };

describe("task and run budgets", () => {
  it("stops a task once its spending reaches max_cost_usd, not before", () => {
    const budget = createTaskBudget({ ...limits, max_cost_usd: 0.3 }, tenthOfADollar, createRunBudget(undefined));
    budget.record(usage(1, 1));
    budget.record(usage(1, 1));
    expect(budget.exhausted()).toBeUndefined();
    budget.record(usage(1, 1));
    expect(budget.exhausted()).toBe("spent $0.30 of max_cost_usd 0.3");
  });

  it("stops a task once input plus output tokens reach max_tokens", () => {
    const budget = createTaskBudget({ ...limits, max_tokens: 1000 }, () => null, createRunBudget(undefined));
    budget.record(usage(600, 399));
    expect(budget.exhausted()).toBeUndefined();
    budget.record(usage(1, 0));
    expect(budget.exhausted()).toBe("used 1000 tokens of max_tokens 1000");
  });

  it("shares the run's budget between tasks", () => {
    const run = createRunBudget(0.25);
    const first = createTaskBudget(limits, tenthOfADollar, run);
    const second = createTaskBudget(limits, tenthOfADollar, run);
    first.record(usage(1, 1));
    second.record(usage(1, 1));
    expect(second.exhausted()).toBeUndefined();
    first.record(usage(1, 1));
    expect(second.exhausted()).toBe("the run's budget is spent: $0.30 of --max-cost-usd 0.25");
    expect(run.exhausted()).toBe(second.exhausted());
  });
});

describe("requirePrices", () => {
  const unknown: ProviderConfig = { name: "remote", baseUrl: "http://models.invalid/v1", models: [] };
  const priced: ProviderConfig = { ...unknown, pricing: { "mystery-7b": { input: 1, output: 2 } } };
  const local: ProviderConfig = { name: "local", baseUrl: "http://127.0.0.1:8080/v1", models: [] };
  const planned = (provider: ProviderConfig, max_cost_usd?: number): PlannedTask => ({
    task: taskFromPrompt("p"),
    provider,
    model: "mystery-7b",
    fixAt: { baseUrl: "--base-url", apiKey: "OPENAI_API_KEY" },
    limits: { ...limits, ...(max_cost_usd === undefined ? {} : { max_cost_usd }) },
    policy: builtinPolicy,
  });

  it("refuses a cost budget with a model of unknown price, saying how to price it", async () => {
    await expect(requirePrices([planned(unknown), planned(unknown)], { maxCostUsd: 1 })).rejects.toThrow(
      /^--max-cost-usd is set, but no price is known for model "mystery-7b" of provider "remote" \(http:\/\/models.invalid\/v1\): add "pricing": \{"mystery-7b": .* or pass --allow-unpriced/,
    );
    await expect(requirePrices([planned(unknown, 0.5)], {})).rejects.toThrow(/^<command line>:1:1: limits.max_cost_usd is set, but no price/);
  });

  it("lets it pass when priced by the config or on a private network, with --allow-unpriced, or without a cost budget", async () => {
    await expect(requirePrices([planned(priced), planned(local)], { maxCostUsd: 1 })).resolves.toBeUndefined();
    await expect(requirePrices([planned(unknown)], { maxCostUsd: 1, allowUnpriced: true })).resolves.toBeUndefined();
    await expect(requirePrices([planned(unknown)], {})).resolves.toBeUndefined();
  });
});
