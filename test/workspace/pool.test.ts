import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWorktreePool, type WorktreePool } from "../../src/workspace/pool.ts";
import { diffWorktree } from "../../src/workspace/patch.ts";
import type { Worktree } from "../../src/workspace/worktree.ts";
import { createRepo, git, removeDir, snapshotTree } from "../helpers/repo.ts";

/** One repository for the file; each test gets a pool of its own, and the branch a task's commit makes is removed after it. */
let repo: string;
let root: string;
let base: string;
let pool: WorktreePool;
let before: Record<string, string>;

beforeAll(() => {
  repo = createRepo({ "src/a.ts": "export const a = 1;\n", ".gitignore": "node_modules/\n", "README.md": "# r\n" });
  base = git(repo, "rev-parse", "HEAD").trim();
});

afterAll(() => removeDir(repo));

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "nanocoder-pool-test-"));
  pool = createWorktreePool({ repoRoot: repo, base, root });
  before = snapshotTree(repo);
});

afterEach(async () => {
  await pool.close();
  removeDir(root);
  if (git(repo, "branch", "--list", "agent-branch") !== "") git(repo, "branch", "--quiet", "-D", "agent-branch");
});

/** Everything a task could leave behind in a worktree: edits, new, ignored and nested-repository files, a commit, a branch. */
function messUp(worktree: Worktree, { nestedRepository = true } = {}): void {
  writeFileSync(join(worktree.dir, "src/a.ts"), "export const a = 2;\n");
  writeFileSync(join(worktree.dir, "untracked.txt"), "x\n");
  mkdirSync(join(worktree.dir, "node_modules/pkg"), { recursive: true });
  writeFileSync(join(worktree.dir, "node_modules/pkg/index.js"), "x\n");
  if (nestedRepository) {
    git(worktree.dir, "init", "--quiet", "nested");
    writeFileSync(join(worktree.dir, "nested/file.txt"), "x\n");
    git(join(worktree.dir, "nested"), "add", "--all");
    git(join(worktree.dir, "nested"), "commit", "--quiet", "-m", "a clone or a git init inside the worktree");
  }
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
    const { files } = await pool.finish(first);
    expect(files.sort()).toEqual(["src/a.ts", "untracked.txt"]);

    const second = await pool.acquire();
    expect(second.dir).toBe(first.dir);
    expectCleanCheckout(second);
    expect(git(repo, "branch", "--list", "agent-branch")).toContain("agent-branch");
    expect(git(repo, "rev-parse", "agent-branch").trim()).not.toBe(base);
  });

  it("keeps changes a task hid with index flags in its patch, and clears the flags for the next task", async () => {
    const first = await pool.acquire();
    writeFileSync(join(first.dir, "src/a.ts"), "hidden by skip-worktree\n");
    git(first.dir, "update-index", "--skip-worktree", "src/a.ts");
    writeFileSync(join(first.dir, "README.md"), "hidden by assume-unchanged\n");
    git(first.dir, "update-index", "--assume-unchanged", "README.md");
    const { patch, files } = await pool.finish(first);
    expect(files.sort()).toEqual(["README.md", "src/a.ts"]);
    expect(patch.toString()).toContain("+hidden by skip-worktree");

    const second = await pool.acquire();
    expect(second.dir).toBe(first.dir);
    expect(git(second.dir, "ls-files", "-v").split("\n").filter((line) => /^[a-zS]/.test(line))).toEqual([]);
    expectCleanCheckout(second);
    expect(readFileSync(join(second.dir, "README.md"), "utf8")).toBe("# r\n");
  });

  it("gives tasks that run at once a worktree each", async () => {
    const worktrees = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(new Set(worktrees.map((worktree) => worktree.dir)).size).toBe(4);
    for (const worktree of worktrees) expectCleanCheckout(worktree);
  });

  it("restores the .git file a task rewrote, without ever following it", async () => {
    const first = await pool.acquire();
    const made = readFileSync(join(first.dir, ".git"), "utf8");
    writeFileSync(join(first.dir, ".git"), `gitdir: ${join(repo, ".git")}\n`);
    writeFileSync(join(first.dir, "src/a.ts"), "changed\n");
    expect((await pool.finish(first)).files).toEqual(["src/a.ts"]);

    const second = await pool.acquire();
    expect(second.dir).toBe(first.dir);
    expect(readFileSync(join(second.dir, ".git"), "utf8")).toBe(made);
    expectCleanCheckout(second);
    expect(snapshotTree(repo)).toEqual(before);
  });

  it("rebuilds the worktree's git folder: a merge left half-way, other files a task put there, are gone", async () => {
    const first = await pool.acquire();
    writeFileSync(join(first.gitDir, "MERGE_HEAD"), `${base}\n`);
    mkdirSync(join(first.gitDir, "info"));
    writeFileSync(join(first.gitDir, "info/sparse-checkout"), "/src/\n");
    await pool.finish(first);
    const second = await pool.acquire();
    expect(second.dir).toBe(first.dir);
    expect(readdirSync(second.gitDir).sort()).toEqual(["HEAD", "commondir", "gitdir", "index"]);
    expectCleanCheckout(second);
  });

  it("removes every worktree and git's entries for them when closed, leaving the repository as it was", async () => {
    const worktrees = await Promise.all([pool.acquire(), pool.acquire()]);
    for (const worktree of worktrees) writeFileSync(join(worktree.dir, "new.txt"), "new\n");
    await pool.finish(worktrees[0] as Worktree);
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

  it("names files as they are (spaces, quotes, new lines), deleted and binary ones included, and equals git diff --binary", async () => {
    const worktree = await pool.acquire();
    const odd = 'a "quoted"\nname \u00e9.txt';
    writeFileSync(join(worktree.dir, odd), "odd\n");
    writeFileSync(join(worktree.dir, "image.bin"), Buffer.from([0, 1, 2, 255, 0, 7]));
    git(worktree.dir, "rm", "--quiet", "README.md");
    const { patch, files } = await diffWorktree(worktree, base);
    expect(files.sort()).toEqual([odd, "README.md", "image.bin"].sort());
    git(worktree.dir, "add", "--all");
    const plain = execFileSync("git", ["diff", "--cached", "--binary", "--no-renames", "--src-prefix=a/", "--dst-prefix=b/", base], { cwd: worktree.dir });
    expect(patch.equals(plain)).toBe(true);
    expect(patch.toString()).toContain("GIT binary patch");
  });

  it("leaves out folders holding a repository of their own, with or without commits", async () => {
    const worktree = await pool.acquire();
    messUp(worktree);
    git(worktree.dir, "init", "--quiet", "empty-nested");
    writeFileSync(join(worktree.dir, "empty-nested/file.txt"), "x\n");
    const { patch, files, nested } = await pool.finish(worktree);
    expect(files.sort()).toEqual(["src/a.ts", "untracked.txt"]);
    expect(patch.toString()).not.toMatch(/nested|Subproject|160000/);
    // Named, so that the task can say their files are in no patch.
    expect(nested).toEqual(["empty-nested", "nested"]);
    expect(patch.toString()).toContain("+export const a = 2;");
    const next = await pool.acquire();
    expectCleanCheckout(next);
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
