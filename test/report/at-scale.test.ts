/**
 * The outputs of a run of 2,000 tasks, made from a synthetic summary (no run): report.md, junit.xml, the
 * stdout lines, the job summary and a pull request body stay readable, failures first, and within bounds.
 */
import { describe, expect, it, vi } from "vitest";
import { createProgress } from "../../src/cli/progress.ts";
import { renderSummaryLines } from "../../src/cli/render.ts";
import { createTaskAnnotations } from "../../src/github/action-log.ts";
import { renderJobSummary, JOB_SUMMARY_LIMIT } from "../../src/github/job-summary.ts";
import { pullRequestBody, PULL_BODY_LIMIT } from "../../src/github/pull-body.ts";
import { renderJunit } from "../../src/report/junit.ts";
import { renderReport } from "../../src/report/markdown.ts";
import { buildSummary } from "../../src/report/summary.ts";
import type { TaskResult } from "../../src/report/types.ts";

const TASKS = 2_000;
/** Every 50th task fails its check, with 40 lines of output; the others succeed. */
const failing = (at: number) => at % 50 === 7;

function task(at: number): TaskResult {
  const id = `jsdoc.src-module-${String(at).padStart(4, "0")}-ts`;
  const check = { name: "npx tsc --noEmit", log: `tasks/${id}/checks/1-tsc.log`, duration_ms: 900, timed_out: false };
  return {
    id,
    title: `Add JSDoc to src/module-${at}.ts`,
    task_file: at < 1_500 ? "tasks/jsdoc.yaml" : "tasks/lint.yaml",
    status: failing(at) ? "failed" : "succeeded",
    stop_reason: failing(at) ? "checks_failed" : "completed",
    expect: "changes",
    provider: "local",
    model: "qwen",
    turns: 4,
    requests: 4,
    tokens: { input: 12_000, output: 800, cached: 0, estimated: false },
    cost_usd: 0.002,
    duration_ms: 30_000,
    denials: 1,
    denied_calls: [{ tool: "bash", subject: "run curl https://example.com", rule: "commands.deny[0]", reason: "no network" }],
    attempts: 1,
    checks: failing(at)
      ? [{ ...check, passed: false, exit_code: 2, output_tail: `[output cut: the last 20 of 40 lines]\n${Array.from({ length: 20 }, (_, line) => `src/module-${at}.ts(${line + 1},1): error TS2304: Cannot find name 'x'.`).join("\n")}` }]
      : [{ ...check, passed: true, exit_code: 0 }],
    files_changed: [`src/module-${at}.ts`],
    patch: `tasks/${id}/patch.diff`,
    final_message: "Added JSDoc to every exported function.",
  };
}

const tasks = Array.from({ length: TASKS }, (_, at) => task(at));
const summary = buildSummary({ runId: "nightly", startedAt: new Date(0), endedAt: new Date(3_600_000), base: "0123456789abcdef", policy: "built-in" }, tasks);
const failedIds = tasks.filter((entry) => entry.status !== "succeeded").map((entry) => entry.id);

describe("report.md of 2,000 tasks", () => {
  const report = renderReport(summary);
  const tableRows = report.split("\n").filter((line) => /^\| jsdoc\.[^|]+\| (failed|succeeded) \|/.test(line));

  it("lists the tasks that did not succeed first, then a few that did, and says where the rest are", () => {
    expect(tableRows.slice(0, failedIds.length).map((row) => row.split(":")[0]?.slice(2))).toEqual(failedIds);
    expect(tableRows).toHaveLength(failedIds.length + 20);
    expect(report).toContain(`The table shows the ${failedIds.length} tasks that did not succeed and the first 20 of the ${TASKS - failedIds.length} that succeeded; summary.json lists every task`);
    expect(report).toContain(`${TASKS - failedIds.length} of ${TASKS} tasks succeeded (${failedIds.length} failed)`);
  });

  it("counts each task file's tasks, the files with failures first", () => {
    expect(report).toContain(["| task file | tasks | succeeded | did not succeed |", "| --- | ---: | ---: | ---: |", "| `tasks/jsdoc.yaml` | 1500 | 1470 | 30 |", "| `tasks/lint.yaml` | 500 | 490 | 10 |"].join("\n"));
    // Of one task file, the table would be a single row repeating the run's totals.
    const oneFile = tasks.map((entry) => ({ ...entry, task_file: "tasks/jsdoc.yaml" }));
    expect(renderReport(buildSummary({ runId: "one-file", startedAt: new Date(0), endedAt: new Date(1), base: "0123456789abcdef", policy: "built-in" }, oneFile))).not.toContain("By task file");
  });

  it("bounds every list and section, counting what it leaves out", () => {
    expect(report.match(/^### jsdoc\./gm)).toHaveLength(20);
    expect(report).toContain(`And ${failedIds.length - 20} more failed checks: junit.xml has the end of each`);
    expect(report).toContain(`And ${TASKS - 100} more: each task's \`denied_calls\` are in summary.json.`);
    expect(report).toContain(`And ${TASKS - 200} more check runs`);
    expect(report.length).toBeLessThan(120_000);
  });
});

describe("junit.xml of 2,000 tasks", () => {
  const junit = renderJunit(summary);
  const names = [...junit.matchAll(/<testcase classname="nanocoder" name="([^"]+)"/g)].map((match) => match[1]);

  it("keeps a case per task, those that did not succeed first", () => {
    expect(junit).toContain(`tests="${TASKS}" failures="${failedIds.length}" errors="0"`);
    expect(names).toHaveLength(TASKS);
    expect(names.slice(0, failedIds.length)).toEqual(failedIds);
  });
});

describe("stdout of 2,000 tasks", () => {
  it("has a line for each task that did not succeed and counts the others", () => {
    const lines = renderSummaryLines(summary, ".nanocoder/runs/nightly").split("\n");
    expect(lines).toHaveLength(failedIds.length + 4);
    expect(lines[failedIds.length]).toBe(`… and ${TASKS - failedIds.length} more task(s) (every one in .nanocoder/runs/nightly/summary.json)`);
    expect(lines.at(-1)).toBe("report: .nanocoder/runs/nightly/report.html");
  });
});

describe("progress on stderr, outside a terminal, for 200 tasks", () => {
  it("gives each task that did not succeed its line, and counts the others at each twentieth of the run", () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 200, (text) => text);
    for (const result of tasks.slice(0, 200)) {
      progress.onTaskStart?.(result.id);
      progress.onTaskEnd?.(result);
    }
    const lines = written.join("").trimEnd().split("\n").filter((line) => !line.startsWith("    "));
    expect(lines.filter((line) => line.startsWith("✖ "))).toHaveLength(4);
    expect(lines.filter((line) => line.startsWith("start ") || line.startsWith("✔ "))).toEqual([]);
    expect(lines).toHaveLength(24);
    expect(lines.at(-1)).toBe("200/200 done, 4 not succeeded (each named above)");
    expect(lines.slice(0, 2)).toEqual([expect.stringMatching(/^✖ jsdoc.src-module-0007-ts failed \(checks_failed\)/), "10/200 done, 1 not succeeded (each named above)"]);
  });
});

