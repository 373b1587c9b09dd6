import { readdir, readFile, rm } from "node:fs/promises";
import { isAbsolute, join, resolve, sep } from "node:path";
import { git, gitCommand } from "./git.ts";

/** A detached worktree of the user's repository: its folder and git's administrative folder for it. */
export interface Worktree {
  dir: string;
  /** `<repository>/.git/worktrees/<name>`, read once when the worktree is made, before any task runs in it. */
  gitDir: string;
}

/**
 * Adds a detached worktree of `commit` at `dir`. The user's working tree, index and branches are untouched;
 * only git's own worktree list gains an entry until `removeWorktree`. The entry is added without a checkout,
 * one at a time per repository; the files are then written outside that queue, in parallel with other tasks.
 */
export async function addWorktree(repoRoot: string, commit: string, dir: string): Promise<Worktree> {
  await serialized(repoRoot, () => withRetries(() => git(["worktree", "add", "--detach", "--no-checkout", "--quiet", dir, commit], repoRoot)));
  const worktree = { dir, gitDir: await readGitDir(dir) };
  try {
    await git(worktreeArgs(worktree, ["-c", "checkout.workers=0", "reset", "--hard", "--quiet", commit]), dir);
  } catch (error) {
    await removeWorktree(worktree);
    throw error;
  }
  return worktree;
}

async function readGitDir(dir: string): Promise<string> {
  const text = await readFile(join(dir, ".git"), "utf8");
  const path = /^gitdir: (.+)$/m.exec(text)?.[1]?.trim();
  if (!path) throw new Error(`${dir}/.git does not name the worktree's git folder`);
  return isAbsolute(path) ? path : resolve(dir, path);
}

/**
 * Git on a worktree is given its folders explicitly: a task can rewrite the `.git` file of its worktree,
 * and git must not follow that file to another repository (the user's own index, say).
 */
export function worktreeArgs(worktree: Worktree, args: string[]): string[] {
  return [`--git-dir=${worktree.gitDir}`, `--work-tree=${worktree.dir}`, ...args];
}

/** Signs of a git operation left half-way (merge, rebase, cherry-pick, bisect) in a worktree's git folder. */
const UNFINISHED_OPERATIONS = ["MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG", "rebase-merge", "rebase-apply", "sequencer"];

/**
 * True when a reset brings the worktree back to a clean checkout; false when it is in a state a reset may
 * not undo (its `.git` file changed, a git operation left half-way): the pool replaces it then.
 */
export async function resettable(worktree: Worktree): Promise<boolean> {
  try {
    if ((await readGitDir(worktree.dir)) !== worktree.gitDir) return false;
    const entries = await readdir(worktree.gitDir);
    return !entries.some((name) => UNFINISHED_OPERATIONS.includes(name));
  } catch {
    return false;
  }
}

/**
 * A script that brings a used worktree back to a clean checkout of `commit`: HEAD detached at it, every
 * tracked file as committed, untracked and ignored files (nested repositories too) gone. Only the files a
 * task touched are written, which is what makes reuse cheap on a large repository.
 */
export function resetScript(worktree: Worktree, commit: string): string {
  const git = onWorktree(worktree);
  const checkout = git(["-c", "checkout.workers=0", "-c", "advice.detachedHead=false", "checkout", "--quiet", "--force", "--detach", commit]);
  // Runs right after the patch, in the same script, which cleared any index flags (patch.ts).
  return `${checkout} && ${git(["clean", "-ffdxq"])}`;
}

export function onWorktree(worktree: Worktree): (args: string[]) => string {
  return (args) => gitCommand(worktreeArgs(worktree, args));
}

/**
 * Removes the worktree's folder and git's entry for it, whatever state the task left it in. Deleting the
 * entry is what `git worktree prune` does for a worktree whose folder is gone, limited to this one. Never throws.
 */
export async function removeWorktree(worktree: Worktree): Promise<void> {
  await rm(worktree.dir, { recursive: true, force: true }).catch(() => undefined);
  if (isWorktreeEntry(worktree.gitDir)) await rm(worktree.gitDir, { recursive: true, force: true }).catch(() => undefined);
}

function isWorktreeEntry(gitDir: string): boolean {
  return gitDir.split(sep).at(-2) === "worktrees";
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
