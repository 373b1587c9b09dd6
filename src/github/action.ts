import * as core from "@actions/core";
import { homedir } from "node:os";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseConcurrency, parseMaxCost } from "../run/request-values.ts";
import { createRedactor, type Redact } from "../report/redact.ts";
import type { RunSummary, RunTotals } from "../report/types.ts";
import { stopReasonSchema } from "../agent/outcome.ts";
import { executePlan } from "../run/execute-plan.ts";
import { planRun, type RunRequest } from "../run/plan.ts";
import { parseShard } from "../run/shard.ts";
import { UserError } from "../shared/errors.ts";
import { worseOutcome, type Outcome } from "../shared/outcome.ts";
import { loadTasks } from "../task/load.ts";
import { someTasks } from "../run/select.ts";
import { findRepoRoot } from "../workspace/git.ts";
import { createTaskAnnotations, groupedLog, type TaskAnnotations } from "./action-log.ts";
import { JOB_SUMMARY_LIMIT, renderJobSummary } from "./job-summary.ts";
import { mergeRunFolders, refuseRunInputs } from "./action-merge.ts";
import { reportPageNote } from "./action-report-page.ts";
import { describeGitHubError } from "./api-errors.ts";
import { parseBooleanInput, parseBranchPrefix, parseDraft, parsePrLabels, type PullSettings } from "./pull-settings.ts";
import { parseOpenPr } from "./groups.ts";
import { openPullRequests, type PullRequestOutcome } from "./pulls.ts";

/** What the step reports on: a run of tasks, or shards' run folders merged. */
interface Report {
  outDir: string;
  summary: RunSummary;
  outcome: Outcome;
  /** Planned tasks no merged folder holds; they count as failed. */
  missing: string[];
  redact: Redact;
  annotations: TaskAnnotations;
}

/**
 * The GitHub Action: reads and checks every input, runs the tasks as `nanocoder batch` does (or, with
 * `merge`, joins shards' run folders as `nanocoder report merge` does), then writes the job summary, the
 * outputs and annotations, and opens or updates pull requests. The outputs are set whatever happens (zero
 * counts and an empty run-dir before a run), so later steps can rely on them.
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  setOutputs({ runDir: "", succeeded: 0, failed: 0, stopReasons: undefined, costUsd: null, pulls: [], outcome: "", outputs: {} });
  const apiKey = core.getInput("api-key");
  if (apiKey) core.setSecret(apiKey);
  const token = core.getInput("github-token");
  if (token) core.setSecret(token);
  const failOn = core.getInput("fail-on") || "failed";
  if (failOn !== "failed" && failOn !== "never") throw new UserError(`fail-on: expected failed or never, got "${failOn}"`, "E_USAGE");
  const cwd = env.GITHUB_WORKSPACE ?? process.cwd();
  const source = readSource();
  if (source.mode === "merge") refuseRunInputs();
  const pullSettings = await readPullSettings(env, token, cwd);
  const repoRoot = pullSettings ? await requireCheckout(cwd) : undefined;

  const report = source.mode === "merge" ? await mergeFolders(source.patterns, cwd, token) : await runTasks(source.patterns, env, cwd, apiKey, token);
  const { summary, missing, outDir, redact } = report;
  report.annotations.finish();
  const failed = summary.totals.tasks - summary.totals.succeeded + missing.length;
  const stopReasons = summary.totals.stop_reasons;
  const outputs = await structuredOutputs(summary, outDir);
  setOutputs({ runDir: outDir, succeeded: summary.totals.succeeded, failed, stopReasons, costUsd: summary.totals.cost_usd, pulls: [], outcome: report.outcome, outputs });

  // The tasks have run and been paid for: a failure to deliver is reported, never allowed to lose the results.
  let pulls: PullRequestOutcome[] = [];
  const undelivered: string[] = [];
  if (pullSettings && repoRoot) {
    try {
      pulls = await openPullRequests({ ...pullSettings, repoRoot, outDir, summary, log: (line) => core.info(redact(line)) });
    } catch (error) {
      undelivered.push(redact(`pull requests could not be opened: ${describeGitHubError(error)}`));
    }
    for (const pull of pulls) if (pull.error) undelivered.push(redact(`pull request for ${pull.branch}: ${pull.error}`));
  }

  const markdown = await readFile(join(outDir, "report.md"), "utf8");
  // The page's note closes the summary whatever its size, so the report is cut to leave room for it.
  const pageNote = reportPageNote(outDir, summary.report_html, env);
  await core.summary.addRaw(renderJobSummary(markdown, pulls, JOB_SUMMARY_LIMIT - Buffer.byteLength(pageNote)) + pageNote).write();
  const outcome = undelivered.length > 0 ? worseOutcome(report.outcome, "failed") : report.outcome;
  setOutputs({ runDir: outDir, succeeded: summary.totals.succeeded, failed, stopReasons, costUsd: summary.totals.cost_usd, pulls, outcome, outputs });
  // Whatever fail-on says: a provider that failed task after task says nothing of the tasks, and they are to be run again.
  if (report.outcome === "infrastructure") {
    const down = summary.providers_down ?? [];
    const notStarted = down.reduce((sum, entry) => sum + entry.not_started, 0);
    const lines = down.map((entry) => `provider "${entry.provider}" (${entry.base_url}) ${entry.reason}`);
    core.setFailed(redact(`${lines.join("\n")}\n${notStarted} task(s) not started; fix the provider and run the job again`));
  }
  if (failOn === "failed" && failed > 0) {
    const missingNote = missing.length > 0 ? ` (${missing.length} missing from every run folder)` : "";
    core.setFailed(`${failed} of ${summary.totals.tasks + missing.length} task(s) did not succeed${missingNote}`);
  }
  // Whatever fail-on says: a task that succeeded but whose change never reached a pull request is lost work.
  if (undelivered.length > 0) core.setFailed(undelivered.join("\n"));
}

/** The branches are made in the checkout: without one, say so before anything runs. */
async function requireCheckout(cwd: string): Promise<string> {
  return await findRepoRoot(cwd).catch(() => {
    throw new UserError(`open-pr: ${cwd} is not a checkout of the repository, where the branches are made; add actions/checkout before this step, or set open-pr: none`, "E_NOT_GIT");
  });
}

