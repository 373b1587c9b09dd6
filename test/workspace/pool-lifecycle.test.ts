/**
 * Two pools (two runs) on one repository. git names a worktree's entry `.git/worktrees/<folder name>`, and
 * every pool names its folders worktree-1, worktree-2...: an entry whose folder git no longer finds can be
 * taken by the other run's next worktree.
 */
import { realpathSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktreePool, type WorktreePool } from "../../src/workspace/pool.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

let repo: string;
let base: string;
const roots: string[] = [];
const pools: WorktreePool[] = [];

async function pool(): Promise<WorktreePool> {
  const root = await mkdtemp(join(tmpdir(), "nanocoder-pool-lifecycle-"));
  roots.push(root);
  const made = createWorktreePool({ repoRoot: repo, base, root });
  pools.push(made);
  return made;
}

beforeEach(() => {
  repo = createRepo({ "README.md": "# r\n" });
  base = git(repo, "rev-parse", "HEAD").trim();
});

afterEach(async () => {
  for (const made of pools.splice(0)) await made.close();
  for (const root of roots.splice(0)) removeDir(root);
  removeDir(repo);
});

describe("two runs' pools on one repository", () => {
  it("a task that deleted its worktree's git folder does not make its pool delete or rewrite the other run's entry", async () => {
    const [runA, runB] = [await pool(), await pool()];
    const mine = await runA.acquire();
    // The task removes its own git folder (the sandbox lets a task write it).
    rmSync(mine.gitDir, { recursive: true, force: true });
    // Meanwhile the other run makes a worktree: git gives it the free name.
    const theirs = await runB.acquire();
    await runA.finish(mine);
    // The other run's worktree is still its own: git finds it, at its own folder, at the base.
    expect(readFileSync(join(theirs.gitDir, "gitdir"), "utf8").trim()).toBe(join(realpathSync(theirs.dir), ".git"));
    expect(git(theirs.dir, "rev-parse", "--show-toplevel").trim()).toBe(realpathSync(theirs.dir));
    expect(git(theirs.dir, "status", "--porcelain")).toBe("");
    expect(git(repo, "worktree", "list", "--porcelain")).toContain(`worktree ${realpathSync(theirs.dir)}\n`);
  });
});
