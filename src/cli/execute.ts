import { builtinTools } from "../tools/index.ts";
import { createOpenAIProvider } from "../provider/openai.ts";
import { createRedactor } from "../report/redact.ts";
import { allSucceeded } from "../report/summary.ts";
import type { RunSummary } from "../report/types.ts";
import { runBatch } from "../run/batch.ts";
import { commandEnv } from "../run/command-env.ts";
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
  const progress = createProgress(process.stderr, plan.tasks.length, redact);
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write("\ninterrupted: stopping tasks and writing results (press Ctrl-C again to quit at once)\n");
    interrupt.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  for (const warning of plan.policy.warnings ?? []) process.stderr.write(`${warning}\n`);
  process.stderr.write(`run ${plan.runId}: ${plan.tasks.length} task(s), concurrency ${concurrency}, policy ${plan.policy.source}\n`);
  try {
    const summary = await runBatch({
      ...plan,
      concurrency,
      tools: builtinTools,
      commandEnv: commandEnv(request.env, plan.policy.env.pass),
      redact,
      signal: interrupt.signal,
      maxCostUsd: request.maxCostUsd,
      createProvider: createOpenAIProvider,
      observer: progress,
    });
    progress.finish();
    const output = args.json ? JSON.stringify(summary, null, 2) : renderSummaryLines(summary, displayPath(plan.outDir, request.cwd));
    process.stdout.write(`${redact(output)}\n`);
    process.exitCode = interrupt.signal.aborted ? EXIT_INTERRUPTED : allSucceeded(summary) ? 0 : 1;
    return summary;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
