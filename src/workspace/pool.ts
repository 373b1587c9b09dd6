import { join } from "node:path";
import { addWorktree, removeWorktree, resetWorktree, type Worktree } from "./worktree.ts";

/**
 * The worktrees of one run, reused from task to task. Checking out a large repository writes every file;
 * resetting a used worktree writes only the files the last task touched. So the run makes at most as many
 * worktrees as tasks run at once, and a task gets a clean checkout of the base either way.
 */
export interface WorktreePool {
  /** A worktree checked out clean at the base, for one task until `release`. */
  acquire(): Promise<Worktree>;
  /** Gives the worktree back once its patch has been collected; it is reset when next acquired. */
  release(worktree: Worktree): void;
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

  const make = async (): Promise<Worktree> => {
    const worktree = await addWorktree(repoRoot, base, join(root, `worktree-${++made}`));
    all.add(worktree);
    return worktree;
  };
  const discard = async (worktree: Worktree): Promise<void> => {
    all.delete(worktree);
    await removeWorktree(worktree);
  };

  return {
    async acquire() {
      const used = free.pop();
      if (!used) return make();
      if (await resetWorktree(used, base)) return used;
      await discard(used);
      return make();
    },
    release(worktree) {
      if (all.has(worktree)) free.push(worktree);
    },
    async close() {
      const worktrees = [...all];
      all.clear();
      free.length = 0;
      await Promise.all(worktrees.map(removeWorktree));
    },
  };
}
