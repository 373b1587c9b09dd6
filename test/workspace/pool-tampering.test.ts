import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWorktreePool, type WorktreePool } from "../../src/workspace/pool.ts";
import type { Worktree } from "../../src/workspace/worktree.ts";
import { createRepo, git, removeDir, snapshotTree } from "../helpers/repo.ts";

/*
 * The worktree pool against a task that tampers with it. A task's commands run in the worktree; in the bubblewrap sandbox they can
 * write the worktree and the worktree's own git dir (<repo>/.git/worktrees/<id>), nothing else (docs/sandbox.md).
 * The pool's git commands run outside the sandbox, after the task. The tests below do, with plain file
 * writes, what such a command can do, then check what the pool's git commands did.
 */

let repo: string;
let root: string;
let outside: string;
let base: string;
let pool: WorktreePool;
let before: Record<string, string>;

/** A repository made once for the file: each test tampers with a copy of its own (a copy costs no git command). */
let template: string;

beforeAll(() => {
  template = createRepo({ "src/a.ts": "export const a = 1;\n", ".gitignore": "node_modules/\n", "README.md": "# r\n" });
  base = git(template, "rev-parse", "HEAD").trim();
});

afterAll(() => removeDir(template));

beforeEach(async () => {
  repo = join(await mkdtemp(join(tmpdir(), "nanocoder-pool-tamper-repo-")), "repo");
  cpSync(template, repo, { recursive: true, verbatimSymlinks: true });
  // The copied files are newer than the index says: refresh it, as a user's index is.
  git(repo, "update-index", "-q", "--refresh");
  root = await mkdtemp(join(tmpdir(), "nanocoder-pool-tamper-"));
  outside = await mkdtemp(join(tmpdir(), "nanocoder-pool-tamper-outside-"));
  pool = createWorktreePool({ repoRoot: repo, base, root });
  before = snapshotTree(repo);
});

afterEach(async () => {
  await pool.close();
  removeDir(root);
  removeDir(outside);
  removeDir(join(repo, ".."));
});

