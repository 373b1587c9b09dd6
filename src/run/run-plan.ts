import { createProviderFactory } from "../provider/factory.ts";
import type { Redact } from "../report/redact.ts";
import type { RunSummary } from "../report/types.ts";
import { builtinTools } from "../tools/index.ts";
import { runBatch, type BatchObserver } from "./batch.ts";
import { commandEnv } from "./command-env.ts";
import type { RunPlan } from "./plan.ts";

export interface RunPlanOptions {
  concurrency: number;
  /** The runner's environment; commands get only the allowed part of it. */
  env: NodeJS.ProcessEnv;
  redact: Redact;
  signal: AbortSignal;
  maxCostUsd?: number | undefined;
  /** Absolute cassette folders for --record / --replay. */
  record?: string | undefined;
  replay?: string | undefined;
  observer?: BatchObserver;
}

/** Runs a checked plan with the built-in tools: the one entry the CLI and the GitHub Action share. */
export function runPlan(plan: RunPlan, options: RunPlanOptions): Promise<RunSummary> {
  return runBatch({
    ...plan,
    concurrency: options.concurrency,
    tools: builtinTools,
    commandEnv: commandEnv(options.env, plan.policy.env.pass),
    redact: options.redact,
    signal: options.signal,
    maxCostUsd: options.maxCostUsd,
    createProvider: createProviderFactory({ record: options.record, replay: options.replay, redact: options.redact }),
    ...(options.observer ? { observer: options.observer } : {}),
  });
}
