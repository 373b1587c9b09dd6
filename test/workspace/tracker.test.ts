import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changedPaths, undoChanges, type WorktreeChange } from "../../src/workspace/changes.ts";
import { createWorktreePool, type WorktreePool } from "../../src/workspace/pool.ts";
import { whereChanged, takeSnapshot } from "../../src/workspace/snapshot.ts";
import { createChangeTracker, type ChangeTracker } from "../../src/workspace/tracker.ts";
import type { Worktree } from "../../src/workspace/worktree.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

/** Tracked files under `locked/` matter (as files a policy refuses writing do); others do not. */
const matters = (path: string) => path.startsWith("locked/") || path === "README.md";
const leaveOut = ["node_modules"];

/** One repository for the file: each test works in a worktree of its own, and puts back what it changes in the repository. */
let repo: string;
let base: string;
let root: string;
let outside: string;
let pool: WorktreePool;
let worktree: Worktree;
let tracker: ChangeTracker;

beforeAll(() => {
  repo = createRepo({
    "README.md": "# r\n",
    ".gitignore": "*.log\nnode_modules/\n",
    "locked/a.txt": "aaaa\n",
    "locked/deep/b.txt": "bbbb\n",
    "src/c.ts": "export const c = 1;\n",
    "src/d.ts": "export const d = 1;\n",
    "src/kept.txt": "kept\n",
  });
  base = git(repo, "rev-parse", "HEAD").trim();
});

afterAll(() => removeDir(repo));

beforeEach(async () => {
  outside = mkdtempSync(join(tmpdir(), "nanocoder-tracker-outside-"));
  mkdirSync(join(outside, "pkg"));
  writeFileSync(join(outside, "pkg/index.js"), "x\n");
  root = mkdtempSync(join(tmpdir(), "nanocoder-tracker-test-"));
  pool = createWorktreePool({ repoRoot: repo, base, root });
  worktree = await pool.acquire();
  // A linked dependency folder: one link per entry, into a folder outside the worktree.
  mkdirSync(join(worktree.dir, "node_modules"));
  symlinkSync(join(outside, "pkg"), join(worktree.dir, "node_modules/pkg"));
  tracker = await createChangeTracker(worktree, { leaveOut, matters });
  await tracker.look();
});

afterEach(async () => {
  await pool.close();
  removeDir(root);
  removeDir(outside);
});

/** What the tracker promises to get right: every new path (ignored or not) and every change to a tracked file that matters. */
function promised(changes: readonly WorktreeChange[]): WorktreeChange[] {
  return changes.filter((change) => !change.tracked || matters(change.path));
}

async function expectSameAsGit(): Promise<WorktreeChange[]> {
  const seen = await tracker.look();
  const everywhere = await changedPaths(worktree, leaveOut);
  expect(promised(seen)).toEqual(promised(everywhere));
  return seen;
}

const at = (path: string) => join(worktree.dir, path);

