/**
 * The lifecycle of a run: worktrees shared by tasks, the base commit, interrupts (one and two SIGINTs) and
 * --resume, the user's own worktrees, two runs at once, and what is left behind in the repository and the
 * temporary folder in each case. SIGTERM and SIGKILL in the middle of tasks, each followed by --resume, are in
 * resume.test.ts.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { removeStaleWorktrees } from "../../src/run/manifest.ts";
import { CLI, runCli } from "../helpers/cli.ts";
import { lazy } from "../helpers/lazy.ts";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Turn } from "../helpers/fake-openai.ts";
import { runningProcesses } from "../helpers/processes.ts";
import { createRepo, git, removeDir, snapshotTree, writeFiles } from "../helpers/repo.ts";
import { readEvents, readSummary } from "../helpers/run-folder.ts";
import { eventsInclude, expectWholeFiles, leftovers, NOTHING_LEFT, readManifest as manifest } from "../helpers/run-leftovers.ts";

// --- a server whose conversations each test registers, by a [[key]] in the task's prompt ---

type Conversation = (turn: number, request: RecordedRequest) => Turn;
const conversations = new Map<string, Conversation>();
let server: FakeOpenAI;
const scratch: string[] = [];

function keyOf(request: RecordedRequest): string {
  const user = request.body.messages?.find((message) => message.role === "user")?.content;
  return /\[\[([\w-]+)\]\]/.exec(typeof user === "string" ? user : JSON.stringify(user ?? ""))?.[1] ?? "";
}

function requestsFor(key: string): number {
  return server.requests.filter((request) => keyOf(request) === key).length;
}

beforeAll(async () => {
  server = await startFakeOpenAI((request) => {
    const conversation = conversations.get(keyOf(request));
    if (!conversation) return { status: 400, error_message: `no conversation for [[${keyOf(request)}]]` };
    return conversation((request.body.messages ?? []).filter((message) => message.role === "assistant").length, request);
  });
});
afterAll(async () => {
  await server.close();
  for (const dir of scratch) removeDir(dir);
});

/** A task that writes `file`, then answers (after `delay` ms). */
function writes(file: string, delay = 0): Conversation {
  return (turn) => (turn === 0 ? { tool_calls: [{ name: "write_file", arguments: { path: file, content: `written by the task\n` } }] } : { delay_ms: delay, content: "Done." });
}

function repoWith(tasks: Record<string, string>, more: Record<string, string> = {}): string {
  const files: Record<string, string> = { "README.md": "# project\n", ".gitignore": "build/\n", ...more };
  for (const [id, yaml] of Object.entries(tasks)) files[`tasks/${id}.yaml`] = yaml;
  const repo = createRepo(files);
  scratch.push(repo);
  return repo;
}

function outFolder(): string {
  const parent = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  scratch.push(parent);
  return join(parent, "run");
}

const flags = (out: string, concurrency = 1) => ["--base-url", server.url, "--model", "scripted", "--concurrency", String(concurrency), "--out", out];

interface Running {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  stdout(): string;
}

function startCli(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (data: Buffer) => (stderr += data.toString()));
  child.stdout?.on("data", (data: Buffer) => (stdout += data.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => stderr, stdout: () => stdout };
}

/** Waits for `condition`, looking every `interval` ms (vitest's waitFor), or fails naming what it waited for. */
async function waitFor(what: string, condition: () => boolean, timeout = 15_000, interval = 20): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout, interval },
  );
}

/** The `sleep MARKER` processes still running: a check's own sleep, not the shell or sandbox that holds its command line. */
function sleeping(marker: string): string[] {
  return runningProcesses().filter(({ args }) => args.join(" ") === `sleep ${marker}`).map(({ pid, args }) => `${pid} ${args.join(" ")}`);
}

/** Waits until `sleeping(marker)` holds (or no longer holds) a process: a look at every process, so not every 20 ms. */
const waitForSleep = (what: string, marker: string, running: boolean) => waitFor(what, () => (sleeping(marker).length > 0) === running, 15_000, 100);

function toolOutputs(out: string, id: string): string[] {
  return readEvents(out, id).filter((event) => event.type === "tool_result").map((event) => String(event.output));
}

// --- worktrees shared by tasks, the base commit, and two runs at once: two runs serve all three ---

