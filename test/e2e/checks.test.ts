import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary, TaskResult } from "../../src/report/types.ts";
import { expectValidRunFolder, readEvents, type LoggedEvent } from "../helpers/run-folder.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";

const write = (path: string, content: string) => ({ tool_calls: [{ name: "write_file", arguments: { path, content } }] });

let server: FakeOpenAI;
let repo: string;
let out: string;
let run: CliResult;

beforeAll(async () => {
  server = await startFakeOpenAI([
    {
      // The model claims to be done twice; done.txt only comes in its second attempt.
      match: "Create done.txt",
      turns: [write("notes.txt", "first try\n"), { content: "Done." }, write("done.txt", "done\n"), { content: "Done now." }],
    },
    { match: "Break the unit tests", turns: [{ content: "All good." }] },
    { match: "Tidy tracked.txt", turns: [write("tracked.txt", "model\n"), write("pkg/a.txt", "model a\n"), { content: "Tidied." }] },
    // It imported a module to look at it, as a model running Python does: the __pycache__ is no change.
    { match: "Only say done", turns: [write("lib/__pycache__/m.cpython-311.pyc", "bytecode"), { content: "Done, all renamed." }] },
  ]);
  repo = createRepo({
    "tasks/retried.yaml": [
      "id: retried",
      "prompt: Create done.txt eventually.",
      "checks:",
      "  - test -f done.txt",
      "  - {name: no-secrets, run: 'test -z \"$OPENAI_API_KEY\"'}",
      "retries: 1",
      "",
    ].join("\n"),
    "tasks/strict.yaml": "id: strict\nprompt: Break the unit tests.\nchecks:\n  - {name: unit, run: 'echo \"expected 3, got 4\" >&2; exit 3'}\n",
    // Checks that write what git would take, as a test run leaves coverage the repository does not ignore:
    // they change, delete and add files, put a file where the folder pkg/ was, ignore what they wrote and make a
    // repository of their own; the
    // second reads what the first made, as a test reads what a build wrote.
    "tasks/tidy.yaml": [
      "id: tidy",
      "prompt: Tidy tracked.txt.",
      "checks:",
      "  - 'printf check > tracked.txt && mkdir -p coverage && echo lcov > coverage/lcov.info && rm gone.txt && rm -rf pkg && echo x > pkg'",
      "  - 'test -f coverage/lcov.info && echo second > second.txt'",
      "  - 'echo cov.xml >> .gitignore && echo c > cov.xml && git init -q made && echo x > made/f.txt'",
      "",
    ].join("\n"),
    "pkg/a.txt": "a\n",
    "tasks/idle.yaml": "id: idle\nprompt: Only say done.\nchecks: ['echo junk > junk.txt']\n",
    "tracked.txt": "base\n",
    "gone.txt": "kept\n",
  });
  out = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  run = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--out", out], {
    cwd: repo,
    env: { OPENAI_API_KEY: "sk-test-secret-key-123" },
  });
});

afterAll(async () => {
  await server.close();
  removeDir(repo);
  removeDir(out);
});