describe("GitHub's limits", () => {
  it("annotates the first 8 tasks that did not succeed and counts the others, within GitHub's 10 error annotations per step", () => {
    const written: string[] = [];
    // The Actions toolkit writes workflow commands to stdout: the process's edge.
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((text) => written.push(String(text)) > 0);
    try {
      const annotations = createTaskAnnotations((text) => text);
      for (const result of tasks) annotations.annotate(result);
      annotations.finish();
    } finally {
      spy.mockRestore();
    }
    const errors = written.filter((line) => line.startsWith("::error"));
    expect(errors).toHaveLength(9);
    expect(errors[0]).toMatch(/^::error title=nanocoder task jsdoc\.src-module-0007-ts::jsdoc\.src-module-0007-ts: failed: check "npx tsc --noEmit" failed with exit code 2/);
    expect(errors[8]).toBe(`::error title=nanocoder tasks::${failedIds.length - 8} more task(s) did not succeed (GitHub shows 10 error annotations per step): the job summary lists them all\n`);
  });

  it("cuts a job summary over 1 MiB at a line, saying where the whole report is", () => {
    const huge = `# report\n${"| a row of a very large table |\n".repeat(60_000)}`;
    const fitted = renderJobSummary(huge, [{ tasks: ["a"], branch: "nanocoder/a", error: "refused" }]);
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT);
    expect(fitted).toMatch(/\| a row of a very large table \|\n\n… \(the job summary is cut here to fit GitHub's 1 MiB: the whole report is report\.md in the run folder\)\n$/);
    expect(renderJobSummary(renderReport(summary), []).length).toBeLessThan(JOB_SUMMARY_LIMIT);
  });

  it("keeps a pull request of 2,000 tasks within 65,536 characters: every task's row while they fit, then counts", () => {
    const succeeded = tasks.filter((entry) => entry.status === "succeeded");
    const notIncluded = failedIds.map((id) => ({ id, reason: "the task did not succeed (failed)" }));
    const body = pullRequestBody({ scope: { kind: "file", file: "tasks/jsdoc.yaml" }, tasks: succeeded, notIncluded, overlaps: [] }, summary);
    expect(body.length).toBeLessThanOrEqual(PULL_BODY_LIMIT);
    expect(body).toContain(`Not in this pull request (${failedIds.length} tasks):`);
    expect(body).toContain(`- and ${failedIds.length - 20} more (the run's report.md lists them)`);
    expect(body).toMatch(/\nAnd \d+ more tasks, listed in the run folder's summary\.json\./);
    expect(body).toMatch(/Nanocoder-Run: nightly$/);
  });

  it("cuts one task's answer that alone would outgrow the body", () => {
    const [first] = tasks;
    const body = pullRequestBody({ scope: { kind: "task" }, tasks: first ? [{ ...first, final_message: "x".repeat(100_000) }] : [], notIncluded: [], overlaps: [] }, summary);
    expect(body.length).toBeLessThan(20_000);
    expect(body).toContain("… (cut; the whole answer is in `tasks/jsdoc.src-module-0000-ts/result.json`)");
  });
});
