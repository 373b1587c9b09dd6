import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { contextCaps, loadContextFiles, NO_SUCH_FILE, promptMentions, readWorkspaceText } from "../agent/context-files.ts";
import type { AgentEvent } from "../agent/events.ts";
import type { AgentOptions } from "../agent/loop.ts";
import { statusOf, type Expect, type StopReason } from "../agent/outcome.ts";
import { buildSystemPrompt, buildUserMessage } from "../agent/prompt.ts";
import { decide, offeredTools } from "../policy/decide.ts";
import { resolvePathsAsWritten } from "../policy/resolve/index.ts";
import type { Policy } from "../policy/types.ts";
import { costOfUsage, priceUsage } from "../provider/pricing.ts";
import { resolveContextLimits } from "../provider/context-window.ts";
import { loadPriceTable, type PriceTable } from "../provider/price-table.ts";
import type { Provider, ProviderConfig, ProviderFixAt, ProviderHooks, Usage } from "../provider/types.ts";
import { EventLog, writeFileAtomic, writeJson } from "../report/files.ts";
import { cut, oneLine } from "../report/format.ts";
import { schemaUrl } from "../report/schema.ts";
import { writeTaskResult } from "../report/write.ts";
import { redactBytes } from "../report/redact.ts";
import type { Redact } from "../report/redact.ts";
import { addTokens } from "../report/summary.ts";
import type { DeniedCall, TaskResult, TokenCounts } from "../report/types.ts";
import type { Task } from "../task/schema.ts";
import type { Sandbox } from "../sandbox/index.ts";
import type { ToolDefinition, WrapCommand } from "../tools/types.ts";
import type { RunEnvironment } from "./environment.ts";
import { createEffectCheck, WHOLE_TASK, type EffectCheck, type RecordedViolation } from "./effects.ts";
import { runAttempts, type AttemptsOutcome } from "./attempts.ts";
import { createTaskBudget, type RunBudget } from "./budget.ts";
import type { TaskLimits } from "./limits.ts";
import { SetupFailed } from "./setup.ts";
import type { WorktreePool } from "../workspace/pool.ts";
import { holdWorktreeState, type HeldWorktreeState, type WorktreeDiff } from "../workspace/patch.ts";
import { McpStartFailed } from "../mcp/errors.ts";
import type { McpSession } from "../mcp/session.ts";
import { startTaskServers, type RunMcp } from "../mcp/task-servers.ts";
import type { Worktree } from "../workspace/worktree.ts";

const MAX_DENIED_CALLS = 50;
/** A structured answer up to this size (as JSON) is also in result.json and summary.json; larger ones only in output.json. */
export const OUTPUT_INLINE_BYTES = 8 * 1024;

type TaskOutcome = Partial<Omit<AttemptsOutcome, "stopReason">> & { stopReason: StopReason };

/** A task with the provider and model it will use, resolved before anything runs. */
export interface PlannedTask {
  task: Task;
  provider: ProviderConfig;
  model: string;
  /** Where the provider's base URL and key are given, for the provider check's fixes. */
  fixAt: ProviderFixAt;
  limits: TaskLimits;
  /** The run's policy, narrowed by the task's own deny rules. */
  policy: Policy;
}

export interface TaskRunContext {
  repoRoot: string;
  base: string;
  outDir: string;
  /** Clean checkouts of the base, one per running task. */
  worktrees: WorktreePool;
  /** The dependencies, setup results and network each worktree's commands get. */
  environment: RunEnvironment;
  policy: Policy;
  tools: ToolDefinition[];
  commandEnv: Record<string, string>;
  redact: Redact;
  /** Aborts every task of the run (interrupt). */
  signal: AbortSignal;
  /** What the run has spent, shared by every task. */
  runBudget: RunBudget;
  /** The OS sandbox commands run in; absent: they run as they are. */
  sandbox?: Sandbox;
  createProvider(config: ProviderConfig, model: string, hooks?: ProviderHooks): Provider;
  /** Each event as the task's log has it: `ts` is the time written there. */
  onEvent?(taskId: string, event: AgentEvent, ts: string): void;
  /** The MCP servers of .mcp.json; absent: none. */
  mcp?: RunMcp;
}

