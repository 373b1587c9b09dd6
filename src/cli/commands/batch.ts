import { defineCommand } from "citty";
import { resolve } from "node:path";
import { pullSettingsFromFlags } from "../../github/pull-settings.ts";
import { deliverPullRequests } from "../../github/cli-delivery.ts";
import type { TaskSelection } from "../../report/types.ts";
import { runFolder } from "../../run/plan.ts";
import { readRunFolder } from "../../run/manifest.ts";
import { chooseTasks, parseLimit, selectByChanges, someTasks } from "../../run/select.ts";
import { loadTasks } from "../../task/load.ts";
import type { Task } from "../../task/schema.ts";
import { repositoryFiles, type RepositoryFiles } from "../../task/tree.ts";
import { UserError } from "../../shared/errors.ts";
import { worseOutcome, type Outcome } from "../../shared/outcome.ts";
import { findRepoRoot } from "../../workspace/git.ts";
import { batchOnlyArgs, pullRequestArgs, rejectUnknownFlags, repeatedValues, runArgs, selectionArgs, splitFileNames } from "../args.ts";
import { executeTasks } from "../execute.ts";

const batchArgs = {
  ...runArgs,
  ...batchOnlyArgs,
  ...selectionArgs,
  apply: { type: "boolean", description: "Apply the patches of succeeded tasks to the working tree at the end, all or none" },
  ...pullRequestArgs,
  changed: { type: "string", description: "Run only the tasks whose `files` (for a for_each task, its own files) match a file changed since REF (file names after -- work the same way; with --staged, a -- with no names after it stands for the staged files)", valueHint: "REF" },
} as const;

export default defineCommand({
  meta: { name: "batch", description: "Run every task in the given files or globs, in parallel, each in its own git worktree" },
  args: {
    tasks: { type: "positional", description: "Task files or globs (tasks/*.yaml)", required: false },
    ...batchArgs,
  },
  async run({ args, rawArgs }): Promise<Outcome> {
    rejectUnknownFlags(rawArgs, batchArgs);
    if (args._.length === 0) throw new UserError("batch: give one or more task files or globs, e.g. nanocoder batch tasks/*.yaml", "E_USAGE");
    const pullSettings = await pullSettingsFromFlags(args, process.env);
    if (pullSettings && args.staged) {
      throw new UserError("--staged runs on changes not yet committed, which a pull request would carry in a commit of nanocoder's: commit them first and drop --staged, or drop --open-pr", "E_USAGE");
    }
    const { patterns, files } = splitFileNames(args._, rawArgs);
    if (patterns.length === 0) {
      throw new UserError("batch: give the task files or globs before `--`; the names after it are changed files, e.g. nanocoder batch tasks/*.yaml -- src/a.ts", "E_USAGE");
    }
    const limit = parseLimit(args.limit);
    const loaded = someTasks(await loadTasks(patterns, process.cwd(), { files: await filesToExpand(args) }), patterns);
    const labels = repeatedValues(rawArgs, "label");
    const only = repeatedValues(rawArgs, "only");
    const chosen = chooseTasks(loaded, { labels, only });
    const selected = await selectByChanges(chosen, { files, changedRef: args.changed, staged: args.staged === true });
    const tasks = limit === undefined ? selected : selected.slice(0, limit);
    // Only changed files can leave none (a --label or --only that takes nothing is an error): a commit that
    // touches no task's files is fine.
    if (tasks.length === 0) {
      process.stderr.write("no task's `files` match the changed files; nothing to run\n");
      return "succeeded";
    }
    const selection = describeSelection(loaded, tasks, { labels, only, limit, files, changedRef: args.changed });
    const { summary, outcome } = await executeTasks(tasks, args, { selection, apply: args.apply === true });
    if (!pullSettings) return outcome;
    const repoRoot = await findRepoRoot(process.cwd());
    const outDir = runFolder(summary, args.out, repoRoot);
    const delivered = await deliverPullRequests({ ...pullSettings, repoRoot, outDir, summary, log: (line) => process.stderr.write(`${line}\n`) });
    return delivered ? outcome : worseOutcome(outcome, "failed");
  },
});

/**
 * The files `for_each` globs are matched against: those of the commit the tasks start from (--base, else
 * HEAD), the staged files with --staged, and the earlier run's base with --resume, so its ids come back.
 */
async function filesToExpand(args: { base?: string; staged?: boolean; resume?: string; out?: string }): Promise<RepositoryFiles> {
  if (args.staged) return repositoryFiles(process.cwd(), undefined, process.env);
  // With --out or --base, --resume is refused while planning, with the fix: not read here first.
  if (args.resume !== undefined && args.base === undefined && args.out === undefined) {
    const earlier = await readRunFolder(resolve(process.cwd(), args.resume), args.resume);
    return repositoryFiles(process.cwd(), earlier.base);
  }
  return repositoryFiles(process.cwd(), args.base ?? "HEAD");
}

/**
 * What chose the run's tasks among those of its task files, for summary.json: grouped pull requests hold the
 * whole of their group (src/github/groups.ts findPartialGroups), from this run or from its folder merged.
 */
function describeSelection(
  loaded: readonly Task[],
  tasks: readonly Task[],
  { labels, only, limit, files, changedRef }: { labels: string[]; only: string[]; limit: number | undefined; files: string[] | undefined; changedRef: string | undefined },
): TaskSelection | undefined {
  const by = [
    labels.length > 0 ? `--label ${labels.join(",")}` : "",
    only.length > 0 ? `--only ${only.join(",")}` : "",
    changedRef !== undefined ? `--changed ${changedRef}` : "",
    files !== undefined ? "the changed files after --" : "",
    limit !== undefined ? `--limit ${limit}` : "",
  ].filter(Boolean);
  const ran = new Set(tasks.map((task) => task.id));
  const left = loaded.filter((task) => !ran.has(task.id)).map((task) => ({ id: task.id, task_file: task.source.file, labels: task.labels }));
  return by.length > 0 ? { by, labels, left } : undefined;
}
