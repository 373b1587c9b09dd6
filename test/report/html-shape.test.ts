import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.ts";
import { buildCostReport } from "../../src/report/cost.ts";
import { boundedDiff, splitPatch } from "../../src/report/html/diff.ts";
import { contentSecurityPolicy, embedJson, packDetail, PAGE_SCRIPT, renderHtmlPage } from "../../src/report/html/render.ts";
import { buildPageData, buildTaskDetail, clip, detailBudget, MOST_DIFF_FILES, ROW_TEXT, ROW_TITLE, runWarnings, timeline } from "../../src/report/html/shape.ts";
import { PAGE_STYLE } from "../../src/report/html/style.ts";
import { parseEvents, writeHtmlReport } from "../../src/report/html/write.ts";
import { reportPageNote } from "../../src/github/action-report-page.ts";
import { formatDuration } from "../../src/report/format.ts";
import { mergeRuns, readRunSummary } from "../../src/report/merge.ts";
import { createRedactor } from "../../src/report/redact.ts";
import { buildSummary } from "../../src/report/summary.ts";
import type { TaskResult } from "../../src/report/types.ts";

const task = (id: string, extra: Partial<TaskResult> = {}): TaskResult => ({
  id, status: "succeeded", stop_reason: "completed", expect: "changes", provider: "p", model: "m", turns: 2, requests: 2,
  tokens: { input: 100, output: 10, cached: 0, estimated: false }, cost_usd: 0.002, duration_ms: 1500, denials: 0, denied_calls: [],
  attempts: 1, checks: [], files_changed: ["a.txt"], patch: `tasks/${id}/patch.diff`, ...extra,
});
const summaryOf = (tasks: TaskResult[]) => buildSummary({ runId: "r1", startedAt: new Date(0), endedAt: new Date(2000), base: "abc", policy: "built-in" }, tasks);
const keep = (value: string) => value;

const PATCH = [
  "diff --git a/src/a.ts b/src/a.ts",
  "index 1..2 100644",
  "--- a/src/a.ts",
  "+++ b/src/a.ts",
  "@@ -1,2 +1,2 @@",
  "-old",
  "+new",
  "+more",
  " same",
  "diff --git a/with space.txt b/with space.txt",
  "new file mode 100644",
  "--- /dev/null",
  "+++ b/with space.txt\t",
  "@@ -0,0 +1 @@",
  "+x",
  "diff --git a/gone.txt b/gone.txt",
  "deleted file mode 100644",
  "--- a/gone.txt",
  "+++ /dev/null",
  "@@ -1 +0,0 @@",
  "-bye",
  "diff --git a/img.png b/img.png",
  "new file mode 100644",
  "index 0000000..1234567",
  "GIT binary patch",
  "literal 3",
  "KcmZ?wbNc~",
  "",
].join("\n");

describe("the patch, per file", () => {
  it("names each file (a deletion by its old path, a spaced name without git's tab) and counts its lines", () => {
    expect(splitPatch(PATCH).map(({ path, added, removed, binary }) => ({ path, added, removed, binary }))).toEqual([
      { path: "src/a.ts", added: 2, removed: 1, binary: false },
      { path: "with space.txt", added: 1, removed: 0, binary: false },
      { path: "gone.txt", added: 0, removed: 1, binary: false },
      { path: "img.png", added: 0, removed: 0, binary: true },
    ]);
    expect(splitPatch(PATCH)[3]?.text).not.toContain("KcmZ");
    expect(splitPatch("")).toEqual([]);
  });

  it("reads names git quotes: octal UTF-8 bytes, \\\", \\\\, \\n, \\t, also in the header of a binary file", () => {
    const quoted = [
      'diff --git "a/\\303\\274n\\303\\257c\\303\\266d\\303\\251.txt" "b/\\303\\274n\\303\\257c\\303\\266d\\303\\251.txt"',
      "new file mode 100644",
      "--- /dev/null",
      '+++ "b/\\303\\274n\\303\\257c\\303\\266d\\303\\251.txt"',
      "@@ -0,0 +1 @@",
      "+x",
      'diff --git "a/quote\\"name\\\\back\\tslash\\nline.txt" "b/quote\\"name\\\\back\\tslash\\nline.txt"',
      "--- a/old",
      '+++ "b/quote\\"name\\\\back\\tslash\\nline.txt"',
      "@@ -1 +1 @@",
      "-a",
      "+b",
      'diff --git "a/bin \\"x\\".png" "b/bin \\"x\\".png"',
      "new file mode 100644",
      "index 0000000..1234567",
      "Binary files /dev/null and \"b/bin \\\"x\\\".png\" differ",
      "diff --git a/plain.png \"b/t\\303\\251st.png\"",
      "GIT binary patch",
      "",
    ].join("\n");
    expect(splitPatch(quoted).map((file) => file.path)).toEqual(["ünïcödé.txt", 'quote"name\\back\tslash\nline.txt', 'bin "x".png', "tést.png"]);
  });

  it("cuts the files' text to a budget at line ends, and says how much went", () => {
    const files = boundedDiff(splitPatch(PATCH), 100);
    expect(files.reduce((sum, file) => sum + file.text.length, 0)).toBeLessThanOrEqual(100);
    expect(files[0]?.cut).toBeGreaterThan(0);
    expect(files.at(-1)).toMatchObject({ path: "img.png", text: "" });
    expect(boundedDiff(splitPatch(PATCH), 100_000).every((file) => file.cut === 0)).toBe(true);
  });
});

