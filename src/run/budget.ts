import type { Budget } from "../agent/budget.ts";
import type { Usage } from "../provider/types.ts";
import { formatCost } from "../report/format.ts";
import { fromNanoUsd, toNanoUsd } from "../shared/money.ts";
import type { TaskLimits } from "./limits.ts";

/** What the whole run has spent, shared by its tasks, against `--max-cost-usd`. */
export interface RunBudget {
  addNanoUsd(nano: number): void;
  /** Why no task may start or make another request, once the run's budget is spent. */
  exhausted(): string | undefined;
}

export function createRunBudget(maxCostUsd: number | undefined): RunBudget {
  let spent = 0;
  return {
    addNanoUsd(nano) {
      spent += nano;
    },
    exhausted() {
      if (maxCostUsd === undefined || spent < toNanoUsd(maxCostUsd)) return undefined;
      return `the run's budget is spent: ${formatCost(fromNanoUsd(spent))} of --max-cost-usd ${maxCostUsd}`;
    },
  };
}

/**
 * A task's budget: its own `max_cost_usd` and `max_tokens`, then the run's. Usage without a known
 * price counts as 0 (a cost budget with an unpriced model needs --allow-unpriced).
 */
export function createTaskBudget(limits: TaskLimits, price: (usage: Usage) => number | null, run: RunBudget): Budget {
  let spent = 0;
  let tokens = 0;
  return {
    record(usage) {
      const cost = toNanoUsd(price(usage) ?? 0);
      spent += cost;
      tokens += usage.input + usage.output;
      run.addNanoUsd(cost);
    },
    exhausted() {
      if (limits.max_cost_usd !== undefined && spent >= toNanoUsd(limits.max_cost_usd)) {
        return `spent ${formatCost(fromNanoUsd(spent))} of max_cost_usd ${limits.max_cost_usd}`;
      }
      if (limits.max_tokens !== undefined && tokens >= limits.max_tokens) {
        return `used ${tokens} tokens of max_tokens ${limits.max_tokens}`;
      }
      return run.exhausted();
    },
  };
}
