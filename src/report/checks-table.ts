import { codeSpan, escapeCell, formatDuration } from "./format.ts";
import type { CheckOutcome, TaskResult } from "./types.ts";

/** The checks section of report.md: every check run of every task, earlier attempts first. */
export function renderChecksSection(tasks: readonly TaskResult[]): string[] {
  const rows = tasks.flatMap((task) => [
    ...(task.earlier_checks ?? []).map((check) => renderRow(task.id, check.attempt, check)),
    ...task.checks.map((check) => renderRow(task.id, task.attempts, check)),
  ]);
  if (rows.length === 0) return [];
  return ["## Checks", "", "| task | attempt | check | result | time |", "| --- | ---: | --- | --- | ---: |", ...rows];
}

function renderRow(task: string, attempt: number, check: CheckOutcome): string {
  const name = check.name.replace(/\s*\r?\n\s*/g, " ").trim();
  return `| ${task} | ${attempt} | ${escapeCell(codeSpan(name))} | ${describeResult(check)} | ${formatDuration(check.duration_ms)} |`;
}

function describeResult(check: CheckOutcome): string {
  if (check.passed) return "passed";
  if (check.timed_out) return "**failed**: timed out";
  if (check.exit_code === null) return "**failed**: could not run";
  return `**failed**: exit code ${check.exit_code}`;
}
