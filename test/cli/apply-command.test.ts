/**
 * The `git apply` line `nanocoder run` prints for its patch, pasted where the run started: at the top of the
 * repository, and in a subfolder, where a bare `git apply` skips the paths outside it and still exits 0.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyCommand } from "../../src/cli/commands/run.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

const repo = createRepo({ "packages/util/index.js": "export const util = 1;\n", "packages/core/index.js": "export const core = 1;\n" });
afterAll(() => removeDir(repo));

/** A patch that changes packages/util/index.js, saved under the run folder as `run` saves it, with the tree put back. */
function savedPatch(name: string): string {
  writeFileSync(join(repo, "packages/util/index.js"), "export const util = 2;\n");
  const patch = join(repo, ".nanocoder/runs", name, "tasks/run/patch.diff");
  mkdirSync(join(patch, ".."), { recursive: true });
  writeFileSync(patch, git(repo, "diff"));
  git(repo, "checkout", "--", "packages/util/index.js");
  return patch;
}

const paste = (line: string, cwd: string) => execFileSync("sh", ["-c", line], { cwd, stdio: "pipe" });
const util = () => readFileSync(join(repo, "packages/util/index.js"), "utf8");

describe("the git apply line run prints", () => {
  it("at the top of the repository: git apply with the path from there", () => {
    const patch = savedPatch("top run");
    const line = applyCommand(repo, patch, repo);
    expect(line).toBe("git apply '.nanocoder/runs/top run/tasks/run/patch.diff'");
    paste(line, repo);
    expect(util()).toBe("export const util = 2;\n");
    git(repo, "checkout", "--", "packages/util/index.js");
  });

  it("in a subfolder: names the top, so the files outside the subfolder are changed too", () => {
    const patch = savedPatch("sub");
    const cwd = join(repo, "packages/core");
    // What the line would be without -C applies nothing, and says nothing of it: the reason for -C.
    paste(`git apply ${patch}`, cwd);
    expect(util()).toBe("export const util = 1;\n");
    const line = applyCommand(repo, patch, cwd);
    expect(line).toBe(`git -C ${repo} apply ${patch}`);
    paste(line, cwd);
    expect(util()).toBe("export const util = 2;\n");
  });
});
