/**
 * A pull request GitHub refuses fails the step (or the command), with the reason and how to fix it, while
 * the run's outputs, the job summary and the other tasks' pull requests are still delivered.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBundledAction, type ActionRun } from "../helpers/action.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeGitHub, type FakeGitHub, type GitHubRequest } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir } from "../helpers/repo.ts";

const TOKEN = "ghs_refused_token_1122";
const NOT_PERMITTED = "GitHub Actions is not permitted to create or approve pull requests.";
const write = (path: string, content: string) => ({ tool_calls: [{ name: "write_file", arguments: { path, content } }] });

let openai: FakeOpenAI;
let github: FakeGitHub;
let scratch: string;
/** The checkout (alpha and beta) that the runs refused a pull request, or cut off from GitHub, share: each its own branch prefix. */
let shared: { repo: string; origin: string };
let counter = 0;

beforeAll(async () => {
  openai = await startFakeOpenAI([
    { match: "Write alpha", turns: [write("alpha.txt", "alpha\n"), { content: "Wrote alpha." }] },
    { match: "Write beta", turns: [write("beta.txt", "beta\n"), { content: "Wrote beta." }] },
    { match: "Write gamma", turns: [write("gamma.txt", "gamma\n"), { content: "Wrote gamma." }] },
    { match: "Write delta", turns: [write("delta.txt", "delta\n"), { content: "Wrote delta." }] },
    { match: "Only talk", turns: [{ content: "Nothing to change." }] },
    { match: "Server breaks", turns: [{ status: 400, error_message: "bad request" }] },
  ]);
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-pull-refused-"));
  shared = makeRepo();
});

afterAll(async () => {
  await openai.close();
  await github.close();
  removeDir(shared.repo);
  removeDir(scratch);
});

function makeRepo(): { repo: string; origin: string } {
  const repo = createRepo({ "README.md": "widgets\n", ".gitignore": ".nanocoder/runs/\n", "tasks/alpha.yaml": "prompt: Write alpha.txt.\n", "tasks/beta.yaml": "prompt: Write beta.txt.\n" });
  const origin = mkdtempSync(join(scratch, "origin-"));
  addBareOrigin(repo, origin);
  return { repo, origin };
}

/** GitHub's answer to opening a pull request from `head` when the repository does not let Actions do it. */
const refuseCreatingFrom = (head: string) => (request: GitHubRequest) =>
  request.method === "POST" && request.path === "/repos/acme/widgets/pulls" && request.body.head === head ? { status: 403, message: NOT_PERMITTED } : undefined;

function runAction(repo: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runBundledAction({
    repo,
    scratch,
    githubUrl: github.url,
    name: `refused-${++counter}`,
    inputs: { tasks: "tasks/*.yaml", "base-url": openai.url, model: "scripted", "github-token": TOKEN, "open-pr": "per-task", "fail-on": "failed", ...inputs },
  });
}

