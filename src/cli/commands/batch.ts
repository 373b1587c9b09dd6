import { defineCommand } from "citty";
import { join, relative, resolve, sep } from "node:path";
import { parseBranchPrefix, parsePrLabels } from "../../github/pull-settings.ts";
import { openPullRequests, parseOpenPr, type OpenPrMode } from "../../github/pulls.ts";
import type { RunSummary } from "../../report/types.ts";
import { applyPatches } from "../../run/apply.ts";
import { DEFAULT_RUNS_DIR } from "../../run/plan.ts";
import { changedSince, selectByChangedFiles } from "../../run/select.ts";
import { loadTasks } from "../../task/load.ts";
import type { Task } from "../../task/schema.ts";
import { UserError } from "../../shared/errors.ts";
import { findRepoRoot } from "../../workspace/git.ts";
import { rejectUnknownFlags, runArgs } from "../args.ts";
import { executeTasks } from "../execute.ts";

const batchArgs = {
  ...runArgs,
  apply: { type: "boolean", description: "Apply the patches of succeeded tasks to the working tree at the end, all or none" },
  "open-pr": { type: "string", description: "none, per-task or combined: push branches and open pull requests (needs GITHUB_TOKEN and GITHUB_REPOSITORY)", valueHint: "MODE" },
  "base-branch": { type: "string", description: "Branch the pull requests target (default the repository's default branch)", valueHint: "BRANCH" },
  "branch-prefix": { type: "string", description: "With --open-pr: prefix of the branches nanocoder creates and may overwrite (default nanocoder/)", valueHint: "PREFIX" },
  "pr-labels": { type: "string", description: "With --open-pr: labels for the pull requests, separated by commas", valueHint: "A,B" },
  "pr-draft": { type: "boolean", description: "With --open-pr: open the pull requests as drafts" },
  changed: { type: "string", description: "Run only the tasks whose `files` match a file changed since REF (file names after -- work the same way)", valueHint: "REF" },
} as const;

export default defineCommand({
  meta: { name: "batch", description: "Run every task in the given files or globs, in parallel, each in its own git worktree" },
  args: {
    tasks: { type: "positional", description: "Task files or globs (tasks/*.yaml)", required: false },
    ...batchArgs,
  },
  async run({ args, rawArgs }) {
    rejectUnknownFlags(rawArgs, batchArgs);
    if (args._.length === 0) throw new UserError("batch: give one or more task files or globs, e.g. nanocoder batch tasks/*.yaml", "E_USAGE");
    const openPr = args["open-pr"] === undefined ? "none" : parseOpenPr(args["open-pr"]);
    const { GITHUB_TOKEN: token, GITHUB_REPOSITORY: repository } = process.env;
    const pullRequests = await pullRequestSettings(args, openPr);
    if (pullRequests && (!token || !repository)) throw new UserError("--open-pr needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name) in the environment", "E_USAGE");
    const { patterns, files } = splitFileNames(args._, rawArgs);
    const tasks = await selectTasks(await loadTasks(patterns, process.cwd()), files, args.changed);
    if (tasks.length === 0) {
      process.stderr.write("no task's `files` match the changed files; nothing to run\n");
      return;
    }
    const summary = await executeTasks(tasks, args);
    if (!args.apply && !pullRequests) return;
    const repoRoot = await findRepoRoot(process.cwd());
    const outDir = runFolder(summary, args.out, repoRoot);
    if (args.apply) {
      const { applied } = await applyPatches(repoRoot, outDir, summary);
      process.stderr.write(applied.length > 0 ? `applied the patches of ${applied.join(", ")}\n` : "no patch to apply\n");
    }
    if (pullRequests && token && repository) {
      const pulls = await openPullRequests({
        repoRoot, outDir, summary, repository, token, ...pullRequests,
        apiUrl: process.env.GITHUB_API_URL ?? "https://api.github.com",
        baseBranch: args["base-branch"],
        log: (line) => process.stderr.write(`${line}\n`),
      });
      if (pulls.some((pull) => pull.error)) process.exitCode = 1;
    }
  },
});

const PULL_REQUEST_FLAGS = ["branch-prefix", "pr-labels", "pr-draft", "base-branch"] as const;

interface PullRequestFlags {
  "base-branch"?: string;
  "branch-prefix"?: string;
  "pr-labels"?: string;
  "pr-draft"?: boolean;
}

interface PullRequestSettings {
  mode: Exclude<OpenPrMode, "none">;
  branchPrefix: string;
  labels: string[];
  draft: boolean;
}

/** Checked before any task runs. Undefined with --open-pr none, where the pull-request flags would silently do nothing. */
async function pullRequestSettings(args: PullRequestFlags, mode: OpenPrMode): Promise<PullRequestSettings | undefined> {
  if (mode === "none") {
    const given = PULL_REQUEST_FLAGS.find((flag) => args[flag] !== undefined);
    if (given) throw new UserError(`--${given} only applies to pull requests: add --open-pr per-task or --open-pr combined, or drop --${given}`, "E_USAGE");
    return undefined;
  }
  return {
    mode,
    branchPrefix: await parseBranchPrefix(args["branch-prefix"], "--branch-prefix"),
    labels: parsePrLabels(args["pr-labels"], "--pr-labels"),
    draft: args["pr-draft"] === true,
  };
}

/** Task patterns come before `--`; file names after it (as the pre-commit framework passes them). */
function splitFileNames(positionals: string[], rawArgs: string[]): { patterns: string[]; files: string[] | undefined } {
  const dash = rawArgs.indexOf("--");
  if (dash < 0) return { patterns: positionals, files: undefined };
  const files = rawArgs.slice(dash + 1);
  return { patterns: positionals.slice(0, positionals.length - files.length), files };
}

/** With changed files (after -- or from --changed REF), only the tasks about them; otherwise every task. */
async function selectTasks(tasks: Task[], files: string[] | undefined, changedRef: string | undefined): Promise<Task[]> {
  if (files === undefined && changedRef === undefined) return tasks;
  const repoRoot = await findRepoRoot(process.cwd());
  const given = (files ?? []).map((file) => relative(repoRoot, resolve(process.cwd(), file)).split(sep).join("/"));
  const changed = changedRef === undefined ? given : [...given, ...(await changedSince(repoRoot, changedRef))];
  return selectByChangedFiles(tasks, changed);
}

/** Where planRun put the run folder. */
function runFolder(summary: RunSummary, out: string | undefined, repoRoot: string): string {
  return out ? resolve(process.cwd(), out) : join(repoRoot, DEFAULT_RUNS_DIR, summary.run_id);
}
