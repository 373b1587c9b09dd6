import { readFile, rm, stat } from "node:fs/promises";
import { isAbsolute, join, resolve, sep } from "node:path";
import { git, gitBytes, gitSteps } from "./git.ts";

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
    await worktreeGit(worktree, ["-c", "checkout.workers=0", "reset", "--hard", "--quiet", commit]);
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
 * Git on a worktree, given its folders explicitly: a task can rewrite the `.git` file of its worktree, and
 * git must not follow that file to another repository (the user's own index, say).
 */
export function worktreeGit(worktree: Worktree, args: string[]): Promise<string> {
  return git(worktreeArgs(worktree, args), worktree.dir);
}

function worktreeArgs(worktree: Worktree, args: string[]): string[] {
  return [`--git-dir=${worktree.gitDir}`, `--work-tree=${worktree.dir}`, ...args];
}

/** Signs of a git operation left half-way (merge, rebase, cherry-pick, bisect) in a worktree's git folder. */
const UNFINISHED_OPERATIONS = ["MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG", "rebase-merge", "rebase-apply", "sequencer"];

/**
 * Brings a used worktree back to a clean checkout of `commit`: HEAD detached at it, every tracked file as
 * committed, untracked and ignored files gone. Only the files a task touched are written, which is what makes
 * reuse cheap on a large repository. False when the worktree is in a state a reset may not undo (its `.git`
 * file changed, a git operation half-way, a file that cannot be removed): the caller replaces it then.
 */
export async function resetWorktree(worktree: Worktree, commit: string): Promise<boolean> {
  try {
    if ((await readGitDir(worktree.dir)) !== worktree.gitDir) return false;
    for (const name of UNFINISHED_OPERATIONS) {
      if (await exists(join(worktree.gitDir, name))) return false;
    }
    const checkout = ["-c", "checkout.workers=0", "-c", "advice.detachedHead=false", "checkout", "--quiet", "--force", "--detach", commit];
    await gitSteps([worktreeArgs(worktree, checkout), worktreeArgs(worktree, ["clean", "-ffdxq"])], worktree.dir);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
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

/**
 * Everything the task changed against `base`, as `git diff --binary`: new, deleted and binary files
 * included, ignored files excluded, commits the task made in the worktree included. `git apply`
 * reproduces it on a clean checkout of the base.
 */
export async function diffWorktree(worktree: Worktree, base: string): Promise<{ patch: Buffer; files: string[] }> {
  const names = await gitSteps([worktreeArgs(worktree, ["add", "--all"]), worktreeArgs(worktree, ["diff", "--cached", "--name-only", "-z", "--no-renames", base])], worktree.dir);
  const files = names.split("\0").filter((name) => name !== "");
  if (files.length === 0) return { patch: Buffer.alloc(0), files };
  const diff = ["diff", "--cached", "--binary", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", base];
  return { patch: await gitBytes(worktreeArgs(worktree, diff), worktree.dir), files };
}
