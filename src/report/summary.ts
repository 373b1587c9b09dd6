import { stopReasonSchema, type StopReason } from "../agent/outcome.ts";
import { sumCosts } from "../provider/pricing.ts";
import { HTML_REPORT } from "./html/shape.ts";
import type { RunSummary, RunTotals, TaskResult, TokenCounts } from "./types.ts";

export interface RunInfo {
  runId: string;
  startedAt: Date;
  endedAt: Date;
  /** The time the run was at work when that is not endedAt − startedAt: a resumed run leaves out the wait before it resumed. */
  durationMs?: number;
  base: string;
  policy: string;
}

export function buildSummary(info: RunInfo, tasks: TaskResult[]): RunSummary {
  return {
    run_id: info.runId,
    started_at: info.startedAt.toISOString(),
    ended_at: info.endedAt.toISOString(),
    duration_ms: info.durationMs ?? info.endedAt.getTime() - info.startedAt.getTime(),
    base: info.base,
    policy: info.policy,
    tasks,
    totals: totalsOf(tasks),
    report_html: HTML_REPORT,
  };
}

function totalsOf(tasks: TaskResult[]): RunTotals {
  const count = (status: TaskResult["status"]) => tasks.filter((task) => task.status === status).length;
  return {
    tasks: tasks.length,
    succeeded: count("succeeded"),
    failed: count("failed"),
    limit_exceeded: count("limit_exceeded"),
    error: count("error"),
    interrupted: count("interrupted"),
    stop_reasons: Object.fromEntries(stopReasonSchema.options.map((reason) => [reason, tasks.filter((task) => task.stop_reason === reason).length])) as Record<StopReason, number>,
    turns: tasks.reduce((sum, task) => sum + task.turns, 0),
    tokens: addTokens(tasks.map((task) => task.tokens)),
    cost_usd: sumCosts(tasks.map((task) => task.cost_usd)),
    denials: tasks.reduce((sum, task) => sum + task.denials, 0),
  };
}

export function addTokens(counts: TokenCounts[]): TokenCounts {
  return counts.reduce<TokenCounts>(
    (sum, count) => ({
      input: sum.input + count.input,
      output: sum.output + count.output,
      cached: sum.cached + count.cached,
      estimated: sum.estimated || count.estimated,
    }),
    { input: 0, output: 0, cached: 0, estimated: false },
  );
}

export function allSucceeded(summary: RunSummary): boolean {
  return summary.totals.succeeded === summary.totals.tasks;
}
