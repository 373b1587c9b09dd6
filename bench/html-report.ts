/**
 * report.html at scale (issue 18): a generated run folder of 1,000 tasks with long conversations (40 turns,
 * each with model text, a tool call, its policy decision and a 2 kB result, and a patch of 300 lines), the
 * page written from it (`writeHtmlReport`, as a run's end does), its size, and in Debian's chromium the time
 * from navigation to the page drawn (overview, charts, 1,000 table rows), then to one task's detail open.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { AgentEvent } from "../src/agent/events.ts";
import { writeHtmlReport } from "../src/report/html/write.ts";
import { buildSummary } from "../src/report/summary.ts";
import type { TaskResult } from "../src/report/types.ts";

type Record = (name: string, unit: string, samples: number[], extra?: { target?: string }) => void;

const TASKS = 1000;
const TURNS = 40;
const STATUSES = [
  { status: "succeeded", stop_reason: "completed" },
  { status: "failed", stop_reason: "checks_failed" },
  { status: "limit_exceeded", stop_reason: "max_turns" },
] as const;

/**
 * Source-like lines that differ from each other as a real file's do (a fixed series, so every run of the
 * bench writes the same folder): repeated text would compress far better than a real log.
 */
function sourceLines(seed: number, count: number): string {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648);
  const words = ["value", "queue", "limit", "result", "pending", "active", "resolve", "options", "count", "next", "error", "item"];
  return Array.from({ length: count }, () => `  const ${words[next() % words.length]}${next() % 1000} = ${words[next() % words.length]}.${words[next() % words.length]}(${next() % 100_000});\n`).join("");
}

export function generateRunFolder(dir: string): TaskResult[] {
  const results: TaskResult[] = [];
  for (let i = 0; i < TASKS; i++) {
    const id = `task-${String(i).padStart(4, "0")}`;
    const taskDir = join(dir, "tasks", id);
    mkdirSync(taskDir, { recursive: true });
    const events: AgentEvent[] = [
      { type: "task_start", task: id, provider: "bench", model: i % 3 === 0 ? "big-model" : "small-model", base: "abc", policy: "built-in" },
      { type: "prompt", system_prompt: "You are a coding agent.\n".repeat(40), user_message: `Fix issue ${i}: ${"describe the bug in some detail. ".repeat(30)}`, context_files: [], context_skipped: [] },
    ];
    for (let turn = 1; turn <= TURNS; turn++) {
      const callId = `call-${turn}`;
      events.push(
        { type: "model_request", turn, messages: turn * 2, tools: 8, final: false },
        { type: "model_response", turn, content: `Turn ${turn}: I look at src/file-${turn}.ts next.\n${sourceLines(i * 7 + turn, 8)}`, tool_calls: [{ id: callId, name: "read_file", arguments: `{"path":"src/file-${turn}.ts"}` }], finish_reason: "tool_calls", usage: { input: 2000 + turn * 300, output: 120, cached: 1000, estimated: false }, duration_ms: 800 + (i % 7) * 100 },
        { type: "tool_call", turn, id: callId, name: "read_file", arguments: `{"path":"src/file-${turn}.ts"}` },
        { type: "policy_decision", id: callId, tool: "read_file", subject: `read src/file-${turn}.ts`, decision: turn % 13 === 0 ? "deny" : "allow", reason: "matched", rule: "files.read.allow[0]" },
        { type: "tool_result", id: callId, name: "read_file", status: "ok", output: sourceLines(i * 1000 + turn, 40), duration_ms: 2 },
      );
    }
    const shape = STATUSES[i % STATUSES.length] ?? STATUSES[0];
    events.push({ type: "task_end", status: shape.status, stop_reason: shape.stop_reason, turns: TURNS, denials: 3, files_changed: ["src/a.ts"], final_message: "Done." });
    writeFileSync(join(taskDir, "events.jsonl"), events.map((event, n) => `${JSON.stringify({ ts: "2026-12-07T00:00:00.000Z", ...(n === 0 ? { $schema: "x" } : {}), ...event })}\n`).join(""));
    writeFileSync(join(taskDir, "patch.diff"), `diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,150 +1,150 @@\n${sourceLines(i, 150).replace(/^ /gm, "-")}${sourceLines(i + 1, 150).replace(/^ /gm, "+")}`);
    results.push({
      id, status: shape.status, stop_reason: shape.stop_reason, expect: "changes", provider: "bench", model: i % 3 === 0 ? "big-model" : "small-model",
      turns: TURNS, requests: TURNS, tokens: { input: 300_000, output: 4800, cached: 40_000, estimated: false }, cost_usd: 0.01 + (i % 50) / 1000,
      duration_ms: 20_000 + (i % 97) * 400, denials: 3, denied_calls: [], attempts: 1, checks: [], files_changed: ["src/a.ts"], patch: `tasks/${id}/patch.diff`, final_message: "Done.",
    });
  }
  return results;
}

export async function benchHtmlReport(record: Record): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-bench-html-"));
  try {
    const tasks = generateRunFolder(dir);
    const summary = buildSummary({ runId: "bench-html", startedAt: new Date(0), endedAt: new Date(3_600_000), base: "abc", policy: "built-in" }, tasks);
    const writes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      await writeHtmlReport(dir, summary, (text) => text);
      writes.push(performance.now() - started);
    }
    const path = join(dir, "report.html");
    record("10. report.html of 1,000 long tasks: write", "ms", writes);
    record("10. report.html of 1,000 long tasks: size", "MB", [statSync(path).size / 1e6]);
    if (!existsSync("/usr/bin/chromium")) {
      console.log("report.html load time: not measured (/usr/bin/chromium missing)");
      return;
    }
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
    try {
      const loads: number[] = [];
      const opens: number[] = [];
      for (let run = 0; run < 4; run++) {
        const page = await browser.newPage();
        const started = performance.now();
        await page.goto(pathToFileURL(path).href);
        await page.waitForSelector("body[data-ready=true]");
        loads.push(performance.now() - started);
        await page.fill("#filter-text", "task-0500");
        const opening = performance.now();
        await page.click('tr.task-row[data-id="task-0500"]');
        await page.waitForSelector('#task-panel[data-index="500"] ol.timeline');
        opens.push(performance.now() - opening);
        await page.close();
      }
      record("10. report.html of 1,000 long tasks: load in chromium", "ms", loads.slice(1), { target: "≤ 3000" });
      record("10. report.html of 1,000 long tasks: open a task", "ms", opens.slice(1), { target: "≤ 200" });
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
