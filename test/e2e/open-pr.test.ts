import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startCliSteps, type CliSteps } from "../helpers/cli-steps.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir } from "../helpers/repo.ts";

const write = (path: string, content: string) => ({ tool_calls: [{ name: "write_file", arguments: { path, content } }] });

let openai: FakeOpenAI;
let github: FakeGitHub;
let repo: string;
let origin: string;
let scratch: string;
/** The runs refused on their flags, and --help, in one process (cli-steps.ts). */
let steps: CliSteps;

/** `nanocoder batch` as a user runs it locally: GitHub reached through GITHUB_API_URL, pushes to the bare origin. */
function batch(...args: string[]): Promise<CliResult> {
  return runBatch(runCli, args);
}

/** A run of `batch` refused on its flags before anything runs. */
function refusedBatch(...args: string[]): Promise<CliResult> {
  return runBatch(steps.run, args);
}

function runBatch(run: typeof runCli, args: string[]): Promise<CliResult> {
  return run(["batch", "tasks/*.yaml", "--base-url", openai.url, "--model", "scripted", ...args], {
    cwd: repo,
    env: { GITHUB_TOKEN: "ghp_localtoken42", GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: github.url },
  });
}

const originBranches = () => git(origin, "for-each-ref", "--format=%(refname:short)", "refs/heads").trim().split("\n").sort();
const pullFrom = (branch: string) => github.pulls.find((pull) => pull.head === branch);
const labelRequestsFor = (number: number | undefined) =>
  github.requests.filter((request) => request.method === "POST" && request.path === `/repos/acme/widgets/issues/${String(number)}/labels`);

beforeAll(async () => {
  openai = await startFakeOpenAI([
    { match: "Write alpha", turns: [write("alpha.txt", "alpha\n"), { content: "Wrote alpha." }] },
    { match: "Write beta", turns: [write("beta.txt", "beta\n"), { content: "Wrote beta." }] },
  ]);
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-open-pr-"));
  steps = startCliSteps();
  repo = createRepo({
    "README.md": "widgets\n",
    "tasks/alpha.yaml": "title: Add alpha\nprompt: Write alpha.txt.\n",
    "tasks/beta.yaml": "prompt: Write beta.txt.\n",
  });
  origin = join(scratch, "origin.git");
  addBareOrigin(repo, origin);
});

afterAll(async () => {
  await steps.close();
  await openai.close();
  await github.close();
  removeDir(repo);
  removeDir(scratch);
});

describe("batch --open-pr with the pull-request flags", () => {
  it("pushes <branch-prefix><task-id> and opens draft pull requests with the labels", async () => {
    const run = await batch("--open-pr", "per-task", "--branch-prefix", "bot/nightly-", "--pr-labels", "nanocoder, refactoring,,", "--pr-draft");
    expect(run.stderr).not.toMatch(/pull request for .*:/);
    expect(run.code).toBe(0);
    expect(originBranches()).toEqual(["bot/nightly-alpha", "bot/nightly-beta", "main"]);
    expect(git(origin, "show", "bot/nightly-alpha:alpha.txt")).toBe("alpha\n");
    for (const branch of ["bot/nightly-alpha", "bot/nightly-beta"]) {
      expect(pullFrom(branch)).toMatchObject({ base: "main", draft: true, labels: ["nanocoder", "refactoring"] });
      expect(labelRequestsFor(pullFrom(branch)?.number).map((request) => request.body)).toEqual([{ labels: ["nanocoder", "refactoring"] }]);
    }
  });

  it("keeps the Action's defaults without them: nanocoder/ branches, no labels, not drafts", async () => {
    const run = await batch("--open-pr", "combined");
    expect(run.code).toBe(0);
    expect(originBranches()).toEqual(["bot/nightly-alpha", "bot/nightly-beta", "main", "nanocoder/batch"]);
    expect(git(origin, "show", "nanocoder/batch:beta.txt")).toBe("beta\n");
    const pull = pullFrom("nanocoder/batch");
    expect(pull).toMatchObject({ base: "main", draft: false, labels: [] });
    expect(labelRequestsFor(pull?.number)).toEqual([]);
  });

  it("leaves the checkout as it was", () => {
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(git(repo, "branch", "--format=%(refname:short)").trim()).toBe("main");
  });
});

describe("the pull-request flags are refused with exit 2 before anything runs", () => {
  it.each([
    [["--pr-draft"], /^--pr-draft only applies to pull requests: add --open-pr per-task or --open-pr combined, or drop --pr-draft\n$/],
    [["--branch-prefix", "bot/"], /^--branch-prefix only applies to pull requests: add --open-pr/],
    [["--base-branch", "develop"], /^--base-branch only applies to pull requests: add --open-pr/],
    [["--open-pr", "none", "--pr-labels", "nanocoder"], /^--pr-labels only applies to pull requests: add --open-pr/],
    [["--open-pr", "per-task", "--branch-prefix", ""], /^--branch-prefix: expected a prefix such as nanocoder\/ or bot\/, got ""\n$/],
    [["--open-pr", "per-task", "--branch-prefix", "bad..prefix/"], /^--branch-prefix: "bad\.\.prefix\/" cannot start a git branch name .*; use e\.g\. nanocoder\/\n$/],
    [["--open-pr", "per-task", "--branch-prefix", "with space/"], /^--branch-prefix: "with space\/" cannot start a git branch name/],
    [["--open-pr", "combined", "--pr-labels", " , "], /^--pr-labels: expected labels separated by commas, e\.g\. nanocoder,refactoring, got " , "\n$/],
  ])("%j", async (args, message) => {
    const requestsBefore = { openai: openai.requests.length, github: github.requests.length };
    const branchesBefore = originBranches();
    const run = await refusedBatch("--out", join(scratch, "refused-run"), ...args);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(existsSync(join(scratch, "refused-run"))).toBe(false);
    expect({ openai: openai.requests.length, github: github.requests.length }).toEqual(requestsBefore);
    expect(originBranches()).toEqual(branchesBefore);
  });

  it("lists them in batch --help", async () => {
    const help = await steps.run(["batch", "--help"], { cwd: repo });
    expect(help.code).toBe(0);
    for (const flag of ["--branch-prefix", "--pr-labels", "--pr-draft"]) expect(help.stdout).toContain(flag);
  });
});
