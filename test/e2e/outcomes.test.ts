/**
 * How tasks end, through the real CLI: every stop reason a run can reach here, each shown the same way in
 * result.json, summary.json, report.md, junit.xml and the task line. One batch holds them all. Elsewhere:
 * policy_violation (effects.test.ts), interrupted (lifecycle.test.ts), budget of the run (budgets.test.ts).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StopReason, TaskStatus } from "../../src/agent/outcome.ts";
import type { TaskResult } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI, type Turn } from "../helpers/fake-openai.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";
import { expectValidRunFolder, readSummary } from "../helpers/run-folder.ts";
import { schemaUrl } from "../../src/report/schema.ts";

const SECRET = "sk-outcomes-secret-9999";
const write = (path: string): Turn => ({ tool_calls: [{ name: "write_file", arguments: { path, content: "x\n" } }] });
const finish = (status: "done" | "blocked", summary: string): Turn => ({ tool_calls: [{ name: "finish", arguments: { status, summary } }] });
const list: Turn = { tool_calls: [{ name: "list_directory", arguments: {} }] };

/** 31 lines of output, a colour code, the API key's value, and the reason last: what a failing test runner prints. */
const FAILING_CHECK = [
  "for i in $(seq 1 30); do echo \"ok $i\"; done",
  "printf '\\033[31mFAIL\\033[0m add()\\n'",
  // On stdout like the rest: stdout and stderr reach the log through two pipes, in no fixed order.
  `echo "  token: $(printf sk-outcomes-)secret-9999"`,
  "echo 'AssertionError: expected 3, got 4'",
  "exit 1",
].join("; ");

const TASKS: Record<string, string> = {
  answered: "prompt: Outcome-answered. Add a JSDoc comment.\n",
  finished: "prompt: Outcome-finished.\n",
  blocked: "prompt: Outcome-blocked.\nchecks: ['true']\npolicy:\n  tools:\n    deny: ['*']\n",
  "text-blocked": "prompt: Outcome-text-blocked.\nprovider: text\n",
  review: "prompt: Outcome-review.\nexpect: none\n",
  "review-wrote": "prompt: Outcome-review-wrote.\nexpect: none\n",
  checked: `prompt: Outcome-checked.\nchecks:\n  - {name: unit, run: ${JSON.stringify(FAILING_CHECK)}}\n`,
  turns: "prompt: Outcome-turns.\nlimits: {max_turns: 2}\n",
  denied: "prompt: Outcome-denied.\nlimits: {max_denials: 1}\n",
  tokens: "prompt: Outcome-tokens.\nlimits: {max_tokens: 1000}\n",
  slow: "prompt: Outcome-slow.\nlimits: {timeout: 2s}\n",
  broken: "prompt: Outcome-broken.\n",
  setup: "prompt: Outcome-setup.\nsetup: ['echo preparing; exit 7']\n",
};

/** Each task's status, stop reason and the start of its one-line reason (none for a success). */
const EXPECTED: [id: string, status: TaskStatus, reason: StopReason, error: string | undefined][] = [
  ["answered", "failed", "no_changes", 'no changes, though the task expects them (expect: changes); the model said: "Done."'],
  ["finished", "succeeded", "completed", undefined],
  ["blocked", "failed", "blocked", "the model reported it was blocked: xo is not installed, so the lint cannot run"],
  ["text-blocked", "failed", "blocked", "the model reported it was blocked: the task names a file that does not exist"],
  ["review", "succeeded", "completed", undefined],
  ["review-wrote", "failed", "unexpected_changes", "changed 1 file(s), though the task expects none (expect: none): notes.txt"],
  ["checked", "failed", "checks_failed", 'check "unit" failed with exit code 1'],
  ["turns", "limit_exceeded", "max_turns", "reached max_turns (2) before the model finished"],
  ["denied", "limit_exceeded", "max_denials", "reached max_denials (1): the policy refused 1 calls"],
  ["tokens", "limit_exceeded", "budget", "used 5000 tokens of max_tokens 1000"],
  ["slow", "limit_exceeded", "timeout", "timed out after 2s (limits.timeout)"],
  ["broken", "error", "provider_error", "400"],
  ["setup", "error", "setup_failed", "setup failed: `echo preparing; exit 7` exited with code 7"],
];

let server: FakeOpenAI;
let repo: string;
let out: string;
let run: CliResult;

