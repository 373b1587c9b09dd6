/**
 * The GitHub Action (action/index.mjs, src/github/action.ts): every input read and validated
 * before any task runs, outputs always set, masking first, fail-on, sharding through the Action.
 * The bundled entry point is run with node as the runner does: inputs as INPUT_*, outputs and summary in files.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { parseConcurrency, parseMaxCost } from "../../src/run/request-values.ts";
import { parseShard } from "../../src/run/shard.ts";
import { runBundledAction, startActionSteps, type ActionRun as BundledRun, type ActionSteps } from "../helpers/action.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type Conversation, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir } from "../helpers/repo.ts";

const API_KEY = "sk-action-secret-98765";
const TOKEN = "ghs_actiontoken_13579";
const write = (path: string, content: string) => ({ tool_calls: [{ name: "write_file", arguments: { path, content } }] });

const conversations: Conversation[] = [
  { match: "Write alpha", turns: [write("alpha.txt", "alpha\n"), { content: "Wrote alpha." }] },
  { match: "Write beta", turns: [write("beta.txt", "beta\n"), { content: "Wrote beta." }] },
  { match: "Server breaks", turns: [{ status: 400, error_message: "bad request" }] },
];

let openai: FakeOpenAI;
/** A server that refuses every key, at once (a 401 is not retried), so that tasks using it end quickly. */
let refusingKeys: Server;
let github: FakeGitHub;
let scratch: string;
let steps: ActionSteps;
let counter = 0;

/** A run of the Action, with the model requests it made. */
type ActionRun = BundledRun & { modelRequests: number };

/**
 * A run of the Action in which no task starts (an input refused, a shard holding none): in the one process
 * that runs all of them (startActionSteps), as each would run in its own.
 */
function runRefusedAction(repo: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction(repo, inputs, {}, steps.run);
}

function runAction(repo: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}, run = runBundledAction): Promise<ActionRun> {
  // The runner sets every input of action.yml, with its default when the workflow gives none.
  const defaults: Record<string, string> = {
    concurrency: "4",
    "open-pr": "per-task",
    "branch-prefix": "nanocoder/",
    "pr-draft": "false",
    "github-token": TOKEN,
    "fail-on": "failed",
  };
  const before = openai.requests.length;
  const name = `run-${++counter}`;
  return run({ repo, scratch, githubUrl: github.url, name, inputs: { ...defaults, ...inputs }, env: extraEnv }).then((run) => ({
    ...run,
    modelRequests: openai.requests.length - before,
  }));
}

/** A repository with an origin, holding the given task files. */
function makeRepo(tasks: Record<string, string>): { repo: string; origin: string } {
  const repo = createRepo({ "README.md": "widgets\n", ".gitignore": ".nanocoder/runs/\n", ...tasks });
  const origin = mkdtempSync(join(scratch, "origin-"));
  addBareOrigin(repo, origin);
  return { repo, origin };
}

const base = () => ({ tasks: "tasks/*.yaml", "base-url": openai.url, model: "scripted", "api-key": API_KEY, "open-pr": "none" });

