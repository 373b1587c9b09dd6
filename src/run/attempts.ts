import { runAgent, startConversation, type AgentOptions, type AgentOutcome } from "../agent/loop.ts";
import { askForOutput } from "../agent/output.ts";
import type { TaskOutput } from "../task/output-schema.ts";
import type { CheckOutcome } from "../report/types.ts";
import type { Check } from "../task/check-schema.ts";
import { checkFailureMessage, describeCheckFailure, runChecks, type CheckContext, type CheckRun } from "./checks.ts";

export interface AttemptsOutcome extends AgentOutcome {
  attempts: number;
  /** The last attempt's checks. */
  checks: CheckOutcome[];
  earlierChecks: (CheckOutcome & { attempt: number })[];
}

export interface CheckPlan {
  checks: readonly Check[];
  retries: number;
  /** The schema of the task's structured final answer, asked for once the checks pass. */
  output?: TaskOutput | undefined;
}

/**
 * Runs the agent, then the task's checks. While retries remain, a failed check goes back to the model
 * and the same conversation goes on; otherwise the task fails naming the check. A task with an output
 * schema then gets its final answer asked for, in the same conversation.
 */
export async function runAttempts(agent: AgentOptions, plan: CheckPlan, context: CheckContext): Promise<AttemptsOutcome> {
  const conversation = startConversation(agent);
  const earlierChecks: AttemptsOutcome["earlierChecks"] = [];
  for (let attempt = 1; ; attempt++) {
    const outcome = await runAgent(agent, conversation);
    const done = { ...outcome, attempts: attempt, checks: [], earlierChecks };
    if (outcome.stopReason !== "completed") return done;
    if (plan.checks.length === 0) return answered(done);

    let runs: CheckRun[];
    try {
      runs = await runChecks(plan.checks, attempt, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ...done, stopReason: "runner_error", error: message, aborted: context.signal.aborted };
    }
    const checks = runs.map(toCheckOutcome);
    const failed = runs.find((run) => !run.passed);
    if (!failed) return answered({ ...done, checks });
    if (attempt > plan.retries) return { ...done, checks, stopReason: "checks_failed", error: failureSummary(failed, attempt) };

    earlierChecks.push(...checks.map((check) => ({ attempt, ...check })));
    context.emit({ type: "retry", attempt: attempt + 1, reason: `check "${failed.name}" ${describeCheckFailure(failed)}` });
    conversation.messages.push({ role: "user", content: checkFailureMessage(failed, plan.retries + 1 - attempt) });
  }

  async function answered(done: AttemptsOutcome): Promise<AttemptsOutcome> {
    if (!plan.output) return done;
    return { ...done, ...(await askForOutput(agent, conversation, plan.output)) };
  }
}

function failureSummary(failed: CheckRun, attempts: number): string {
  const after = attempts > 1 ? ` (after ${attempts} attempts)` : "";
  return `check "${failed.name}" ${describeCheckFailure(failed)}${after}`;
}

function toCheckOutcome({ name, passed, exit_code, timed_out, duration_ms, log, output_tail }: CheckRun): CheckOutcome {
  return { name, passed, exit_code, timed_out, duration_ms, log, ...(output_tail === undefined ? {} : { output_tail }) };
}