function expectCleanCheckout(worktree: Worktree): void {
  expect(git(worktree.dir, "status", "--porcelain", "--ignored", "--untracked-files=all")).toBe("");
  expect(git(worktree.dir, "rev-parse", "HEAD").trim()).toBe(base);
  expect(readFileSync(join(worktree.dir, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
  expect(readFileSync(join(worktree.dir, "README.md"), "utf8")).toBe("# r\n");
  expect(readdirSync(worktree.dir).sort()).toEqual([".git", ".gitignore", "README.md", "src"]);
}

/** A git folder of the task's making: objects borrowed from the real one, a config of its own. */
function plantCommonDir(worktree: Worktree, config: string): void {
  const fake = join(worktree.gitDir, "fake-common");
  mkdirSync(join(fake, "refs/heads"), { recursive: true });
  symlinkSync(join(repo, ".git/objects"), join(fake, "objects"));
  writeFileSync(join(fake, "HEAD"), "ref: refs/heads/main\n");
  writeFileSync(join(fake, "refs/heads/main"), `${base}\n`);
  writeFileSync(join(fake, "config"), `[core]\n\trepositoryformatversion = 0\n\tbare = false\n${config}`);
  writeFileSync(join(worktree.gitDir, "commondir"), "fake-common\n");
}

describe("what a sandboxed task can plant in the worktree's git dir (writable in the sandbox)", () => {
  it("a rewritten commondir does not make the pool's git run a filter of the task's config (code outside the sandbox)", async () => {
    const worktree = await pool.acquire();
    const marker = join(outside, "ran-outside-the-sandbox");
    plantCommonDir(worktree, `[filter "x"]\n\tclean = touch ${marker} && cat\n\tsmudge = touch ${marker} && cat\n`);
    writeFileSync(join(worktree.dir, ".gitattributes"), "* filter=x\n");
    writeFileSync(join(worktree.dir, "src/a.ts"), "export const a = 2;\n");
    await pool.finish(worktree).catch(() => undefined);
    expect(existsSync(marker)).toBe(false);
  });

  it("a rewritten commondir does not survive into the next task's worktree", async () => {
    const worktree = await pool.acquire();
    plantCommonDir(worktree, "");
    await pool.finish(worktree).catch(() => undefined);
    const next = await pool.acquire();
    expect(readFileSync(join(next.gitDir, "commondir"), "utf8").trim()).toBe("../..");
  });

  it("an index symlinked to the user's index does not make the pool's git write the user's index (staged work lost)", async () => {
    // The user has work staged in their own checkout.
    writeFileSync(join(repo, "wip.txt"), "the user's staged work\n");
    git(repo, "add", "wip.txt");
    before = snapshotTree(repo);
    const worktree = await pool.acquire();
    rmSync(join(worktree.gitDir, "index"));
    symlinkSync(join(repo, ".git/index"), join(worktree.gitDir, "index"));
    writeFileSync(join(worktree.dir, "staged-in-your-repo.txt"), "x\n");
    await pool.finish(worktree).catch(() => undefined);
    expect(git(repo, "status", "--porcelain")).toBe("A  wip.txt\n");
    expect(snapshotTree(repo)).toEqual(before);
  });

  it("a reflog symlinked to a file outside does not make the reset append to that file", async () => {
    const worktree = await pool.acquire();
    const victim = join(outside, "victim.sh");
    writeFileSync(victim, "echo hello\n");
    mkdirSync(join(worktree.gitDir, "logs"), { recursive: true });
    rmSync(join(worktree.gitDir, "logs/HEAD"), { force: true });
    symlinkSync(victim, join(worktree.gitDir, "logs/HEAD"));
    // HEAD somewhere else, so the reset's checkout moves HEAD and logs it.
    git(worktree.dir, "-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "--quiet", "--allow-empty", "-m", "moved");
    // The task's own commit logged through its own symlink; nanocoder's patch and reset must add nothing.
    const afterTask = readFileSync(victim, "utf8");
    await pool.finish(worktree);
    expect(readFileSync(victim, "utf8")).toBe(afterTask);
  });

  it("an index whose stat data the task forged does not hide a change from the patch, nor keep it for the next task", async () => {
    const worktree = await pool.acquire();
    const file = join(worktree.dir, "src/a.ts");
    const changed = "export const a = 666;\n";
    writeFileSync(file, changed);
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(file, past, past); // not "racily clean": git trusts the stat data
    git(worktree.dir, "add", "src/a.ts"); // the index now holds the file's real stat data...
    const index = readFileSync(join(worktree.gitDir, "index"));
    const changedId = Buffer.from(git(worktree.dir, "rev-parse", ":src/a.ts").trim(), "hex");
    const baseId = Buffer.from(git(worktree.dir, "rev-parse", `${base}:src/a.ts`).trim(), "hex");
    const at = index.indexOf(changedId);
    expect(at).toBeGreaterThan(0);
    baseId.copy(index, at); // ...and the base's blob id
    const body = index.subarray(0, index.length - 20);
    writeFileSync(join(worktree.gitDir, "index"), Buffer.concat([body, createHash("sha1").update(body).digest()]));
    expect(git(worktree.dir, "status", "--porcelain")).toBe(""); // git now believes the file is unchanged

    const { patch, files } = await pool.finish(worktree);
    expect(files).toEqual(["src/a.ts"]);
    expect(patch.toString()).toContain("+export const a = 666;");
    const next = await pool.acquire();
    expect(readFileSync(join(next.dir, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
  });
});

describe("what an unsandboxed task can leave behind", () => {
  it("a sparse checkout does not survive the reset: the next task gets every file", async () => {
    const worktree = await pool.acquire();
    git(worktree.dir, "sparse-checkout", "set", "--no-cone", "/src/");
    expect(existsSync(join(worktree.dir, "README.md"))).toBe(false);
    await pool.finish(worktree);
    const next = await pool.acquire();
    expect(git(next.dir, "ls-files", "-v").split("\n").filter((line) => /^[a-zS]/.test(line))).toEqual([]);
    expectCleanCheckout(next);
  });
});

describe("the patch", () => {
  it("is not run through a textconv driver (a patch of textconv output does not apply)", async () => {
    const worktree = await pool.acquire();
    // A diff driver the user configured (git-crypt, exiftool...), chosen by an attribute.
    git(repo, "config", "diff.hex.textconv", "od -c");
    writeFileSync(join(worktree.dir, ".gitattributes"), "*.ts diff=hex\n");
    writeFileSync(join(worktree.dir, "src/a.ts"), "export const a = 2;\n");
    const { patch } = await pool.finish(worktree);
    expect(patch.toString()).toContain("+export const a = 2;");
    expect(patch.toString()).not.toMatch(/0000000 {3}e {3}x/);
  });

  it("lists every file its patch changes: a tracked file replaced by a nested repository is deleted by the patch", async () => {
    const worktree = await pool.acquire();
    rmSync(join(worktree.dir, "README.md"));
    git(worktree.dir, "init", "--quiet", "README.md");
    writeFileSync(join(worktree.dir, "README.md/x"), "x\n");
    git(join(worktree.dir, "README.md"), "add", "--all");
    git(join(worktree.dir, "README.md"), "commit", "--quiet", "-m", "nested");
    const { patch, files } = await pool.finish(worktree);
    const touched = [...patch.toString().matchAll(/^diff --git a\/(\S+) /gm)].map((match) => match[1]);
    expect(files.sort()).toEqual([...new Set(touched)].sort());
  });
});

describe("edge cases that work", () => {
  it("a tracked folder replaced by a symlink to a folder outside: the outside is untouched, the next worktree clean", async () => {
    writeFileSync(join(outside, "a.ts"), "outside\n");
    const worktree = await pool.acquire();
    rmSync(join(worktree.dir, "src"), { recursive: true });
    symlinkSync(outside, join(worktree.dir, "src"));
    symlinkSync(outside, join(worktree.dir, "untracked-link"));
    const { files } = await pool.finish(worktree);
    expect(files.sort()).toEqual(["src", "src/a.ts", "untracked-link"]);
    expect(readdirSync(outside)).toEqual(["a.ts"]);
    expect(readFileSync(join(outside, "a.ts"), "utf8")).toBe("outside\n");
    expectCleanCheckout(await pool.acquire());
  });

  it("a file replaced by a folder and a folder replaced by a file come back as committed", async () => {
    const worktree = await pool.acquire();
    rmSync(join(worktree.dir, "README.md"));
    mkdirSync(join(worktree.dir, "README.md/deeper"), { recursive: true });
    writeFileSync(join(worktree.dir, "README.md/deeper/x"), "x\n");
    rmSync(join(worktree.dir, "src"), { recursive: true });
    writeFileSync(join(worktree.dir, "src"), "a file now\n");
    const { files } = await pool.finish(worktree);
    expect(files.sort()).toEqual(["README.md", "README.md/deeper/x", "src", "src/a.ts"]);
    expectCleanCheckout(await pool.acquire());
  });

  it("executable bits and odd file names (leading dash, colon, newline) are in the patch and gone after the reset", async () => {
    const worktree = await pool.acquire();
    git(worktree.dir, "update-index", "--chmod=+x", "src/a.ts");
    chmodSync(join(worktree.dir, "src/a.ts"), 0o755);
    for (const name of ["-rf", ":colon", "new\nline", "--all"]) writeFileSync(join(worktree.dir, name), "x\n");
    const { patch, files } = await pool.finish(worktree);
    expect(files.sort()).toEqual(["--all", "-rf", ":colon", "new\nline", "src/a.ts"].sort());
    expect(patch.toString()).toContain("new mode 100755");
    const next = await pool.acquire();
    expectCleanCheckout(next);
    expect(git(next.dir, "ls-files", "-s", "src/a.ts")).toMatch(/^100644 /);
  });

  it("a folder the task made read-only: the worktree is discarded rather than handed out dirty", async () => {
    const worktree = await pool.acquire();
    mkdirSync(join(worktree.dir, "locked"));
    writeFileSync(join(worktree.dir, "locked/f"), "x\n");
    chmodSync(join(worktree.dir, "locked"), 0o555);
    try {
      await pool.finish(worktree).catch(() => undefined);
      const next = await pool.acquire();
      if (process.getuid?.() !== 0) expect(next.dir).not.toBe(worktree.dir);
      expect(existsSync(join(next.dir, "locked"))).toBe(false);
    } finally {
      if (existsSync(join(worktree.dir, "locked"))) chmodSync(join(worktree.dir, "locked"), 0o755);
    }
  });
});
