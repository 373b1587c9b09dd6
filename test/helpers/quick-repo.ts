import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFiles } from "./repo.ts";

/**
 * A fresh git repository in a temporary folder holding `files`, committed once, like createRepo (repo.ts),
 * made by one shell running the three git commands: each process the test process starts costs CPU, git
 * started from a small shell much less. No snapshot is kept, so `changedSinceCreated` does not know it.
 */
export function createCommittedRepo(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-test-repo-"));
  writeFiles(dir, files);
  execFileSync("sh", ["-c", "git init --quiet --initial-branch=main && git add --all && git commit --quiet -m initial"], {
    cwd: dir,
    stdio: "ignore",
    env: { ...process.env, GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@localhost", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@localhost" },
  });
  return dir;
}
