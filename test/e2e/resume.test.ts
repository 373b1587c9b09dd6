import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary, TaskResult } from "../../src/report/types.ts";
import { CLI, runCli } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Turn } from "../helpers/fake-openai.ts";
import { createRepo, git, removeDir, snapshotTree, writeFiles } from "../helpers/repo.ts";

const SECRET = "planted-secret-value-123";
const TASKS = 8;

/**
 * Task 1's answers are slow while a test's first run is to be stopped in its middle; the resumed runs get
 * them as quickly as the other tasks'.
 */
let taskOneSlow = true;

/** Task n writes out-n.txt, then answers; each request is slow enough to kill the run in the middle. */
function script(request: RecordedRequest): Turn {
  const messages = request.body.messages ?? [];
  const user = messages.find((message) => message.role === "user");
  const n = /Task number (\d+)/.exec(typeof user?.content === "string" ? user.content : "")?.[1] ?? "0";
  const turn = messages.filter((message) => message.role === "assistant").length;
  const slow = n === "1" && taskOneSlow ? 1500 : 150;
  // Only the answer after the tool call is slow: the interrupt lands while task 1 waits for it, with its file written.
  if (turn === 0) return { delay_ms: 150, tool_calls: [{ name: "write_file", arguments: { path: `out-${n}.txt`, content: `task ${n}\n` } }] };
  return { delay_ms: slow, content: `Done with ${n}; the token is ${SECRET}.` };
}

let server: FakeOpenAI;
let repo: string;
let out: string;
const env = () => ({ MY_SERVICE_TOKEN: SECRET });
const flags = () => ["--base-url", server.url, "--model", "scripted", "--concurrency", "2", "--out", out];

beforeAll(async () => {
  server = await startFakeOpenAI(script);
  const files: Record<string, string> = { "README.md": "# project\n" };
  for (let n = 1; n <= TASKS; n++) files[`tasks/t${n}.yaml`] = `id: t${n}\nprompt: Task number ${n}. Write the file.\n`;
  repo = createRepo(files);
  // Something to lose: an uncommitted edit and a stash.
  writeFiles(repo, { "README.md": "# project\nstashed\n" });
  git(repo, "stash", "--quiet");
  writeFiles(repo, { "README.md": "# project\nwork in progress\n" });
  out = join(mkdtempSync(join(tmpdir(), "nanocoder-test-out-")), "run");
});
afterAll(async () => {
  await server.close();
  removeDir(repo);
  removeDir(join(out, ".."));
});

