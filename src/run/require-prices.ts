import { loadPriceTable } from "../provider/price-table.ts";
import { isPriced } from "../provider/pricing.ts";
import { UserError, UserErrors } from "../shared/errors.ts";
import type { PlannedTask } from "./task.ts";

export interface CostBudgetRequest {
  maxCostUsd?: number;
  allowUnpriced?: boolean;
}

/**
 * A cost budget cannot be kept when a model's price is unknown: refuse before anything runs, naming
 * the model and how to price it, unless the user accepts that its cost counts as 0.
 */
export async function requirePrices(tasks: readonly PlannedTask[], request: CostBudgetRequest): Promise<void> {
  if (request.allowUnpriced) return;
  const budgeted = tasks.flatMap((planned) => {
    const budget = costBudgetOf(planned, request);
    return budget === undefined ? [] : [{ planned, budget }];
  });
  // Without a cost budget there is nothing to check, and the price table is not loaded.
  if (budgeted.length === 0) return;
  const prices = await loadPriceTable();
  const errors = new Map<string, UserError>();
  for (const { planned, budget } of budgeted) {
    const { provider, model } = planned;
    if (isPriced(provider, model, prices)) continue;
    const message =
      `${budget} is set, but no price is known for model "${model}" of provider "${provider.name}" (${provider.baseUrl}): ` +
      `add "pricing": {"${model}": {"input": …, "output": …}} (USD per million tokens) to that provider in agents.config.json, ` +
      `or pass --allow-unpriced to run with its cost counted as 0`;
    errors.set(`${budget}\n${provider.name}\n${model}`, new UserError(message, "E_UNPRICED"));
  }
  if (errors.size > 0) throw new UserErrors([...errors.values()]);
}

/** The cost budget that applies to the task, as the user wrote it, if any. */
function costBudgetOf({ task, limits }: PlannedTask, request: CostBudgetRequest): string | undefined {
  if (request.maxCostUsd !== undefined) return "--max-cost-usd";
  if (limits.max_cost_usd === undefined) return undefined;
  return `${task.source.file}:${task.source.line}:${task.source.column}: limits.max_cost_usd`;
}