describe("the tracker sees what git would, after every kind of change", () => {
  it.each<[string, () => void, WorktreeChange[]]>([
    ["a new file", () => writeFileSync(at("src/new.ts"), "x\n"), [{ path: "src/new.ts", tracked: false }]],
    ["a new ignored file", () => writeFileSync(at("src/run.log"), "x\n"), [{ path: "src/run.log", tracked: false, ignored: true }]],
    ["a new link, leading out of the worktree", () => symlinkSync("/etc", at("src/etc")), [{ path: "src/etc", tracked: false }]],
    ["a new folder of new files", () => {
      mkdirSync(at("gen/x/y"), { recursive: true });
      writeFileSync(at("gen/x/y/z.txt"), "z\n");
    }, [{ path: "gen/x/y/z.txt", tracked: false }]],
    ["a watched file rewritten with the same size and its time put back", () => {
      const { atime, mtime } = statSync(at("locked/a.txt"));
      writeFileSync(at("locked/a.txt"), "AAAA\n");
      utimesSync(at("locked/a.txt"), atime, mtime);
    }, [{ path: "locked/a.txt", tracked: true }]],
    ["a watched file made executable", () => chmodSync(at("locked/deep/b.txt"), 0o755), [{ path: "locked/deep/b.txt", tracked: true }]],
    ["a watched file deleted", () => unlinkSync(at("README.md")), [{ path: "README.md", tracked: true }]],
    ["a watched file replaced by a link", () => {
      unlinkSync(at("locked/a.txt"));
      symlinkSync("deep/b.txt", at("locked/a.txt"));
    }, [{ path: "locked/a.txt", tracked: true }]],
    ["a watched file replaced by a folder", () => {
      unlinkSync(at("locked/a.txt"));
      mkdirSync(at("locked/a.txt"));
      writeFileSync(at("locked/a.txt/inner"), "x\n");
    }, [{ path: "locked/a.txt", tracked: true }, { path: "locked/a.txt/inner", tracked: false }]],
    ["a tracked file moved to a new name", () => renameSync(at("src/c.ts"), at("src/e.ts")), [{ path: "src/e.ts", tracked: false }]],
  ])("%s", async (_, change, expected) => {
    change();
    expect(promised(await expectSameAsGit())).toEqual(expected);
  });

  it("a new file after a look where nothing changed", async () => {
    expect(await expectSameAsGit()).toEqual([]);
    writeFileSync(at("locked/deep/new.txt"), "x\n");
    expect(await expectSameAsGit()).toEqual([{ path: "locked/deep/new.txt", tracked: false }]);
  });

  it("a file git ignored until .gitignore changed, and back (its names stay the same)", async () => {
    writeFileSync(at("src/build.out"), "x\n");
    expect(await expectSameAsGit()).toEqual([{ path: "src/build.out", tracked: false }]);
    writeFileSync(at(".gitignore"), "*.log\nnode_modules/\n*.out\n");
    expect(promised(await expectSameAsGit())).toEqual([{ path: "src/build.out", tracked: false, ignored: true }]);
    mkdirSync(at("src/sub"));
    writeFileSync(at("src/sub/.gitignore"), "!*.log\n");
    writeFileSync(at("src/sub/x.log"), "x\n");
    await expectSameAsGit();
    writeFileSync(at("src/sub/.gitignore"), "# nothing\n");
    await expectSameAsGit();
  });

  it("a file ignored by the repository's info/exclude, which a command outside a sandbox could change", async () => {
    writeFileSync(at("src/notes.md"), "x\n");
    await expectSameAsGit();
    const exclude = join(worktree.commonDir, "info/exclude");
    const before = existsSync(exclude) ? readFileSync(exclude) : undefined;
    try {
      mkdirSync(join(worktree.commonDir, "info"), { recursive: true });
      writeFileSync(exclude, "notes.md\n");
      expect(promised(await expectSameAsGit())).toEqual([{ path: "src/notes.md", tracked: false, ignored: true }]);
    } finally {
      if (before === undefined) rmSync(exclude, { force: true });
      else writeFileSync(exclude, before);
    }
  });

  it("a file ignored through a settings file that an include names, made only after the tracker started", async () => {
    const extra = join(outside, "extra.cfg");
    git(repo, "config", "include.path", extra);
    try {
      tracker = await createChangeTracker(worktree, { leaveOut, matters });
      writeFileSync(at("src/notes.md"), "x\n");
      expect(await expectSameAsGit()).toEqual([{ path: "src/notes.md", tracked: false }]);
      writeFileSync(join(outside, "ignore"), "notes.md\n");
      writeFileSync(extra, `[core]\n\texcludesFile = ${join(outside, "ignore")}\n`);
      expect(promised(await expectSameAsGit())).toEqual([{ path: "src/notes.md", tracked: false, ignored: true }]);
    } finally {
      git(repo, "config", "--unset", "include.path");
    }
  });

  it("a repository of its own, and the same folder once it is no longer one", async () => {
    git(worktree.dir, "init", "--quiet", "nested");
    writeFileSync(at("nested/file.txt"), "x\n");
    expect(await expectSameAsGit()).toEqual([]);
    rmSync(at("nested/.git/HEAD"));
    expect(promised(await expectSameAsGit()).map((change) => change.path)).toContain("nested/file.txt");
  });

  it("put back by undoChanges: the folders are looked at again", async () => {
    writeFileSync(at("locked/a.txt"), "changed\n");
    writeFileSync(at("locked/new.txt"), "x\n");
    const changes = promised(await expectSameAsGit());
    await undoChanges(worktree, changes);
    tracker.undone(changes.map((change) => change.path));
    expect(await expectSameAsGit()).toEqual([]);
  });

  it("never looks into linked dependency folders or through links", async () => {
    writeFileSync(join(outside, "pkg/new.js"), "x\n");
    symlinkSync(outside, at("src/out"));
    await expectSameAsGit();
    const snapshot = await takeSnapshot(worktree.dir, { leaveOut: new Set(leaveOut), watch: () => true, stamp: `${worktree.dir}.stamp`, watchedAtMost: 100 });
    const folders = [...(snapshot?.folders.keys() ?? [])];
    expect(folders).toContain("src");
    expect(folders.filter((folder) => folder.startsWith("node_modules") || folder.startsWith("src/out"))).toEqual([]);
  });
});