describe("the Action, when GitHub refuses one pull request", () => {
  let run: ActionRun;
  let origin: string;

  beforeAll(async () => {
    origin = shared.origin;
    github.refuse = refuseCreatingFrom("refused-a/beta");
    // fail-on never: the tasks all succeed, and a lost pull request fails the step anyway.
    run = await runAction(shared.repo, { "branch-prefix": "refused-a/", "fail-on": "never" });
    github.refuse = undefined;
  });

  it("fails the step with an error annotation that gives the reason and the setting to change", () => {
    expect(run.code).toBe(1);
    const errors = run.stdout.split("\n").filter((line) => line.startsWith("::error"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`pull request for refused-a/beta: ${NOT_PERMITTED}`);
    expect(errors[0]).toContain('Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests"');
    expect(errors[0]).toContain("as github-token");
  });

  it("still opens the other task's pull request, and sets the outputs and the job summary", () => {
    const alpha = github.pulls.find((pull) => pull.head === "refused-a/alpha");
    expect(alpha).toBeDefined();
    expect(github.pulls.find((pull) => pull.head === "refused-a/beta")).toBeUndefined();
    expect(run.outputs).toMatchObject({ succeeded: "2", failed: "0", "total-cost-usd": "0" });
    expect(JSON.parse(run.outputs["pr-urls"] ?? "")).toEqual([alpha?.html_url]);
    expect(run.summary).toContain("2 of 2 tasks succeeded");
    expect(run.summary).toContain(`- alpha: [#${alpha?.number}](${alpha?.html_url}) (opened)`);
    expect(run.summary).toMatch(/- beta: no pull request: GitHub Actions is not permitted .*Allow GitHub Actions to create and approve pull requests/);
    // The branch was pushed before GitHub refused the pull request: the change is not lost.
    expect(git(origin, "show", "refused-a/beta:beta.txt")).toBe("beta\n");
  });
});

/**
 * Two nights of alpha, beta and gamma. The first, on the command line, opens their pull requests (delta's is
 * refused: the command-line test below). The next night: alpha's branch is pushed but GitHub refuses to
 * update its pull request's description; beta changes nothing and gamma fails this time, so their open pull
 * requests from the first run are left as they were.
 */
let twoNights: Promise<{ first: CliResult; run: ActionRun; origin: string; firstRunBody: string }> | undefined;
const pullOf = (task: string) => github.pulls.find((pull) => pull.head === `refused-d/${task}`);

function runTwoNights() {
  twoNights ??= (async () => {
    const repo = createRepo({
      "README.md": "widgets\n",
      ".gitignore": ".nanocoder/runs/\n",
      "tasks/alpha.yaml": "prompt: Write alpha.txt.\n",
      "tasks/beta.yaml": "prompt: Write beta.txt.\n",
      "tasks/gamma.yaml": "prompt: Write gamma.txt.\n",
      "tasks/delta.yaml": "prompt: Write delta.txt.\n",
    });
    const origin = mkdtempSync(join(scratch, "origin-"));
    addBareOrigin(repo, origin);
    github.refuse = refuseCreatingFrom("refused-d/delta");
    const first = await runCli(["batch", "tasks/*.yaml", "--base-url", openai.url, "--model", "scripted", "--open-pr", "per-task", "--branch-prefix", "refused-d/"], {
      cwd: repo,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: github.url },
    });
    github.refuse = undefined;
    expect(["alpha", "beta", "gamma"].map((task) => pullOf(task)?.state)).toEqual(["open", "open", "open"]);
    const firstRunBody = pullOf("alpha")?.body ?? "";
    rmSync(join(repo, "tasks/delta.yaml"));
    writeFileSync(join(repo, "tasks/beta.yaml"), "prompt: Only talk, change nothing.\nexpect: none\n");
    writeFileSync(join(repo, "tasks/gamma.yaml"), "prompt: Server breaks here.\n");
    const alphaPath = `/repos/acme/widgets/pulls/${pullOf("alpha")?.number}`;
    github.refuse = (request) => (request.method === "PATCH" && request.path === alphaPath ? { status: 403, message: "Resource not accessible by integration" } : undefined);
    const run = await runAction(repo, { "branch-prefix": "refused-d/", "fail-on": "never" });
    github.refuse = undefined;
    removeDir(repo);
    return { first, run, origin, firstRunBody };
  })();
  return twoNights;
}