/** Runs one task in its own worktree. Always leaves result.json, events.jsonl and patch.diff behind. */
export async function runTask(planned: PlannedTask, context: TaskRunContext): Promise<TaskResult> {
  const { task, provider, model } = planned;
  const started = Date.now();
  // Read for the model's context window before the first request and for its cost after each one.
  const prices = await loadPriceTable();
  const taskDir = join(context.outDir, "tasks", task.id);
  await mkdir(taskDir, { recursive: true });
  const log = new EventLog(join(taskDir, "events.jsonl"), context.redact, schemaUrl("event-line"));
  const deniedCalls: DeniedCall[] = [];
  const emit = (event: AgentEvent) => {
    const ts = log.append(event);
    if (event.type === "policy_decision" && event.decision === "deny" && deniedCalls.length < MAX_DENIED_CALLS) {
      deniedCalls.push({ tool: event.tool, subject: event.subject, rule: event.rule, reason: event.reason });
    }
    context.onEvent?.(task.id, event, ts);
  };
  const timeout = AbortSignal.timeout(planned.limits.timeout_ms);
  const signal = AbortSignal.any([context.signal, timeout]);

  emit({ type: "task_start", task: task.id, title: task.title, provider: provider.name, model, base: context.base, policy: planned.policy.source });
  let outcome: TaskOutcome = { stopReason: "runner_error" };
  let worktree: Worktree | undefined;
  /** Paths of the worktree the patch leaves out: the dependency folders linked there. */
  let leaveOut: string[] = [];
  let effects: EffectCheck | undefined;
  let mcp: McpSession | undefined;
  try {
    worktree = await context.worktrees.acquire();
    const taskSetup = { policy: planned.policy, commands: task.setup, logPath: join(taskDir, "setup.log"), logName: `tasks/${task.id}/setup.log` };
    const entered = await context.environment.enter(worktree, taskSetup, emit, signal);
    leaveOut = entered.leaveOut;
    effects = await createEffectCheck({ worktree, base: context.base, policy: planned.policy, leaveOut, emit, onNewFiles: entered.noteFiles, basePaths: context.environment.basePaths });
    // Servers start with the worktree and end with the task: nothing they do outlives it.
    mcp = context.mcp && await startTaskServers(context.mcp, {
      taskId: task.id, only: task.mcp, policy: planned.policy, workspace: worktree.dir, wrapFor: entered.wrapFor,
      taken: context.tools.map((tool) => tool.name), redact: context.redact, signal, emit,
    });
    const checkedIn = worktree;
    const holdWorktree = () => holdWorktreeState(checkedIn, leaveOut);
    outcome = await runInWorktree(planned, context, worktree.dir, signal, emit, { wrapCommand: entered.wrapCommand, effects, extraTools: mcp?.tools ?? [], prices, holdWorktree });
    if (outcome.aborted) outcome = { ...outcome, ...abortOutcome(task, timeout) };
  } catch (error) {
    const setupFailed = error instanceof SetupFailed || error instanceof McpStartFailed;
    outcome = signal.aborted ? abortOutcome(task, timeout) : { stopReason: setupFailed ? "setup_failed" : "runner_error", error: messageOf(error) };
  } finally {
    await mcp?.close();
  }

  // The same check over the whole worktree before the patch is made: a refused path never leaves it.
  if (worktree && effects) await effects.afterCommand(WHOLE_TASK).catch((error: unknown) => {
    outcome = { ...outcome, stopReason: "runner_error", error: `could not check what commands changed: ${messageOf(error)}` };
  });
  const violations = effects?.violations ?? [];
  if (violations.length > 0 && outcome.stopReason === "completed") outcome = { ...outcome, stopReason: "policy_violation", error: describeViolations(violations) };
  const changes = worktree ? await collectPatch(context.worktrees, worktree, leaveOut, outcome) : { patch: Buffer.alloc(0), files: [] };
  if (outcome.stopReason === "completed") outcome = { ...outcome, ...expectation(task.expect, changes.files, outcome.finalMessage ?? "", changes.nested ?? []) };
  // A secret's value the model wrote into a file is hidden in the patch too: it still applies, with
  // [REDACTED] where the value was, and the task is flagged so that it is never pushed.
  const redactedPatch = redactBytes(changes.patch, context.redact);
  const patchHasSecret = redactedPatch !== undefined;
  await writeFileAtomic(join(taskDir, "patch.diff"), redactedPatch ?? changes.patch);
  // The answer of a task that succeeded, and only then: a consumer reading output.json reads a valid one.
  const output = outcome.stopReason === "completed" && outcome.output !== undefined ? await writeOutput(taskDir, task.id, outcome.output, context.redact) : {};

  const usage = outcome.usage ?? [];
  const result = buildTaskResult(planned, {
    stop_reason: outcome.stopReason,
    turns: outcome.turns ?? 0,
    requests: usage.length,
    tokens: tokensOf(usage),
    cost_usd: costOfUsage(provider, model, usage, prices),
    duration_ms: Date.now() - started,
    denials: outcome.denials ?? 0,
    denied_calls: deniedCalls,
    attempts: outcome.attempts ?? 0,
    checks: outcome.checks ?? [],
    ...(outcome.earlierChecks?.length ? { earlier_checks: outcome.earlierChecks } : {}),
    files_changed: changes.files,
    ...(patchHasSecret ? { patch_has_secret: true as const } : {}),
    ...(changes.nested ? { nested_repositories: changes.nested } : {}),
    ...output,
    ...(outcome.finalMessage ? { final_message: context.redact(outcome.finalMessage) } : {}),
    ...(outcome.error ? { error: context.redact(outcome.error) } : {}),
    ...(context.sandbox ? { sandbox: context.sandbox.status } : {}),
    ...(violations.length > 0 ? { violations: violations.map(({ path, rule, reason, by }) => ({ path, rule, reason, by })) } : {}),
  });
  emit({
    type: "task_end",
    status: result.status,
    stop_reason: result.stop_reason,
    turns: result.turns,
    denials: result.denials,
    files_changed: result.files_changed,
    ...(result.error ? { error: result.error } : {}),
    ...(result.final_message ? { final_message: result.final_message } : {}),
  });
  log.close();
  await writeTaskResult(context.outDir, result, context.redact);
  return result;
}