/**
 * Two runs at once on one repository. The first, three tasks at concurrency 1 on a base older than HEAD: a and b
 * show what a later task sees of an earlier one's files in the worktree they share, c what the tasks see of the
 * base. The second, three tasks at concurrency 2 on HEAD, each writing a file of its own.
 */
const sharedWorktreeRun = lazy(async () => {
  conversations.set("share-first", (turn) =>
    turn === 0
      ? {
          tool_calls: [
            { name: "write_file", arguments: { path: "notes/first.txt", content: "first\n" } },
            { name: "write_file", arguments: { path: "build/cache.bin", content: "ignored output\n" } },
            { name: "write_file", arguments: { path: "README.md", content: "# changed by first\n" } },
            { name: "file_op", arguments: { operation: "delete", path: "keep.txt" } },
          ],
        }
      : { content: "Done." },
  );
  conversations.set("share-second", (turn) =>
    turn === 0
      ? {
          tool_calls: [
            { name: "list_directory", arguments: { path: ".", recursive: true } },
            { name: "read_file", arguments: { path: "README.md" } },
            { name: "read_file", arguments: { path: "keep.txt" } },
            { name: "list_directory", arguments: { path: "build" } },
          ],
        }
      : { content: "Looked around." },
  );
  conversations.set("base-look", (turn) =>
    turn === 0
      ? {
          tool_calls: [
            { name: "read_file", arguments: { path: "version.txt" } },
            { name: "list_directory", arguments: { path: "." } },
            { name: "write_file", arguments: { path: "version.txt", content: "v1 edited\n" } },
          ],
        }
      : { content: "Edited." },
  );
  const tasks: Record<string, string> = { a: "id: a\nprompt: \"[[share-first]]\"\n", b: "id: b\nprompt: \"[[share-second]]\"\nexpect: none\n", c: "id: c\nprompt: \"[[base-look]]\"\n" };
  for (let n = 1; n <= 3; n++) {
    conversations.set(`two-${n}`, writes(`out-${n}.txt`, 30));
    tasks[`t${n}`] = `id: t${n}\nprompt: "[[two-${n}]]"\n`;
  }
  const repo = repoWith(tasks, { "keep.txt": "keep me\n", "version.txt": "v1\n" });
  const base = git(repo, "rev-parse", "HEAD").trim();
  writeFiles(repo, { "version.txt": "v2\n", "added-later.txt": "later\n" });
  git(repo, "add", "--all");
  git(repo, "-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "--quiet", "-m", "second");
  writeFiles(repo, { "version.txt": "v3 uncommitted\n" });
  const before = snapshotTree(repo);
  const [out, otherOut] = [outFolder(), outFolder()];
  const [run, other] = await Promise.all([
    runCli(["batch", "tasks/a.yaml", "tasks/b.yaml", "tasks/c.yaml", ...flags(out, 1), "--base", "HEAD~1"], { cwd: repo }),
    runCli(["batch", "tasks/t1.yaml", "tasks/t2.yaml", "tasks/t3.yaml", ...flags(otherOut, 2)], { cwd: repo }),
  ]);
  return { repo, base, before, out, run, summary: readSummary(out), other, otherSummary: readSummary(otherOut), after: snapshotTree(repo) };
});

describe("tasks that share a worktree (concurrency 1)", () => {
  it("a later task sees none of an earlier task's files: new, edited, ignored or deleted", async () => {
    const { repo, out, run, summary } = await sharedWorktreeRun();
    expect(run.code).toBe(0);
    expect(summary.tasks.map((task) => task.files_changed)).toEqual([["README.md", "keep.txt", "notes/first.txt"], [], ["version.txt"]]);
    const [tree, readme, keep, build] = toolOutputs(out, "b");
    expect(tree).not.toContain("first.txt");
    expect(tree).not.toContain("notes");
    expect(readme).toContain("# project");
    expect(readme).not.toContain("changed by first");
    expect(keep).toContain("keep me");
    expect(build).not.toContain("cache.bin");
    expect(leftovers(repo, summary.run_id)).toEqual(NOTHING_LEFT);
  });
});

describe("--base older than HEAD", () => {
  it("gives the tasks the base's files, makes the patch against the base, and leaves HEAD and the working tree alone", async () => {
    const { repo, base, before, out, run, summary, after } = await sharedWorktreeRun();
    expect(run.code).toBe(0);
    expect(summary.base).toBe(base);
    const [version, listing] = toolOutputs(out, "c");
    expect(version).toContain("v1");
    expect(version).not.toContain("v2");
    expect(listing).not.toContain("added-later.txt");
    // The patch applies to the base, not to HEAD.
    const clone = mkdtempSync(join(tmpdir(), "nanocoder-test-clone-"));
    scratch.push(clone);
    execFileSync("sh", ["-c", `git clone --quiet "$0" . && git checkout --quiet "$1" && git apply "$2"`, repo, base, join(out, "tasks", "c", "patch.diff")], { cwd: clone });
    expect(readFileSync(join(clone, "version.txt"), "utf8")).toBe("v1 edited\n");
    expect(after).toEqual(before);
    expect(leftovers(repo, summary.run_id)).toEqual(NOTHING_LEFT);
  });
});

// --- interrupts ---

describe("SIGINT while a check runs, in a run with --base; then --resume after HEAD moved", () => {
  // One run serves both: stopped while its check sleeps, then resumed with a check that passes.
  const marker = `${30 + (process.pid % 1000) / 1000}`;
  let repo: string;
  let out: string;
  let base: string;
  let stopped: { code: number | null; summary: RunSummary; sleepingAfter: string[]; left: ReturnType<typeof leftovers> };
  let resumed: { code: number | null };

  beforeAll(async () => {
    conversations.set("check-int", (turn) => (turn === 0 ? { tool_calls: [{ name: "read_file", arguments: { path: "version.txt" } }] } : { content: "Read it." }));
    repo = repoWith({ a: `id: a\nprompt: "[[check-int]]"\nexpect: none\nchecks: ["echo checking; sleep ${marker}"]\n` }, { "version.txt": "v1\n" });
    base = git(repo, "rev-parse", "HEAD").trim();
    writeFiles(repo, { "version.txt": "v2\n" });
    git(repo, "-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "--quiet", "-am", "second");
    out = outFolder();
    const running = startCli(["batch", "tasks/a.yaml", ...flags(out), "--base", base], repo);
    await waitForSleep("the check's sleep", marker, true);
    running.child.kill("SIGINT");
    const { code } = await running.exited;
    const summary = readSummary(out);
    stopped = { code, summary, sleepingAfter: sleeping(marker), left: leftovers(repo, summary.run_id) };
    // HEAD moves on, and the resumed run gets a check that passes (the id stays the same; the task file may change).
    writeFiles(repo, { "version.txt": "v3\n", "tasks/a.yaml": readFileSync(join(repo, "tasks", "a.yaml"), "utf8").replace(/checks: .*\n/, 'checks: ["true"]\n') });
    git(repo, "-c", "user.name=T", "-c", "user.email=t@localhost", "commit", "--quiet", "-am", "third");
    resumed = await runCli(["batch", "tasks/a.yaml", "--base-url", server.url, "--model", "scripted", "--resume", out], { cwd: repo });
  }, 60_000);

  it("kills the check's process tree and records the task as interrupted, not failed", () => {
    expect(stopped.code).toBe(130);
    expect(stopped.summary.tasks[0]?.status).toBe("interrupted");
    expect(stopped.sleepingAfter).toEqual([]);
    expect(stopped.left).toEqual(NOTHING_LEFT);
  });

  it("an interrupted run with --base resumes on that base, even after HEAD moved", () => {
    expect(resumed.code).toBe(0);
    expect(readSummary(out).base).toBe(base);
    expect(toolOutputs(out, "a")[0]).toContain("v1");
  });
});

describe("a second SIGINT", () => {
  it("exits at once with 130; --resume then removes what it left, leaves the user's own worktrees alone, and runs only the unfinished tasks, once", async () => {
    // Task a's check ignores SIGTERM, so stopping it takes the 2 s grace: the second SIGINT falls inside it.
    conversations.set("twice-check", (turn) => (turn === 0 ? { tool_calls: [{ name: "write_file", arguments: { path: "a.txt", content: "a\n" } }] } : { content: "Done." }));
    conversations.set("twice-done", writes("b.txt"));
    conversations.set("twice-wait", writes("c.txt"));
    const marker = `${40 + (process.pid % 1000) / 1000}`;
    const repo = repoWith({
      a: `id: a\nprompt: "[[twice-check]]"\nchecks: ["trap '' TERM; sleep ${marker}; true"]\n`,
      b: "id: b\nprompt: \"[[twice-done]]\"\n",
      c: "id: c\nprompt: \"[[twice-wait]]\"\n",
    });
    // The user's own worktree, on a disk that is not mounted right now: its folder is missing for a while.
    const userTree = join(mkdtempSync(join(tmpdir(), "nanocoder-test-user-")), "feature");
    scratch.push(join(userTree, ".."));
    git(repo, "worktree", "add", "--quiet", "-b", "feature", userTree);
    writeFiles(userTree, { "staged.txt": "staged work\n" });
    git(userTree, "add", "staged.txt");
    renameSync(userTree, `${userTree}-unmounted`);
    expect(readdirSync(join(repo, ".git", "worktrees"))).toEqual(["feature"]);
    const before = snapshotTree(repo);
    const out = outFolder();
    const running = startCli(["batch", "tasks/b.yaml", "tasks/a.yaml", "tasks/c.yaml", ...flags(out, 1)], repo);
    // The check's own sleep runs once its shell has set the trap: from then on, stopping it takes the whole grace.
    await waitForSleep("task a's check to ignore SIGTERM", marker, true);
    running.child.kill("SIGINT");
    await waitFor("the first SIGINT's notice", () => running.stderr().includes("press Ctrl-C again to quit at once"));
    running.child.kill("SIGINT");
    const { code } = await running.exited;
    expect(code).toBe(130);
    // At once: within the check's grace, so the orderly stop never wrote the run's end.
    expect(manifest(out).some((entry) => entry.type === "run_end")).toBe(false);
    const runId = manifest(out)[0]?.run_id ?? "";
    expect(runId).not.toBe("");
    expect(requestsFor("twice-done")).toBe(2);
    // The check's processes did not outlive nanocoder: they are killed on the way out, and gone once reaped.
    await waitForSleep("the check's sleep to end", marker, false);
    // Quitting at once left the run's worktree entries beside the user's, for the resume to remove.
    expect(leftovers(repo, runId).entries.filter((entry) => entry !== "feature")).not.toEqual([]);
    // The resumed run gets a check that passes (the ids stay the same; the task file may change).
    const original = readFileSync(join(repo, "tasks", "a.yaml"), "utf8");
    writeFiles(repo, { "tasks/a.yaml": original.replace(/checks: .*\n/, 'checks: ["true"]\n') });
    const resumed = await runCli(["batch", "tasks/b.yaml", "tasks/a.yaml", "tasks/c.yaml", "--base-url", server.url, "--model", "scripted", "--resume", out], { cwd: repo });
    writeFiles(repo, { "tasks/a.yaml": original });
    expect(resumed.stderr).toContain("1 task(s) finished earlier are kept");
    expect(resumed.code).toBe(0);
    const summary = readSummary(out);
    expect(summary.tasks.map((task) => [task.id, task.status, task.files_changed])).toEqual([
      ["b", "succeeded", ["b.txt"]],
      ["a", "succeeded", ["a.txt"]],
      ["c", "succeeded", ["c.txt"]],
    ]);
    // b finished before the interrupt and is never asked again; a and c ran once more from the start.
    expect(requestsFor("twice-done")).toBe(2);
    expect(requestsFor("twice-check")).toBe(4);
    expect(requestsFor("twice-wait")).toBe(2);
    expectWholeFiles(out);
    // Of the worktrees, only the user's is left: its entry, with the index holding their staged work, too.
    expect(leftovers(repo, runId)).toEqual({ ...NOTHING_LEFT, worktrees: [`worktree ${userTree}`], entries: ["feature"] });
    expect(snapshotTree(repo)).toEqual(before);
    renameSync(`${userTree}-unmounted`, userTree);
    expect(git(userTree, "status", "--porcelain")).toBe("A  staged.txt\n");
  });
});

describe("a second SIGINT without a sandbox (sandbox.mode none)", () => {
  it("leaves no command of the run running after nanocoder quits", async () => {
    conversations.set("twice-nosandbox", (turn) => (turn === 0 ? { content: "Nothing to do." } : { content: "?" }));
    const marker = `${50 + (process.pid % 1000) / 1000}`;
    const repo = repoWith(
      { a: `id: a\nprompt: "[[twice-nosandbox]]"\nchecks: ["trap '' TERM; sleep ${marker}; true"]\n` },
      { ".nanocoder/policy.yaml": "version: 1\nsandbox:\n  mode: none\n" },
    );
    const out = outFolder();
    const running = startCli(["batch", "tasks/a.yaml", ...flags(out)], repo);
    try {
      await waitForSleep("the check to ignore SIGTERM", marker, true);
      running.child.kill("SIGINT");
      await waitFor("the first SIGINT's notice", () => running.stderr().includes("press Ctrl-C again to quit at once"));
      running.child.kill("SIGINT");
      expect((await running.exited).code).toBe(130);
      expect(manifest(out).some((entry) => entry.type === "run_end")).toBe(false);
      await waitForSleep("the check's sleep to end", marker, false);
    } finally {
      for (const line of sleeping(marker)) process.kill(Number(line.trim().split(/\s+/)[0]), "SIGKILL");
      // A second Ctrl-C leaves the run's worktrees for --resume to clean up; the test cleans them the same way.
      const runId = manifest(out).find((entry) => entry.run_id)?.run_id;
      if (runId) await removeStaleWorktrees(repo, runId);
    }
  });
});

describe("two runs at once on the same repository", () => {
  it("both succeed, each patch holds only its own task's change, and nothing is left behind", async () => {
    const { repo, before, run, summary, other, otherSummary, after } = await sharedWorktreeRun();
    expect([run.code, other.code, run.stderr.includes("Error") || other.stderr.includes("Error")]).toEqual([0, 0, false]);
    expect([summary, otherSummary].flatMap((each) => each.tasks.map((task) => task.files_changed))).toEqual([
      ["README.md", "keep.txt", "notes/first.txt"],
      [],
      ["version.txt"],
      ["out-1.txt"],
      ["out-2.txt"],
      ["out-3.txt"],
    ]);
    for (const each of [summary, otherSummary]) expect(leftovers(repo, each.run_id)).toEqual(NOTHING_LEFT);
    expect(after).toEqual(before);
  });
});

// --- a worktree that cannot be reset ---

describe("a worktree that cannot be reset", () => {
  const immutable: string[] = [];
  afterAll(() => {
    for (const path of immutable) {
      execFileSync("chattr", ["-i", path], { stdio: "ignore" });
      removeDir(join(path, "..", "..", ".."));
    }
  });

  it("is not used again, the next task gets a clean checkout, and the run still ends with its results and exit code", async () => {
    conversations.set("stuck-first", writes("stuck/file.txt", 600));
    conversations.set("stuck-second", (turn) => (turn === 0 ? { tool_calls: [{ name: "list_directory", arguments: { path: ".", recursive: true } }] } : { content: "Looked." }));
    const repo = repoWith({ a: "id: a\nprompt: \"[[stuck-first]]\"\n", b: "id: b\nprompt: \"[[stuck-second]]\"\nexpect: none\n" });
    const out = outFolder();
    const running = startCli(["batch", "tasks/a.yaml", "tasks/b.yaml", ...flags(out, 1)], repo);
    await waitFor("task a's tool result", () => eventsInclude(out, "a", '"type":"tool_result"'));
    // Something the run cannot delete: the file the task wrote is made immutable (as root, a chmod would not bite).
    const worktree = git(repo, "worktree", "list", "--porcelain").split("\n").filter((line) => line.startsWith("worktree ")).map((line) => line.slice(9))[1] ?? "";
    const stuck = join(worktree, "stuck", "file.txt");
    execFileSync("chattr", ["+i", stuck]);
    immutable.push(stuck);
    const { code } = await running.exited;
    const summary = readSummary(out);
    expect(summary.tasks.map((task) => [task.id, task.status, task.files_changed])).toEqual([["a", "succeeded", ["stuck/file.txt"]], ["b", "succeeded", []]]);
    expect(toolOutputs(out, "b")[0]).not.toContain("stuck");
    // Today: "internal error: ENOTDIR ... scandir '<run temp folder>/worktree-1/stuck/file.txt'" from removing
    // the run's temporary folder at the end, exit code 1, and no result lines on stdout.
    // Both tasks succeeded: the run says so, on stdout and in its exit code, whatever cleaning up could not delete.
    expect(running.stdout()).toContain("succeeded");
    expect(running.stderr()).not.toMatch(/EPERM|at .*\.js:\d+/);
    expect(code).toBe(0);
    expect(manifest(out).at(-1)).toMatchObject({ type: "run_end" });
    expect(git(repo, "worktree", "list", "--porcelain").split("\n").filter((line) => line.startsWith("worktree "))).toHaveLength(1);
  });
});
