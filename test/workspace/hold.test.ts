/**
 * Holding a worktree's state while the checks run, and putting it back after them (workspace/patch.ts): what
 * the checks wrote goes, the model's work and what git ignores stay. The commands here stand for checks.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWorktreePool, type WorktreePool } from "../../src/workspace/pool.ts";
import { foldNewFolders, holdWorktreeState } from "../../src/workspace/patch.ts";
import type { Worktree } from "../../src/workspace/worktree.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

let repo: string;
let root: string;
let base: string;
let pool: WorktreePool;
let worktree: Worktree;

beforeAll(() => {
  repo = createRepo({ "src/a.ts": "export const a = 1;\n", ".gitignore": "deps/\n*.log\n", "vendor/__pycache__/keep.py": "kept\n" });
  base = git(repo, "rev-parse", "HEAD").trim();
});
afterAll(() => removeDir(repo));

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "nanocoder-hold-test-"));
  pool = createWorktreePool({ repoRoot: repo, base, root });
  worktree = await pool.acquire();
});
afterEach(async () => {
  await pool.close();
  removeDir(root);
});

const at = (path: string) => join(worktree.dir, path);
const write = (path: string, content: string) => {
  mkdirSync(join(at(path), ".."), { recursive: true });
  writeFileSync(at(path), content);
};

describe("putting back what the checks wrote", () => {
  it("removes a repository a check made in a folder of the model's, keeping the model's files", async () => {
    write("newpkg/index.js", "export {};\n");
    const held = await holdWorktreeState(worktree);
    git(worktree.dir, "init", "--quiet", "newpkg");
    write("newpkg/check-output.txt", "x\n");
    expect(await held.putBack()).toEqual(["newpkg", "newpkg/check-output.txt"]);
    await held.release();
    expect(existsSync(at("newpkg/.git"))).toBe(false);
    expect(readFileSync(at("newpkg/index.js"), "utf8")).toBe("export {};\n");
    const { files, nested } = await pool.finish(worktree);
    expect(files).toEqual(["newpkg/index.js"]);
    expect(nested).toBeUndefined();
  });

  it("puts a .gitignore back before anything else, so that what it ignored (a setup step's files) stays", async () => {
    write("deps/lib.js", "installed\n");
    const held = await holdWorktreeState(worktree);
    writeFileSync(at(".gitignore"), "*.log\n");
    expect(await held.putBack()).toEqual([".gitignore"]);
    await held.release();
    expect(readFileSync(at(".gitignore"), "utf8")).toBe("deps/\n*.log\n");
    expect(readFileSync(at("deps/lib.js"), "utf8")).toBe("installed\n");
  });

  it("keeps the ignored files of a folder new to git, removing the checks' files there one by one", async () => {
    write("logs/run/old.log", "from before the checks\n");
    const held = await holdWorktreeState(worktree);
    write("logs/run/report.txt", "x\n");
    write("logs/summary.txt", "x\n");
    expect((await held.putBack()).sort()).toEqual(["logs/run/report.txt", "logs/summary.txt"]);
    await held.release();
    expect(readFileSync(at("logs/run/old.log"), "utf8")).toBe("from before the checks\n");
  });

  it("removes a folder of new files as one, with one line", async () => {
    const held = await holdWorktreeState(worktree);
    for (let i = 0; i < 300; i++) write(`gen/part-${i % 3}/f${i}.txt`, `${i}\n`);
    write("src/new.ts", "new\n");
    expect((await held.putBack()).sort()).toEqual(["gen", "src/new.ts"]);
    await held.release();
    expect(existsSync(at("gen"))).toBe(false);
  });
});

describe("Python's caches", () => {
  it("never reach a patch, but a file the repository tracks in one is taken as any tracked file", async () => {
    write("src/__pycache__/a.cpython-311.pyc", "bytecode");
    write("vendor/__pycache__/keep.py", "changed\n");
    const { files } = await pool.finish(worktree);
    expect(files).toEqual(["vendor/__pycache__/keep.py"]);
  });
});

describe("foldNewFolders (pure)", () => {
  it("replaces new files under a folder the held tree lacks by the highest such folder, once", () => {
    const held = new Set(["src", "src/lib"]);
    expect(foldNewFolders([
      { path: "gen/a/1.txt", tracked: false },
      { path: "gen/b/2.txt", tracked: false },
      { path: "src/lib/new.ts", tracked: false },
      { path: "src/lib/old.ts", tracked: true },
      { path: "src/out/x.js", tracked: false },
      { path: "top.txt", tracked: false },
    ], held)).toEqual([
      { path: "gen", tracked: false },
      { path: "src/lib/new.ts", tracked: false },
      { path: "src/lib/old.ts", tracked: true },
      { path: "src/out", tracked: false },
      { path: "top.txt", tracked: false },
    ]);
  });
});
