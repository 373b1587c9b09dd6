import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/load.ts";
import { createEffectCheck, WHOLE_TASK, type EffectCheck } from "../../src/run/effects.ts";
import { createWorktreePool, type WorktreePool } from "../../src/workspace/pool.ts";
import type { Worktree } from "../../src/workspace/worktree.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

const policy = parsePolicy([
  "version: 1",
  "default: allow",
  "files:",
  "  write: {allow: ['**'], deny: ['locked/**']}",
].join("\n"), "policy.yaml");

let repo: string;
let root: string;
let pool: WorktreePool;
let worktree: Worktree;
let check: EffectCheck;
let newFiles: string[][];

beforeEach(async () => {
  repo = createRepo({ ".gitignore": "*.log\n", "locked/a.txt": "aaaa\n", "locked/run.sh": "echo\n", "src/b.ts": "b\n" });
  root = mkdtempSync(join(tmpdir(), "nanocoder-effects-test-"));
  pool = createWorktreePool({ repoRoot: repo, base: git(repo, "rev-parse", "HEAD").trim(), root });
  worktree = await pool.acquire();
  newFiles = [];
  check = await createEffectCheck({ worktree, base: git(repo, "rev-parse", "HEAD").trim(), policy, leaveOut: [], emit: () => undefined, onNewFiles: (paths) => newFiles.push(paths) });
});

afterEach(async () => {
  await pool.close();
  removeDir(root);
  removeDir(repo);
});

const at = (path: string) => join(worktree.dir, path);

describe("the effect check after each command, one check for the whole task", () => {
  it("refuses and undoes every kind of refused write, one command after another, allowed work in between", async () => {
    const base = { content: readFileSync(at("locked/a.txt"), "utf8"), mode: statSync(at("locked/run.sh")).mode };
    const commands: [string, () => void, string][] = [
      ["same size, time put back", () => {
        const { atime, mtime } = statSync(at("locked/a.txt"));
        writeFileSync(at("locked/a.txt"), "AAAA\n");
        utimesSync(at("locked/a.txt"), atime, mtime);
      }, "locked/a.txt"],
      ["made executable", () => chmodSync(at("locked/run.sh"), 0o755), "locked/run.sh"],
      ["deleted", () => unlinkSync(at("locked/a.txt")), "locked/a.txt"],
      ["a new link", () => symlinkSync("/etc/passwd", at("locked/link")), "locked/link"],
      ["a new ignored file", () => writeFileSync(at("locked/x.log"), "x\n"), "locked/x.log"],
      ["a new file in a new folder", () => {
        mkdirSync(at("locked/deep/er"), { recursive: true });
        writeFileSync(at("locked/deep/er/f"), "x\n");
      }, "locked/deep/er/f"],
    ];
    for (const [what, command, path] of commands) {
      writeFileSync(at("src/b.ts"), `${what}\n`);
      expect(await check.afterCommand("execute_bash"), what).toEqual([]);
      command();
      const lines = await check.afterCommand("execute_bash");
      expect(lines, what).toHaveLength(1);
      expect(lines[0], what).toContain(path);
    }
    expect(readFileSync(at("locked/a.txt"), "utf8")).toBe(base.content);
    expect(statSync(at("locked/run.sh")).mode).toBe(base.mode);
    expect(lstatSync(at("locked/link"), { throwIfNoEntry: false })).toBeUndefined();
    expect(existsSync(at("locked/x.log"))).toBe(false);
    expect(check.violations.map((violation) => violation.path)).toEqual(commands.map(([, , path]) => path));
    expect(await check.afterCommand(WHOLE_TASK)).toEqual([]);
  });

  it("counts Python's caches in a folder the policy keeps from writes, though no patch holds them: Python would run them", async () => {
    mkdirSync(at("locked/__pycache__"), { recursive: true });
    writeFileSync(at("locked/__pycache__/a.cpython-311.pyc"), "bytecode");
    const lines = await check.afterCommand("execute_bash");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("locked/__pycache__/a.cpython-311.pyc");
    expect(existsSync(at("locked/__pycache__/a.cpython-311.pyc"))).toBe(false);
  });

  it("tells the sandbox of every new file after every command, as before", async () => {
    writeFileSync(at("src/new.ts"), "x\n");
    await check.afterCommand("execute_bash");
    await check.afterCommand("execute_bash");
    expect(newFiles.slice(-2)).toEqual([["src/new.ts"], ["src/new.ts"]]);
  });
});
