import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitCommand, gitScript } from "../../src/workspace/git.ts";
import { git, removeDir } from "../helpers/repo.ts";

let scratch: string;
afterEach(() => removeDir(scratch));

describe("gitScript and gitCommand", () => {
  it("passes every word as it is, whatever quotes, spaces or shell syntax it holds", async () => {
    scratch = await mkdtemp(join(tmpdir(), "nanocoder-git-steps-"));
    const repo = join(scratch, `it's a "repo" $HOME`);
    mkdirSync(repo);
    git(repo, "init", "--quiet", "--initial-branch=main");
    writeFileSync(join(repo, "a b'c.txt"), "x\n");
    const message = `it's $(touch pwned) \`id\` "quoted"`;
    const steps = [
      ["add", "--all"],
      ["-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "--quiet", "-m", message],
      ["log", "-1", "--format=%s"],
      ["ls-files", "-z"],
    ];
    const out = await gitScript(steps.map((args) => gitCommand(args)).join(" && "), repo, "the steps");
    expect(out.toString()).toBe(`${message}\na b'c.txt\0`);
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  it("stops at the first step that fails and names the work", async () => {
    scratch = await mkdtemp(join(tmpdir(), "nanocoder-git-steps-"));
    git(scratch, "init", "--quiet");
    const script = [["rev-parse", "--verify", "--quiet", "no-such-ref"], ["commit", "--allow-empty", "-m", "x"]].map((args) => gitCommand(args)).join(" && ");
    await expect(gitScript(script, scratch, "checking a ref")).rejects.toThrow(/^checking a ref failed \(exit 1\)/);
    expect(() => git(scratch, "rev-parse", "HEAD")).toThrow();
  });
});
