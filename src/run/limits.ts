import type { Policy } from "../policy/types.ts";
import { UserError } from "../shared/errors.ts";
import { taskKeyLocation } from "../task/load.ts";
import type { Task } from "../task/schema.ts";

export const DEFAULT_MAX_TURNS = 50;
export const DEFAULT_MAX_DENIALS = 20;

export interface TaskLimits {
  max_turns: number;
  max_denials: number;
  timeout_ms: number;
  max_cost_usd?: number;
  max_tokens?: number;
}

/**
 * The task's own limits, else the policy's, else the defaults; `maxTurns` (--max-turns) in place of the
 * task's max_turns. A task or the flag may lower the policy's limits, never raise them.
 */
export function resolveLimits(task: Task, policy: Policy, maxTurns?: number): TaskLimits {
  const ceiling = policy.limits.max_turns;
  if (maxTurns !== undefined && ceiling !== undefined && maxTurns > ceiling) {
    throw new UserError(`--max-turns: ${maxTurns} is above the policy's limits.max_turns ${ceiling} (${policy.source}); the flag may only lower it`, "E_USAGE");
  }
  return {
    max_turns: maxTurns ?? pick(task, policy, "max_turns", DEFAULT_MAX_TURNS),
    max_denials: pick(task, policy, "max_denials", DEFAULT_MAX_DENIALS),
    timeout_ms: task.limits.timeout_ms,
    ...(task.limits.max_cost_usd === undefined ? {} : { max_cost_usd: task.limits.max_cost_usd }),
    ...(task.limits.max_tokens === undefined ? {} : { max_tokens: task.limits.max_tokens }),
  };
}

function pick(task: Task, policy: Policy, name: "max_turns" | "max_denials", fallback: number): number {
  const own = task.limits[name];
  const ceiling = policy.limits[name];
  if (own !== undefined && ceiling !== undefined && own > ceiling) {
    throw new UserError(
      `${taskKeyLocation(task.source, ["limits", name])}: limits.${name}: ${own} is above the policy's ${ceiling} (${policy.source}); a task may only lower the policy's limits`,
      "E_TASK_INVALID",
    );
  }
  return own ?? ceiling ?? fallback;
}
