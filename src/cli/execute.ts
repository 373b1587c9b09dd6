import { resolve } from "node:path";
import { createRedactor } from "../report/redact.ts";
import { allSucceeded } from "../report/summary.ts";
import type { RunSummary } from "../report/types.ts";
import { runPlan } from "../run/run-plan.ts";
import { killRunningCommands } from "../shared/process-tree.ts";
import { displayPath, planRun } from "../run/plan.ts";
import type { Task } from "../task/schema.ts";
import { parseConcurrency, toRunRequest, type RunArgs } from "./args.ts";
import { createProgress } from "./progress.ts";
import { renderSummaryLines } from "./render.ts";

export const EXIT_INTERRUPTED = 130;

/** Plans and runs tasks, prints results on stdout and progress on stderr, and sets the exit code. */
export async function executeTasks(tasks: Task[], args: RunArgs): Promise<RunSummary> {
  const concurrency = parseConcurrency(args.concurrency);
  const request = toRunRequest(args);
  const plan = await planRun(tasks, request);
  const redact = createRedactor(plan.secrets);
  const progress = createProgress(process.stderr, plan.tasks.length, redact, displayPath(plan.outDir, request.cwd));
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) {
      killRunningCommands();
      process.exit(EXIT_INTERRUPTED);
    }
    process.stderr.write("\ninterrupted: stopping tasks and writing results (press Ctrl-C again to quit at once)\n");
    interrupt.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  for (const warning of plan.policy.warnings ?? []) process.stderr.write(`${warning}\n`);
  process.stderr.write(`run ${plan.runId}: ${plan.tasks.length} task(s), concurrency ${concurrency}, policy ${plan.policy.source}\n`);
  if (plan.sandbox.warning) process.stderr.write(`${plan.sandbox.warning}\n`);
  for (const warning of plan.environmentWarnings) process.stderr.write(`${warning}\n`);
  if (plan.resume) process.stderr.write(`resuming: ${plan.resume.finished.size} task(s) finished earlier are kept, the others run from scratch\n`);
  try {
    const summary = await runPlan(plan, {
      concurrency,
      env: request.env,
      redact,
      signal: interrupt.signal,
      maxCostUsd: request.maxCostUsd,
      record: request.record === undefined ? undefined : resolve(request.cwd, request.record),
      replay: request.replay === undefined ? undefined : resolve(request.cwd, request.replay),
      observer: progress,
    });
    progress.finish();
    const output = args.json ? JSON.stringify(summary, null, 2) : renderSummaryLines(summary, displayPath(plan.outDir, request.cwd));
    process.stdout.write(`${redact(output)}\n`);
    if (interrupt.signal.aborted) process.stderr.write(`to finish the run, repeat the command with --resume ${displayPath(plan.outDir, request.cwd)}\n`);
    process.exitCode = interrupt.signal.aborted ? EXIT_INTERRUPTED : allSucceeded(summary) ? 0 : 1;
    return summary;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
