import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PQueue from "p-queue";
import type { AgentEvent } from "../agent/events.ts";
import type { StopReason } from "../agent/outcome.ts";
import type { Policy } from "../policy/types.ts";
import type { Provider, ProviderConfig } from "../provider/types.ts";
import { writeFileAtomic } from "../report/files.ts";
import type { Redact } from "../report/redact.ts";
import { buildSummary } from "../report/summary.ts";
import type { ProviderDown, RunSummary, TaskResult, TaskSelection } from "../report/types.ts";
import { writeRunReports, writeTaskResult } from "../report/write.ts";
import type { Sandbox } from "../sandbox/index.ts";
import type { FoundDependencies } from "../workspace/dependencies.ts";
import type { ToolDefinition } from "../tools/types.ts";
import { toNanoUsd } from "../shared/money.ts";
import { createWorktreePool } from "../workspace/pool.ts";
import { makeRemovable } from "../workspace/remove.ts";
import { createProviderBreaker, type ProviderBreaker } from "./breaker.ts";
import { createRunBudget } from "./budget.ts";
import { createRunEnvironment, type RunEnvironment } from "./environment.ts";
import { openManifest, taskDigest, type ManifestEntry, type ResumeState } from "./manifest.ts";
import type { Shard } from "./shard.ts";
import type { RunMcp } from "../mcp/task-servers.ts";
import { buildTaskResult, runTask, type PlannedTask, type TaskRunContext } from "./task.ts";

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
  /** Every task id given, before `--shard` picked this run's share; recorded in summary.json for `report merge`. */
  plannedTasks?: string[];
  shard?: Shard;
  /** What chose the tasks among those of their task files (--label, --only, --limit, changed files); recorded in summary.json. */
  selection?: TaskSelection;
  /** The earlier run this one goes on with (--resume): its finished tasks are kept, not run again. */
  resume?: ResumeState;
  /** The OS sandbox commands run in; absent: they run as they are. */
  sandbox?: Sandbox;
  /** The repository's installed dependency folders (planRun found them); absent: none. */
  dependencies?: FoundDependencies;
  /** The MCP servers of .mcp.json and what starting them needs; absent: none. */
  mcp?: RunMcp;
}

export interface BatchObserver {
  onTaskStart?(taskId: string): void;
  /** Each event of each task as its events.jsonl has it: `ts` is the time written there. */
  onEvent?(taskId: string, event: AgentEvent, ts: string): void;
  onTaskEnd?(result: TaskResult): void;
  /** A provider failed in task after task: the tasks that use it no longer start (breaker.ts). */
  onProviderDown?(down: ProviderDown): void;
}