describe("the Action, when the branch is pushed but its pull request cannot be updated, and with pull requests it has no change for", () => {
  let run: ActionRun;
  let origin: string;
  let firstRunBody: string;

  beforeAll(async () => {
    ({ run, origin, firstRunBody } = await runTwoNights());
  });

  it("reports the pull request the branch was pushed to in pr-urls, and fails the step saying its description was not updated", () => {
    const alpha = pullOf("alpha");
    const secondRun = run.outputs["run-dir"]?.split("/").pop() ?? "";
    expect(git(origin, "log", "-1", "--format=%B", "refused-d/alpha")).toContain(`Nanocoder-Run: ${secondRun}`);
    expect(alpha?.body).toBe(firstRunBody);
    expect(JSON.parse(run.outputs["pr-urls"] ?? "")).toEqual([alpha?.html_url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `::error::pull request for refused-d/alpha: the branch was updated, but the description of pull request #${alpha?.number} was not (it still describes an earlier run): Resource not accessible by integration`,
    );
    expect(run.stdout).toMatch(/::error::pull request for refused-d\/alpha: .*The token may not do this: give the job `permissions: \{ contents: write, pull-requests: write \}`/);
    expect(run.summary).toContain(`- alpha: [#${alpha?.number}](${alpha?.html_url}) (updated): the branch was updated, but the description`);
  });

  it("names the open pull requests of tasks with no change this time, in the log and the job summary, and leaves them as they were", () => {
    const beta = pullOf("beta");
    const gamma = pullOf("gamma");
    expect(run.stdout).toContain(`beta: pull request #${beta?.number} from a previous run was left as it was: the task produced no change`);
    expect(run.stdout).toContain(`gamma: pull request #${gamma?.number} from a previous run was left as it was: the task did not succeed (error)`);
    expect(run.summary).toContain(`- beta: [#${beta?.number}](${beta?.html_url}) from a previous run, left as it was: the task produced no change`);
    expect(run.summary).toContain(`- gamma: [#${gamma?.number}](${gamma?.html_url}) from a previous run, left as it was: the task did not succeed (error)`);
    expect([beta?.state, gamma?.state]).toEqual(["open", "open"]);
    const touched = github.requests.filter((request) => request.method !== "GET" && [beta?.number, gamma?.number].some((number) => request.path.endsWith(`/pulls/${number}`)));
    expect(touched).toEqual([]);
  });
});

describe("every pull request refused", () => {
  it("names each of them in the step's one failure", async () => {
    const { repo } = shared;
    github.refuse = (request) => (request.method === "POST" && request.path === "/repos/acme/widgets/pulls" ? { status: 403, message: NOT_PERMITTED } : undefined);
    const run = await runAction(repo, { "branch-prefix": "refused-b/", tasks: "tasks/*.yaml" });
    github.refuse = undefined;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::pull request for refused-b/alpha: GitHub Actions is not permitted");
    expect(run.stdout).toMatch(/%0Apull request for refused-b\/beta: GitHub Actions is not permitted/);
    expect(JSON.parse(run.outputs["pr-urls"] ?? "")).toEqual([]);
  });
});

describe("batch --open-pr, when GitHub refuses a pull request", () => {
  it("exits 1 and says how to fix it", async () => {
    // The first night above: delta's pull request is refused, the others are opened.
    const { first: run } = await runTwoNights();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`pull request for refused-d/delta: ${NOT_PERMITTED}`);
    expect(run.stderr).toContain("Allow GitHub Actions to create and approve pull requests");
    expect(github.pulls.find((pull) => pull.head === "refused-d/alpha")).toBeDefined();
  });
});

describe("batch --open-pr, when GitHub cannot be reached", () => {
  it("says so in a line, not a stack trace, exits 1 and keeps the run", async () => {
    const { repo } = shared;
    const out = join(scratch, "unreachable-run");
    // Nothing listens on port 9 of 127.0.0.1: the default-branch lookup fails after the task ran.
    const run = await runCli(["batch", "tasks/alpha.yaml", "--base-url", openai.url, "--model", "scripted", "--open-pr", "per-task", "--out", out], {
      cwd: repo,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: "http://127.0.0.1:9" },
    });
    expect(run.stderr).toMatch(/^pull requests could not be opened: .+$/m);
    expect(run.stderr).not.toContain("internal error");
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("1/1 succeeded");
    expect(existsSync(join(out, "tasks/alpha/patch.diff"))).toBe(true);
  });
});