describe("a patch of many files", () => {
  it("shows the first MOST_DIFF_FILES files and counts the others, left to patch.diff", () => {
    const patch = Array.from({ length: MOST_DIFF_FILES + 50 }, (_, i) => `diff --git a/f${i} b/f${i}\n--- a/f${i}\n+++ b/f${i}\n@@ -1 +1 @@\n-a\n+b`).join("\n");
    const detail = buildTaskDetail(task("many"), [], patch, detailBudget(1));
    expect(detail.diff).toHaveLength(MOST_DIFF_FILES);
    expect(detail.diff.at(-1)?.path).toBe(`f${MOST_DIFF_FILES - 1}`);
    expect(detail.diff_files_cut).toBe(50);
    expect(buildTaskDetail(task("few"), [], PATCH, detailBudget(1)).diff_files_cut).toBe(0);
  });
});

describe("a task's timeline", () => {
  const events: AgentEvent[] = [
    { type: "model_response", turn: 1, content: "Looking.", tool_calls: [], finish_reason: "tool_calls", usage: { input: 10, output: 2, cached: 4, estimated: false, cost_usd: 0.001 }, duration_ms: 5 },
    { type: "tool_call", turn: 1, id: "c1", name: "execute_bash", arguments: '{"command":"git push"}' },
    { type: "policy_decision", id: "c1", tool: "execute_bash", subject: "run git push", decision: "deny", reason: "no allow rule", rule: "default" },
    { type: "tool_result", id: "c1", name: "execute_bash", status: "denied", output: "denied: no allow rule", duration_ms: 1 },
    { type: "check_start", name: "unit", command: "npm test", attempt: 1 },
    { type: "check_result", name: "unit", attempt: 1, exit_code: 1, timed_out: false, duration_ms: 30, output_tail: "FAIL" },
    { type: "retry", attempt: 2, reason: 'check "unit" failed' },
  ];

  it("joins each call with its policy decisions and its result, and keeps checks and notes in order", () => {
    expect(timeline(events)).toEqual([
      { kind: "model", turn: 1, text: "Looking." },
      {
        kind: "tool", turn: 1, id: "c1", name: "execute_bash", arguments: '{"command":"git push"}',
        decisions: [{ decision: "deny", rule: "default", reason: "no allow rule", subject: "run git push" }],
        result: { status: "denied", output: "denied: no allow rule", duration_ms: 1 },
      },
      { kind: "check", name: "unit", attempt: 1, command: "npm test", exit_code: 1, timed_out: false, duration_ms: 30, output: "FAIL" },
      { kind: "note", text: 'retry, attempt 2: check "unit" failed', warn: true },
    ]);
  });

  it("says which MCP servers started, with the tools left out, and which did not", () => {
    const servers: AgentEvent[] = [
      { type: "mcp_server", server: "docs", transport: "stdio", status: "started", tools: ["mcp__docs__search"], skipped: [{ tool: "bad", why: "its schema is not an object" }], duration_ms: 40 },
      { type: "mcp_server", server: "db", transport: "http", status: "not_started", reason: "no rule could allow its tools", tools: [], skipped: [], duration_ms: 0 },
    ];
    expect(timeline(servers)).toEqual([
      { kind: "note", text: "MCP server docs (stdio) started, 1 tool(s); left out: bad (its schema is not an object)", warn: true },
      { kind: "note", text: "MCP server db (http) not started: no rule could allow its tools", warn: true },
    ]);
  });

  it("lists each request's tokens, and its cost only where the server reported one", () => {
    const detail = buildTaskDetail(task("t"), events, "", detailBudget(1));
    expect(detail.requests).toEqual([{ turn: 1, input: 10, cached: 4, output: 2, estimated: false, cost_usd: 0.001, duration_ms: 5 }]);
    expect(detail.links).toEqual({ result: "tasks/t/result.json", events: "tasks/t/events.jsonl", patch: "tasks/t/patch.diff" });
  });

  it("keeps a long conversation within the budget: texts cut with a note, the middle of the steps left out", () => {
    const long: AgentEvent[] = [{ type: "prompt", system_prompt: "s", user_message: "p".repeat(50_000), context_files: [], context_skipped: [] }];
    for (let turn = 1; turn <= 500; turn++) {
      long.push({ type: "model_response", turn, content: `thinking ${turn} ${"x".repeat(3000)}`, tool_calls: [], finish_reason: "tool_calls", usage: { input: 1, output: 1, cached: 0, estimated: false }, duration_ms: 1 });
      long.push({ type: "tool_call", turn, id: `c${turn}`, name: "read_file", arguments: "{}" });
      long.push({ type: "tool_result", id: `c${turn}`, name: "read_file", status: "ok", output: "y".repeat(20_000), duration_ms: 1 });
    }
    const detail = buildTaskDetail(task("long"), long, `diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n${"+z\n".repeat(100_000)}`, detailBudget(1000));
    expect(JSON.stringify(detail).length).toBeLessThanOrEqual(detailBudget(1000));
    expect(detailBudget(1000)).toBe(40_000);
    expect(detailBudget(3)).toBe(500_000);
    expect(detail.cut).toEqual(expect.arrayContaining(["the prompt", "model text", "tool results", "the middle of the timeline", "the patch"]));
    expect(detail.steps.find((step) => step.kind === "gap")).toMatchObject({ kind: "gap" });
    // The last steps are kept: how a task ended matters most.
    expect(detail.steps.at(-1)).toMatchObject({ kind: "tool", turn: 500 });
    expect(detail.requests_cut).toBeGreaterThan(0);
  });

  it("reads an event log, leaving out a line cut short by a crash", () => {
    const log = `${JSON.stringify({ ts: "t", $schema: "s", type: "retry", attempt: 2, reason: "r" })}\n{"type":"tool_ca\n`;
    expect(parseEvents(log)).toEqual([{ type: "retry", attempt: 2, reason: "r" }]);
  });

  it("cuts a text in its middle, keeping head and tail", () => {
    expect(clip("abc", 3)).toBe("abc");
    const cut = clip(`${"a".repeat(60)}${"b".repeat(40)}${"c".repeat(40)}`, 100);
    expect(cut.startsWith("a".repeat(60))).toBe(true);
    expect(cut.endsWith("c".repeat(40))).toBe(true);
    expect(cut).toContain("[40 characters cut]");
  });
});

