/**
 * Runs stopped in the middle, then finished with --resume: SIGTERM (the same stop as a first Ctrl-C, whose
 * other cases are in lifecycle.test.ts) and SIGKILL, with what each leaves in the run folder, the repository
 * and the temporary folder. One repository serves both: each run has a run folder of its own.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary, TaskResult } from "../../src/report/types.ts";
import { schemaUrl } from "../../src/report/schema.ts";
import { CLI, runCli } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Turn } from "../helpers/fake-openai.ts";
import { createRepo, git, removeDir, snapshotTree, writeFiles } from "../helpers/repo.ts";
import { eventsInclude, expectWholeFiles, leftovers, NOTHING_LEFT, readManifest } from "../helpers/run-leftovers.ts";

const SECRET = "planted-secret-value-123";
const TASKS = 8;

/**
 * The tasks whose answer after their tool call is held (far longer than any test) while a first run is to be
 * stopped in their middle, with their file written; the resumed runs get every answer at once.
 */
const held = new Set<number>();

/** Task n writes out-n.txt, then answers. */
function script(request: RecordedRequest): Turn {
  const messages = request.body.messages ?? [];
  const user = messages.find((message) => message.role === "user");
  const n = Number(/Task number (\d+)/.exec(typeof user?.content === "string" ? user.content : "")?.[1] ?? "0");
  const turn = messages.filter((message) => message.role === "assistant").length;
  if (turn === 0) return { tool_calls: [{ name: "write_file", arguments: { path: `out-${n}.txt`, content: `task ${n}\n` } }] };
  return { delay_ms: held.has(n) ? 600_000 : 0, content: `Done with ${n}; the token is ${SECRET}.` };
}

let server: FakeOpenAI;
let repo: string;
const scratch: string[] = [];
const env = { MY_SERVICE_TOKEN: SECRET };
const tasks = (...numbers: number[]) => numbers.map((n) => `tasks/t${n}.yaml`);
const ALL = Array.from({ length: TASKS }, (_, i) => i + 1);

beforeAll(async () => {
  server = await startFakeOpenAI(script);
  const files: Record<string, string> = { "README.md": "# project\n" };
  for (const n of ALL) files[`tasks/t${n}.yaml`] = `id: t${n}\nprompt: Task number ${n}. Write the file.\n`;
  repo = createRepo(files);
  // Something to lose: an uncommitted edit and a stash.
  writeFiles(repo, { "README.md": "# project\nstashed\n" });
  git(repo, "stash", "--quiet");
  writeFiles(repo, { "README.md": "# project\nwork in progress\n" });
});
afterAll(async () => {
  await server.close();
  removeDir(repo);
  for (const dir of scratch) removeDir(dir);
});

function outFolder(): string {
  const parent = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  scratch.push(parent);
  return join(parent, "run");
}

function requestsFor(n: number): number {
  return server.requests.filter((request) => JSON.stringify(request.body.messages?.find((m) => m.role === "user")?.content).includes(`Task number ${n}.`)).length;
}

function startCli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: repo, env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), CI: "true", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

