import { lstat, realpath, rm, writeFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { git, gitScript } from "./git.ts";
import { ownGit, ownGitArgs, type Worktree } from "./worktree.ts";

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
 * Puts `changes` back as the base has them: tracked paths checked out from it, new ones removed (a link
 * itself, never what it points to; nothing outside the worktree). `base` may be any tree; checking out from
 * one other than the base goes through an index other than nanocoder's (`index`), which must keep the base.
 */
export async function undoChanges(worktree: Worktree, base: string, changes: readonly WorktreeChange[], index = worktree.index): Promise<void> {
  const tracked = changes.filter((change) => change.tracked).map((change) => `:(literal)${change.path}`);
  if (tracked.length > 0) {
    // The paths go in a file beside the worktree, not on the command line: a formatter run over a whole
    // repository changes more paths than a command line holds.
    const list = `${worktree.dir}.pathspec`;
    await writeFile(list, `${tracked.join("\0")}\0`);
    try {
      await gitScript(ownGit(worktree, ["checkout", "--no-overlay", `--pathspec-from-file=${list}`, "--pathspec-file-nul", base], index), worktree.dir, "putting back what a command changed");
    } finally {
      await rm(list, { force: true });
    }
  }
  const realWorktree = await realpath(worktree.dir);
  for (const change of changes.filter((each) => !each.tracked)) {
    const path = join(worktree.dir, change.path);
    const parent = await realpath(dirname(path)).catch(() => undefined);
    if (parent === undefined || (parent !== realWorktree && !parent.startsWith(`${realWorktree}${sep}`))) continue;
    if (await lstat(path).catch(() => undefined)) await rm(path, { force: true, recursive: true });
  }
}