describe("the overview", () => {
  it("gives each task's row with display texts, and the run's warnings first", () => {
    const summary = {
      ...summaryOf([task("a"), task("b", { status: "failed", stop_reason: "checks_failed", error: "check \"unit\" failed\nmore", cost_usd: null, patch_has_secret: true })]),
      sandbox: { mode: "auto" as const, active: false, network: true, required: false, writable: [], reason: "bwrap is not installed" },
    };
    const data = buildPageData(summary, buildCostReport(summary), "nanocoder-batch 0.1.0");
    expect(data.tasks[1]).toMatchObject({ index: 1, id: "b", reason: 'check "unit" failed', cost_text: "unknown", duration_text: "1.5 s", files: 1 });
    expect(data.totals.cost_text).toBe("unknown");
    const long = buildPageData(summaryOf([task("t", { title: "t".repeat(20_000), error: "e".repeat(20_000) })]), buildCostReport(summary), "g").tasks[0];
    expect(long?.title?.length).toBeLessThan(ROW_TITLE + 40);
    expect(long?.reason?.length).toBeLessThan(ROW_TEXT + 40);
    expect(runWarnings(summary, buildCostReport(summary))).toEqual([
      "No sandbox: commands ran without the OS sandbox (bwrap is not installed).",
      "A secret was written into the patch of b: it shows as [REDACTED] and is never pushed.",
      "No price is known for p/m: the total cost counts only the priced requests.",
    ]);
  });
});

