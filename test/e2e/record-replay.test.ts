import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CassetteEntry } from "../../src/provider/cassette.ts";
import type { RunSummary } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type Conversation, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { changedSinceCreated, createRepo, git, removeDir, snapshotTree } from "../helpers/repo.ts";
import { tarballFiles } from "../helpers/projects.ts";
import { readEvents } from "../helpers/run-folder.ts";

let server: FakeOpenAI;
let repo: string;
let scratch: string;

/**
 * One recording and one replay of the three tasks serve the tests below: greet and answer, and where, whose
 * tool output names the folder it works in (a policy allowing `pwd` outside the sandbox lets it run it, in
 * the worktree's real folder; it lets greet write its file).
 */
const TASKS = "id: greet\nprompt: Greet in hello.txt.\n---\nid: answer\nprompt: Answer the question.\nexpect: none\n---\nid: where\nprompt: Say where you work.\nexpect: none\n";
const runArgs = () => ["batch", "tasks.yaml", "--model", "m", "--policy", join(scratch, "pwd-policy.yaml")];
const cassettes = () => join(scratch, "cassettes");
const recorded = () => join(scratch, "recorded");
const replayed = () => join(scratch, "replayed");
let record: CliResult;
let replay: CliResult;
/** The repository before the runs, and how it compares with its state when created, after them. */
let beforeRuns: Record<string, string>;
let afterRuns: ReturnType<typeof changedSinceCreated>;
/** Requests the server got by the end of the recording (the replay must add none). */
let requestsRecorded: number;

beforeAll(async () => {
  server = await startFakeOpenAI([
    {
      match: "Greet",
      turns: [
        { tool_calls: [{ name: "write_file", arguments: { path: "hello.txt", content: "hello\n" } }], faults: [{ kind: "status", status: 503 }] },
        { content: "Greeted.", usage: { prompt_tokens: 300, completion_tokens: 4, cached_tokens: 100 } },
      ],
    },
    { match: "Answer", turns: [{ content: "42." }] },
    { match: "Say where", turns: [{ tool_calls: [{ name: "execute_bash", arguments: { command: "pwd" } }] }, { content: "There." }] },
  ]);
  repo = createRepo({ "tasks.yaml": TASKS });
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-cassettes-"));
  writeFileSync(join(scratch, "pwd-policy.yaml"), "version: 1\nfiles: {write: {allow: [hello.txt]}}\ncommands:\n  allow: [pwd]\nsandbox: {mode: none}\n");
  beforeRuns = snapshotTree(repo);
  record = await runCli([...runArgs(), "--base-url", server.url, "--out", recorded(), "--record", cassettes()], { cwd: repo });
  requestsRecorded = server.requests.length;
  // A base URL where nothing listens: the replay must not need one.
  replay = await runCli([...runArgs(), "--base-url", "http://127.0.0.1:9/v1", "--out", replayed(), "--replay", cassettes()], { cwd: repo });
  afterRuns = changedSinceCreated(repo);
}, 60_000);

afterAll(async () => {
  await server.close();
  removeDir(repo);
  removeDir(scratch);
});

const summaryOf = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;