/** A usage error: the step fails with a message naming the input, no stack trace, and no task runs. */
function expectCleanUsageFailure(run: ActionRun, pattern: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(new RegExp(`::error::.*${pattern.source}`));
  expect(run.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(run.modelRequests).toBe(0);
}

let repo: string;

let matchingNothing: Promise<ActionRun> | undefined;

/** The Action given a tasks glob that matches nothing: one run, whose failure and outputs two tests check. */
function runMatchingNothing(): Promise<ActionRun> {
  matchingNothing ??= runRefusedAction(repo, { ...base(), tasks: "nothing/*.yaml" });
  return matchingNothing;
}

beforeAll(async () => {
  openai = await startFakeOpenAI(conversations);
  refusingKeys = createServer((_req, res) => res.writeHead(401, { "content-type": "application/json" }).end('{"error":{"message":"invalid key"}}'));
  await new Promise<void>((resolve) => refusingKeys.listen(0, "127.0.0.1", resolve));
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-action-inputs-"));
  steps = startActionSteps(scratch);
  ({ repo } = makeRepo({
    "tasks/alpha.yaml": "title: Add alpha\nprompt: Write alpha.txt.\n",
    "tasks/broken.yaml": "prompt: Server breaks here.\n",
  }));
});

afterAll(async () => {
  await steps.close();
  await openai.close();
  await new Promise<void>((resolve) => refusingKeys.close(() => resolve()));
  await github.close();
  removeDir(repo);
  removeDir(scratch);
});

describe("inputs: validated, with a clear failure before any task runs", () => {
  // One run of the Action for each input; the other values each input refuses are checked below, through the
  // function the Action reads that input with.
  it.each([
    ["concurrency", "two", /concurrency/],
    ["max-cost-usd", "-1", /max-cost-usd/],
    ["shard", "5/4", /shard/],
    ["open-pr", "always", /open-pr/],
    ["fail-on", "sometimes", /fail-on/],
    ["preflight", "maybe", /preflight: expected true or false, got "maybe"/],
  ])("%s: %s", async (input, value, message) => {
    expectCleanUsageFailure(await runRefusedAction(repo, { ...base(), [input]: value }), message);
  });

  it.each([
    ["concurrency", "0", parseConcurrency, /concurrency/],
    ["concurrency", "1.5", parseConcurrency, /concurrency/],
    ["max-cost-usd", "five", parseMaxCost, /max-cost-usd/],
    ["shard", "0/4", parseShard, /shard/],
    ["shard", "1/0", parseShard, /shard/],
    ["shard", "two", parseShard, /shard/],
  ] as const)("%s: %s is refused as a usage error, as the values above are", (_input, value, parse: (value: string) => unknown, message) => {
    expect(() => parse(value)).toThrow(expect.objectContaining({ code: "E_USAGE", message: expect.stringMatching(message) }));
  });

  it("tasks: blank", async () => {
    expectCleanUsageFailure(await runRefusedAction(repo, { ...base(), tasks: " \n " }), /tasks/);
  });

  it("tasks: a glob that matches nothing", async () => {
    expectCleanUsageFailure(await runMatchingNothing(), /no files match/);
  });

  it("pr-draft: a value that is neither true nor false is refused, not read as false", async () => {
    expectCleanUsageFailure(await runRefusedAction(repo, { ...base(), "open-pr": "per-task", "pr-draft": "yes" }), /pr-draft/);
  });

  it("branch-prefix: a prefix git refuses fails the step before any task runs (as --branch-prefix does)", async () => {
    expectCleanUsageFailure(await runRefusedAction(repo, { ...base(), "open-pr": "per-task", "branch-prefix": "bad..prefix/" }), /branch-prefix/);
  });

  it("pr-labels: a value holding no label is refused (as --pr-labels is)", async () => {
    expectCleanUsageFailure(await runRefusedAction(repo, { ...base(), "open-pr": "per-task", "pr-labels": " , ," }), /pr-labels/);
  });

  it("github-token: empty with open-pr is refused before the tasks run (and spend), not after", async () => {
    expectCleanUsageFailure(await runRefusedAction(repo, { ...base(), "open-pr": "per-task", "github-token": "" }), /github-token/);
  });
});

/**
 * The two shards of the batch, run once for the tests of sharding, fail-on never, preflight false and pr-draft:
 * shard 1/2 holds broken alone, run with fail-on never and preflight false against the server refusing every
 * key; shard 2/2 alpha alone, whose pull request is opened as a draft.
 */
let shardRuns: Promise<{ broken: ActionRun; alpha: ActionRun }> | undefined;
function runShards(): Promise<{ broken: ActionRun; alpha: ActionRun }> {
  shardRuns ??= (async () => {
    const { shardOf } = await import("../../src/run/shard.ts");
    expect([shardOf("broken", 2), shardOf("alpha", 2)]).toEqual([1, 2]);
    const refusing = `http://127.0.0.1:${(refusingKeys.address() as AddressInfo).port}/v1`;
    const broken = await runAction(repo, { ...base(), shard: "1/2", "fail-on": "never", "base-url": refusing, preflight: "false" });
    const alpha = await runAction(repo, { ...base(), shard: " 2 / 2 ", "open-pr": "per-task", "pr-draft": "true", "branch-prefix": "draft-a/" });
    return { broken, alpha };
  })();
  return shardRuns;
}

describe("masking, outputs, summary, groups and annotations", () => {
  let run: ActionRun;

  beforeAll(async () => {
    run = await runAction(repo, base());
  });

  it("masks the API key and the token before anything else is printed", () => {
    const lines = run.stdout.split("\n").filter(Boolean);
    expect(lines.slice(0, 2).sort()).toEqual([`::add-mask::${API_KEY}`, `::add-mask::${TOKEN}`].sort());
    const rest = lines.slice(2).join("\n");
    expect(rest).not.toContain(API_KEY);
    expect(rest).not.toContain(TOKEN);
    expect(run.summary).not.toContain(API_KEY);
  });

  it("fail-on failed: fails the step, annotates the failed task and groups each task's log", () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error title=nanocoder task broken::broken: error: /);
    expect(run.stdout).not.toMatch(/::error title=nanocoder task alpha::/);
    expect(run.stdout).toMatch(/::group::✔ alpha succeeded[^\n]*\n(?:(?!::group::)[^\n]*\n)*?::endgroup::/);
    expect(run.stdout).toMatch(/::group::✖ broken error[^\n]*\n(?:(?!::group::)[^\n]*\n)*?::endgroup::/);
    expect(run.stdout).toContain("::error::1 of 2 task(s) did not succeed");
  });

  it("fail-on never: the step passes though a task did not succeed, with every output set", async () => {
    // Shard 1/2, broken alone, run with fail-on never: the task fails on the provider, the step still passes.
    const { broken: never } = await runShards();
    expect(never.code).toBe(0);
    expect(never.stdout).not.toContain("::error::1 of 1");
    expect(never.stdout).toMatch(/::error title=nanocoder task broken::/);
    expect(never.outputs).toMatchObject({ outcome: "failed", succeeded: "0", failed: "1", "total-cost-usd": "0", "pr-urls": "[]" });
  });

  it("sets every output and writes report.md to the job summary, closed by where the run's page is", () => {
    expect(run.outputs).toMatchObject({ outcome: "failed", succeeded: "1", failed: "1", "total-cost-usd": "0", "pr-urls": "[]" });
    const runDir = run.outputs["run-dir"] ?? "";
    expect(runDir).toContain(join(repo, ".nanocoder/runs/"));
    const report = readFileSync(join(runDir, "report.md"), "utf8");
    expect(run.summary.startsWith(report)).toBe(true);
    expect(run.summary.slice(report.length)).toContain(`\`${join(runDir, "report.html")}\``);
  });

  it("sets the outputs even when no task matches (a glob matching nothing)", async () => {
    const empty = await runMatchingNothing();
    expect(empty.code).toBe(1);
    expect(empty.outputs).toMatchObject({ outcome: "invalid_input", succeeded: "0", failed: "0", "pr-urls": "[]" });
    expect(Object.keys(empty.outputs).sort()).toEqual(["failed", "outcome", "outputs", "pr-urls", "run-dir", "stop-reasons", "succeeded", "total-cost-usd"]);
    expect(Object.values(JSON.parse(empty.outputs["stop-reasons"] ?? "") as Record<string, number>).every((count) => count === 0)).toBe(true);
  });

  it("a provider that cannot be used fails the step before any task, with outcome infrastructure and the fix", async () => {
    const down = await runRefusedAction(repo, { ...base(), "base-url": "http://127.0.0.1:9/v1", "fail-on": "never" });
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('::error::provider check: provider "127.0.0.1", model "scripted": GET http://127.0.0.1:9/v1/models: connection refused (ECONNREFUSED); is the server running at http://127.0.0.1:9/v1? Fix --base-url');
    expect(down.stdout).not.toMatch(/\n\s+at /);
    expect(down.outputs).toMatchObject({ outcome: "infrastructure", "run-dir": "", succeeded: "0", failed: "0" });
  });

  it("preflight false skips the check: the tasks run and end error on the provider, as before the check existed", async () => {
    // Shard 1/2, broken alone, run against the server refusing every key: the check would have stopped it.
    const { broken: unchecked } = await runShards();
    expect(unchecked.stdout).not.toContain("provider check:");
    expect(unchecked.stdout).toMatch(/::error title=nanocoder task broken::broken: error: .*invalid key/);
    expect(unchecked.outputs).toMatchObject({ outcome: "failed", succeeded: "0", failed: "1" });
  });

  it("a shard holding no task passes with zero counts and every output set", async () => {
    // 50 shards for 2 tasks: most hold none.
    const ids = ["alpha", "broken"];
    const { shardOf } = await import("../../src/run/shard.ts");
    const empty = Array.from({ length: 50 }, (_, i) => i + 1).find((i) => !ids.some((id) => shardOf(id, 50) === i));
    // No task starts: in the one process of the refused runs (startActionSteps).
    const result = await runRefusedAction(repo, { ...base(), shard: `${empty}/50` });
    expect(result.code).toBe(0);
    expect(result.modelRequests).toBe(0);
    expect(result.outputs).toMatchObject({ succeeded: "0", failed: "0", "total-cost-usd": "0", "pr-urls": "[]" });
    const summary = JSON.parse(readFileSync(join(result.outputs["run-dir"] ?? "", "summary.json"), "utf8")) as RunSummary;
    expect(summary.planned_tasks).toEqual(ids);
    expect(result.summary).toContain("0 of 0 tasks succeeded");
  });
});

