import { describe } from "vitest";
import { decideEach, maintainerPolicy, protectedStarter, writeAnywhere } from "./workspaces.ts";

/* Paths that leave the workspace and come back are checked as the workspace path; outside, reads are left to the sandbox. */

describe("1. paths that leave the workspace and come back are checked as the workspace path", () => {
  describe("per-process paths under /proc and paths through a descriptor are refused (starter policy)", () => {
    decideEach(() => protectedStarter, [
      ["git diff --no-index /proc/self/cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index /proc/thread-self/cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index /proc/1/cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index /proc/self/root/WS/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index /proc/self/fd/3/.env /dev/null 3< .", "deny", "workspace"],
      ["git diff --no-index /dev/fd/3/.env /dev/null 3< .", "deny", "workspace"],
      // /dev/stdin is /proc/self/fd/0: `..` from there is /proc/self/fd, and `../cwd` the command's folder.
      ["git diff --no-index /dev/stdin/../cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index ../../../../../../../../../../proc/self/cwd/.env /dev/null", "deny", "workspace"],
      // A link in the workspace to /proc/self/cwd.
      ["git diff --no-index src/cwd/.env /dev/null", "deny", "workspace"],
      ["git diff --no-index README.md /dev/null", "allow"],
      ["git diff > /proc/self/cwd/src/x.patch", "deny", "commands.redirect"],
      ["git diff 2> /dev/stderr", "allow"],
    ]);
  });

  describe("reads and writes through /proc/self/cwd (issue policy)", () => {
    decideEach(() => maintainerPolicy, [
      ["cat /proc/self/cwd/.env", "deny", "workspace"],
      ["cp src/a.ts /proc/self/cwd/.github/workflows/ci.yml", "deny", "workspace"],
      ["cp src/a.ts /proc/self/cwd/.nanocoder/policy.yaml", "deny", "workspace"],
      ["cp src/a.ts /proc/self/cwd/.git/config", "deny", "workspace"],
      ["ln -s /proc/self/cwd/.env src/e", "deny", "workspace"],
      ["cd /proc/self/cwd && cat .env", "deny"],
    ]);
  });

  describe("`..` and absolute paths that lead back in", () => {
    decideEach(() => maintainerPolicy, [
      ["cd .. && cat ws/.env", "deny", "files.read.deny[0]"],
      ["cat ../ws/.env", "deny", "files.read.deny[0]"],
      ["cat WS/.env", "deny", "files.read.deny[0]"],
      ["cd WS/src && cat ../.env", "deny", "files.read.deny[0]"],
      ["cp src/a.ts ../ws/.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["cp src/a.ts WS/.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["cd .. && cp ws/src/a.ts ws/.github/workflows/ci.yml", "deny"],
      // src/lnk is src/deep/er: the kernel takes `..` from the link's target, two levels below src.
      ["cat src/lnk/../../../.env", "deny", "files.read.deny[0]"],
      ["cp src/a.ts src/lnk/../../../.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
      ["cat WS/src/a.ts", "allow"],
      ["cp src/a.ts WS/src/copy.ts", "allow"],
    ]);
  });

  describe("outside the workspace: reads are left to the sandbox, writes refused but for /tmp and the output streams", () => {
    decideEach(() => maintainerPolicy, [
      ["cat /etc/os-release", "allow"],
      ["cp src/a.ts /etc/nanocoder-x", "deny", "workspace"],
      ["cp src/a.ts ../../../../../../../../../../etc/nanocoder-x", "deny", "workspace"],
      // The workspace's own neighbours in /tmp (other tasks' worktrees) are nanocoder's folders: refused.
      ["cp src/a.ts ../elsewhere.ts", "deny", "workspace"],
      ["cp src/a.ts /tmp/nanocoder-run-1/worktree-2/src/a.ts", "deny", "workspace"],
      ["touch /home/x", "deny", "workspace"],
      ["cp src/a.ts /tmp/copy.ts", "allow"],
      ["mkdir -p /tmp/build/out", "allow"],
      ["echo x | tee /dev/stderr", "allow"],
      ["echo x > /tmp/out.txt", "allow"],
      ["echo x > /etc/passwd", "deny", "commands.redirect"],
      ["echo x > ../elsewhere.txt", "deny", "commands.redirect"],
    ]);
  });

  describe("a cd to a folder the words do not name", () => {
    decideEach(() => maintainerPolicy, [
      ["cd src && cd - && cat .env", "deny", "workspace"],
      ["cd - && cp src/a.ts .github/workflows/ci.yml", "deny", "workspace"],
      ["cd src && cat a.ts", "allow"],
    ]);
    // `cd ..` back from a folder of the workspace stays inside: no write there counts as outside.
    decideEach(() => writeAnywhere, [
      ["cd src/deep && cd .. && touch a.ts", "allow"],
      ["cd src && (cd deep && cd ..) && touch a.ts", "allow"],
      ["cd .. && touch a.ts", "deny", "workspace"],
    ]);
  });
});
