import { resolve } from "node:path";
import { createRedactor } from "../report/redact.ts";
import { cut, oneLine } from "../report/format.ts";
import { applyAndSay } from "../run/apply.ts";
import { executePlan, type RunResult } from "../run/execute-plan.ts";
import { killRunningCommands } from "../shared/process-tree.ts";
import { displayPath, planRun, type RunPlan } from "../run/plan.ts";
import { UserError } from "../shared/errors.ts";
import type { Task } from "../task/schema.ts";
import type { AgentEvent } from "../agent/events.ts";
import type { Redact } from "../report/redact.ts";
import type { TaskSelection } from "../report/types.ts";
import { parseConcurrency } from "../run/request-values.ts";
import { EXIT_CODES } from "../shared/exit-codes.ts";
import { worseOutcome } from "../shared/outcome.ts";
import { toRunRequest, type RunArgs } from "./args.ts";
import { createEventStream, renderJsonSummary } from "./json-output.ts";
import { createProgress } from "./progress.ts";
import { renderSummaryLines } from "./render.ts";

/**
 * Plans and runs tasks, applies their patches with `apply` (before the results are printed, so that `--json`
 * says what was applied), prints results on stdout and progress on stderr; the outcome says how the run ended.
 */
export async function executeTasks(tasks: Task[], args: RunArgs, { selection, apply = false }: { selection?: TaskSelection | undefined; apply?: boolean } = {}): Promise<RunResult> {
  if (args.json && args.jsonl) throw new UserError("--json and --jsonl exclude each other: give --jsonl for the events as they happen, --json for the summary at the end", "E_USAGE");
  const concurrency = parseConcurrency(args.concurrency);
  const request = toRunRequest(args);
  const plan: RunPlan = { ...(await planRun(tasks, request)), ...(selection ? { selection } : {}) };
  const redact = createRedactor(plan.secrets);
  const progress = createProgress(process.stderr, plan.tasks.length, redact, displayPath(plan.outDir, request.cwd));
  const stream = args.jsonl ? createEventStream((line) => process.stdout.write(line), redact) : undefined;
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) {
      killRunningCommands();
      process.exit(EXIT_CODES.interrupted);
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
    const shown = displayPath(plan.outDir, request.cwd);
    const { summary, outcome } = await executePlan(plan, {
      concurrency,
      env: request.env,
      redact,
      signal: interrupt.signal,
      maxCostUsd: request.maxCostUsd,
      record: request.record === undefined ? undefined : resolve(request.cwd, request.record),
      replay: request.replay === undefined ? undefined : resolve(request.cwd, request.replay),
      preflight: args.preflight !== false,
      warn: (line) => process.stderr.write(`${line}\n`),
      observer: {
        ...progress,
        onEvent: (taskId, event, ts) => {
          progress.onEvent?.(taskId, event, ts);
          stream?.(taskId, event, ts);
          if (args.verbose) printStep(taskId, event, redact);
        },
        // On a line of its own: in a terminal, the live status line is not ended by a newline.
        onProviderDown: (down) => process.stderr.write(redact(`${process.stderr.isTTY ? "\n" : ""}provider "${down.provider}" (${down.base_url}) ${down.reason}\nno further task using it starts; the running ones finish\n`)),
      },
    });
    progress.finish();
    const applied = apply ? await applyAndSay(plan.repoRoot, plan.outDir, summary, request.staged === true) : undefined;
    // Under --jsonl, stdout holds the events alone: the closing lines a person reads go to stderr.
    const output = args.json ? renderJsonSummary(applied ? { ...summary, apply: applied } : summary, plan.outDir, redact) : redact(renderSummaryLines(summary, shown));
    (args.jsonl ? process.stderr : process.stdout).write(`${output}\n`);
    if (outcome === "interrupted") process.stderr.write(`to finish the run, repeat the command with ${resumeHint(shown, request)}\n`);
    if (outcome === "infrastructure") {
      const down = summary.providers_down ?? [];
      const notStarted = down.reduce((sum, entry) => sum + entry.not_started, 0);
      const names = down.map((entry) => `"${entry.provider}"`).join(", ");
      process.stderr.write(`stopped: provider ${names} failed task after task; ${notStarted} task(s) not started. Fix it, then run the command again with ${resumeHint(shown, request)}\n`);
    }
    return { summary, outcome: applied?.error === undefined ? outcome : worseOutcome(outcome, "failed") };
  } finally {
    // Once interrupted, the process is on its way out, and a further Ctrl-C must still quit at once with 130, as
    // the notice promised, instead of Node's default death by signal while the last results are written.
    if (!interrupt.signal.aborted) {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  }
}

/** --verbose: each tool call and the policy's decision on it, on stderr, one line each. */
function printStep(id: string, event: AgentEvent, redact: Redact): void {
  if (event.type === "tool_call") process.stderr.write(`${redact(`${id} turn ${event.turn}: ${event.name} ${shortLine(event.arguments)}`)}\n`);
  if (event.type === "policy_decision") process.stderr.write(`${redact(`${id}   ${event.decision} ${shortLine(event.subject)} (${event.rule}${event.decision === "deny" ? `: ${shortLine(event.reason)}` : ""})`)}\n`);
}

/** A call's arguments or a decision's subject, on one line of at most 200 characters. */
function shortLine(text: string): string {
  return cut(oneLine(text), 200);
}

/**
 * How to go on with an interrupted run: the same command with `--resume DIR`, which keeps the run's folder and base
 * commit, so it takes neither --out nor --base (and refuses them).
 */
export function resumeHint(shown: string, given: { out?: string | undefined; base?: string | undefined; resume?: string | undefined }): string {
  const dropped = [given.out === undefined ? "" : `--out ${given.out}`, given.base === undefined ? "" : `--base ${given.base}`].filter(Boolean);
  if (given.resume !== undefined || dropped.length === 0) return `--resume ${shown}`;
  return `--resume ${shown} in place of ${dropped.join(" and ")}`;
}
