/**
 * Sharded runs brought together (docs/github.md "A sharded matrix, merged"): shard jobs run the Action with
 * open-pr none and upload their run folders; the merge job runs the Action with `merge:`, which joins the
 * folders, writes the job summary and opens the pull requests from the merged run. `nanocoder report merge
 * --open-pr` does the same on the command line.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { shardOf } from "../../src/run/shard.ts";
import { runBundledAction, startActionSteps, type ActionRun, type ActionSteps } from "../helpers/action.ts";
import { startCliSteps, type CliSteps } from "../helpers/cli-steps.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir } from "../helpers/repo.ts";

const TOKEN = "ghs_merge_token_97531";
const write = (path: string, content: string) => ({ tool_calls: [{ name: "write_file", arguments: { path, content } }] });

/** Shard 1 of 3 holds epsilon and broken, shard 2 beta, zeta and talk, shard 3 alpha (checked below). */
const TASKS: Record<string, string> = {
  alpha: "prompt: Write alpha.txt.\n",
  beta: "title: Add beta\nprompt: Write beta.txt.\n",
  zeta: "prompt: Write zeta.txt.\n",
  epsilon: "prompt: Write epsilon.txt.\n",
  talk: "prompt: Only talk, change nothing.\nexpect: none\n",
  broken: "prompt: Server breaks here.\n",
};

let openai: FakeOpenAI;
let github: FakeGitHub;
let scratch: string;
let repo: string;
let origin: string;
let steps: ActionSteps;
let counter = 0;

const defaults = { concurrency: "4", "open-pr": "per-task", "branch-prefix": "nanocoder/", "pr-draft": "false", "github-token": TOKEN, "fail-on": "failed" };

function runAction(inputs: Record<string, string>, cwd = repo, run = runBundledAction): Promise<ActionRun> {
  return run({ repo: cwd, scratch, githubUrl: github.url, name: `merge-${++counter}`, inputs: { ...defaults, ...inputs } });
}

/** A run refused on its inputs before anything is merged: in the one process that runs all of them (startActionSteps). */
const runRefusedAction = (inputs: Record<string, string>, cwd = repo) => runAction(inputs, cwd, steps.run);

/**
 * A merge job's run: it starts no task (it joins run folders and delivers them), so it goes through the one
 * process of the refused runs too, which loads the Action's bundle once; each shard job that runs tasks gets a
 * process of its own.
 */
const runMergeJob = (inputs: Record<string, string>, cwd = repo) => runAction(inputs, cwd, steps.run);

const originBranches = () => git(origin, "for-each-ref", "--format=%(refname:short)", "refs/heads").trim().split("\n").sort();
const readSummary = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary & { missing_tasks: string[]; merged_from: string[] };

beforeAll(async () => {
  openai = await startFakeOpenAI([
    ...["alpha", "beta", "zeta", "epsilon"].map((id) => ({ match: `Write ${id}`, turns: [write(`${id}.txt`, `${id}\n`), { content: `Wrote ${id}.` }] })),
    { match: "Only talk", turns: [{ content: "Nothing to change." }] },
    { match: "Server breaks", turns: [{ status: 400, error_message: "bad request" }] },
  ]);
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-merge-pulls-"));
  steps = startActionSteps(scratch);
  repo = createRepo({ "README.md": "widgets\n", ".gitignore": ".nanocoder/runs/\nshards/\n", ...Object.fromEntries(Object.entries(TASKS).map(([id, text]) => [`tasks/${id}.yaml`, text])) });
  origin = join(scratch, "origin.git");
  addBareOrigin(repo, origin);
  // The shard jobs: open-pr none, each run folder "uploaded" and "downloaded" to shards/<artifact>. Shard 3's
  // job failed before it uploaded anything.
  for (const index of [1, 2]) {
    const shard = await runAction({ tasks: "tasks/*.yaml", "base-url": openai.url, model: "scripted", shard: `${index}/3`, "open-pr": "none", "fail-on": "never" });
    expect(shard.code).toBe(0);
    cpSync(shard.outputs["run-dir"] ?? "", join(repo, "shards", `nanocoder-shard-${index}`), { recursive: true });
  }
});