describe("snapshots", () => {
  const options = () => ({ leaveOut: new Set<string>(), watch: (path: string) => path.startsWith("locked/"), stamp: `${worktree.dir}.stamp`, watchedAtMost: 100 });

  it("do not vouch for a watched file changed in the tick they were taken in (git's racy case)", async () => {
    const future = new Date("2100-01-01T00:00:00Z");
    utimesSync(at("locked/deep/b.txt"), future, future);
    const snapshot = await takeSnapshot(worktree.dir, options());
    expect([...(snapshot?.unsure ?? [])]).toEqual(["locked/deep"]);
    const again = await takeSnapshot(worktree.dir, options());
    expect(snapshot && again && whereChanged(snapshot, again)).toEqual(["locked/deep"]);
  });

  it("agree when nothing changed, and name what did: each name, or the folder when the name changes what git lists in it", async () => {
    const before = await takeSnapshot(worktree.dir, options());
    const same = await takeSnapshot(worktree.dir, options());
    expect(before && same && whereChanged(before, same)).toEqual([]);
    mkdirSync(at("src/x/y"), { recursive: true });
    writeFileSync(at("locked/deep/b.txt"), "changed\n");
    // Past the file system clock's tick of that write, else the snapshot rightly does not vouch for it.
    await pastClockTickOf(at("locked/deep/b.txt"));
    const after = await takeSnapshot(worktree.dir, { ...options(), ...(same ? { previous: same } : {}) });
    expect(before && after && whereChanged(before, after)).toEqual(["locked/deep/b.txt", "src/x"]);
    writeFileSync(at("src/.gitignore"), "*.tmp\n");
    const withRules = await takeSnapshot(worktree.dir, options());
    expect(after && withRules && whereChanged(after, withRules)).toEqual(["src"]);
  });

  it("are not taken when more files are watched than allowed", async () => {
    expect(await takeSnapshot(worktree.dir, { ...options(), watch: () => true, watchedAtMost: 3 })).toBeUndefined();
  });
});

/** Waits until a file written now gets a later time stamp than `path`'s last change: the file system's clock has ticked. */
async function pastClockTickOf(path: string): Promise<void> {
  const changed = statSync(path, { bigint: true });
  const probe = `${worktree.dir}.tick`;
  await expect.poll(() => {
    writeFileSync(probe, "");
    const now = statSync(probe, { bigint: true }).mtimeNs;
    rmSync(probe, { force: true });
    return now > changed.mtimeNs && now > changed.ctimeNs;
  }).toBe(true);
}
