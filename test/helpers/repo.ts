import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@localhost",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@localhost",
  // Every commit would otherwise start `git maintenance run --auto`, a process that finds nothing to do in
  // a repository of a few files: one process less per commit the tests make.
  GIT_CONFIG_COUNT: "1",
  GIT_CONFIG_KEY_0: "maintenance.auto",
  GIT_CONFIG_VALUE_0: "false",
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...GIT_IDENTITY } });
}

/** The git commands of a snapshot, as one shell script whose outputs are separated by NUL bytes. */
const SNAPSHOT_GIT = 'git status --porcelain --ignored; printf "\\0"; git branch --all --verbose --no-abbrev; printf "\\0"; git stash list --format="%H %gd %s"';

/**
 * A fresh git repository in a temporary folder holding `files`, committed once. Its git commands run in one
 * shell, as do the snapshot's: each process the test worker (a large process) starts costs it far more than
 * the shell's own start.
 */
export function createRepo(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-test-repo-"));
  writeFiles(dir, files);
  execFileSync("sh", ["-c", "git init --quiet --initial-branch=main && git add --all && git commit --quiet -m initial"], { cwd: dir, stdio: "ignore", env: { ...process.env, ...GIT_IDENTITY } });
  createdState.set(dir, snapshotTree(dir));
  return dir;
}

/** Each repository's state right after createRepo, for `changedSinceCreated`. */
const createdState = new Map<string, Record<string, string>>();

/** The repository's fingerprint now and right after it was created, to compare in a test. */
export function changedSinceCreated(dir: string): { now: Record<string, string>; created: Record<string, string> | undefined } {
  return { now: snapshotTree(dir), created: createdState.get(dir) };
}

/** Makes a bare repository at `origin`, adds it to `repo` as its `origin` remote and pushes main there. */
export function addBareOrigin(repo: string, origin: string): void {
  git(dirname(origin), "init", "--quiet", "--bare", origin);
  git(repo, "remote", "add", "origin", origin);
  git(repo, "push", "--quiet", "origin", "main");
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A fingerprint of everything a user could lose: every file's bytes (git metadata included, except
 * git's own worktree bookkeeping), the index, HEAD, the branches and the stash. `skip` names folders to leave out (run outputs).
 */
export function snapshotTree(dir: string, skip: string[] = []): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const rel = relative(dir, path);
      if (skip.includes(rel) || rel === ".git/worktrees" || rel.startsWith(".git/objects")) continue;
      if (entry.isDirectory()) walk(path);
      else snapshot[rel] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  // The files first: git status refreshes the index, which would otherwise show a file touched and put back.
  walk(dir);
  const [status = "", branches = "", stash = ""] = execFileSync("sh", ["-c", SNAPSHOT_GIT], { cwd: dir, encoding: "utf8", env: { ...process.env, ...GIT_IDENTITY } }).split("\0");
  snapshot["git status"] = status
    .split("\n")
    .filter((line) => !skip.some((folder) => line.slice(3).startsWith(folder)))
    .join("\n");
  snapshot["git branches"] = branches;
  snapshot["git stash"] = stash;
  return snapshot;
}