afterAll(async () => {
  await steps.close();
  await openai.close();
  await github.close();
  removeDir(repo);
  removeDir(scratch);
});

it("the tasks fall in the shards this test expects", () => {
  expect(Object.keys(TASKS).map((id) => [id, shardOf(id, 3)])).toEqual([
    ["alpha", 3],
    ["beta", 2],
    ["zeta", 2],
    ["epsilon", 1],
    ["talk", 2],
    ["broken", 1],
  ]);
  expect(github.requests).toEqual([]);
});

describe("the Action in merge mode", () => {
  let merged: ActionRun;
  let modelRequestsBefore: number;

  beforeAll(async () => {
    modelRequestsBefore = openai.requests.length;
    merged = await runMergeJob({ merge: "shards/*", "pr-labels": "nanocoder" });
  });

  it("joins the shards' run folders into one run, listing the missing tasks", () => {
    const runDir = merged.outputs["run-dir"] ?? "";
    expect(runDir).toContain(join(repo, ".nanocoder/runs/"));
    const summary = readSummary(runDir);
    expect(summary.tasks.map((task) => task.id).sort()).toEqual(["beta", "broken", "epsilon", "talk", "zeta"]);
    expect(summary.missing_tasks).toEqual(["alpha"]);
    expect(summary.merged_from).toHaveLength(2);
    expect(readFileSync(join(runDir, "junit.xml"), "utf8")).toContain('name="alpha"');
    expect(openai.requests.length).toBe(modelRequestsBefore);
  });

  it("opens a pull request for each succeeded task with a change, on the runs' base commit", () => {
    const runId = merged.outputs["run-dir"]?.split("/").pop() ?? "";
    expect(originBranches()).toEqual(["main", "nanocoder/beta", "nanocoder/epsilon", "nanocoder/zeta"]);
    for (const id of ["beta", "epsilon", "zeta"]) {
      expect(git(origin, "show", `nanocoder/${id}:${id}.txt`)).toBe(`${id}\n`);
      expect(git(origin, "rev-parse", `nanocoder/${id}~1`).trim()).toBe(git(repo, "rev-parse", "main").trim());
      expect(git(origin, "log", "-1", "--format=%B", `nanocoder/${id}`)).toContain(`Nanocoder-Run: ${runId}`);
    }
    // In the order the tasks were given (tasks/*.yaml), whichever shard ran them.
    const pulls = github.pulls.filter((pull) => pull.head.startsWith("nanocoder/"));
    expect(pulls.map((pull) => [pull.head, pull.base, pull.labels])).toEqual([
      ["nanocoder/beta", "main", ["nanocoder"]],
      ["nanocoder/epsilon", "main", ["nanocoder"]],
      ["nanocoder/zeta", "main", ["nanocoder"]],
    ]);
    expect(pulls[0]?.title).toBe("nanocoder: Add beta");
    expect(JSON.parse(merged.outputs["pr-urls"] ?? "")).toEqual(pulls.map((pull) => pull.html_url));
  });

  it("writes the merged report and the pull requests to the job summary", () => {
    expect(merged.summary).toContain("## Missing tasks");
    expect(merged.summary).toContain("- alpha");
    expect(merged.summary).toContain("Merged from runs");
    expect(merged.summary).toContain("## Pull requests");
    expect(merged.summary).toMatch(/- beta: \[#\d+\]\(https:\/\/github\.test\/acme\/widgets\/pull\/\d+\) \(opened\)/);
  });

  it("sets the outputs (a missing task counts as failed), annotates the failed and missing tasks and fails the step", () => {
    expect(merged.outputs).toMatchObject({ succeeded: "4", failed: "2", "total-cost-usd": "0" });
    expect(merged.stdout).toMatch(/::error title=nanocoder task broken::broken: error: /);
    expect(merged.stdout).toMatch(/::error title=nanocoder task alpha::alpha: missing: no run folder holds it/);
    expect(merged.stdout).toContain("::error::2 of 6 task(s) did not succeed (1 missing from every run folder)");
    expect(merged.code).toBe(1);
  });

  it("run again, updates the same pull requests", async () => {
    const again = await runMergeJob({ merge: "shards/nanocoder-shard-1\nshards/nanocoder-shard-2", "fail-on": "never" });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.outputs["pr-urls"] ?? "")).toEqual(JSON.parse(merged.outputs["pr-urls"] ?? ""));
    expect(github.pulls.filter((pull) => pull.head.startsWith("nanocoder/"))).toHaveLength(3);
  });

  it("combined: none while a shard's folder is missing, whose tasks the pull request would lose; one for the whole merged run", async () => {
    const partial = await runMergeJob({ merge: "shards/*", "open-pr": "combined", "branch-prefix": "merged/", "fail-on": "never" });
    expect(partial.stdout).toMatch(/::error::.*merged\/batch: not opened or updated: 1 planned task\(s\) are in no run folder \(alpha\), and the pull requests of --open-pr combined hold all of their group's/);
    expect(partial.code).toBe(1);
    expect(originBranches()).not.toContain("merged/batch");

    // Shard 3's job run again, its folder downloaded beside the others: nothing is missing now.
    const third = await runAction({ tasks: "tasks/*.yaml", "base-url": openai.url, model: "scripted", shard: "3/3", "open-pr": "none", "fail-on": "never" });
    const rerun = join(scratch, "rerun", "nanocoder-shard-3");
    cpSync(third.outputs["run-dir"] ?? "", rerun, { recursive: true });
    const combined = await runMergeJob({ merge: `shards/*\n${rerun}`, "open-pr": "combined", "branch-prefix": "merged/", "fail-on": "never" });
    expect(combined.code).toBe(0);
    expect(git(origin, "ls-tree", "--name-only", "merged/batch").split("\n")).toEqual(expect.arrayContaining(["alpha.txt", "beta.txt", "epsilon.txt", "zeta.txt"]));
    expect(JSON.parse(combined.outputs["pr-urls"] ?? "")).toEqual([github.pulls.find((pull) => pull.head === "merged/batch")?.html_url]);
  });

  it("with open-pr none, needs no checkout and talks to no GitHub API", async () => {
    const bare = mkdtempSync(join(scratch, "no-checkout-"));
    cpSync(join(repo, "shards"), join(bare, "shards"), { recursive: true });
    const requests = github.requests.length;
    const run = await runMergeJob({ merge: "shards/*", "open-pr": "none", "fail-on": "never" }, bare);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ succeeded: "4", failed: "2", "pr-urls": "[]" });
    expect(existsSync(join(run.outputs["run-dir"] ?? "", "report.md"))).toBe(true);
    expect(github.requests.length).toBe(requests);
    // The merged run lands in .nanocoder/runs/ of the workspace, which is kept out of git as a run of tasks keeps it.
    expect(run.outputs["run-dir"]).toContain(join(bare, ".nanocoder/runs/"));
    expect(readFileSync(join(bare, ".nanocoder/runs/.gitignore"), "utf8")).toBe("# Run folders of nanocoder batch\n*\n");
  });
});