type Source = { mode: "tasks" | "merge"; patterns: string[] };

/** `tasks` runs tasks, `merge` joins run folders: exactly one of them. */
function readSource(): Source {
  const words = (name: string) => core.getMultilineInput(name).flatMap((line) => line.split(/\s+/)).filter(Boolean);
  const tasks = words("tasks");
  const merge = words("merge");
  if (tasks.length > 0 && merge.length > 0) {
    throw new UserError("give tasks (task files to run) or merge (run folders to join), not both: run the tasks in one step and merge in another", "E_USAGE");
  }
  if (merge.length > 0) return { mode: "merge", patterns: merge };
  if (tasks.length === 0) throw new UserError("tasks: give one or more task files or globs, e.g. tasks/*.yaml (or merge: the run folders of shards to join)", "E_USAGE");
  return { mode: "tasks", patterns: tasks };
}

async function mergeFolders(patterns: string[], cwd: string, token: string): Promise<Report> {
  const redact = createRedactor([token].filter((secret) => secret.length > 0));
  const annotations = createTaskAnnotations(redact);
  const merged = await mergeRunFolders(patterns, cwd, optional("out"), annotations);
  const complete = merged.missing.length === 0 && merged.summary.totals.succeeded === merged.summary.totals.tasks;
  return { ...merged, outcome: complete ? "succeeded" : "failed", redact, annotations };
}

async function runTasks(patterns: string[], env: NodeJS.ProcessEnv, cwd: string, apiKey: string, token: string): Promise<Report> {
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
  const preflight = parseBooleanInput(optional("preflight"), "preflight", true);
  // A nightly job whose globs match nothing after a rename must fail, as batch does.
  const tasks = someTasks(await loadTasks(patterns, cwd), patterns);
  const plan = await planRun(tasks, request);
  const redact = createRedactor([...plan.secrets, ...[apiKey, token].filter((secret) => secret.length > 0)]);
  const annotations = createTaskAnnotations(redact);
  core.info(`run ${plan.runId}: ${plan.tasks.length} of ${plan.plannedTasks.length} task(s), concurrency ${concurrency}, policy ${plan.policy.source}`);
  for (const warning of plan.policy.warnings ?? []) core.warning(warning);
  if (plan.sandbox.warning) core.warning(plan.sandbox.warning);
  for (const warning of plan.environmentWarnings) core.warning(warning.replace(/^warning: /, ""));

  const { summary, outcome } = await executePlan(plan, {
    concurrency,
    env: request.env,
    redact,
    signal: new AbortController().signal,
    maxCostUsd: request.maxCostUsd,
    preflight,
    warn: (line) => core.warning(line.replace(/^warning: /, "")),
    observer: { ...groupedLog(redact, annotations), onProviderDown: (down) => core.warning(redact(`provider "${down.provider}" (${down.base_url}) ${down.reason}; no further task using it starts`)) },
  });
  return { outDir: plan.outDir, summary, outcome, missing: [], redact, annotations };
}

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

interface Outputs {
  runDir: string;
  succeeded: number;
  failed: number;
  /** undefined before a run: every reason counts 0. */
  stopReasons: RunTotals["stop_reasons"] | undefined;
  costUsd: number | null;
  pulls: PullRequestOutcome[];
  /** Empty until the tasks have run (main.ts sets it when an error stops the step). */
  outcome: Outcome | "";
  /** The structured answers of the tasks that have one, by task id. */
  outputs: Record<string, unknown>;
}

/** Each succeeded task's structured answer: from summary.json, or from its output.json when too large to be there. */
async function structuredOutputs(summary: RunSummary, outDir: string): Promise<Record<string, unknown>> {
  const answered = summary.tasks.filter((task) => task.output_file !== undefined);
  const values = await Promise.all(answered.map(async (task): Promise<unknown> => {
    if ("output" in task) return task.output;
    return JSON.parse(await readFile(join(outDir, task.output_file ?? ""), "utf8"));
  }));
  return Object.fromEntries(answered.map((task, index) => [task.id, values[index]]));
}

function setOutputs(values: Outputs): void {
  core.setOutput("run-dir", values.runDir);
  core.setOutput("outcome", values.outcome);
  core.setOutput("succeeded", values.succeeded);
  core.setOutput("failed", values.failed);
  core.setOutput("stop-reasons", JSON.stringify(values.stopReasons ?? Object.fromEntries(stopReasonSchema.options.map((reason) => [reason, 0]))));
  core.setOutput("total-cost-usd", values.costUsd === null ? "" : String(values.costUsd));
  core.setOutput("outputs", JSON.stringify(values.outputs));
  // Every pull request that holds this run's change, its description updated or not; not those left as they were.
  core.setOutput("pr-urls", JSON.stringify(values.pulls.flatMap((pull) => (pull.action === "left" ? [] : (pull.url ?? [])))));
}

function optional(name: string): string | undefined {
  const value = core.getInput(name);
  return value === "" ? undefined : value;
}