function result(id: string): TaskResult {
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
  const found = summary.tasks.find((task) => task.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

const events = (id: string): LoggedEvent[] => readEvents(out, id);

describe("checks and retries", () => {
  it("gives a failed check back to the model, which goes on in the same conversation and passes", () => {
    expect(result("retried")).toMatchObject({
      status: "succeeded",
      attempts: 2,
      turns: 4,
      checks: [
        { name: "test -f done.txt", passed: true, exit_code: 0, timed_out: false },
        { name: "no-secrets", passed: true, exit_code: 0, timed_out: false },
      ],
      earlier_checks: [{ attempt: 1, name: "test -f done.txt", passed: false, exit_code: 1, timed_out: false }],
      files_changed: ["done.txt", "notes.txt"],
    });
    const requests = server.requests.filter((request) => JSON.stringify(request.body.messages?.[1]).includes("Create done.txt"));
    const retryMessages = requests[2]?.body.messages ?? [];
    expect(retryMessages.slice(0, 2)).toEqual(requests[0]?.body.messages);
    expect(retryMessages.at(-1)).toMatchObject({ role: "user", content: expect.stringContaining('the check "test -f done.txt" failed with exit code 1') });
  });

  it("logs checks and the retry as events, between the attempts' model turns", () => {
    const logged = events("retried").filter((event) => /^(check|retry|model_request|task_end)/.test(event.type));
    expect(logged.map((event) => `${event.type}${"attempt" in event ? ` ${String(event.attempt)}` : ""}`)).toEqual([
      "model_request",
      "model_request",
      "check_start 1",
      "check_result 1",
      "retry 2",
      "model_request",
      "model_request",
      "check_start 2",
      "check_result 2",
      "check_start 2",
      "check_result 2",
      "task_end",
    ]);
    expect(logged[3]).toMatchObject({ name: "test -f done.txt", exit_code: 1, timed_out: false, output_tail: "" });
    expect(logged[4]).toMatchObject({ reason: 'check "test -f done.txt" failed with exit code 1' });
  });

  it("fails a task whose check fails with no retries left, naming the check, and exits 1", () => {
    expect(run.code).toBe(1);
    expect(result("strict")).toMatchObject({
      status: "failed",
      attempts: 1,
      error: 'check "unit" failed with exit code 3',
      checks: [{ name: "unit", passed: false, exit_code: 3 }],
    });
    expect(result("strict").earlier_checks).toBeUndefined();
    expect(events("strict").find((event) => event.type === "check_result")).toMatchObject({ output_tail: "expected 3, got 4" });
  });

  it("puts back what the checks wrote once the last has run, so the patch, and the task's status, are the model's work alone", () => {
    expect(result("tidy")).toMatchObject({ status: "succeeded", files_changed: ["pkg/a.txt", "tracked.txt"] });
    const patch = readFileSync(join(out, "tasks/tidy/patch.diff"), "utf8");
    expect(patch).toContain("+model");
    expect(patch).toContain("+model a");
    expect(patch).not.toContain("check");
    const results = events("tidy").filter((event) => event.type === "check_result");
    expect(results.map((event) => event.exit_code)).toEqual([0, 0, 0]);
    expect(results.slice(0, 2).map((event) => ("undone" in event ? event.undone : undefined))).toEqual([undefined, undefined]);
    const undone = (results[2] as { undone?: string[] } | undefined)?.undone ?? [];
    // coverage/ is new: it goes as one folder, named once.
    expect([...undone].sort()).toEqual([".gitignore", "cov.xml", "coverage", "gone.txt", "made", "pkg", "pkg/a.txt", "second.txt", "tracked.txt"]);
    // The repository the check made went whole: the task made none.
    expect(result("tidy").nested_repositories).toBeUndefined();
    // A model that changed nothing is not made a success by what its check wrote.
    expect(result("idle")).toMatchObject({ status: "failed", stop_reason: "no_changes", files_changed: [] });
    expect(events("idle").find((event) => event.type === "check_result")).toMatchObject({ exit_code: 0, undone: ["junk.txt"] });
  });

  it("writes the checks, retries and their events as the published schemas describe them", () => {
    expect(expectValidRunFolder(out)).toBeGreaterThan(10);
  });

  it("saves the whole output of every check run", () => {
    expect(readdirSync(join(out, "tasks/retried/checks")).sort()).toEqual(["1-test-f-done-txt.log", "2-no-secrets.log", "2-test-f-done-txt.log"]);
    expect(readFileSync(join(out, "tasks/strict/checks/1-unit.log"), "utf8")).toBe("expected 3, got 4\n");
  });

  it("shows each task's checks in report.md, both attempts of a retried task", () => {
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toContain("## Checks");
    expect(report).toMatch(/\| retried \| 1 \| `test -f done.txt` \| \*\*failed\*\*: exit code 1 \| \d+ ms \|/);
    expect(report).toMatch(/\| retried \| 2 \| `test -f done.txt` \| passed \|/);
    expect(report).toMatch(/\| strict \| 1 \| `unit` \| \*\*failed\*\*: exit code 3 \|/);
  });
});

it("leaves the user's working tree, index, branches and stashes as they were", () => {
  const { now, created } = changedSinceCreated(repo);
  expect(now).toEqual(created);
});
