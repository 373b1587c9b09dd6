import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve, sep } from "node:path";
import { git, gitCommand, gitScript } from "./git.ts";
import { makeRemovable } from "./remove.ts";

/**
 * A detached worktree of the user's repository. A task's own git commands use the worktree's git folder
 * (`<repository>/.git/worktrees/<name>`), which the sandbox lets them write. nanocoder's own git commands
 * never read it: they name the repository's git folder, which tasks cannot write, and keep their own index
 * outside the worktree. So nothing a task writes there (a `commondir` leading to a config of its own, an
 * index or reflog that is a symlink, forged index entries) reaches the commands that make the patch.
 */
export interface Worktree {
  dir: string;
  /** The worktree's git folder; rebuilt by nanocoder after every task. */
  gitDir: string;
  /** The repository's git folder (objects, refs, config). */
  commonDir: string;
  /** The index nanocoder's commands use; outside the worktree, so out of a sandboxed task's reach. */
  index: string;
  /** What git wrote in the worktree's git folder and `.git` file, as made, for rebuilding them. */
  made: { dotGit: string; commondir: string; gitdir: string };
}

/**
 * Adds a detached worktree of `ref` (a commit) at `dir`. The user's working tree, index and branches are untouched;
 * only git's own worktree list gains an entry until `removeWorktree`. The entry is added without a checkout,
 * one at a time per repository; the files are then written outside that queue, in parallel with other tasks.
 */
export async function addWorktree(repoRoot: string, ref: string, dir: string): Promise<Worktree> {
  // The worktree's HEAD is written as a commit id (rebuildGitFolder).
  const commit = /^[0-9a-f]{40,64}$/.test(ref) ? ref : (await git(["rev-parse", "--verify", `${ref}^{commit}`], repoRoot)).trim();
  await serialized(repoRoot, () => withRetries(() => git(["worktree", "add", "--detach", "--no-checkout", "--quiet", dir, commit], repoRoot)));
  const dotGit = await readFile(join(dir, ".git"), "utf8");
  const gitDir = gitDirOf(dir, dotGit);
  const commondir = await readFile(join(gitDir, "commondir"), "utf8");
  const gitdir = await readFile(join(gitDir, "gitdir"), "utf8");
  const worktree: Worktree = { dir, gitDir, commonDir: resolve(gitDir, commondir.trim()), index: `${dir}.index`, made: { dotGit, commondir, gitdir } };
  try {
    await gitScript(ownGit(worktree, ["-c", "checkout.workers=0", "read-tree", "--reset", "-u", commit]), dir, `checking out ${commit} in ${dir}`);
    await rebuildGitFolder(worktree, commit);
  } catch (error) {
    await removeWorktree(worktree);
    throw error;
  }
  return worktree;
}

function gitDirOf(dir: string, dotGit: string): string {
  const path = /^gitdir: (.+)$/m.exec(dotGit)?.[1]?.trim();
  if (!path) throw new Error(`${dir}/.git does not name the worktree's git folder`);
  return isAbsolute(path) ? path : resolve(dir, path);
}

/**
 * A git command for nanocoder's own work on the worktree, as shell text: the repository's git folder, the
 * worktree's files, nanocoder's index. No HEAD, ref or reflog is written; the user's sparse-checkout
 * and submodule-recursion settings do not apply.
 */
export function ownGit(worktree: Worktree, args: string[], index = worktree.index): string {
  const { args: all, env } = ownGitArgs(worktree, args, index);
  return gitCommand(all, env);
}

/** The same git command as ownGit, as arguments and environment, for running it without a shell (one start less). */
export function ownGitArgs(worktree: Worktree, args: string[], index = worktree.index): { args: string[]; env: Record<string, string> } {
  const settings = ["core.sparseCheckout=false", "core.logAllRefUpdates=false", "submodule.recurse=false"].flatMap((setting) => ["-c", setting]);
  const options = [`--git-dir=${worktree.commonDir}`, `--work-tree=${worktree.dir}`, ...settings];
  return { args: [...options, ...args], env: { GIT_INDEX_FILE: index } };
}

/**
 * A script that brings a used worktree back to a clean checkout of `commit`: every tracked file as
 * committed, untracked and ignored files (nested repositories too) gone, but the paths in `keep` (linked
 * dependency folders, which the next task checks before it uses them). Only the files a task touched are
 * written, which is what makes reuse cheap on a large repository. rebuildGitFolder finishes the job.
 */
export function resetScript(worktree: Worktree, commit: string, keep: readonly string[] = []): string {
  const readTree = ownGit(worktree, ["-c", "checkout.workers=0", "read-tree", "--reset", "-u", commit]);
  // With -x, git clean still honours -e patterns; a leading "/" anchors each at the top of the worktree.
  const excludes = keep.map((path) => `--exclude=/${path.replace(/[\\*?[]/g, "\\$&")}`);
  return `${readTree} && ${ownGit(worktree, ["clean", "-ffdxq", ...excludes])}`;
}

/**
 * Writes the worktree's git folder and `.git` file anew, as a fresh worktree of `commit` has them: HEAD
 * detached at it, nanocoder's index, git's own pointers, nothing else. Whatever a task left there (a merge
 * half-way, sparse-checkout or config files, symlinks) is removed, never followed.
 */
export async function rebuildGitFolder(worktree: Worktree, commit: string): Promise<void> {
  if (!isWorktreeEntry(worktree.gitDir)) throw new Error(`${worktree.gitDir} is not a worktree's git folder`);
  await rm(worktree.gitDir, { recursive: true, force: true });
  await rm(join(worktree.dir, ".git"), { recursive: true, force: true });
  await mkdir(worktree.gitDir);
  await writeFile(join(worktree.gitDir, "HEAD"), `${commit}\n`, { flag: "wx" });
  await writeFile(join(worktree.gitDir, "commondir"), worktree.made.commondir, { flag: "wx" });
  await writeFile(join(worktree.gitDir, "gitdir"), worktree.made.gitdir, { flag: "wx" });
  await copyFile(worktree.index, join(worktree.gitDir, "index.new"));
  await rename(join(worktree.gitDir, "index.new"), join(worktree.gitDir, "index"));
  await writeFile(join(worktree.dir, ".git"), worktree.made.dotGit, { flag: "wx" });
}

/**
 * Removes the worktree's folder, git's entry for it and nanocoder's index, whatever state the task left
 * them in. Deleting the entry is what `git worktree prune` does for a worktree whose folder is gone,
 * limited to this one. Never throws.
 */
export async function removeWorktree(worktree: Worktree): Promise<void> {
  await rm(worktree.dir, { recursive: true, force: true }).catch(async () => {
    makeRemovable(worktree.dir);
    await rm(worktree.dir, { recursive: true, force: true }).catch(() => undefined);
  });
  await rm(worktree.index, { force: true }).catch(() => undefined);
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