describe("--record and --replay", () => {
  it("records every exchange, then replays the run without a server", () => {
    expect(record.code).toBe(0);
    const lines = readFileSync(join(cassettes(), "greet.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as CassetteEntry);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ turn: 1, model: "m", messages: 2, tools: 9, response: { toolCalls: [{ name: "write_file" }] } });
    expect(lines[0]?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(lines[1]?.response).toMatchObject({ content: "Greeted.", usage: { input: 300, output: 4, cached: 100, estimated: false } });

    expect(replay.code).toBe(0);
    expect(server.requests.length).toBe(requestsRecorded);
    const strip = (summary: RunSummary) => summary.tasks.map(({ id, status, turns, tokens, files_changed }) => ({ id, status, turns, tokens, files_changed }));
    expect(strip(summaryOf(replayed()))).toEqual(strip(summaryOf(recorded())));
    expect(readFileSync(join(replayed(), "tasks", "greet", "patch.diff"), "utf8")).toBe(readFileSync(join(recorded(), "tasks", "greet", "patch.diff"), "utf8"));
    expect(afterRuns.now).toEqual(beforeRuns);
  });

  it("fails the task, naming it and the turn, when a request differs from the recording", async () => {
    // greet as recorded, answer reworded; where, which has no part in this, is left out.
    const [greet, answer] = TASKS.split("---\n");
    writeFileSync(join(repo, "tasks.yaml"), [greet, answer?.replace("prompt: Answer the question.", "prompt: Answer the question, politely.")].join("---\n"));
    git(repo, "commit", "--quiet", "-am", "reword");
    const before = snapshotTree(repo);
    const out = join(scratch, "mismatch");
    const mismatch = await runCli([...runArgs(), "--base-url", "http://127.0.0.1:9/v1", "--out", out, "--replay", cassettes()], { cwd: repo });
    expect(mismatch.code).toBe(1);
    const tasks = summaryOf(out).tasks;
    expect(tasks.find((task) => task.id === "greet")?.status).toBe("succeeded");
    expect(tasks.find((task) => task.id === "answer")).toMatchObject({
      status: "error",
      error: expect.stringMatching(/^replay of task "answer", turn 1: the request does not match the recording in .*answer\.jsonl \(the messages or tools differ in content\)$/),
    });
    expect(snapshotTree(repo)).toEqual(before);
  });

  // --record with --replay is refused (exit 2): test/e2e/input-edge-cases.test.ts "flags that already get a good answer".
});

describe("the workspace folder in a request", () => {
  const workspaceOf = (out: string): string => {
    const result = readEvents(out, "where").find((event) => event.type === "tool_result");
    return String(result?.output ?? "").replace(/^exit code: 0\n/, "").trim();
  };

  it("replays a task whose tool output names its workspace, although each run works in another folder", () => {
    expect(record.code).toBe(0);
    expect(replay.code).toBe(0);
    expect(summaryOf(replayed()).tasks.find((task) => task.id === "where")).toMatchObject({ id: "where", status: "succeeded", turns: 2 });

    const [recordedFolder, replayedFolder] = [workspaceOf(recorded()), workspaceOf(replayed())];
    expect(recordedFolder).toMatch(/^\//);
    expect(replayedFolder).toMatch(/^\//);
    expect(replayedFolder).not.toBe(recordedFolder);
    // The recorded request did carry the folder, so only the placeholder makes the digests agree.
    const secondRequest = JSON.stringify(server.requests.filter((request) => JSON.stringify(request.body.messages).includes("Say where you work"))[1]?.body.messages);
    expect(secondRequest).toContain(recordedFolder);
    expect(afterRuns.now).toEqual(afterRuns.created);
  });
});

/**
 * `npm run demo` (fixtures/demo/run-demo.ts: a copy of the demo project, committed, `npm ci`, and the example
 * tasks replayed from the committed cassettes, run folder in .nanocoder/runs) serves the tests below: its run
 * is the replay, and its project is where the session is recorded again.
 */
describe("the demo's committed cassettes", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const committed = join(root, "fixtures/demo/cassettes");
  let demo: CliResult;
  let demoRepo: string;
  let replayed: string;
  /** The demo project after the replay, before the recording. */
  let installed: Record<string, string>;

  beforeAll(async () => {
    demo = await runDemo();
    demoRepo = /demo project: (.+)/.exec(demo.stderr)?.[1] ?? "";
    const runs = join(demoRepo, ".nanocoder/runs");
    replayed = join(runs, readdirSync(runs).find((name) => name !== ".gitignore") ?? "");
    installed = snapshotTree(demoRepo);
  }, 60_000);

  afterAll(() => demoRepo && removeDir(demoRepo));

  it("npm run demo: the example tasks in tasks/ replay from the demo cassettes", () => {
    expect(demo.code, demo.stderr).toBe(0);
    const summary = summaryOf(replayed);
    expect(summary.tasks.map((task) => [task.id, task.status, task.files_changed])).toEqual([
      ["add-jsdoc", "succeeded", ["src/math.js"]],
      ["chores", "succeeded", ["CHANGELOG.md"]],
      ["check-tests", "succeeded", []],
      ["fix-capitalize", "succeeded", ["src/strings.js"]],
      ["nightly-jsdoc.src-math-js", "succeeded", ["src/math.js"]],
      ["nightly-jsdoc.src-strings-js", "succeeded", ["src/strings.js"]],
    ]);
    // The nightly example's for_each gave each file its own task, and its check ran on that file.
    expect(summary.tasks.find((task) => task.id === "nightly-jsdoc.src-strings-js")?.checks).toEqual([expect.objectContaining({ name: "node --check src/strings.js", passed: true })]);
    // The demo project's policy lets the test run happen for real.
    const checkTests = readFileSync(join(replayed, "tasks/check-tests/events.jsonl"), "utf8");
    expect(checkTests).toMatch(/"type":"tool_result","id":"[^"]+","name":"execute_bash","status":"ok","output":"exit code: 1[^"]*> node --test/);
    expect(patchOf(replayed, "fix-capitalize")).toContain("+  return text.charAt(0).toUpperCase() + text.slice(1);");
    expect(summary.tasks.find((task) => task.id === "fix-capitalize")?.checks).toEqual([expect.objectContaining({ name: "node --test", passed: true })]);
    // The check ran the demo's dependency, installed from its tarball and shared with the worktree.
    const checkLog = readFileSync(join(replayed, "tasks/fix-capitalize/checks/1-node-test.log"), "utf8");
    expect(checkLog).toContain("ok 3 - toIdentifier makes a camelCase name (with the camelcase package)");
    expect(summary.environment).toEqual({ dependencies: ["node_modules"], setup: [] });
  });

  it("replay the example tasks offline, to the expected patches", () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(summaryOf(replayed).tasks.map((task) => [task.id, task.status])).toEqual([
      ["add-jsdoc", "succeeded"], ["chores", "succeeded"], ["check-tests", "succeeded"], ["fix-capitalize", "succeeded"],
      ["nightly-jsdoc.src-math-js", "succeeded"], ["nightly-jsdoc.src-strings-js", "succeeded"],
    ]);
    const changedLines = (id: string) => patchOf(replayed, id).split("\n").filter((line) => /^[+-](?![+-]{2} )/.test(line));
    expect(changedLines("add-jsdoc")).toEqual([
      "+/** Returns the sum of a and b. */", "+/** Returns a minus b. */", "+/** Returns the arithmetic mean of values. */",
    ]);
    expect(changedLines("chores")).toEqual(["+# Changelog", "+", "+## Unreleased", "+", "+- Fixed `capitalize()`, which repeated the first letter."]);
    expect(patchOf(replayed, "check-tests")).toBe("");
    expect(changedLines("fix-capitalize")).toEqual([
      "-  return text.charAt(0).toUpperCase() + text.slice(0);",
      "+  return text.charAt(0).toUpperCase() + text.slice(1);",
    ]);
    // The nightly example's expansion: one task, one patch, per source file.
    expect(changedLines("nightly-jsdoc.src-math-js")).toEqual(changedLines("add-jsdoc"));
    expect(summaryOf(replayed).tasks.find((task) => task.id === "nightly-jsdoc.src-strings-js")?.files_changed).toEqual(["src/strings.js"]);
    // Tools run for real in a replay: this is the demo project's own test output.
    expect(readEvents(replayed, "check-tests").find((event) => event.type === "tool_result")?.output)
      .toContain('FAIL  capitalize upper-cases the first letter only\n      expected "Hello", got "Hhello"\nok    slugify joins words with dashes\nok    toIdentifier makes a camelCase name (with the camelcase package)\n2 passed, 1 failed');
    expectAsCopiedAndInstalled(demoRepo, join(root, "fixtures/demo/repo"));
  });

  it("are what recording the scripted session gives, byte for byte, from another folder", async () => {
    const session = await startFakeOpenAI(parse(readFileSync(join(root, "fixtures/demo/session.yaml"), "utf8")) as Conversation[]);
    const cassettes = join(scratch, "demo-cassettes");
    const recorded = join(scratch, "demo-recorded");
    try {
      const record = await runCli(["batch", join(root, "tasks/*.yaml"), "--model", "scripted-demo", "--base-url", session.url, "--record", cassettes, "--out", recorded], { cwd: demoRepo });
      expect(record.code).toBe(0);
    } finally {
      await session.close();
    }
    expect(filesIn(cassettes)).toEqual(filesIn(committed));
    for (const task of summaryOf(recorded).tasks) expect(patchOf(replayed, task.id)).toBe(patchOf(recorded, task.id));
    expect(snapshotTree(demoRepo)).toEqual(installed);
  });
});

/** `npm run demo` as a user runs it: node fixtures/demo/run-demo.ts, with a clean environment. */
function runDemo(): Promise<CliResult> {
  const demo = fileURLToPath(new URL("../../fixtures/demo/run-demo.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [demo], { env: { PATH: process.env.PATH ?? "", CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The demo project exactly as the demo script made it, its run folder aside: every file the copy of `source`
 * committed, node_modules as `npm ci` extracted it from the tarball in vendor/, and git's view (status with
 * ignored files, branches, stash) of a fresh commit with nothing changed.
 */
function expectAsCopiedAndInstalled(repo: string, source: string): void {
  const tree = snapshotTree(repo, [".nanocoder/runs"]);
  const hash = (content: Buffer) => createHash("sha256").update(content).digest("hex");
  const lock = JSON.parse(readFileSync(join(source, "package-lock.json"), "utf8")) as { packages: Record<string, { resolved: string }> };
  const installed: Record<string, string> = {};
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === "") continue;
    const files = tarballFiles(readFileSync(join(source, entry.resolved.replace(/^file:/, ""))));
    for (const [path, content] of Object.entries(files)) installed[join(key, path.replace(/^package\//, ""))] = hash(content);
  }
  const copied = Object.fromEntries(Object.entries(filesIn(source)).map(([path, content]) => [path, hash(content)]));
  const files = Object.fromEntries(Object.entries(tree).filter(([path]) => !path.startsWith(".git/") && !path.startsWith(".nanocoder/runs/") && !path.startsWith("git ") && path !== "node_modules/.package-lock.json"));
  expect(files).toEqual({ ...copied, ...installed });
  const hidden = JSON.parse(readFileSync(join(repo, "node_modules/.package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  expect(hidden.packages).toEqual(Object.fromEntries(Object.entries(lock.packages).filter(([key]) => key !== "")));
  expect(tree["git status"]).toBe("!! node_modules/\n");
  expect(tree["git branches"]).toMatch(/^\* main [0-9a-f]{40} demo project\n$/);
  expect(tree["git stash"]).toBe("");
}

function patchOf(out: string, taskId: string): string {
  return readFileSync(join(out, "tasks", taskId, "patch.diff"), "utf8");
}

/** Every file under `dir`, by its path relative to it. */
function filesIn(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[relative(dir, join(entry.parentPath, entry.name))] = readFileSync(join(entry.parentPath, entry.name));
  }
  return files;
}
