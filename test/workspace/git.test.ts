import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitSteps } from "../../src/workspace/git.ts";
import { git, removeDir } from "../helpers/repo.ts";

let scratch: string;
afterEach(() => removeDir(scratch));

describe("gitSteps", () => {
  it("passes every word as it is, whatever quotes, spaces or shell syntax it holds", async () => {
    scratch = await mkdtemp(join(tmpdir(), "nanocoder-git-steps-"));
    const repo = join(scratch, `it's a "repo" $HOME`);
    mkdirSync(repo);
    git(repo, "init", "--quiet", "--initial-branch=main");
    writeFileSync(join(repo, "a b'c.txt"), "x\n");
    const message = `it's $(touch pwned) \`id\` "quoted"`;
    const out = await gitSteps(
      [
        ["add", "--all"],
        ["-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "--quiet", "-m", message],
        ["log", "-1", "--format=%s"],
        ["ls-files", "-z"],
      ],
      repo,
    );
    expect(out.toString()).toBe(`${message}\na b'c.txt\0`);
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  it("stops at the first step that fails and says which steps ran", async () => {
    scratch = await mkdtemp(join(tmpdir(), "nanocoder-git-steps-"));
    git(scratch, "init", "--quiet");
    await expect(gitSteps([["rev-parse", "--verify", "--quiet", "no-such-ref"], ["commit", "--allow-empty", "-m", "x"]], scratch)).rejects.toThrow(
      /git rev-parse --verify --quiet no-such-ref && git commit .* failed \(exit 1\)/,
    );
    expect(() => git(scratch, "rev-parse", "HEAD")).toThrow();
  });
});
