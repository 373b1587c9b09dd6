import * as core from "@actions/core";
import type { AgentEvent } from "../agent/events.ts";
import { formatCost, plural } from "../report/format.ts";
import { failedCheckOf, tailLines } from "../report/failed-check.ts";
import { reasonOf } from "../report/junit.ts";
import type { Redact } from "../report/redact.ts";
import type { TaskResult } from "../report/types.ts";
import type { BatchObserver } from "../run/batch.ts";

/** Tasks run side by side, so each one's lines are held and printed in one group when it ends. */
export function groupedLog(redact: Redact, annotations: TaskAnnotations): BatchObserver {
  const lines = new Map<string, string[]>();
  const add = (id: string, line: string) => lines.get(id)?.push(redact(line));
  return {
    onTaskStart(id) {
      lines.set(id, []);
      core.info(`start ${id}`);
    },
    onEvent(id, event: AgentEvent) {
      const line = describeEvent(event);
      if (line) add(id, line);
    },
    onTaskEnd(result: TaskResult) {
      const reason = result.stop_reason === "completed" ? "" : ` (${result.stop_reason})`;
      core.startGroup(`${result.status === "succeeded" ? "✔" : "✖"} ${result.id} ${result.status}${reason} (${plural(result.turns, "turn")}, ${formatCost(result.cost_usd)})`);
      for (const line of lines.get(result.id) ?? []) core.info(line);
      core.info(result.files_changed.length === 0 ? `no changes; patch ${result.patch} is empty` : `${result.files_changed.length} file(s) changed; patch ${result.patch}`);
      core.endGroup();
      lines.delete(result.id);
      annotations.annotate(result);
    },
  };
}

/** The error annotations of the tasks that did not succeed (or, merged, are missing). */
export interface TaskAnnotations {
  annotate(result: TaskResult): void;
  annotateMissing(id: string): void;
  /** One more annotation counting those past the bound. */
  finish(): void;
}

/**
 * GitHub shows at most 10 error annotations per step and drops the rest; the step's failure is one. So the
 * first 8 tasks that do not succeed get theirs, and one more counts the others, which the job summary lists.
 */
export function createTaskAnnotations(redact: Redact, shown = ANNOTATED_TASKS): TaskAnnotations {
  let given = 0;
  let unshown = 0;
  const annotate = (id: string, message: string) => {
    if (given++ < shown) core.error(redact(message), { title: `nanocoder task ${id}` });
    else unshown++;
  };
  return {
    annotate(result) {
      if (result.status === "succeeded") return;
      const check = failedCheckOf(result);
      const tail = check ? `\n${tailLines(check, ANNOTATION_TAIL_LINES).join("\n")}\n(${check.log} in the run folder)` : "";
      annotate(result.id, `${result.id}: ${result.status}: ${reasonOf(result)}${tail}`);
    },
    annotateMissing(id) {
      annotate(id, `${id}: missing: no run folder holds it (did its shard fail before uploading its run folder?)`);
    },
    finish() {
      if (unshown > 0) core.error(`${unshown} more task(s) did not succeed (GitHub shows ${shown + 2} error annotations per step): the job summary lists them all`, { title: "nanocoder tasks" });
    },
  };
}

/** Error annotations for tasks; with the step's failure and the count, GitHub's 10. */
const ANNOTATED_TASKS = 8;

/** Annotations show few lines well; the job summary has the failed check's last 20. */
const ANNOTATION_TAIL_LINES = 10;

function describeEvent(event: AgentEvent): string | undefined {
  switch (event.type) {
    case "tool_call":
      return `turn ${event.turn}: ${event.name} ${event.arguments.slice(0, 200)}`;
    case "policy_decision":
      return event.decision === "deny" ? `  denied by policy: ${event.reason}` : undefined;
    case "check_result":
      return `check ${event.name}: ${event.exit_code === 0 ? "passed" : event.timed_out ? "timed out" : `exit ${String(event.exit_code)}`}`;
    case "retry":
      return `retry (attempt ${event.attempt}): ${event.reason}`;
    default:
      return undefined;
  }
}