beforeAll(async () => {
  server = await startFakeOpenAI([
    { match: "Outcome-answered", turns: [{ content: "Done." }] },
    { match: "Outcome-finished", turns: [write("done.txt"), finish("done", "Wrote done.txt.")] },
    { match: "Outcome-blocked", turns: [finish("blocked", "xo is not installed, so the lint cannot run")] },
    {
      match: "Outcome-text-blocked",
      turns: [{ content: 'I looked.\n<tool_call name="finish">{"status": "blocked", "summary": "the task names a file that does not exist"}</tool_call>' }],
    },
    // Before Outcome-review, which its prompt also holds.
    { match: "Outcome-review-wrote", turns: [write("notes.txt"), { content: "Reviewed, and left notes." }] },
    { match: "Outcome-review", turns: [{ content: "Looks fine to me." }] },
    { match: "Outcome-checked", turns: [write("math.js"), { content: "Done." }] },
    { match: "Outcome-turns", turns: [list, list, { content: "never asked" }] },
    { match: "Outcome-denied", turns: [{ tool_calls: [{ name: "read_file", arguments: { path: ".env" } }] }, { content: "never asked" }] },
    { match: "Outcome-tokens", turns: [{ ...list, usage: { prompt_tokens: 4_000, completion_tokens: 1_000 } }, { content: "never asked" }] },
    { match: "Outcome-slow", turns: [{ content: "too late", delay_ms: 10_000 }] },
    { match: "Outcome-broken", turns: [{ status: 400, error_message: "messages: bad request" }] },
    { match: "Outcome-setup", turns: [{ content: "never asked" }] },
  ]);
  const providers = [
    { name: "native", baseUrl: server.url, models: ["scripted"] },
    { name: "text", baseUrl: server.url, models: ["scripted"], toolCalling: "text" },
  ];
  repo = createRepo({
    "README.md": "outcomes\n",
    ".env": "TOKEN=1\n",
    "agents.config.json": JSON.stringify({ providers }),
    ...Object.fromEntries(Object.entries(TASKS).map(([id, text]) => [`tasks/${id}.yaml`, `id: ${id}\n${text}`])),
  });
  out = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  run = await runCli(["batch", "tasks/*.yaml", "--concurrency", "7", "--out", out], { cwd: repo, env: { OPENAI_API_KEY: SECRET } });
}, 60_000);

afterAll(async () => {
  await server.close();
  removeDir(repo);
  removeDir(out);
});

const summary = () => readSummary(out);
const result = (id: string): TaskResult => JSON.parse(readFileSync(join(out, "tasks", id, "result.json"), "utf8")) as TaskResult;
const report = () => readFileSync(join(out, "report.md"), "utf8");
const junit = () => readFileSync(join(out, "junit.xml"), "utf8");
/** A task's test case in junit.xml, from its opening tag to its end. */
const testCase = (id: string) => new RegExp(`<testcase classname="nanocoder" name="${id}"[^>]*>([\\s\\S]*?)</testcase>`).exec(junit())?.[1] ?? "";

describe("every task ends with a status and a stop reason, shown the same everywhere", () => {
  it("exits 1, with no stack trace", () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(1);
  });

  it("writes every JSON output of every ending as its published schema describes it", () => {
    expect(expectValidRunFolder(out)).toBeGreaterThan(EXPECTED.length * 3);
  });

  it.each(EXPECTED)("%s: %s, %s", (id, status, reason, error) => {
    const saved = result(id);
    expect(saved).toMatchObject({ status, stop_reason: reason });
    if (error === undefined) expect(saved.error).toBeUndefined();
    else expect(saved.error).toContain(error);
    expect({ $schema: schemaUrl("result"), ...summary().tasks.find((task) => task.id === id) }).toEqual(saved);
    expect(report()).toMatch(new RegExp(`^\\| ${id} \\| ${status} \\| ${reason} \\|`, "m"));
    const element = status === "succeeded" ? undefined : status === "error" ? "error" : "failure";
    if (element) expect(testCase(id)).toMatch(new RegExp(`^\\s*<${element} message="[^"]*" type="${reason}">`));
    else expect(testCase(id)).not.toMatch(/<failure|<error/);
    const line = run.stderr.split("\n").find((each) => each.startsWith(`${status === "succeeded" ? "✔" : "✖"} ${id} `));
    if (status === "succeeded") expect(line).toMatch(new RegExp(`^✔ ${id} succeeded \\(`));
    // An error of several lines (setup's) has its first on the task line.
    else expect(line?.startsWith(`✖ ${id} ${status} (${reason}): ${saved.error?.split("\n")[0] ?? ""} (`)).toBe(true);
  });

  it("counts the tasks of each stop reason in summary.json, and lists those that occurred in report.md", () => {
    expect(summary().totals.stop_reasons).toEqual({
      completed: 2, no_changes: 1, unexpected_changes: 1, blocked: 2, checks_failed: 1, output_invalid: 0, policy_violation: 0,
      max_turns: 1, max_denials: 1, budget: 1, timeout: 1, provider_error: 1, setup_failed: 1, runner_error: 0, interrupted: 0,
    });
    expect(report()).toContain(
      "Stop reasons: completed 2, no_changes 1, unexpected_changes 1, blocked 2, checks_failed 1, max_turns 1, max_denials 1, budget 1, timeout 1, provider_error 1, setup_failed 1.",
    );
    expect(report()).toContain('- **answered** (failed, no_changes): no changes, though the task expects them (expect: changes); the model said: "Done."');
  });
});

