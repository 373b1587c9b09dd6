import type { getOctokit } from "@actions/github";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { escapeHtml, formatCost, formatDuration, plural } from "../report/format.ts";
import { fenceFor, tailHeading, tailLines } from "../report/failed-check.ts";
import { reasonOf } from "../report/junit.ts";
import type { CheckOutcome, RunSummary, TaskResult } from "../report/types.ts";
import { UserError } from "../shared/errors.ts";
import { describeGitHubError } from "./api-errors.ts";
import { commitPatches, RUN_TRAILER } from "./branch-commit.ts";
import { requireOwnBranch } from "./branch-ownership.ts";
import { git, gitSucceeds } from "../workspace/git.ts";
import { pushAuthEnv } from "./push-auth.ts";
import { findLeftPulls, type Unchanged } from "./stale-pulls.ts";

export type OpenPrMode = "none" | "per-task" | "combined";

export const COMBINED_BRANCH = "batch";

export interface PullRequestOptions {
  repoRoot: string;
  /** The run folder: patches are read from it. */
  outDir: string;
  summary: RunSummary;
  mode: Exclude<OpenPrMode, "none">;
  /** `owner/name`. */
  repository: string;
  token: string;
  apiUrl: string;
  /** Default: the repository's default branch. */
  baseBranch?: string;
  branchPrefix: string;
  labels: string[];
  draft: boolean;
  remote?: string;
  log(line: string): void;
}

export interface PullRequestOutcome {
  /** The tasks in the pull request. */
  tasks: string[];
  branch: string;
  url?: string;
  number?: number;
  /** left: an open pull request of an earlier run, which this run had no change for. */
  action?: "opened" | "updated" | "left";
  /** Why no pull request was opened or updated, or what of it failed (with url: the pull request is there). */
  error?: string;
  /** Why a pull request was left as it was. */
  reason?: string;
}

export function parseOpenPr(value: string | undefined, name = "--open-pr"): OpenPrMode {
  const mode = value === undefined || value === "" ? "per-task" : value;
  if (mode === "none" || mode === "per-task" || mode === "combined") return mode;
  throw new UserError(`${name}: expected none, per-task or combined, got "${value}"`, "E_USAGE");
}

/**
 * For each succeeded task with a change (or for all of them together): a branch, a commit carrying the
 * run's trailers, a push to the remote and a pull request, opened or, when one is open from the branch, updated.
 */
export async function openPullRequests(options: PullRequestOptions): Promise<PullRequestOutcome[]> {
  const [owner, repo] = options.repository.split("/");
  if (!owner || !repo) throw new UserError(`GITHUB_REPOSITORY: expected owner/name, got "${options.repository}"`, "E_USAGE");
  await requireBaseCommit(options.summary, options.repoRoot);
  // Imported here, not at the top: `nanocoder batch` loads this module, and the GitHub client is ~1 MB of code.
  const { getOctokit: connect } = await import("@actions/github");
  const octokit = connect(options.token, { baseUrl: options.apiUrl });
  const baseBranch = options.baseBranch || (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
  const changed = [];
  const unchanged: Unchanged[] = [];
  const outcomes: PullRequestOutcome[] = [];
  for (const task of options.summary.tasks) {
    if (task.status !== "succeeded") {
      unchanged.push({ task: task.id, reason: `the task did not succeed (${task.status})` });
      continue;
    }
    if ((await patchSize(options.outDir, task)) === 0) {
      unchanged.push({ task: task.id, reason: "the task produced no change" });
      continue;
    }
    if (!task.patch_has_secret) {
      changed.push(task);
      continue;
    }
    const error = `not pushed: the patch holds a secret's value; review ${task.patch} before taking it`;
    options.log(`${task.id}: ${error}`);
    outcomes.push({ tasks: [task.id], branch: `${options.branchPrefix}${task.id}`, error });
  }
  const groups = options.mode === "combined" ? (changed.length > 0 ? [changed] : []) : changed.map((task) => [task]);
  for (const tasks of groups) {
    const branch = `${options.branchPrefix}${options.mode === "combined" ? COMBINED_BRANCH : (tasks[0]?.id ?? "")}`;
    const outcome: PullRequestOutcome = await deliver(tasks, branch, baseBranch, { ...options, owner, repo, octokit }).catch((error: unknown) => ({
      tasks: tasks.map((task) => task.id),
      branch,
      error: describeGitHubError(error),
    }));
    options.log(outcome.error ? `pull request for ${branch}: ${outcome.error}` : `${outcome.action} ${outcome.url}`);
    outcomes.push(outcome);
  }
  const left = options.mode === "per-task"
    ? unchanged.map(({ task, reason }) => ({ tasks: [task], branch: `${options.branchPrefix}${task}`, reason }))
    : groups.length === 0 && unchanged.length > 0
      ? [{ tasks: unchanged.map(({ task }) => task), branch: `${options.branchPrefix}${COMBINED_BRANCH}`, reason: "no task produced a change" }]
      : [];
  outcomes.push(...(await findLeftPulls(left, { ...options, owner, repo, octokit })));
  return outcomes;
}

export type Octokit = ReturnType<typeof getOctokit>;
export type Context = PullRequestOptions & { owner: string; repo: string; octokit: Octokit };

async function deliver(tasks: TaskResult[], branch: string, baseBranch: string, context: Context): Promise<PullRequestOutcome> {
  const remote = context.remote ?? "origin";
  const ids = tasks.map((task) => task.id);
  if (branch === baseBranch || branch === "") throw new Error(`refusing to push to the base branch ${baseBranch}`);
  const auth = await pushAuthEnv(context.repoRoot, context.token);
  const seen = await requireOwnBranch(context.repoRoot, remote, branch, auth, context.summary.base);
  const commit = await commitPatches(tasks, context.summary, context.repoRoot, context.outDir);
  // Replaced only if it is still the commit checked above (or still absent): a push in between is kept.
  const lease = `--force-with-lease=refs/heads/${branch}:${seen ?? ""}`;
  await git(["push", lease, remote, `${commit}:refs/heads/${branch}`], context.repoRoot, auth);

  const { octokit, owner, repo } = context;
  const title = tasks.length === 1 && tasks[0] ? `nanocoder: ${tasks[0].title ?? tasks[0].id}` : `nanocoder: ${tasks.length} tasks`;
  const body = pullRequestBody(tasks, context.summary);
  const open = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "open" });
  const existing = open.data[0];
  if (!existing) {
    const pull = (await octokit.rest.pulls.create({ owner, repo, head: branch, base: baseBranch, title, body, draft: context.draft })).data;
    return await addLabels({ tasks: ids, branch, url: pull.html_url, number: pull.number, action: "opened" }, context);
  }
  // The branch is pushed: from here on the pull request holds the new commit, whatever else fails.
  const updated: PullRequestOutcome = { tasks: ids, branch, url: existing.html_url, number: existing.number, action: "updated" };
  const refused = await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title, body }).then(() => undefined, describeGitHubError);
  if (refused !== undefined) {
    return { ...updated, error: `the branch was updated, but the description of pull request #${existing.number} was not (it still describes an earlier run): ${refused}` };
  }
  return await addLabels(updated, context);
}