describe("merge mode inputs: checked before anything is merged", () => {
  it("open-pr without a checkout", async () => {
    const bare = mkdtempSync(join(scratch, "no-checkout-"));
    cpSync(join(repo, "shards"), join(bare, "shards"), { recursive: true });
    const run = await runRefusedAction({ merge: "shards/*" }, bare);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::open-pr: \S+ is not a checkout of the repository, where the branches are made; add actions\/checkout before this step, or set open-pr: none/);
    expect(run.outputs).toMatchObject({ "run-dir": "", "pr-urls": "[]" });
  });

  it.each([
    [{ merge: "shards/*", tasks: "tasks/*.yaml" }, /give tasks \(task files to run\) or merge \(run folders to join\), not both/],
    [{ merge: "shards/*", model: "scripted" }, /merge: joins run folders and opens their pull requests, it runs no task: drop model/],
    [{ merge: "shards/*", shard: "1/2" }, /drop shard/],
    [{ merge: "nothing/*" }, /merge: no folder matches nothing\/\*/],
    [{ merge: "tasks" }, /merge: \S*\/tasks is not a run folder \(no summary\.json\)/],
  ])("%j", async (inputs, message) => {
    const requests = github.requests.length;
    const run = await runRefusedAction(inputs);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::.*${message.source}`));
    expect(run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.outputs).toMatchObject({ "run-dir": "", succeeded: "0", failed: "0", "pr-urls": "[]" });
    expect(github.requests.length).toBe(requests);
  });
});

describe("nanocoder report merge --open-pr", () => {
  /** The merges, which start no task, and the runs refused on their flags, in one process (cli-steps.ts). */
  let cliSteps: CliSteps;
  beforeAll(() => {
    cliSteps = startCliSteps();
  });
  afterAll(() => cliSteps.close());

  const merge = (...args: string[]) =>
    cliSteps.run(["report", "merge", "shards/nanocoder-shard-1", "shards/nanocoder-shard-2", ...args], {
      cwd: repo,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: github.url },
    });

  it("merges and opens the pull requests with the batch pull-request flags", async () => {
    const out = join(scratch, "cli-merged");
    const run = await merge("--out", out, "--open-pr", "per-task", "--branch-prefix", "cli/", "--pr-labels", "a,b", "--pr-draft");
    expect(run.stderr).toContain("missing from every run folder: alpha");
    expect(run.stderr).not.toMatch(/pull request for .*:/);
    expect(run.code).toBe(1);
    expect(readSummary(out).missing_tasks).toEqual(["alpha"]);
    expect(originBranches()).toEqual(expect.arrayContaining(["cli/beta", "cli/epsilon", "cli/zeta"]));
    expect(originBranches().filter((branch) => branch.startsWith("cli/"))).toHaveLength(3);
    expect(github.pulls.filter((pull) => pull.head.startsWith("cli/")).map((pull) => [pull.draft, pull.labels])).toEqual([
      [true, ["a", "b"]],
      [true, ["a", "b"]],
      [true, ["a", "b"]],
    ]);
  });

  it.each([
    [["--pr-draft"], /^--pr-draft only applies to pull requests: add --open-pr per-task or --open-pr combined, or drop --pr-draft\n$/],
    [["--open-pr", "sometimes"], /^--open-pr: expected none, per-task or combined, got "sometimes"\n$/],
  ])("refuses %j with exit 2 before merging", async (args, message) => {
    const out = join(scratch, `refused-${++counter}`);
    const run = await merge("--out", out, ...args);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses --open-pr without GITHUB_TOKEN before merging", async () => {
    const out = join(scratch, "no-token");
    const run = await cliSteps.run(["report", "merge", "shards/nanocoder-shard-1", "--out", out, "--open-pr", "per-task"], { cwd: repo, env: { GITHUB_REPOSITORY: "acme/widgets" } });
    expect(run.stderr).toMatch(/^--open-pr needs GITHUB_TOKEN and GITHUB_REPOSITORY/);
    expect(run.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses to open pull requests from a checkout that lacks the runs' base commit", async () => {
    const other = createRepo({ "README.md": "another history\n" });
    const run = await cliSteps.run(["report", "merge", join(repo, "shards/nanocoder-shard-1"), "--out", join(scratch, "elsewhere"), "--open-pr", "per-task"], {
      cwd: other,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: github.url },
    });
    expect(run.stderr).toMatch(/the run started from commit [0-9a-f]{12}, which the repository at .* does not hold: open the pull requests from a checkout of that commit/);
    expect(run.code).toBe(2);
    removeDir(other);
  });
});
