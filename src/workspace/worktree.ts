import { rm } from "node:fs/promises";
import { git } from "./git.ts";

/**
 * A detached worktree of `commit` at `dir`. The user's working tree, index and branches are untouched;
 * only git's own worktree list gains an entry until `removeWorktree`.
 */
export async function createWorktree(repoRoot: string, commit: string, dir: string): Promise<void> {
  await serialized(repoRoot, () => withRetries(() => git(["worktree", "add", "--detach", "--quiet", dir, commit], repoRoot)));
}

/**
 * Another process (a second run on the same repository) can still be half-way through its own
 * worktree command; git then fails reading that worktree's metadata. Such failures pass on a retry.
 */
async function withRetries<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !/worktrees\/|index\.lock|could not lock/i.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

/** Removes the worktree and its entry, whatever state the task left it in. Never throws. */
export async function removeWorktree(repoRoot: string, dir: string): Promise<void> {
  await serialized(repoRoot, async () => {
    try {
      await git(["worktree", "remove", "--force", "--force", dir], repoRoot);
    } catch {
      await rm(dir, { recursive: true, force: true });
      await git(["worktree", "prune"], repoRoot).catch(() => undefined);
    }
  });
}

/**
 * git's worktree commands read every other worktree's metadata and fail on one that is half
 * written ("failed to read .git/worktrees/x/commondir"), so they run one at a time per repository.
 */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(repoRoot: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(repoRoot) ?? Promise.resolve();
  const next = previous.then(work, work);
  queues.set(repoRoot, next.catch(() => undefined));
  return next;
}

/**
 * Everything the task changed against its base, as `git diff --binary`: new, deleted and binary files
 * included, ignored files excluded. `git apply` reproduces it on a clean checkout of the base.
 */
export async function diffWorktree(dir: string): Promise<{ patch: string; files: string[] }> {
  await git(["add", "--all"], dir);
  const patch = await git(["diff", "--cached", "--binary", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", "HEAD"], dir);
  const names = await git(["diff", "--cached", "--name-only", "-z", "--no-renames", "HEAD"], dir);
  return { patch, files: names.split("\0").filter((name) => name !== "") };
}
