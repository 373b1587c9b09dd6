import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PQueue from "p-queue";
import type { AgentEvent } from "../agent/events.ts";
import type { Policy } from "../policy/types.ts";
import type { Provider, ProviderConfig } from "../provider/types.ts";
import { buildCostReport, renderCostCsv } from "../report/cost.ts";
import { writeFileAtomic, writeJson } from "../report/files.ts";
import { renderReport } from "../report/markdown.ts";
import type { Redact } from "../report/redact.ts";
import { buildSummary } from "../report/summary.ts";
import type { RunSummary, TaskResult } from "../report/types.ts";
import type { ToolDefinition } from "../tools/types.ts";
import { createRunBudget } from "./budget.ts";
import { runTask, type PlannedTask, type TaskRunContext } from "./task.ts";

export interface BatchOptions {
  tasks: PlannedTask[];
  repoRoot: string;
  base: string;
  runId: string;
  outDir: string;
  concurrency: number;
  policy: Policy;
  tools: ToolDefinition[];
  commandEnv: Record<string, string>;
  redact: Redact;
  signal: AbortSignal;
  /** USD the whole run may spend (--max-cost-usd). */
  maxCostUsd?: number;
  createProvider(config: ProviderConfig, model: string): Provider;
  observer?: BatchObserver;
  /** The run folder sits in the repository (the default): keep it out of git status and `git add`. */
  ignoreOutput?: boolean;
}

export interface BatchObserver {
  onTaskStart?(taskId: string): void;
  onEvent?(taskId: string, event: AgentEvent): void;
  onTaskEnd?(result: TaskResult): void;
}

/** Runs every task, `concurrency` at a time, and writes summary.json and report.md. */
export async function runBatch(options: BatchOptions): Promise<RunSummary> {
  const startedAt = new Date();
  await mkdir(options.outDir, { recursive: true });
  if (options.ignoreOutput) await ignoreRunsFolder(join(options.outDir, ".."));
  const worktreeRoot = await mkdtemp(join(tmpdir(), `nanocoder-${options.runId}-`));
  const context: TaskRunContext = { ...options, worktreeRoot, runBudget: createRunBudget(options.maxCostUsd), onEvent: options.observer?.onEvent };
  const queue = new PQueue({ concurrency: options.concurrency });
  try {
    const results = await Promise.all(
      options.tasks.map((planned) => queue.add(() => runQueued(planned, context, options.observer))),
    );
    const summary = buildSummary(
      { runId: options.runId, startedAt, endedAt: new Date(), base: options.base, policy: options.policy.source },
      results,
    );
    await writeJson(join(options.outDir, "summary.json"), summary, options.redact);
    await writeFileAtomic(join(options.outDir, "report.md"), options.redact(renderReport(summary)));
    const cost = buildCostReport(summary);
    await writeJson(join(options.outDir, "cost.json"), cost, options.redact);
    await writeFileAtomic(join(options.outDir, "cost.csv"), options.redact(renderCostCsv(cost)));
    return summary;
  } finally {
    await rm(worktreeRoot, { recursive: true, force: true });
  }
}

async function ignoreRunsFolder(runsDir: string): Promise<void> {
  await writeFile(join(runsDir, ".gitignore"), "# Run folders of nanocoder batch\n*\n", { flag: "wx" }).catch(() => undefined);
}

async function runQueued(planned: PlannedTask, context: TaskRunContext, observer: BatchObserver | undefined): Promise<TaskResult> {
  if (context.signal.aborted) return await notStarted(planned, context, { status: "error", error: "interrupted before the task started" });
  const spent = context.runBudget.exhausted();
  if (spent) {
    const result = await notStarted(planned, context, { status: "limit_exceeded", error: `not started: ${spent}` });
    observer?.onTaskEnd?.(result);
    return result;
  }
  observer?.onTaskStart?.(planned.task.id);
  const result = await runTask(planned, context);
  observer?.onTaskEnd?.(result);
  return result;
}

/** A task the run never reached (interrupted first, or its budget spent) still gets a result, so nothing goes missing. */
async function notStarted(
  { task, provider, model }: PlannedTask,
  context: TaskRunContext,
  why: Pick<TaskResult, "status" | "error">,
): Promise<TaskResult> {
  const result: TaskResult = {
    id: task.id,
    ...(task.title ? { title: task.title } : {}),
    status: why.status,
    provider: provider.name,
    model,
    turns: 0,
    requests: 0,
    tokens: { input: 0, output: 0, cached: 0, estimated: false },
    cost_usd: 0,
    duration_ms: 0,
    denials: 0,
    denied_calls: [],
    attempts: 0,
    checks: [],
    files_changed: [],
    patch: `tasks/${task.id}/patch.diff`,
    error: why.error,
  };
  const taskDir = join(context.outDir, "tasks", task.id);
  await mkdir(taskDir, { recursive: true });
  await writeFile(join(taskDir, "patch.diff"), "");
  await writeFile(join(taskDir, "events.jsonl"), "");
  await writeJson(join(taskDir, "result.json"), result, context.redact);
  return result;
}
