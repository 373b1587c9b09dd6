import { failedCheckOf, tailHeading, tailLines } from "./failed-check.ts";
import type { RunSummary, TaskResult } from "./types.ts";

/**
 * junit.xml: one test case per task. `failed` and `limit_exceeded` are failures, `error` is an error; the
 * type is the stop reason, the message the one-line reason, the body the failed check's last lines. The
 * cases that did not succeed come first (then the missing ones), so a reader of a run of thousands of tasks
 * meets them at the top; each body is bounded by the check's last 20 lines.
 */
export function renderJunit(summary: RunSummary, missing: readonly string[] = []): string {
  const failures = summary.tasks.filter(isFailure).length;
  const errors = summary.tasks.filter((task) => task.status !== "succeeded" && !isFailure(task)).length + missing.length;
  const tests = summary.tasks.length + missing.length;
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(summary.duration_ms)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="nanocoder batch" ${counts}>`,
    `  <testsuite name="${attribute(`nanocoder batch ${summary.run_id}`)}" ${counts} timestamp="${attribute(summary.started_at)}">`,
    ...summary.tasks.filter((task) => task.status !== "succeeded").map(renderCase),
    ...missing.map(
      (id) => `    <testcase classname="nanocoder" name="${attribute(id)}" time="0">\n      <error message="not run by any shard" type="missing">${text(`${id} was planned but no run folder holds its result.`)}</error>\n    </testcase>`,
    ),
    ...summary.tasks.filter((task) => task.status === "succeeded").map(renderCase),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

function renderCase(task: TaskResult): string {
  const open = `    <testcase classname="nanocoder" name="${attribute(task.id)}" time="${seconds(task.duration_ms)}">`;
  if (task.status === "succeeded") {
    // A success that changed nothing says so, where a test report shows a case's output.
    if (task.files_changed.length > 0) return `${open}</testcase>`;
    return `${open}\n      <system-out>${text(`no changes${task.expect ? ` (expect: ${task.expect})` : ""}`)}</system-out>\n    </testcase>`;
  }
  const element = isFailure(task) ? "failure" : "error";
  const reason = reasonOf(task);
  const check = failedCheckOf(task);
  const details = [
    `${task.id}: ${task.status} (${task.stop_reason ?? task.status}): ${reason}`,
    ...(check ? ["", tailHeading(check), ...tailLines(check), ""] : []),
    `result: tasks/${task.id}/result.json`,
    `events: tasks/${task.id}/events.jsonl`,
    "report: report.md",
  ].join("\n");
  // summary.json files written before stop reasons have none: their status stands in.
  const type = task.stop_reason ?? task.status;
  return `${open}\n      <${element} message="${attribute(reason)}" type="${attribute(type)}">${text(details)}</${element}>\n    </testcase>`;
}

function isFailure(task: TaskResult): boolean {
  return task.status === "failed" || task.status === "limit_exceeded";
}

/** Why a task did not succeed: its error, else the check that failed. */
export function reasonOf(task: TaskResult): string {
  if (task.error) return task.error;
  const failed = task.checks.find((check) => !check.passed);
  if (failed) return `check "${failed.name}" ${failed.timed_out ? "timed out" : `failed with exit code ${String(failed.exit_code)}`}`;
  return task.status;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Characters XML 1.0 cannot hold at all, even escaped. */
const INVALID_XML = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function text(value: string): string {
  return value.replace(INVALID_XML, "\ufffd").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function attribute(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
