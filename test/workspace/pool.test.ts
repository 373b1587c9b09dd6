import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorktreePool, type WorktreePool } from "../../src/workspace/pool.ts";
import { diffWorktree, type Worktree } from "../../src/workspace/worktree.ts";
import { createRepo, git, removeDir, snapshotTree } from "../helpers/repo.ts";

let repo: string;
let root: string;
let base: string;
let pool: WorktreePool;
let before: Record<string, string>;

beforeEach(async () => {
  repo = createRepo({ "src/a.ts": "export const a = 1;\n", ".gitignore": "node_modules/\n", "README.md": "# r\n" });
  base = git(repo, "rev-parse", "HEAD").trim();
  root = await mkdtemp(join(tmpdir(), "nanocoder-pool-test-"));
  pool = createWorktreePool({ repoRoot: repo, base, root });
  before = snapshotTree(repo);
});

afterEach(async () => {
  await pool.close();
  removeDir(root);
  removeDir(repo);
});

/** Everything a task could leave behind in a worktree: edits, new, ignored and nested-repository files, a commit, a branch. */
function messUp(worktree: Worktree, { nestedRepository = true } = {}): void {
  writeFileSync(join(worktree.dir, "src/a.ts"), "export const a = 2;\n");
  writeFileSync(join(worktree.dir, "untracked.txt"), "x\n");
  mkdirSync(join(worktree.dir, "node_modules/pkg"), { recursive: true });
  writeFileSync(join(worktree.dir, "node_modules/pkg/index.js"), "x\n");
  if (nestedRepository) git(worktree.dir, "init", "--quiet", "nested");
  git(worktree.dir, "switch", "--quiet", "-c", "agent-branch");
  git(worktree.dir, "commit", "--quiet", "-am", "the agent's commit");
}

function expectCleanCheckout(worktree: Worktree): void {
  expect(git(worktree.dir, "status", "--porcelain", "--ignored", "--untracked-files=all")).toBe("");
  expect(git(worktree.dir, "rev-parse", "HEAD").trim()).toBe(base);
  expect(() => git(worktree.dir, "symbolic-ref", "--quiet", "HEAD")).toThrow();
  expect(readFileSync(join(worktree.dir, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
  expect(readdirSync(worktree.dir).sort()).toEqual([".git", ".gitignore", "README.md", "src"]);
}

describe("the worktree pool", () => {
  it("gives a clean checkout of the base, and the same worktree back clean after a task made a mess of it", async () => {
    const first = await pool.acquire();
    expectCleanCheckout(first);
    messUp(first);
    pool.release(first);

    const second = await pool.acquire();
    expect(second.dir).toBe(first.dir);
    expectCleanCheckout(second);
    expect(git(repo, "branch", "--list", "agent-branch")).toContain("agent-branch");
    expect(git(repo, "rev-parse", "agent-branch").trim()).not.toBe(base);
  });

  it("gives tasks that run at once a worktree each", async () => {
    const worktrees = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(new Set(worktrees.map((worktree) => worktree.dir)).size).toBe(4);
    for (const worktree of worktrees) expectCleanCheckout(worktree);
  });

  it("replaces a worktree whose .git file a task rewrote, without ever following it", async () => {
    const first = await pool.acquire();
    writeFileSync(join(first.dir, ".git"), `gitdir: ${join(repo, ".git")}\n`);
    writeFileSync(join(first.dir, "src/a.ts"), "changed\n");
    pool.release(first);

    const second = await pool.acquire();
    expect(second.dir).not.toBe(first.dir);
    expect(existsSync(first.dir)).toBe(false);
    expectCleanCheckout(second);
    expect(snapshotTree(repo)).toEqual(before);
  });

  it("replaces a worktree left half-way through a merge", async () => {
    const first = await pool.acquire();
    writeFileSync(join(first.gitDir, "MERGE_HEAD"), `${base}\n`);
    pool.release(first);
    const second = await pool.acquire();
    expect(second.dir).not.toBe(first.dir);
    expectCleanCheckout(second);
  });

  it("removes every worktree and git's entries for them when closed, leaving the repository as it was", async () => {
    const worktrees = await Promise.all([pool.acquire(), pool.acquire()]);
    for (const worktree of worktrees) writeFileSync(join(worktree.dir, "new.txt"), "new\n");
    pool.release(worktrees[0] as Worktree);
    await pool.close();
    expect(readdirSync(root)).toEqual([]);
    expect(git(repo, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
    expect(existsSync(join(repo, ".git/worktrees")) ? readdirSync(join(repo, ".git/worktrees")) : []).toEqual([]);
    expect(snapshotTree(repo)).toEqual(before);
  });
});

describe("the patch of a worktree", () => {
  it("holds every change against the base, commits the task made included, and nothing ignored", async () => {
    const worktree = await pool.acquire();
    messUp(worktree, { nestedRepository: false });
    const { patch, files } = await diffWorktree(worktree, base);
    expect(files.sort()).toEqual(["src/a.ts", "untracked.txt"]);
    expect(patch.toString()).toContain("+export const a = 2;");
    expect(patch.toString()).not.toContain("node_modules");
  });

  it("is empty when nothing changed", async () => {
    const worktree = await pool.acquire();
    expect(await diffWorktree(worktree, base)).toEqual({ patch: Buffer.alloc(0), files: [] });
  });

  it("keeps the bytes of files that are not UTF-8, so git apply reproduces them", async () => {
    const worktree = await pool.acquire();
    const latin1 = Buffer.from("caf\xe9 cr\xe8me\n", "latin1");
    writeFileSync(join(worktree.dir, "src/a.ts"), latin1);
    const { patch } = await diffWorktree(worktree, base);
    const clone = mkdtempSync(join(tmpdir(), "nanocoder-pool-apply-"));
    try {
      git(clone, "clone", "--quiet", repo, ".");
      writeFileSync(join(clone, "change.patch"), patch);
      git(clone, "apply", "change.patch");
      expect(readFileSync(join(clone, "src/a.ts"))).toEqual(latin1);
    } finally {
      removeDir(clone);
    }
  });
});