/** What a task's result says beyond its task and model; what is not given is zero or empty (a task that never started). */
type ResultFields = Pick<TaskResult, "stop_reason"> & Partial<Omit<TaskResult, "id" | "title" | "status" | "expect" | "provider" | "model" | "patch">>;

/** The one place a TaskResult is made, for a task that ran and for one that never started (run/batch.ts). */
export function buildTaskResult({ task, provider, model }: Pick<PlannedTask, "task" | "provider" | "model">, fields: ResultFields): TaskResult {
  const { stop_reason, ...measured } = fields;
  return {
    id: task.id,
    ...(task.title ? { title: task.title } : {}),
    task_file: task.source.file,
    ...(task.labels.length > 0 ? { labels: task.labels } : {}),
    status: statusOf(stop_reason),
    stop_reason,
    expect: task.expect,
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
    ...measured,
  };
}

async function runInWorktree(
  { task, provider, model, limits, policy }: PlannedTask,
  context: TaskRunContext,
  worktree: string,
  signal: AbortSignal,
  emit: (event: AgentEvent) => void,
  { wrapCommand, effects, extraTools, prices, holdWorktree }: {
    wrapCommand: WrapCommand | undefined; effects: EffectCheck; extraTools: ToolDefinition[]; prices: PriceTable; holdWorktree: () => Promise<HeldWorktreeState>;
  },
): Promise<AttemptsOutcome> {
  const contextLimits = resolveContextLimits(provider, model, prices);
  const caps = contextCaps(contextLimits.contextWindow);
  const agentsMd = await readWorkspaceText(worktree, "AGENTS.md", policy, caps.fileBytes);
  const systemPrompt = buildSystemPrompt(agentsMd.ok ? agentsMd.content : undefined);
  const contextFiles = await loadContextFiles({ patterns: task.context, mentions: promptMentions(task.prompt) }, worktree, policy, caps);
  const userMessage = buildUserMessage(task.prompt, contextFiles.files, task.changedFiles);
  const agentsMdSkipped = !agentsMd.ok && agentsMd.reason !== NO_SUCH_FILE ? [{ path: "AGENTS.md", reason: agentsMd.reason }] : [];
  emit({
    type: "prompt",
    system_prompt: systemPrompt,
    user_message: userMessage,
    context_files: contextFiles.files.map((file) => file.path),
    context_skipped: [...agentsMdSkipped, ...contextFiles.skipped],
  });
  const agent: AgentOptions = {
    provider: context.createProvider(provider, model, { onEvent: emit, taskId: task.id, workspace: worktree }),
    tools: offeredTools(policy, [...context.tools, ...extraTools]),
    policy,
    context: {
      workspace: worktree,
      signal,
      env: context.commandEnv,
      ...(wrapCommand ? { wrapCommand } : {}),
      sandboxed: context.sandbox?.status.active ?? false,
      isReadable: (path) => decide(policy, resolvePathsAsWritten("read_file", [{ kind: "read", path }])).decision === "allow",
      afterCommand: (by, callId) => effects.afterCommand(by, callId),
    },
    emit,
    systemPrompt,
    userMessage,
    maxTurns: limits.max_turns,
    maxDenials: limits.max_denials,
    ...contextLimits,
    budget: createTaskBudget(limits, (usage) => priceUsage(provider, model, usage, prices), context.runBudget),
  };
  const logDir = join(context.outDir, "tasks", task.id, "checks");
  const checkContext = { workspace: worktree, env: context.commandEnv, signal, logDir, logDirName: `tasks/${task.id}/checks`, emit, redact: context.redact, afterCommand: (by: string) => effects.afterCommand(by), holdWorktree };
  return runAttempts(agent, task, { ...checkContext, ...(wrapCommand ? { wrapCommand } : {}) });
}

