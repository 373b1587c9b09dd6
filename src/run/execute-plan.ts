import { createProviderFactory } from "../provider/factory.ts";
import type { Redact } from "../report/redact.ts";
import { allSucceeded } from "../report/summary.ts";
import type { RunSummary } from "../report/types.ts";
import { ProviderUnavailable } from "../shared/errors.ts";
import type { Outcome } from "../shared/outcome.ts";
import { builtinTools } from "../tools/index.ts";
import { runBatch, type BatchObserver } from "./batch.ts";
import { commandEnv } from "./command-env.ts";
import type { RunPlan } from "./plan.ts";
import { checkProviders } from "./preflight.ts";

export interface ExecutePlanOptions {
  concurrency: number;
  /** The runner's environment; commands get only the allowed part of it. */
  env: NodeJS.ProcessEnv;
  redact: Redact;
  signal: AbortSignal;
  maxCostUsd?: number | undefined;
  /** Absolute cassette folders for --record / --replay. */
  record?: string | undefined;
  replay?: string | undefined;
  /** Check each provider and model before the first task (preflight.ts); true unless false. */
  preflight?: boolean | undefined;
  /** Said once before the tasks: a provider whose answer to the check said nothing for sure. */
  warn?: (line: string) => void;
  observer?: BatchObserver;
}

export interface RunResult {
  summary: RunSummary;
  outcome: Outcome;
}

/**
 * Runs a checked plan with the built-in tools: the one entry the CLI and the GitHub Action share. Before
 * the first task, each provider and model the tasks to run use is checked, unless the models' answers are
 * replayed (no network) or every task is kept from an earlier run; a provider that cannot be used throws
 * ProviderUnavailable, and nothing runs.
 */
export async function executePlan(plan: RunPlan, options: ExecutePlanOptions): Promise<RunResult> {
  const toRun = plan.tasks.filter((planned) => !plan.resume?.finished.has(planned.task.id));
  if (options.preflight !== false && options.replay === undefined && toRun.length > 0) {
    // A server's answer may repeat the key it was sent: hidden like every other output.
    const { warnings } = await checkProviders(toRun).catch((error: unknown) => {
      throw error instanceof ProviderUnavailable ? new ProviderUnavailable(options.redact(error.message), error.code) : error;
    });
    for (const warning of warnings) options.warn?.(options.redact(warning));
  }
  const summary = await runBatch({
    ...plan,
    concurrency: options.concurrency,
    tools: builtinTools,
    commandEnv: commandEnv(options.env, plan.policy.env.pass),
    redact: options.redact,
    signal: options.signal,
    maxCostUsd: options.maxCostUsd,
    createProvider: createProviderFactory({ record: options.record, replay: options.replay, redact: options.redact }),
    ...(plan.mcpServers.length > 0 ? { mcp: { servers: plan.mcpServers, runnerEnv: options.env, baseEnv: serverEnv(options.env), record: options.record, replay: options.replay } } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  });
  return { summary, outcome: runOutcome(summary, options.signal.aborted) };
}

/** What every stdio MCP server sees: the commands' short list without the home, and none of the policy's env.pass. */
function serverEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const { HOME: _home, ...rest } = commandEnv(env, []);
  return rest;
}

/** The interrupt outweighs a provider taken for down, which outweighs tasks that did not succeed (Outcome). */
export function runOutcome(summary: RunSummary, interrupted: boolean): Outcome {
  if (interrupted) return "interrupted";
  if ((summary.providers_down?.length ?? 0) > 0) return "infrastructure";
  return allSucceeded(summary) ? "succeeded" : "failed";
}
