import { lstat, realpath, rm } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { git } from "./git.ts";
import { ownGitArgs, type Worktree } from "./worktree.ts";

/** A path of the worktree that differs from the base commit. */
export interface WorktreeChange {
  /** Workspace-relative, `/`-separated, as git names it: never through a symlink. */
  path: string;
  /** In the base commit (changed, deleted, its mode or type changed), or new (untracked or ignored). */
  tracked: boolean;
  /** New and ignored by git: it never reaches a patch. */
  ignored?: boolean;
}

/**
 * Every path of the worktree that differs from the base: tracked files changed, deleted or changed in mode or
 * type, and every new file or link, ignored ones included, file by file. git's own view: tracked files are
 * compared by their stat data against nanocoder's index (which holds the base), so no content is read but
 * what changed. `leaveOut`: paths never looked at (linked dependency folders). `within`: only these paths
 * (worktree-relative files or folders, each with all it holds), else the whole worktree. Folders holding a
 * repository of their own are not listed.
 */
export async function changedPaths(worktree: Worktree, leaveOut: readonly string[] = [], within?: readonly string[]): Promise<WorktreeChange[]> {
  if (within?.length === 0) return [];
  const excludes = leaveOut.map((path) => `:(exclude,literal)${path}`);
  const includes = within?.map((path) => (path === "" ? "." : `:(literal)${path}`)) ?? ["."];
  const pathspec = within !== undefined || excludes.length > 0 ? ["--", ...includes, ...excludes] : [];
  const status = ["status", "--porcelain=v2", "-z", "--untracked-files=all", "--ignored=traditional", "--no-renames", ...pathspec];
  // Run once per command: git itself, without a shell in between.
  const { args, env } = ownGitArgs(worktree, status);
  const output = await git(args, worktree.dir, env);
  const changes: WorktreeChange[] = [];
  for (const record of output.split("\0")) {
    if (record.startsWith("1 ")) {
      // `1 XY sub mH mI mW hH hI path`: the path is the ninth field and may hold spaces.
      const path = record.split(" ").slice(8).join(" ");
      if (record[3] !== ".") changes.push({ path, tracked: true });
    } else if (record.startsWith("? ") || record.startsWith("! ")) {
      const path = record.slice(2);
      if (!path.endsWith("/")) changes.push({ path, tracked: false, ...(record.startsWith("!") ? { ignored: true } : {}) });
    } else if (record.startsWith("u ")) {
      changes.push({ path: record.split(" ").slice(10).join(" "), tracked: true });
    }
  }
  return changes;
}

/**
 * Puts `changes` back as `index` has them (nanocoder's index, which holds the base, unless given another):
 * new paths removed (a link itself, never what it points to; nothing outside the worktree), then tracked
 * paths written from the index. In that order: a new file standing where a folder of tracked files was must
 * be gone before they are written back, or removing it would take them along.
 */
export async function undoChanges(worktree: Worktree, changes: readonly WorktreeChange[], index = worktree.index): Promise<void> {
  const realWorktree = await realpath(worktree.dir);
  for (const change of changes.filter((each) => !each.tracked)) {
    const path = join(worktree.dir, change.path);
    const parent = await realpath(dirname(path)).catch(() => undefined);
    if (parent === undefined || (parent !== realWorktree && !parent.startsWith(`${realWorktree}${sep}`))) continue;
    if (await lstat(path).catch(() => undefined)) await rm(path, { force: true, recursive: true });
  }
  const tracked = changes.filter((change) => change.tracked).map((change) => change.path);
  if (tracked.length === 0) return;
  // checkout-index takes the paths on its input, one lookup each: a formatter run over a whole repository
  // changes more paths than a command line holds, and as pathspecs they would cost each other's matching.
  // -f writes over what stands in the way (a file where a folder goes, a link), never through it.
  const { args, env } = ownGitArgs(worktree, ["checkout-index", "-f", "-z", "--stdin"], index);
  await git(args, worktree.dir, env, `${tracked.join("\0")}\0`);
}
