import { minimatch } from "minimatch";
import { resolve } from "node:path";
import type { Task } from "../task/schema.ts";
import { git, gitCommand, gitScript } from "../workspace/git.ts";

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
  return splitNames(`${tracked}\0${untracked}`);
}

/**
 * The files the staged changes add or modify, relative to the repository root: the index against HEAD
 * (every staged file before the first commit). A renamed file counts under its new name; a deleted one is
 * left out, there being nothing of it for a task to read. In a git hook, GIT_INDEX_FILE names the index being
 * committed (a temporary one for `git commit -a` or `git commit <path>`), relative to the top of the
 * repository, where git runs hooks; the index is only read.
 */
export async function stagedFiles(repoRoot: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const index: Record<string, string> = env.GIT_INDEX_FILE ? { GIT_INDEX_FILE: resolve(repoRoot, env.GIT_INDEX_FILE) } : {};
  const head = await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], repoRoot).then((id) => id.trim(), () => undefined);
  const args = head
    ? ["diff-index", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=d", head]
    : ["ls-files", "--cached", "-z"];
  return splitNames((await gitScript(gitCommand(args, index), repoRoot, "git: the staged files")).toString("utf8"));
}

function splitNames(text: string): string[] {
  return [...new Set(text.split("\0").filter((name) => name !== ""))].sort();
}