/** The labels, on a pull request that is there whether or not they can be added. */
async function addLabels(outcome: PullRequestOutcome, { octokit, owner, repo, labels }: Context): Promise<PullRequestOutcome> {
  if (labels.length === 0 || outcome.number === undefined) return outcome;
  const refused = await octokit.rest.issues.addLabels({ owner, repo, issue_number: outcome.number, labels }).then(() => undefined, describeGitHubError);
  return refused === undefined ? outcome : { ...outcome, error: `pull request #${outcome.number} was ${outcome.action ?? "opened"}, but its labels could not be added: ${refused}` };
}

/** The branches are made on the run's base commit, which a checkout of another commit (or a shallow one) may lack. */
async function requireBaseCommit(summary: RunSummary, repoRoot: string): Promise<void> {
  if (await gitSucceeds(["cat-file", "-e", `${summary.base}^{commit}`], repoRoot)) return;
  throw new UserError(
    `the run started from commit ${summary.base.slice(0, 12)}, which the repository at ${repoRoot} does not hold: open the pull requests from a checkout of that commit (in a workflow, actions/checkout of the commit the run used)`,
    "E_BAD_BASE",
  );
}

function pullRequestBody(tasks: TaskResult[], summary: RunSummary): string {
  const sections = tasks.map((task) => {
    const checks = task.checks.length === 0
      ? ["- no checks"]
      : task.checks.map((check) => `- ${check.passed ? "✔" : "✖"} \`${check.name}\` (${formatDuration(check.duration_ms)})`);
    // What failed before the retries that made the checks pass: the reviewer sees what the model fixed.
    const failedRuns = [
      ...(task.earlier_checks ?? []).filter((check) => !check.passed),
      ...task.checks.filter((check) => !check.passed).map((check) => ({ ...check, attempt: task.attempts })),
    ];
    const denials = task.denied_calls.length === 0
      ? []
      : ["", `Policy denials (${task.denials}):`, "", ...task.denied_calls.map((call) => `- ${call.tool} \`${call.subject.replace(/`/g, "'")}\`: ${call.reason} (rule \`${call.rule}\`)`)];
    return [
      `### ${task.id}${task.title ? `: ${task.title}` : ""}`,
      "",
      `Status **${task.status}**${task.status === "succeeded" ? "" : ` (${task.stop_reason}: ${reasonOf(task)})`} · ${task.provider}/${task.model} · ${plural(task.turns, "turn")} · cost ${formatCost(task.cost_usd)} · ${task.files_changed.length} file(s) changed`,
      "",
      "Checks:",
      "",
      ...checks,
      ...failedRuns.flatMap((check) => renderFailedRun(check)),
      ...denials,
      ...(task.final_message ? ["", "<details><summary>The model's last answer</summary>", "", task.final_message.trim(), "", "</details>"] : []),
    ].join("\n");
  });
  return [
    `Opened by nanocoder batch, run \`${summary.run_id}\` from \`${summary.base.slice(0, 12)}\`.`,
    "",
    ...sections,
    "",
    `${RUN_TRAILER}: ${summary.run_id}`,
  ].join("\n");
}

/** A failed check run, folded: its last lines, from the log in the run folder (the workflow's artifact). */
function renderFailedRun(check: CheckOutcome & { attempt: number }): string[] {
  const tail = tailLines(check).join("\n");
  const fence = fenceFor(tail);
  const name = check.name.replace(/\s+/g, " ").replace(/`/g, "'");
  return [
    "",
    `<details><summary>Attempt ${check.attempt}: <code>${escapeHtml(name)}</code> ${check.timed_out ? "timed out" : `failed (exit code ${String(check.exit_code)})`}</summary>`,
    "",
    tailHeading(check, `\`${check.log}\``),
    "",
    `${fence}text`,
    tail,
    fence,
    "",
    "</details>",
  ];
}

async function patchSize(outDir: string, task: TaskResult): Promise<number> {
  return (await stat(join(outDir, task.patch)).catch(() => undefined))?.size ?? 0;
}
