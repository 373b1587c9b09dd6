import { basename, join } from "node:path";
import { diffAndReset, type WorktreeDiff } from "./patch.ts";
import { addWorktree, removeWorktree, type Worktree } from "./worktree.ts";

/**
 * The worktrees of one run, reused from task to task. Checking out a large repository writes every file;
 * resetting a used worktree writes only the files the last task touched. So the run makes at most as many
 * worktrees as tasks run at once, and a task gets a clean checkout of the base either way.
 */
export interface WorktreePool {
  /** A worktree checked out clean at the base, for one task until `finish`. */
  acquire(): Promise<Worktree>;
  /**
   * The task's changes against the base (diffAndReset), without the paths in `leaveOut`, and the worktree
   * back in the pool, reset; or removed, when it could not be reset. Throws when the patch could not be made.
   */
  finish(worktree: Worktree, leaveOut?: readonly string[]): Promise<WorktreeDiff>;
  /** Removes every worktree of the pool. */
  close(): Promise<void>;
}

export interface PoolOptions {
  repoRoot: string;
  /** The commit every task starts from. */
  base: string;
  /** The folder the worktrees are made in (the run's temporary folder). */
  root: string;
}

export function createWorktreePool({ repoRoot, base, root }: PoolOptions): WorktreePool {
  const all = new Set<Worktree>();
  const free: Worktree[] = [];
  let made = 0;

  const discard = async (worktree: Worktree): Promise<void> => {
    all.delete(worktree);
    await removeWorktree(worktree);
  };

  return {
    async acquire() {
      const reset = free.pop();
      if (reset) return reset;
      // git names the worktree's entry after the folder: a name no other run uses, so entries never mix.
      const worktree = await addWorktree(repoRoot, base, join(root, `${basename(root)}-${++made}`));
      all.add(worktree);
      return worktree;
    },
    async finish(worktree, leaveOut = []) {
      try {
        const { reset, ...diff } = await diffAndReset(worktree, base, leaveOut);
        if (reset && all.has(worktree)) free.push(worktree);
        else await discard(worktree);
        return diff;
      } catch (error) {
        await discard(worktree);
        throw error;
      }
    },
    async close() {
      const worktrees = [...all];
      all.clear();
      free.length = 0;
      await Promise.all(worktrees.map(removeWorktree));
    },
  };
}