/** Runs every task, `concurrency` at a time, and writes summary.json and report.md. */
export async function runBatch(options: BatchOptions): Promise<RunSummary> {
  const now = new Date();
  const startedAt = options.resume?.startedAt ?? now;
  await mkdir(options.outDir, { recursive: true });
  if (options.ignoreOutput) await ignoreRunsFolder(join(options.outDir, ".."));
  const ids = options.tasks.map((planned) => planned.task.id);
  const finished = options.resume?.finished ?? new Map<string, TaskResult>();
  const manifest = openManifest(options.outDir, options.redact);
  if (options.resume) manifest.append({ type: "run_resume", run_id: options.runId, rerun: ids.filter((id) => !finished.has(id)) });
  else manifest.append({ type: "run_start", run_id: options.runId, base: options.base, tasks: ids, digests: Object.fromEntries(options.tasks.map((planned) => [planned.task.id, taskDigest(planned.task)])) });
  const worktreeRoot = await mkdtemp(join(tmpdir(), `nanocoder-${options.runId}-`));
  const runBudget = createRunBudget(options.maxCostUsd);
  for (const kept of finished.values()) runBudget.addNanoUsd(toNanoUsd(kept.cost_usd ?? 0));
  const worktrees = createWorktreePool({ repoRoot: options.repoRoot, base: options.base, root: worktreeRoot });
  let environment: RunEnvironment | undefined;
  try {
    environment = await createRunEnvironment({
      repoRoot: options.repoRoot, base: options.base, outDir: options.outDir, policySource: options.policy.source,
      found: options.dependencies ?? { folders: [], skipped: [] },
      ...(options.policy.setup ? { setup: options.policy.setup } : {}),
      network: options.policy.sandbox?.network ?? false,
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      commandEnv: options.commandEnv, redact: options.redact, worktreeRoot,
    });
  } catch (error) {
    await rm(worktreeRoot, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  const breaker = createProviderBreaker();
  const context: TaskRunContext = {
    ...options, createProvider: breaker.watch(options.createProvider), worktrees, environment, runBudget, onEvent: options.observer?.onEvent,
  };
  const queue = new PQueue({ concurrency: options.concurrency });
  try {
    const results = await Promise.all(
      options.tasks.map((planned) => {
        const kept = finished.get(planned.task.id);
        if (kept) return kept;
        return queue.add(async () => {
          const result = await runQueued(planned, context, options.observer, manifest, breaker);
          manifest.append({ type: "task_end", id: result.id, status: result.status });
          return result;
        });
      }),
    );
    const summary: RunSummary = {
      ...buildSummary({ runId: options.runId, startedAt, ...endAndDuration(now, options.resume), base: options.base, policy: options.policy.source }, results),
      planned_tasks: options.plannedTasks ?? options.tasks.map((planned) => planned.task.id),
      ...(options.shard ? { shard: options.shard } : {}),
      ...(options.selection ? { selection: options.selection } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox.status } : {}),
      ...(breaker.down().length > 0 ? { providers_down: breaker.down() } : {}),
      environment: { dependencies: environment.found.folders.map((folder) => folder.path), setup: options.policy.setup?.run ?? [] },
    };
    await writeRunReports(options.outDir, summary, options.redact);
    manifest.append({ type: "run_end", interrupted: options.signal.aborted });
    return summary;
  } finally {
    manifest.close();
    await environment.close();
    await worktrees.close();
    // Best effort: a file a task made undeletable must not cost the run its results.
    await rm(worktreeRoot, { recursive: true, force: true }).catch(async () => {
      makeRemovable(worktreeRoot);
      await rm(worktreeRoot, { recursive: true, force: true }).catch(() => undefined);
    });
  }
}

/** A `.gitignore` in the folder of run folders (unless there is one), so runs never show in git status or get committed. */
export async function ignoreRunsFolder(runsDir: string): Promise<void> {
  await writeFile(join(runsDir, ".gitignore"), "# Run folders of nanocoder batch\n*\n", { flag: "wx" }).catch(() => undefined);
}

async function runQueued(
  planned: PlannedTask,
  context: TaskRunContext,
  observer: BatchObserver | undefined,
  manifest: { append(entry: ManifestEntry): void },
  breaker: ProviderBreaker,
): Promise<TaskResult> {
  // A task that did not finish in an earlier try of the run starts over from scratch.
  await rm(join(context.outDir, "tasks", planned.task.id), { recursive: true, force: true });
  if (context.signal.aborted) return await notStarted(planned, context, { stop_reason: "interrupted", error: "not started: the run was interrupted" });
  // Left for --resume, like the tasks of an interrupted run.
  const down = breaker.refuses(planned.provider);
  if (down) return await notStarted(planned, context, { stop_reason: "interrupted", error: `not started: ${down}` });
  const spent = context.runBudget.exhausted();
  if (spent) {
    const result = await notStarted(planned, context, { stop_reason: "budget", error: `not started: ${spent}` });
    observer?.onTaskEnd?.(result);
    return result;
  }
  manifest.append({ type: "task_start", id: planned.task.id });
  observer?.onTaskStart?.(planned.task.id);
  const result = await runTask(planned, context);
  observer?.onTaskEnd?.(result);
  const tripped = breaker.taskEnded(planned.provider, result);
  if (tripped) observer?.onProviderDown?.(tripped);
  return result;
}

/** A task the run never reached (interrupted first, or its budget spent) still gets a result, so nothing goes missing. */
async function notStarted(
  { task, provider, model }: PlannedTask,
  context: TaskRunContext,
  why: { stop_reason: StopReason; error: string },
): Promise<TaskResult> {
  const result = buildTaskResult({ task, provider, model }, why);
  const taskDir = join(context.outDir, "tasks", task.id);
  await mkdir(taskDir, { recursive: true });
  await writeFileAtomic(join(taskDir, "patch.diff"), "");
  await writeFileAtomic(join(taskDir, "events.jsonl"), "");
  await writeTaskResult(context.outDir, result, context.redact);
  return result;
}

/** When the run ended and how long it was at work: with --resume, the earlier runs' time plus this one's, not the wait between them. */
function endAndDuration(resumedAt: Date, resume: ResumeState | undefined): { endedAt: Date; durationMs: number } {
  const endedAt = new Date();
  return { endedAt, durationMs: (resume?.activeMs ?? 0) + endedAt.getTime() - resumedAt.getTime() };
}