describe("sharding through the Action", () => {
  it("shards 1/2 and 2/2 run disjoint sets of tasks that cover the batch", async () => {
    const { broken, alpha } = await runShards();
    const runs = [broken, alpha];
    const ids = runs.map((run) => (JSON.parse(readFileSync(join(run.outputs["run-dir"] ?? "", "summary.json"), "utf8")) as RunSummary).tasks.map((task) => task.id));
    expect(ids.flat().sort()).toEqual(["alpha", "broken"]);
    expect(runs.map((run) => Number(run.outputs.succeeded) + Number(run.outputs.failed)).reduce((a, b) => a + b)).toBe(2);
  });
});

describe("pull requests", () => {
  let combined: Promise<{ run: ActionRun; origin: string }> | undefined;

  /** One run with open-pr combined, base-branch develop and pr-draft True, whose pull request two tests check. */
  function runCombined(): Promise<{ run: ActionRun; origin: string }> {
    combined ??= (async () => {
      const { repo: own, origin } = makeRepo({ "tasks/alpha.yaml": "prompt: Write alpha.txt.\n", "tasks/beta.yaml": "prompt: Write beta.txt.\n" });
      git(own, "push", "--quiet", "origin", "main:refs/heads/develop");
      const run = await runAction(own, { ...base(), "open-pr": "combined", "branch-prefix": "comb/", "base-branch": "develop", "pr-draft": "True" });
      removeDir(own);
      return { run, origin };
    })();
    return combined;
  }

  it("pr-draft true opens drafts; the pr-urls output is a JSON array", async () => {
    // Shard 2/2 of the sharding test, alpha alone, opened its pull request with pr-draft true.
    const { alpha: run } = await runShards();
    expect(run.code).toBe(0);
    const pull = github.pulls.find((p) => p.head === "draft-a/alpha");
    expect(pull?.draft).toBe(true);
    expect(JSON.parse(run.outputs["pr-urls"] ?? "")).toEqual([pull?.html_url]);
  });

  it("pr-draft True (YAML 1.2 boolean spelling, accepted by core.getBooleanInput) opens drafts too", async () => {
    // The combined run below is given pr-draft True.
    const { run } = await runCombined();
    expect(run.code).toBe(0);
    expect(github.pulls.find((p) => p.head === "comb/batch")?.draft).toBe(true);
  });

  it("combined: one pull request for all changed tasks, base-branch honoured", async () => {
    const { run, origin } = await runCombined();
    expect(run.code).toBe(0);
    const pull = github.pulls.find((p) => p.head === "comb/batch");
    expect(pull?.base).toBe("develop");
    expect(JSON.parse(run.outputs["pr-urls"] ?? "")).toEqual([pull?.html_url]);
    expect(git(origin, "ls-tree", "--name-only", "comb/batch").split("\n")).toEqual(expect.arrayContaining(["alpha.txt", "beta.txt"]));
  });

  it("when the GitHub API cannot be reached, the tasks' outputs and job summary are still written", async () => {
    const { repo: own } = makeRepo({ "tasks/alpha.yaml": "prompt: Write alpha.txt.\n" });
    // Nothing listens on port 9 of 127.0.0.1: the default-branch lookup fails after the tasks ran.
    const run = await runAction(own, { ...base(), "open-pr": "per-task", "branch-prefix": "down/" }, { GITHUB_API_URL: "http://127.0.0.1:9" });
    expect(run.modelRequests).toBeGreaterThan(0);
    expect(run.outputs).toMatchObject({ succeeded: "1", failed: "0", "pr-urls": "[]" });
    expect(run.summary).toContain("1 of 1 tasks succeeded");
    removeDir(own);
  });
});
