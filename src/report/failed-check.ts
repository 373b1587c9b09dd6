import type { CheckOutcome, TaskResult } from "./types.ts";

/** The check that failed the task's last attempt, when its checks failed. */
export function failedCheckOf(task: TaskResult): CheckOutcome | undefined {
  return task.stop_reason === "checks_failed" ? task.checks.find((check) => !check.passed) : undefined;
}

/** outputTail's first line when it left earlier lines out (run/checks.ts). */
const CUT_NOTE = /^\[output cut: the last \d+ of (\d+) lines\]\n/;

export interface Tail {
  lines: string[];
  /** Lines of the whole output. */
  total: number;
}

/** The last `max` lines of a failed check's output, as result.json keeps them, and how many the output had. */
export function tailOf(check: CheckOutcome, max = Number.POSITIVE_INFINITY): Tail {
  const saved = check.output_tail ?? "";
  const cut = CUT_NOTE.exec(saved);
  const text = saved.replace(CUT_NOTE, "");
  const all = text === "" ? [] : text.split("\n");
  return { lines: all.slice(-max), total: cut ? Number(cut[1]) : all.length };
}

/** The tail as lines to print, "…" first when lines are left out, "(no output)" for none. */
export function tailLines(check: CheckOutcome, max?: number): string[] {
  const { lines, total } = tailOf(check, max);
  if (total === 0) return ["(no output)"];
  return lines.length < total ? ["…", ...lines] : lines;
}

/** "Its output (3 lines), from <log>:" or "The last 20 of 143 lines, from <log>:"; `log` as the caller shows the path. */
export function tailHeading(check: CheckOutcome, log = check.log): string {
  const { lines, total } = tailOf(check);
  if (total === 0) return `No output, in ${log}.`;
  const what = lines.length < total ? `The last ${lines.length} of ${total} lines` : `Its output (${total} line${total === 1 ? "" : "s"})`;
  return `${what}, from ${log}:`;
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
export function fenceFor(text: string): string {
  return "`".repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((run) => run.length + 1)));
}
