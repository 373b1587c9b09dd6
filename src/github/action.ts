import * as core from "@actions/core";
import { homedir } from "node:os";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentEvent } from "../agent/events.ts";
import { parseConcurrency, parseMaxCost } from "../cli/args.ts";
import { formatCost } from "../report/format.ts";
import { reasonOf } from "../report/junit.ts";
import { createRedactor } from "../report/redact.ts";
import type { RunSummary, TaskResult } from "../report/types.ts";
import type { BatchObserver } from "../run/batch.ts";
import { runPlan } from "../run/run-plan.ts";
import { planRun, type RunRequest } from "../run/plan.ts";
import { parseShard } from "../run/shard.ts";
import { UserError } from "../shared/errors.ts";
import { loadTasks } from "../task/load.ts";
import { parseBranchPrefix, parseDraft, parsePrLabels } from "./pull-settings.ts";
import { openPullRequests, parseOpenPr, type PullRequestOutcome } from "./pulls.ts";

/**
 * The GitHub Action: reads and checks every input, runs the tasks as `nanocoder batch` does, then writes
 * the job summary, the outputs and annotations, and opens or updates pull requests. The outputs are set
 * whatever happens (zero counts and an empty run-dir before a run), so later steps can rely on them.
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  setOutputs({ runDir: "", succeeded: 0, failed: 0, costUsd: null, pulls: [] });
  const apiKey = core.getInput("api-key");
  if (apiKey) core.setSecret(apiKey);
  const token = core.getInput("github-token");
  if (token) core.setSecret(token);
  const failOn = core.getInput("fail-on") || "failed";
  if (failOn !== "failed" && failOn !== "never") throw new UserError(`fail-on: expected failed or never, got "${failOn}"`, "E_USAGE");
  const cwd = env.GITHUB_WORKSPACE ?? process.cwd();
  const pullSettings = await readPullSettings(env, token, cwd);
  const patterns = core.getMultilineInput("tasks").flatMap((line) => line.split(/\s+/)).filter(Boolean);
  if (patterns.length === 0) throw new UserError("tasks: give one or more task files or globs, e.g. tasks/*.yaml", "E_USAGE");

  const request: RunRequest = {
    cwd,
    env: apiKey ? { ...env, OPENAI_API_KEY: apiKey } : env,
    home: homedir(),
    config: optional("config"),
    policy: optional("policy"),
    provider: optional("provider"),
    model: optional("model"),
    baseUrl: optional("base-url"),
    out: optional("out"),
    maxCostUsd: parseMaxCost(optional("max-cost-usd")),
    shard: parseShard(optional("shard")),
  };
  const concurrency = parseConcurrency(optional("concurrency"));
  const tasks = await loadTasks(patterns, cwd);
  const plan = await planRun(tasks, request);
  const redact = createRedactor([...plan.secrets, ...[apiKey, token].filter((secret) => secret.length > 0)]);
  core.info(`run ${plan.runId}: ${plan.tasks.length} of ${plan.plannedTasks.length} task(s), concurrency ${concurrency}, policy ${plan.policy.source}`);
  for (const warning of plan.policy.warnings ?? []) core.warning(warning);
  if (plan.sandbox.warning) core.warning(plan.sandbox.warning);

  const summary = await runPlan(plan, {
    concurrency,
    env: request.env,
    redact,
    signal: new AbortController().signal,
    maxCostUsd: request.maxCostUsd,
    observer: groupedLog(redact),
  });
  const failed = summary.totals.tasks - summary.totals.succeeded;
  setOutputs({ runDir: plan.outDir, succeeded: summary.totals.succeeded, failed, costUsd: summary.totals.cost_usd, pulls: [] });

  // The tasks have run and been paid for: a failure to deliver is reported, never allowed to lose the results.
  let pulls: PullRequestOutcome[] = [];
  let deliveryError: string | undefined;
  if (pullSettings) {
    try {
      pulls = await openPullRequests({ ...pullSettings, repoRoot: plan.repoRoot, outDir: plan.outDir, summary, log: (line) => core.info(redact(line)) });
    } catch (error) {
      deliveryError = redact(error instanceof Error ? error.message : String(error));
      core.error(`pull requests: ${deliveryError}`, { title: "nanocoder pull requests" });
    }
    for (const pull of pulls) if (pull.error) core.warning(redact(`pull request for ${pull.branch}: ${pull.error}`));
  }

  const report = await readFile(join(plan.outDir, "report.md"), "utf8");
  await core.summary.addRaw(appendPulls(report, pulls)).write();
  setOutputs({ runDir: plan.outDir, succeeded: summary.totals.succeeded, failed, costUsd: summary.totals.cost_usd, pulls });
  if (failOn === "failed" && failed > 0) core.setFailed(`${failed} of ${summary.totals.tasks} task(s) did not succeed`);
  else if (deliveryError) core.setFailed(`pull requests could not be opened: ${deliveryError}`);
}

type PullSettings = Omit<Parameters<typeof openPullRequests>[0], "repoRoot" | "outDir" | "summary" | "log">;

/** The pull-request inputs, checked before any task runs; undefined with open-pr: none. */
async function readPullSettings(env: NodeJS.ProcessEnv, token: string, cwd: string): Promise<PullSettings | undefined> {
  const mode = parseOpenPr(core.getInput("open-pr"), "open-pr");
  if (mode === "none") return undefined;
  const repository = env.GITHUB_REPOSITORY;
  if (!token || !repository) throw new UserError("open-pr needs github-token and GITHUB_REPOSITORY (or set open-pr: none)", "E_USAGE");
  return {
    mode,
    repository,
    token,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    baseBranch: optional("base-branch"),
    branchPrefix: await parseBranchPrefix(optional("branch-prefix"), "branch-prefix", cwd),
    labels: parsePrLabels(optional("pr-labels"), "pr-labels"),
    draft: parseDraft(optional("pr-draft"), "pr-draft"),
  };
}