function manifest(): { type: string; id?: string; status?: string; run_id?: string }[] {
  if (!existsSync(join(out, "manifest.jsonl"))) return [];
  return readFileSync(join(out, "manifest.jsonl"), "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { type: string });
}

function requestsFor(n: number): number {
  return server.requests.filter((request) => JSON.stringify(request.body.messages?.find((m) => m.role === "user")?.content).includes(`Task number ${n}.`)).length;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe("a run killed with SIGKILL, then resumed", () => {
  it("finishes every task once, leaves no worktree and no corrupt file, and never writes the planted secret", async () => {
    const before = snapshotTree(repo);
    taskOneSlow = true;
    const child = spawn(process.execPath, [CLI, "batch", "tasks/*.yaml", ...flags()], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), CI: "true", ...env() },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let ended: string[] = [];
    for (let waited = 0; waited < 20_000 && ended.length < 3; waited += 25) {
      await sleep(25);
      ended = manifest().filter((entry) => entry.type === "task_end").map((entry) => entry.id ?? "");
    }
    child.kill("SIGKILL");
    await exited;
    expect(ended.length).toBeGreaterThanOrEqual(3);
    ended = manifest().filter((entry) => entry.type === "task_end").map((entry) => entry.id ?? "");
    const runId = manifest()[0]?.run_id ?? "";
    expect(ended.length).toBeLessThan(TASKS);

    taskOneSlow = false;
    const resumed = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--concurrency", "2", "--resume", out], { cwd: repo, env: env() });
    expect(resumed.stderr).toContain(`${ended.length} task(s) finished earlier are kept`);
    expect(resumed.code).toBe(0);

    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(summary.run_id).toBe(runId);
    expect(summary.tasks.map((task) => [task.id, task.status])).toEqual(Array.from({ length: TASKS }, (_, i) => [`t${i + 1}`, "succeeded"]));
    expect(summary.totals).toMatchObject({ tasks: TASKS, succeeded: TASKS, interrupted: 0 });
    // A finished task never ran again: two requests each. The others ran again from the start.
    for (const id of ended) expect(requestsFor(Number(id.slice(1)))).toBe(2);
    for (let n = 1; n <= TASKS; n++) {
      const result = JSON.parse(readFileSync(join(out, "tasks", `t${n}`, "result.json"), "utf8")) as TaskResult;
      expect(result.files_changed).toEqual([`out-${n}.txt`]);
      const starts = readFileSync(join(out, "tasks", `t${n}`, "events.jsonl"), "utf8").split("\n").filter((line) => line.includes('"type":"task_start"'));
      expect(starts).toHaveLength(1);
    }
    const files = allFiles(out);
    for (const file of files.filter((path) => /\.jsonl?$/.test(path))) {
      const text = readFileSync(file, "utf8");
      if (file.endsWith(".jsonl")) for (const line of text.split("\n").filter(Boolean)) JSON.parse(line);
      else JSON.parse(text);
    }
    expect(files.filter((path) => path.endsWith(".tmp"))).toEqual([]);
    expect(files.filter((path) => readFileSync(path, "utf8").includes(SECRET))).toEqual([]);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toContain("the token is [REDACTED]");
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`nanocoder-${runId}-`))).toEqual([]);
    expect(snapshotTree(repo)).toEqual(before);
  }, 60_000);
});

describe("an interrupted run", () => {
  it("records running and waiting tasks as interrupted, exits 130, and resumes them", async () => {
    removeDir(out);
    const before = snapshotTree(repo);
    taskOneSlow = true;
    const child = spawn(process.execPath, [CLI, "batch", "tasks/t1.yaml", "tasks/t2.yaml", "tasks/t3.yaml", ...flags().slice(0, -4), "--concurrency", "1", "--out", out], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), CI: "true", ...env() },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // Task 1 has written its file and waits for its second, slow answer.
    const events = join(out, "tasks", "t1", "events.jsonl");
    for (let waited = 0; waited < 20_000; waited += 25) {
      await sleep(25);
      if (existsSync(events) && readFileSync(events, "utf8").includes('"type":"tool_result"')) break;
    }
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain(`--resume ${out}`);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(summary.tasks.map((task) => [task.id, task.status])).toEqual([["t1", "interrupted"], ["t2", "interrupted"], ["t3", "interrupted"]]);
    expect(summary.tasks[0]?.files_changed).toEqual(["out-1.txt"]);
    expect(readFileSync(join(out, "tasks", "t1", "patch.diff"), "utf8")).toContain("+task 1");
    expect(summary.tasks[1]?.error).toContain("not started");
    expect(summary.totals.interrupted).toBe(3);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("3 interrupted");
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);

    taskOneSlow = false;
    const resumed = await runCli(["batch", "tasks/t1.yaml", "tasks/t2.yaml", "tasks/t3.yaml", "--base-url", server.url, "--model", "scripted", "--resume", out], { cwd: repo, env: env() });
    expect(resumed.code).toBe(0);
    const after = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(after.totals).toMatchObject({ tasks: 3, succeeded: 3, interrupted: 0 });
    expect(snapshotTree(repo)).toEqual(before);

    const other = await runCli(["batch", "tasks/t1.yaml", "tasks/t4.yaml", "--base-url", server.url, "--model", "scripted", "--resume", out], { cwd: repo });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('the tasks differ from the run\'s (not given now: "t2", "t3"; not in the run: "t4")');
  }, 60_000);
});
