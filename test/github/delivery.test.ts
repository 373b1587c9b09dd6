/**
 * Pull-request delivery (src/github/pulls.ts, git.ts) and of task ids as branch names
 * and folder names (src/task/schema.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskFileSchema } from "../../src/task/schema.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir } from "../helpers/repo.ts";

const TOKEN = "ghp_testtoken_abcdef123456";
const API_KEY = "sk-delivery-key-777";

const ALPHA_CHECK = "grep -q alpha alpha.txt || { echo 'alpha.txt does not say alpha yet'; exit 1; }";

const write = (path: string, content: string) => ({ tool_calls: [{ name: "write_file", arguments: { path, content } }] });

/** Every file under `dir` (binary included), as latin1 text for a substring search. */
function filesHolding(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path).toString("latin1").includes(needle)) found.push(path);
    }
  };
  walk(dir);
  return found;
}

describe("--open-pr delivery", () => {
  let openai: FakeOpenAI;
  let github: FakeGitHub;
  let repo: string;
  let origin: string;
  let scratch: string;
  let run: CliResult;

  const batch = (...args: string[]) =>
    runCli(["batch", "tasks/*.yaml", "--base-url", openai.url, "--model", "scripted", ...args], {
      cwd: repo,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: github.url, OPENAI_API_KEY: API_KEY },
    });
  const originBranches = () => git(origin, "for-each-ref", "--format=%(refname:short)", "refs/heads").trim().split("\n").sort();

  beforeAll(async () => {
    openai = await startFakeOpenAI([
      {
        match: "Write alpha",
        // The first draft fails the task's check; the second attempt passes it.
        turns: [
          write("alpha.txt", "draft\n"),
          { content: "Drafted alpha." },
          write("alpha.txt", "alpha\n"),
          { content: `Wrote alpha. (I saw the key ${API_KEY} and the token ${TOKEN} on the way.)` },
        ],
      },
      { match: "Write config", turns: [write("config.txt", `key=${API_KEY}\n`), { content: "Wrote the config." }] },
      { match: "Write other", turns: [write("other.txt", "other\n"), { content: "Wrote other." }] },
    ]);
    github = await startFakeGitHub("acme/widgets");
    scratch = mkdtempSync(join(tmpdir(), "nanocoder-delivery-"));
    repo = createRepo({ "README.md": "widgets\n", "tasks/alpha.yaml": `title: Add alpha\nprompt: Write alpha.txt.\nchecks:\n  - {name: says alpha, run: ${JSON.stringify(ALPHA_CHECK)}}\nretries: 1\n` });
    origin = join(scratch, "origin.git");
    addBareOrigin(repo, origin);
    run = await batch("--open-pr", "per-task", "--out", join(scratch, "run1"));
  }, 60_000);

  afterAll(async () => {
    await openai.close();
    await github.close();
    removeDir(repo);
    removeDir(scratch);
  });

  it("opens the pull request from nanocoder/alpha", () => {
    expect(run.stderr).not.toMatch(/pull request for .*:/);
    expect(run.code).toBe(0);
    expect(originBranches()).toEqual(["main", "nanocoder/alpha"]);
    expect(github.pulls.map((pull) => pull.head)).toEqual(["nanocoder/alpha"]);
    expect(github.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it("never writes the token into the checkout's .git (config, remote URLs, reflogs, FETCH_HEAD) nor the origin, nor prints it", () => {
    expect(filesHolding(join(repo, ".git"), TOKEN)).toEqual([]);
    expect(filesHolding(origin, TOKEN)).toEqual([]);
    expect(git(repo, "remote", "get-url", "origin").trim()).toBe(origin);
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    expect(filesHolding(join(scratch, "run1"), TOKEN)).toEqual([]);
  });
  it("keeps the API key and the token out of the pull request body and title", () => {
    const created = github.requests.filter((request) => request.method === "POST" && request.path === "/repos/acme/widgets/pulls");
    expect(created).toHaveLength(1);
    const sent = JSON.stringify(created[0]?.body);
    expect(sent).toContain("Wrote alpha.");
    expect(sent).not.toContain(API_KEY);
    expect(sent).not.toContain(TOKEN);
  });

  it("shows in the pull request body the end of a check that failed before a retry made it pass", () => {
    const body = String((github.requests.find((request) => request.method === "POST" && request.path === "/repos/acme/widgets/pulls")?.body as { body?: string } | undefined)?.body);
    expect(body).toContain("- ✔ `says alpha` (");
    expect(body).toContain(
      ["<details><summary>Attempt 1: <code>says alpha</code> failed (exit code 1)</summary>", "", "Its output (1 line), from `tasks/alpha/checks/1-says-alpha.log`:", "", "```text", "alpha.txt does not say alpha yet", "```", "", "</details>"].join("\n"),
    );
  });

  /**
   * One run that the three refusals to push below come from, each from a task of its own: with branch prefix
   * release/ and base branch release/alpha, alpha's branch would be the base branch; config's patch holds the
   * API key's value; and release/other is a branch under the prefix that someone else made.
   */
  let refusals: Promise<{ secret: CliResult; out: string; mainBefore: string; foreign: string }> | undefined;
  function runRefusals() {
    refusals ??= (async () => {
      writeFileSync(join(repo, "tasks/config.yaml"), "prompt: Write config.txt.\n");
      writeFileSync(join(repo, "tasks/other.yaml"), "prompt: Write other.txt.\n");
      git(repo, "add", "tasks");
      git(repo, "commit", "--quiet", "-m", "config and other tasks");
      git(repo, "push", "--quiet", "origin", "main", "main:refs/heads/release/other");
      const foreign = git(repo, "rev-parse", "main").trim();
      const mainBefore = git(origin, "rev-parse", "main").trim();
      const out = join(scratch, "run-refusals");
      const secret = await batch("--open-pr", "per-task", "--branch-prefix", "release/", "--base-branch", "release/alpha", "--out", out);
      git(repo, "rm", "--quiet", "tasks/config.yaml", "tasks/other.yaml");
      git(repo, "commit", "--quiet", "-m", "drop config and other tasks");
      return { secret, out, mainBefore, foreign };
    })();
    return refusals;
  }

  it("never pushes a patch that held a secret's value, says so, and keeps the patch with the value hidden", async () => {
    const { secret, out } = await runRefusals();
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain("config: not pushed: the patch holds a secret's value");
    expect(originBranches()).not.toContain("release/config");
    const result = JSON.parse(readFileSync(join(out, "tasks/config/result.json"), "utf8")) as { patch_has_secret?: boolean; status: string };
    expect(result).toMatchObject({ status: "succeeded", patch_has_secret: true });
    const patch = readFileSync(join(out, "tasks/config/patch.diff"), "utf8");
    expect(patch).toContain("+key=[REDACTED]");
    expect(patch).not.toContain(API_KEY);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("a patch held a secret's value** (config)");
  });

  it("refuses to push when the branch would be the base branch", async () => {
    const { secret: again, mainBefore } = await runRefusals();
    expect(again.stderr).toContain("refusing to push to the base branch release/alpha");
    expect(again.code).toBe(1);
    // Nothing was pushed: release/other is the branch someone else made (below).
    expect(originBranches()).toEqual(["main", "nanocoder/alpha", "release/other"]);
    expect(git(origin, "rev-parse", "main").trim()).toBe(mainBefore);
  });

  it("leaves alone a branch under the prefix whose last commit is not nanocoder's", async () => {
    const { secret: again, foreign } = await runRefusals();
    expect(again.stderr).toMatch(/branch release\/other exists and its last commit has no Nanocoder-Run trailer/);
    expect(git(origin, "rev-parse", "release/other").trim()).toBe(foreign);
  });
});

describe("task ids as folder and branch names", () => {
  it.each([".", ".."])("refuses the id %j, which names no folder of its own", (id) => {
    expect(taskFileSchema.safeParse({ id, prompt: "x" }).success).toBe(false);
  });

  it("accepts ordinary ids", () => {
    for (const id of ["add-jsdoc", "v1.2_fix", "-x", "a.b"]) expect(taskFileSchema.safeParse({ id, prompt: "x" }).success).toBe(true);
  });

  // Low: ids git refuses as a branch name are accepted, so --open-pr fails only after the task has run (and cost money).
  it.each(["a..b", "x.lock", ".hidden", "ends."])("refuses the id %j, which git refuses in a branch name", (id) => {
    const validBranch = (() => {
      try {
        execFileSync("git", ["check-ref-format", `refs/heads/nanocoder/${id}`]);
        return true;
      } catch {
        return false;
      }
    })();
    expect(validBranch).toBe(false);
    expect(taskFileSchema.safeParse({ id, prompt: "x" }).success).toBe(false);
  });

  describe("a task with id '..' in a run (e2e)", () => {
    let openai: FakeOpenAI;
    let repo: string;
    let out: string;

    beforeAll(async () => {
      openai = await startFakeOpenAI([
        { match: "First task", turns: [{ content: "first done" }] },
        { match: "Dotted task", turns: [{ content: "dotted done" }] },
      ]);
      repo = createRepo({ "tasks.yaml": "id: first\nprompt: First task.\n---\nid: ..\nprompt: Dotted task.\n" });
      out = join(mkdtempSync(join(tmpdir(), "nanocoder-dotdot-")), "out");
      await runCli(["batch", "tasks.yaml", "--base-url", openai.url, "--model", "scripted", "--out", out, "--concurrency", "1"], { cwd: repo });
    }, 60_000);

    afterAll(async () => {
      await openai.close();
      removeDir(repo);
      removeDir(join(out, ".."));
    });

    it("never deletes or overwrites the run folder's other files", () => {
      // Either the id is refused up front (nothing written), or the run folder is whole.
      if (!existsSync(out)) return;
      expect(existsSync(join(out, "tasks/first/result.json"))).toBe(true);
      expect(existsSync(join(out, "manifest.jsonl"))).toBe(true);
      expect(existsSync(join(out, "result.json"))).toBe(false);
    });
  });
});