function setOutputs(values: { runDir: string; succeeded: number; failed: number; costUsd: number | null; pulls: PullRequestOutcome[] }): void {
  core.setOutput("run-dir", values.runDir);
  core.setOutput("succeeded", values.succeeded);
  core.setOutput("failed", values.failed);
  core.setOutput("total-cost-usd", values.costUsd === null ? "" : String(values.costUsd));
  core.setOutput("pr-urls", JSON.stringify(values.pulls.flatMap((pull) => pull.url ?? [])));
}

function optional(name: string): string | undefined {
  const value = core.getInput(name);
  return value === "" ? undefined : value;
}

/** Tasks run side by side, so each one's lines are held and printed in one group when it ends. */
function groupedLog(redact: (text: string) => string): BatchObserver {
  const lines = new Map<string, string[]>();
  const add = (id: string, line: string) => lines.get(id)?.push(redact(line));
  return {
    onTaskStart(id) {
      lines.set(id, []);
      core.info(`start ${id}`);
    },
    onEvent(id, event: AgentEvent) {
      const line = describeEvent(event);
      if (line) add(id, line);
    },
    onTaskEnd(result: TaskResult) {
      core.startGroup(`${result.status === "succeeded" ? "✔" : "✖"} ${result.id} ${result.status} (${result.turns} turns, ${formatCost(result.cost_usd)})`);
      for (const line of lines.get(result.id) ?? []) core.info(line);
      core.info(`${result.files_changed.length} file(s) changed; patch ${result.patch}`);
      core.endGroup();
      lines.delete(result.id);
      if (result.status !== "succeeded") core.error(redact(`${result.id}: ${result.status}: ${reasonOf(result)}`), { title: `nanocoder task ${result.id}` });
    },
  };
}

function describeEvent(event: AgentEvent): string | undefined {
  switch (event.type) {
    case "tool_call":
      return `turn ${event.turn}: ${event.name} ${event.arguments.slice(0, 200)}`;
    case "policy_decision":
      return event.decision === "deny" ? `  denied by policy: ${event.reason}` : undefined;
    case "check_result":
      return `check ${event.name}: ${event.exit_code === 0 ? "passed" : event.timed_out ? "timed out" : `exit ${String(event.exit_code)}`}`;
    case "retry":
      return `retry (attempt ${event.attempt}): ${event.reason}`;
    default:
      return undefined;
  }
}

function appendPulls(report: string, pulls: PullRequestOutcome[]): string {
  if (pulls.length === 0) return report;
  const rows = pulls.map((pull) => `- ${pull.tasks.join(", ")}: ${pull.url ? `[#${pull.number ?? ""}](${pull.url}) (${pull.action})` : `no pull request: ${pull.error ?? ""}`}`);
  return `${report.trimEnd()}\n\n## Pull requests\n\n${rows.join("\n")}\n`;
}