/** Writes tasks/<id>/output.json; the fields result.json gives it: the file, and the value when it is small. */
async function writeOutput(taskDir: string, id: string, value: unknown, redact: Redact): Promise<Pick<TaskResult, "output" | "output_file">> {
  await writeJson(join(taskDir, "output.json"), value, redact);
  const small = Buffer.byteLength(JSON.stringify(value)) <= OUTPUT_INLINE_BYTES;
  return { output_file: `tasks/${id}/output.json`, ...(small ? { output: value } : {}) };
}

function abortOutcome(task: Task, timeout: AbortSignal): { stopReason: StopReason; error: string } {
  if (timeout.aborted) return { stopReason: "timeout", error: `timed out after ${formatLimit(task.limits.timeout_ms)} (limits.timeout)` };
  return { stopReason: "interrupted", error: "interrupted before the task finished" };
}

/** Whether what the finished task left behind is what it expects; `completed` when it is. */
function expectation(expect: Expect, files: readonly string[], finalMessage: string, nested: readonly string[]): { stopReason: StopReason; error?: string } {
  if (expect === "changes" && files.length === 0) {
    const said = cut(oneLine(finalMessage), 160);
    const inNested = nested.length > 0 ? `; what it made in ${nested.slice(0, 3).join(", ")}${nested.length > 3 ? " and more" : ""} is in no patch, being a git repository of its own` : "";
    return { stopReason: "no_changes", error: `no changes, though the task expects them (expect: changes)${inNested}${said ? `; the model said: "${said}"` : ""}` };
  }
  if (expect === "none" && files.length > 0) {
    const shown = files.slice(0, 3).join(", ") + (files.length > 3 ? ` and ${files.length - 3} more` : "");
    return { stopReason: "unexpected_changes", error: `changed ${files.length} file(s), though the task expects none (expect: none): ${shown}` };
  }
  return { stopReason: "completed" };
}

/** A model's answer on one line, cut to what a task line can show. */

/** One line for the task's error: which paths commands wrote against the policy, all undone. */
function describeViolations(violations: readonly RecordedViolation[]): string {
  const shown = violations.slice(0, 3).map((violation) => `${violation.path} (${violation.rule}, by ${violation.by})`).join(", ");
  const more = violations.length > 3 ? ` and ${violations.length - 3} more` : "";
  return `commands wrote what the policy refuses: ${shown}${more}; the changes were undone`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The task's changes; the worktree goes back to the pool. */
async function collectPatch(
  worktrees: WorktreePool, worktree: Worktree, leaveOut: string[], outcome: { stopReason: StopReason; error?: string },
): Promise<WorktreeDiff> {
  try {
    return await worktrees.finish(worktree, leaveOut);
  } catch (error) {
    outcome.stopReason = "runner_error";
    outcome.error = `could not collect the patch: ${messageOf(error)}`;
    return { patch: Buffer.alloc(0), files: [] };
  }
}

function tokensOf(usage: Usage[]): TokenCounts {
  return addTokens(usage.map(({ input, output, cached, estimated }) => ({ input, output, cached, estimated })));
}

function formatLimit(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}
