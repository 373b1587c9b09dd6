import type { getOctokit } from "@actions/github";
import { stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { reasonOf } from "../report/junit.ts";
import type { RunSummary, TaskResult } from "../report/types.ts";
import { describeOverlaps, findOverlaps } from "../run/patch-series.ts";
import { UserError } from "../shared/errors.ts";
import { git, gitSucceeds } from "../workspace/git.ts";
import { describeGitHubError } from "./api-errors.ts";
import { commitPatches } from "./branch-commit.ts";
import { requireOwnBranch } from "./branch-ownership.ts";
import { findPartialGroups, groupTasks, groupTitle, type OpenPrMode, type TaskGroup } from "./groups.ts";
import { fitTitle, pullRequestBody, type PullBodyInput } from "./pull-body.ts";
import { pushAuthEnv } from "./push-auth.ts";
import { findLeftPulls, type Unchanged } from "./stale-pulls.ts";

export interface PullRequestOptions {
  repoRoot: string;
  /** The run folder: patches are read from it. */
  outDir: string;
  summary: RunSummary;
  /** per-task, or combined for the whole run (`combined`), per task file or per label. */
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

/**
 * For each group of tasks (one task, a task file, a label, the whole run): of its succeeded tasks with a change,
 * a branch, a commit carrying the run's trailers, a push to the remote and a pull request, opened or, when one
 * is open from the branch, updated. Each group is delivered on its own: one that fails holds back no other.
 */
export async function openPullRequests(options: PullRequestOptions): Promise<PullRequestOutcome[]> {
  const [owner, repo] = options.repository.split("/");
  if (!owner || !repo) throw new UserError(`GITHUB_REPOSITORY: expected owner/name, got "${options.repository}"`, "E_USAGE");
  await requireBaseCommit(options.summary, options.repoRoot);
  // Imported here, not at the top: `nanocoder batch` loads this module, and the GitHub client is ~1 MB of code.
  const { getOctokit: connect } = await import("@actions/github");
  const octokit = connect(options.token, { baseUrl: options.apiUrl });
  const context: Context = { ...options, owner, repo, octokit };
  const baseBranch = options.baseBranch || (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
  const outcomes: PullRequestOutcome[] = [];
  const quiet: { tasks: string[]; branch: string; reason: string }[] = [];
  // task_file is as named where the run started, which `batch` (and a merge started there) shares.
  const fileInRepo = (file: string) => relative(options.repoRoot, resolve(file)).split(sep).join("/");
  const { selection, shard, missing_tasks: missing } = options.summary;
  const grouping = { fileInRepo, labels: selection?.labels };
  const groups = groupTasks(options.summary.tasks, options.mode, options.branchPrefix, grouping);
  const partial = findPartialGroups(groups, options.mode, options.branchPrefix, { ...grouping, shard, selection, missing });
  for (const group of groups) {
    const whyPartial = partial.get(group.branch);
    if (whyPartial !== undefined) {
      const error = `not opened or updated: ${whyPartial}`;
      options.log(`pull request for ${group.branch}: ${error}`);
      outcomes.push({ tasks: group.tasks.map((task) => task.id), branch: group.branch, error });
      continue;
    }
    const changed: TaskResult[] = [];
    const unchanged: Unchanged[] = [];
    const secret: Unchanged[] = [];
    for (const task of group.tasks) {
      const why = await whyNotDelivered(task, options.outDir);
      if (why === undefined) changed.push(task);
      else if (why !== SECRET) unchanged.push({ task: task.id, reason: why });
      else {
        const error = `not pushed: the patch holds a secret's value; review ${task.patch} before taking it`;
        options.log(`${task.id}: ${error}`);
        outcomes.push({ tasks: [task.id], branch: group.branch, error });
        secret.push({ task: task.id, reason: "its patch holds a secret's value, which is never pushed" });
      }
    }
    if (changed.length === 0) {
      const [one] = unchanged;
      if (one) quiet.push({ tasks: unchanged.map(({ task }) => task), branch: group.branch, reason: group.scope.kind === "task" ? one.reason : "no task produced a change" });
      continue;
    }
    // The reviewer's view of the group's other tasks: why each one that failed did.
    const failures = new Map(group.tasks.filter((task) => task.status !== "succeeded").map((task) => [task.id, `did not succeed (${task.stop_reason}): ${reasonOf(task)}`]));
    const notIncluded = [...unchanged, ...secret].map(({ task, reason }) => ({ id: task, reason: failures.get(task) ?? reason }));
    const delivered = await deliver({ ...group, tasks: changed }, notIncluded, baseBranch, context).catch((error: unknown): PullRequestOutcome[] => [{
      tasks: changed.map((task) => task.id),
      branch: group.branch,
      error: describeGitHubError(error),
    }]);
    for (const outcome of delivered) options.log(outcome.error ? `pull request for ${outcome.branch}: ${outcome.error}` : `${outcome.action} ${outcome.url}`);
    outcomes.push(...delivered);
  }
  outcomes.push(...(await findLeftPulls(quiet, context)));
  return outcomes;
}

const SECRET = Symbol("secret");

/** Why a task has nothing for a pull request; undefined when it has a change to deliver. */
async function whyNotDelivered(task: TaskResult, outDir: string): Promise<string | typeof SECRET | undefined> {
  if (task.status !== "succeeded") return `the task did not succeed (${task.status})`;
  if ((await patchSize(outDir, task)) === 0) return "the task produced no change";
  return task.patch_has_secret ? SECRET : undefined;
}

export type Octokit = ReturnType<typeof getOctokit>;
export type Context = PullRequestOptions & { owner: string; repo: string; octokit: Octokit };

/** One group's pull request; a task whose patch conflicts with the ones before it is left out of it, and named. */
async function deliver(group: TaskGroup, notIncluded: PullBodyInput["notIncluded"], baseBranch: string, context: Context): Promise<PullRequestOutcome[]> {
  const { branch } = group;
  const remote = context.remote ?? "origin";
  if (branch === baseBranch || branch === "") throw new Error(`refusing to push to the base branch ${baseBranch}`);
  // Said before any git work: with many tasks, a reviewer and the log learn of shared files first.
  const overlaps = findOverlaps(group.tasks.map((task) => ({ id: task.id, files: task.files_changed })));
  if (overlaps.length > 0) context.log(`${branch}: ${overlaps.length} file(s) changed by more than one task (${overlaps.slice(0, 3).map((overlap) => `${overlap.file}: ${overlap.tasks.join(", ")}`).join("; ")}${overlaps.length > 3 ? "; …" : ""})`);
  const auth = await pushAuthEnv(context.repoRoot, context.token);
  const seen = await requireOwnBranch(context.repoRoot, remote, branch, auth, context.summary.base);
  const made = await commitPatches(group.tasks, context.summary, context.repoRoot, context.outDir);
  // Replaced only if it is still the commit checked above (or still absent): a push in between is kept.
  const lease = `--force-with-lease=refs/heads/${branch}:${seen ?? ""}`;
  await git(["push", lease, remote, `${made.commit}:refs/heads/${branch}`], context.repoRoot, auth);

  const { octokit, owner, repo } = context;
  const ids = made.tasks.map((task) => task.id);
  const title = fitTitle(groupTitle(group.scope, made.tasks));
  const body = pullRequestBody({
    scope: group.scope,
    tasks: made.tasks,
    notIncluded: [...made.leftOut.map(({ id, reason }) => ({ id, reason: `left out: the patch ${reason}` })), ...notIncluded],
    overlaps: describeOverlaps(overlaps, made.applied, made.leftOut),
  }, context.summary);
  const open = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "open" });
  const existing = open.data[0];
  let outcome: PullRequestOutcome;
  if (!existing) {
    const pull = (await octokit.rest.pulls.create({ owner, repo, head: branch, base: baseBranch, title, body, draft: context.draft })).data;
    outcome = await addLabels({ tasks: ids, branch, url: pull.html_url, number: pull.number, action: "opened" }, context);
  } else {
    // The branch is pushed: from here on the pull request holds the new commit, whatever else fails.
    const updated: PullRequestOutcome = { tasks: ids, branch, url: existing.html_url, number: existing.number, action: "updated" };
    const refused = await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title, body }).then(() => undefined, describeGitHubError);
    outcome = refused === undefined
      ? await addLabels(updated, context)
      : { ...updated, error: `the branch was updated, but the description of pull request #${existing.number} was not (it still describes an earlier run): ${refused}` };
  }
  // A succeeded task whose change reached no pull request is not delivered: said as such, with why.
  const leftOut = made.leftOut.map(({ id, reason }): PullRequestOutcome => ({
    tasks: [id],
    branch,
    error: `left out of pull request #${outcome.number ?? ""} (${outcome.url ?? branch}): the patch ${reason}`,
  }));
  return [outcome, ...leftOut];
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

async function patchSize(outDir: string, task: TaskResult): Promise<number> {
  return (await stat(join(outDir, task.patch)).catch(() => undefined))?.size ?? 0;
}