describe("durations", () => {
  it("are rounded to the unit shown before it is chosen", () => {
    expect([640, 999.4, 999.6, 1500, 59_940, 59_990, 60_000, 119_400, 119_600, 3_599_600].map(formatDuration))
      .toEqual(["640 ms", "999 ms", "1.0 s", "1.5 s", "59.9 s", "1 m 0 s", "1 m 0 s", "1 m 59 s", "2 m 0 s", "60 m 0 s"]);
  });
});

describe("the page's markup", () => {
  it("embeds data that no markup in it can end or change, and that reads back unchanged", () => {
    const value = { text: "</script><!-- <script>alert(1)</script> ]]> & \u2028 \u2029" };
    const embedded = embedJson(value);
    expect(embedded).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(embedded)).toEqual(value);
    // A secret with a quote is hidden as the string holds it, not as JSON escapes it.
    expect(embedJson({ key: 'sk-"secret"-value' }, createRedactor(['sk-"secret"-value']))).toBe('{"key":"[REDACTED]"}');
  });

  it("packs a task's detail as gzip in base64, secrets hidden, which nothing in it can end", () => {
    const detail = buildTaskDetail(task("t", { final_message: "</script> sk-secret-value-1 <!--" }), [], "", detailBudget(1));
    const packed = packDetail(detail, (text) => text.replaceAll("sk-secret-value-1", "[REDACTED]"));
    expect(packed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(gunzipSync(Buffer.from(packed, "base64")).toString("utf8"))).toEqual({ ...detail, final_message: "</script> [REDACTED] <!--" });
  });

  it("allows only its own script and stylesheet, by hash, and nothing to load", () => {
    const summary = summaryOf([task("a")]);
    const html = renderHtmlPage(buildPageData(summary, buildCostReport(summary), "g"), [undefined], keep);
    const policy = contentSecurityPolicy(PAGE_SCRIPT, PAGE_STYLE);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${policy}">`);
    expect(policy).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
    expect(policy).not.toContain("unsafe");
    expect(html).toContain(`<script>${PAGE_SCRIPT}</script>`);
    expect(html).not.toContain('id="task-0"');
    // The one URL is SVG's namespace, a name that is never fetched.
    expect(html.match(/https?:\/\/[^"'\s]*/g)).toEqual(["http://www.w3.org/2000/svg"]);
  });
});

describe("the Action's job summary", () => {
  it("says where the page is: the run folder, and this workflow run's artifacts", () => {
    const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/widgets", GITHUB_RUN_ID: "42" };
    const note = reportPageNote("/w/.nanocoder/runs/r1", "report.html", env);
    expect(note).toContain("`/w/.nanocoder/runs/r1/report.html`");
    expect(note).toContain("(https://github.com/acme/widgets/actions/runs/42#artifacts)");
    expect(reportPageNote("/w/run", "report.html", {})).not.toContain("artifacts]");
    expect(reportPageNote("/w/run", undefined, env)).toBe("");
  });
});

describe("writing the page from a run folder", () => {
  it("reads no file outside the folder's tasks/ that a crafted summary.json names, and says which task it left out", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "nanocoder-html-crafted-"));
    const dir = join(scratch, "run");
    try {
      const outside = `${JSON.stringify({ ts: "t", type: "retry", attempt: 2, reason: "OUTSIDE-TEXT" })}\n`;
      writeFileSync(join(scratch, "outside.txt"), `diff --git a/o b/o\n+OUTSIDE-TEXT\n`);
      mkdirSync(join(scratch, "evil"), { recursive: true });
      writeFileSync(join(scratch, "evil", "events.jsonl"), outside);
      mkdirSync(join(dir, "tasks", "fine"), { recursive: true });
      writeFileSync(join(dir, "tasks", "fine", "events.jsonl"), `${JSON.stringify({ ts: "t", type: "retry", attempt: 2, reason: "r" })}\n`);
      const crafted = summaryOf([task("fine"), task("../../evil", { patch: "tasks/fine/patch.diff" }), task("plain", { patch: "../outside.txt" }), task("abs", { patch: join(scratch, "outside.txt") })]);
      const html = readFileSync(await writeHtmlReport(dir, crafted, keep), "utf8");
      const packed = [...html.matchAll(/id="task-(\d+)">([^<]*)</g)].map((match) => [match[1], gunzipSync(Buffer.from(match[2] ?? "", "base64")).toString("utf8")]);
      expect(packed.map(([index]) => index)).toEqual(["0"]);
      expect(html).not.toContain("OUTSIDE-TEXT");
      expect(html).toContain('Task 2 of summary.json is shown without its detail: its id \\"../../evil\\" is not a task id.');
      expect(html).toContain('Task 3 of summary.json is shown without its detail: its patch \\"../outside.txt\\" is not inside the run folder');
      expect(html).toContain("Task 4 of summary.json is shown without its detail: its patch");
      writeFileSync(join(dir, "summary.json"), JSON.stringify(crafted));
      await expect(mergeRuns([dir], join(scratch, "merged"), "m")).rejects.toThrow(/a task cannot be merged: its id "..\/..\/evil" is not a task id/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });


  it("reads a folder written before stop reasons existed, each inferred from the task's status, and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nanocoder-html-old-"));
    try {
      const failedCheck = { name: "unit", passed: false, exit_code: 1, timed_out: false, duration_ms: 5, log: "tasks/c/checks/1-unit.log" };
      const current = summaryOf([
        task("a"), task("b", { status: "failed", stop_reason: "no_changes", files_changed: [] }), task("c", { status: "failed", stop_reason: "checks_failed", checks: [failedCheck] }),
        task("d", { status: "error", stop_reason: "provider_error" }), task("e", { status: "limit_exceeded", stop_reason: "max_turns" }),
      ]);
      const { stop_reasons: _reasons, ...olderTotals } = current.totals;
      const older = { ...current, totals: olderTotals, tasks: current.tasks.map(({ stop_reason: _reason, ...rest }) => rest) };
      writeFileSync(join(dir, "summary.json"), JSON.stringify(older));
      const { summary, notes } = await readRunSummary(dir, "report html");
      expect(summary.tasks.map((each) => each.stop_reason)).toEqual(["completed", "no_changes", "checks_failed", "runner_error", "max_turns"]);
      expect(summary.totals.stop_reasons).toMatchObject({ completed: 1, no_changes: 1, checks_failed: 1, runner_error: 1, max_turns: 1, provider_error: 0 });
      expect(notes).toEqual(["This run folder was written before stop reasons existed: 5 task(s) show one inferred from their status."]);
      const html = readFileSync(await writeHtmlReport(dir, summary, keep, notes), "utf8");
      expect(html).toContain(notes[0]);
      // A folder of this version needs nothing filled in.
      writeFileSync(join(dir, "summary.json"), JSON.stringify(current));
      expect((await readRunSummary(dir, "report html")).notes).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });


  it("gives a task whose files are gone (a merge that did not find it) its row without a detail", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nanocoder-html-"));
    try {
      mkdirSync(join(dir, "tasks", "kept"), { recursive: true });
      writeFileSync(join(dir, "tasks", "kept", "events.jsonl"), `${JSON.stringify({ ts: "t", type: "retry", attempt: 2, reason: "r" })}\n`);
      writeFileSync(join(dir, "tasks", "kept", "patch.diff"), "");
      const path = await writeHtmlReport(dir, summaryOf([task("kept"), task("gone")]), keep);
      const html = readFileSync(path, "utf8");
      expect(path).toBe(join(dir, "report.html"));
      expect(html).toContain('id="task-0"');
      expect(html).not.toContain('id="task-1"');
      expect(html).toContain('"id":"gone"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
