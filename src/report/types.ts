import type { Expect, StopReason, TaskStatus } from "../agent/outcome.ts";
import type { SandboxStatus } from "../sandbox/index.ts";

export interface TokenCounts {
  input: number;
  output: number;
  cached: number;
  /** True when any count had to be estimated because the server sent no usage. */
  estimated: boolean;
}

/** One task's entry in summary.json, also written alone as tasks/<id>/result.json. */
export interface TaskResult {
  id: string;
  title?: string;
  status: TaskStatus;
  /** Why the task stopped; each stop reason belongs to one status. */
  stop_reason: StopReason;
  /** What the task file said it should leave behind (`expect`). */
  expect: Expect;
  provider: string;
  model: string;
  turns: number;
  /** Model requests made, each priced in `cost_usd`: the turns and any made to fit the context window. */
  requests: number;
  tokens: TokenCounts;
  /** USD; null while no price is known for the model. */
  cost_usd: number | null;
  duration_ms: number;
  denials: number;
  /** The calls the policy refused (the first 50), so a maintainer can widen the policy on purpose. */
  denied_calls: DeniedCall[];
  /** Times the agent ran: 1, plus one per retry after a failed check; 0 when the task never started. */
  attempts: number;
  /** The last attempt's checks, in order, up to the first that failed; empty when none ran. */
  checks: CheckOutcome[];
  /** The checks of the attempts before the last, each with its attempt number; only after a retry. */
  earlier_checks?: (CheckOutcome & { attempt: number })[];
  files_changed: string[];
  /** Path of the patch, relative to the run folder. */
  patch: string;
  /** Present when the model wrote a secret's value into a file: the patch holds `[REDACTED]` in its place and is never pushed. */
  patch_has_secret?: true;
  /** The structured final answer (the task's `output:` schema), when its JSON is at most 8 KiB; always in `output_file`. */
  output?: unknown;
  /** Path of output.json, relative to the run folder: the answer of a task with an output schema that succeeded. */
  output_file?: string;
  final_message?: string;
  error?: string;
  /** Writes of commands the policy refuses, found after each command and undone; the task then is not `succeeded`. */
  violations?: { path: string; rule: string; reason: string; by: string }[];
  /** Whether the task's commands ran in the OS sandbox, and how. */
  sandbox?: SandboxStatus;
}

export interface DeniedCall {
  tool: string;
  /** What the call would have done, e.g. "run git push origin main". */
  subject: string;
  rule: string;
  reason: string;
}

/** One run of one check. */
export interface CheckOutcome {
  name: string;
  passed: boolean;
  /** null when the check timed out or could not start. */
  exit_code: number | null;
  timed_out: boolean;
  duration_ms: number;
  /** The run's whole output, secrets hidden, relative to the run folder. */
  log: string;
  /** Of a failed run: the last lines of its output (at most 20), secrets hidden, escape sequences taken out. */
  output_tail?: string;
}

export interface RunTotals {
  tasks: number;
  succeeded: number;
  failed: number;
  limit_exceeded: number;
  error: number;
  interrupted: number;
  /** Tasks by stop reason, every reason listed. */
  stop_reasons: Record<StopReason, number>;
  turns: number;
  tokens: TokenCounts;
  cost_usd: number | null;
  denials: number;
}

export interface RunSummary {
  run_id: string;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  /** The commit every task started from. */
  base: string;
  policy: string;
  tasks: TaskResult[];
  totals: RunTotals;
  /** Every task id the run was given, in order, before `--shard` picked its share. */
  planned_tasks?: string[];
  /** The share of the planned tasks this run ran (`--shard i/n`). */
  shard?: { index: number; count: number };
  /** Whether the run's commands ran in the OS sandbox, and how. */
  sandbox?: SandboxStatus;
  /** Providers that failed in task after task, so that the tasks using them did not start (exit 3); absent when none did. */
  providers_down?: ProviderDown[];
  /** What commands saw besides the worktree: the repository's installed dependency folders, read-only, and the setup commands. */
  environment?: { dependencies: string[]; setup: string[] };
}

/** A provider the run stopped using: it failed in several tasks in a row (run/breaker.ts). */
export interface ProviderDown {
  provider: string;
  base_url: string;
  /** The failures in a row that stopped it, and the last one's message. */
  reason: string;
  /** The tasks using it that did not start because of it, left for --resume. */
  not_started: number;
}