describe("finishing", () => {
  it("offers the finish tool with every request, even when the policy takes every other tool away", () => {
    const offered = (match: string) =>
      server.requests.filter((request) => JSON.stringify(request.body.messages).includes(match)).map((request) => (request.body.tools ?? []).map((tool) => (tool as { function: { name: string } }).function.name));
    expect(offered("Outcome-blocked")).toEqual([["finish"]]);
    expect(offered("Outcome-finished")[0]).toContain("finish");
  });

  it("ends on finish done with its summary as the final message, and runs no checks after blocked", () => {
    expect(result("finished")).toMatchObject({ turns: 2, final_message: "Wrote done.txt.", files_changed: ["done.txt"] });
    expect(server.requests.filter((request) => JSON.stringify(request.body.messages).includes("Outcome-finished"))).toHaveLength(2);
    expect(result("blocked")).toMatchObject({ checks: [], attempts: 1, final_message: "xo is not installed, so the lint cannot run" });
  });

  it("takes finish written as text from a model without native tool calls", () => {
    const request = server.requests.find((each) => JSON.stringify(each.body.messages).includes("Outcome-text-blocked"));
    expect(request?.body.tools).toBeUndefined();
    expect(JSON.stringify(request?.body.messages)).toContain("## finish");
  });
});

describe("no changes", () => {
  it("says so for a success that expected none: on the task line and in junit.xml", () => {
    expect(run.stderr).toMatch(/^✔ review succeeded \(1 turn, no changes, /m);
    expect(testCase("review")).toContain("<system-out>no changes (expect: none)</system-out>");
    expect(result("review")).toMatchObject({ expect: "none", files_changed: [] });
  });

  it("keeps the patch of a task that changed what it should not have, for review", () => {
    expect(readFileSync(join(out, "tasks/review-wrote/patch.diff"), "utf8")).toContain("notes.txt");
  });
});

describe("a failed check says why", () => {
  const tailLines = [...Array.from({ length: 17 }, (_, i) => `ok ${i + 14}`), "FAIL add()", "  token: [REDACTED]", "AssertionError: expected 3, got 4"];

  it("keeps its last 20 lines, the secret hidden and colour codes taken out, and its log's path in result.json", () => {
    expect(result("checked").checks).toEqual([
      expect.objectContaining({ name: "unit", passed: false, exit_code: 1, log: "tasks/checked/checks/1-unit.log", output_tail: ["[output cut: the last 20 of 33 lines]", ...tailLines].join("\n") }),
    ]);
    expect(readFileSync(join(out, "tasks/checked/checks/1-unit.log"), "utf8")).toContain("ok 1\n");
  });

  it("shows the last 10 lines under the task line, with the log's path", () => {
    const lines = run.stderr.split("\n");
    const at = lines.findIndex((line) => line.startsWith("✖ checked failed (checks_failed)"));
    expect(lines.slice(at + 1, at + 13)).toEqual(["    …", ...tailLines.slice(-10).map((line) => `    ${line}`), `    (${out}/tasks/checked/checks/1-unit.log)`]);
  });

  it("shows them in report.md, fenced, under the task and the check", () => {
    const section = report().split("## Failed checks\n")[1] ?? "";
    expect(section).toContain(["### checked: `unit` failed with exit code 1", "", "The last 20 of 33 lines, from `tasks/checked/checks/1-unit.log`:", "", "```text", "…", ...tailLines, "```"].join("\n"));
  });

  it("puts them in the junit.xml failure's body", () => {
    expect(testCase("checked")).toContain(["The last 20 of 33 lines, from tasks/checked/checks/1-unit.log:", "…", ...tailLines].join("\n"));
  });

  it("never shows the secret", () => {
    for (const text of [run.stdout, run.stderr, report(), junit(), JSON.stringify(summary())]) expect(text).not.toContain(SECRET);
  });
});

it("leaves the user's working tree, index, branches and stashes as they were", () => {
  const { now, created } = changedSinceCreated(repo);
  expect(now).toEqual(created);
});