const summaryOf = (out: string) => JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe("a run killed with SIGKILL in the middle of two tasks, then resumed", () => {
  it("finishes every task once, runs no finished task again, leaves no worktree, index file, temporary folder or corrupt file, and never writes the planted secret", async () => {
    const before = snapshotTree(repo);
    const out = outFolder();
    // The file's server is shared: this test counts only the requests made since it began.
    const atStart = ALL.map(requestsFor);
    const sinceStart = (n: number) => requestsFor(n) - (atStart[n - 1] ?? 0);
    // Tasks 1 and 5 are held after their tool call: both places of the run are taken when it is killed, so no
    // request is on its way then, and tasks 2-4 have ended in the other place.
    held.clear();
    held.add(1).add(5);
    const running = startCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--concurrency", "2", "--out", out]);
    const endedTasks = () => readManifest(out).filter((entry) => entry.type === "task_end").map((entry) => entry.id ?? "");
    await expect.poll(() => ({ held: [sinceStart(1), sinceStart(5)], ended: endedTasks() }), { timeout: 30_000, interval: 20 }).toEqual({ held: [2, 2], ended: ["t2", "t3", "t4"] });
    running.child.kill("SIGKILL");
    await running.exited;
    const ended = endedTasks();
    expect(ended).toEqual(["t2", "t3", "t4"]);
    const runId = readManifest(out)[0]?.run_id ?? "";
    const left = leftovers(repo, runId);
    expect(left.entries.length).toBeGreaterThan(0);
    expect(left.temp.length).toBe(1);
    const requestsAtKill = ALL.map(sinceStart);

    held.clear();
    const resumed = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--concurrency", "2", "--resume", out], { cwd: repo, env });
    expect(resumed.stderr).toContain("3 task(s) finished earlier are kept");
    expect(resumed.code).toBe(0);

    const summary = summaryOf(out);
    expect(summary.run_id).toBe(runId);
    expect(summary.tasks.map((task) => [task.id, task.status])).toEqual(ALL.map((n) => [`t${n}`, "succeeded"]));
    expect(summary.totals).toMatchObject({ tasks: TASKS, succeeded: TASKS, interrupted: 0 });
    // A finished task never ran again: its two requests are the first run's. Every other ran again from the
    // start: two more requests each (tasks 1 and 5 had made two before the kill, the second one cut off).
    expect(ALL.map((n) => sinceStart(n) - (requestsAtKill[n - 1] ?? 0))).toEqual(ALL.map((n) => (ended.includes(`t${n}`) ? 0 : 2)));
    expect(ALL.map(sinceStart)).toEqual([4, 2, 2, 2, 4, 2, 2, 2]);
    expect(readManifest(out).filter((entry) => entry.type === "run_resume")).toHaveLength(1);
    for (const n of ALL) {
      const result = JSON.parse(readFileSync(join(out, "tasks", `t${n}`, "result.json"), "utf8")) as TaskResult;
      expect(result.files_changed).toEqual([`out-${n}.txt`]);
      const starts = readFileSync(join(out, "tasks", `t${n}`, "events.jsonl"), "utf8").split("\n").filter((line) => line.includes('"type":"task_start"'));
      expect(starts).toHaveLength(1);
    }
    expectWholeFiles(out);
    expect(allFiles(out).filter((path) => readFileSync(path, "utf8").includes(SECRET))).toEqual([]);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toContain("the token is [REDACTED]");
    expect(leftovers(repo, runId)).toEqual(NOTHING_LEFT);
    expect(snapshotTree(repo)).toEqual(before);
  }, 60_000);
});

describe("SIGTERM, then --resume", () => {
  it("stops the run: the running task interrupted with its partial patch, the waiting ones not started, exit 130, nothing left behind; --resume finishes them and refuses other tasks", async () => {
    const before = snapshotTree(repo);
    const out = outFolder();
    held.clear();
    held.add(1);
    const running = startCli(["batch", ...tasks(1, 2, 3), "--base-url", server.url, "--model", "scripted", "--concurrency", "1", "--out", out]);
    // Task 1 has written its file and waits for its held answer.
    await expect.poll(() => eventsInclude(out, "t1", '"type":"tool_result"'), { timeout: 30_000, interval: 20 }).toBe(true);
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(130);
    const summary = summaryOf(out);
    expect(summary.tasks.map((task) => [task.id, task.status, task.stop_reason])).toEqual([
      ["t1", "interrupted", "interrupted"],
      ["t2", "interrupted", "interrupted"],
      ["t3", "interrupted", "interrupted"],
    ]);
    expect(JSON.parse(readFileSync(join(out, "tasks", "t1", "result.json"), "utf8"))).toEqual({ $schema: schemaUrl("result"), ...summary.tasks[0] });
    expect(summary.totals.interrupted).toBe(3);
    expect(summary.totals.stop_reasons.interrupted).toBe(3);
    expect(summary.tasks[0]?.files_changed).toEqual(["out-1.txt"]);
    expect(readFileSync(join(out, "tasks", "t1", "patch.diff"), "utf8")).toContain("+task 1");
    expect(summary.tasks[1]?.error).toContain("not started");
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toMatch(/^\| t1 \| interrupted \| interrupted \|/m);
    expect(report).toContain("3 interrupted");
    expect(readFileSync(join(out, "junit.xml"), "utf8")).toMatch(/name="t1"[^>]*>\s*<error message="interrupted before the task finished" type="interrupted">/);
    expect(running.stderr()).toMatch(/^✖ t1 interrupted: interrupted before the task finished \(/m);
    expect(running.stderr()).toContain(`--resume ${out}`);
    expect(readManifest(out).at(-1)).toMatchObject({ type: "run_end", interrupted: true });
    expectWholeFiles(out);
    expect(leftovers(repo, summary.run_id)).toEqual(NOTHING_LEFT);
    expect(snapshotTree(repo)).toEqual(before);

    held.clear();
    const resumed = await runCli(["batch", ...tasks(1, 2, 3), "--base-url", server.url, "--model", "scripted", "--resume", out], { cwd: repo, env });
    expect(resumed.code).toBe(0);
    expect(summaryOf(out).totals).toMatchObject({ tasks: 3, succeeded: 3, interrupted: 0 });
    expect(snapshotTree(repo)).toEqual(before);

    const other = await runCli(["batch", ...tasks(1, 4), "--base-url", server.url, "--model", "scripted", "--resume", out], { cwd: repo });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('the tasks differ from the run\'s (not given now: "t2", "t3"; not in the run: "t4")');
  }, 60_000);
});
