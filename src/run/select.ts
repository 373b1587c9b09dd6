import { minimatch } from "minimatch";
import type { Task } from "../task/schema.ts";
import { git } from "../workspace/git.ts";

/**
 * The tasks a set of changed files concerns: those whose `files` globs match at least one of them,
 * each carrying the files it matched. Tasks without `files` are not about particular files and do not run.
 */
export function selectByChangedFiles(tasks: Task[], changed: string[]): Task[] {
  return tasks.flatMap((task) => {
    const matched = changed.filter((file) => (task.files ?? []).some((pattern) => minimatch(file, pattern, { dot: true })));
    return matched.length > 0 ? [{ ...task, changedFiles: matched }] : [];
  });
}

/** Files that differ between `ref` and the working tree, plus untracked ones, relative to the repository root. */
export async function changedSince(repoRoot: string, ref: string): Promise<string[]> {
  const tracked = await git(["diff", "--name-only", "-z", ref], repoRoot);
  const untracked = await git(["ls-files", "--others", "--exclude-standard", "-z"], repoRoot);
  return [...new Set(`${tracked}\0${untracked}`.split("\0").filter((name) => name !== ""))].sort();
}
