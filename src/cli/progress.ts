import type { AgentEvent } from "../agent/events.ts";
import { failedCheckOf, tailLines } from "../report/failed-check.ts";
import { formatCost, formatDuration, plural } from "../report/format.ts";
import type { Redact } from "../report/redact.ts";
import type { TaskResult } from "../report/types.ts";
import type { BatchObserver } from "../run/batch.ts";

/**
 * Progress on stderr. In a terminal: one live status line, redrawn. Elsewhere (CI, pipes):
 * one plain line when a task starts and one when it ends; under a failed check's line, the end of its output.
 * `runDir`, the run folder as the user would type it, makes the logs' paths ones they can open.
 *
 * A run of more than QUIET_ABOVE tasks would bury its failures under thousands of lines: there, each task
 * that does not succeed still gets its line (with the end of its failed check), but one that succeeds only
 * counts, in a plain line every twentieth of the run (the live line counts them anyway).
 */
export function createProgress(stream: NodeJS.WriteStream, total: number, redact: Redact, runDir?: string): BatchObserver & { finish(): void } {
  const live = stream.isTTY === true && !process.env.CI;
  const quiet = total > QUIET_ABOVE;
  const every = Math.ceil(total / 20);
  const running = new Set<string>();
  const state = { done: 0, failed: 0, tokens: 0, cost: 0 as number | null };
  const print = (line: string) => stream.write(`${redact(line)}\n`);
  const redraw = () => {
    if (!live) return;
    const cost = state.cost === null ? "cost unknown" : formatCost(state.cost);
    const status = `${state.done}/${total} done · ${running.size} running · ${state.failed} not succeeded · ${state.tokens} tokens · ${cost}`;
    stream.write(`\r\x1b[2K${status.slice(0, (stream.columns || 120) - 1)}`);
  };
  const clear = () => live && stream.write("\r\x1b[2K");
  // Plain output only (the live line counts already): at each twentieth of the run, and at its end.
  const countLine = () => (live || (state.done % every !== 0 && state.done !== total) ? undefined : describeCount(state.done, total, state.failed));

  return {
    onTaskStart(id) {
      running.add(id);
      if (!live && !quiet) print(`start ${id}`);
      redraw();
    },
    onEvent(_id, event: AgentEvent) {
      if (event.type !== "model_response") return;
      state.tokens += event.usage.input + event.usage.output;
      redraw();
    },
    onTaskEnd(result: TaskResult) {
      running.delete(result.id);
      state.done++;
      if (result.status !== "succeeded") state.failed++;
      state.cost = state.cost === null || result.cost_usd === null ? null : state.cost + result.cost_usd;
      const line = quiet && result.status === "succeeded" ? countLine() : describeEnd(result, runDir);
      if (line !== undefined) {
        clear();
        print(line);
      }
      redraw();
    },
    finish: clear,
  };
}

/** Above this many tasks, succeeded tasks are counted rather than each given a line. */
export const QUIET_ABOVE = 50;

function describeCount(done: number, total: number, failed: number): string {
  return `${done}/${total} done, ${failed} not succeeded${failed > 0 ? " (each named above)" : ""}`;
}

/** Lines of a failed check's output the task line shows; report.md and junit.xml have twice as many. */
const CONSOLE_TAIL_LINES = 10;

/**
 * "✔ id succeeded (…)", or "✖ id failed (stop_reason): why (…)" and, for a failed check, the end of its
 * output indented below, with the path of its whole log.
 */
export function describeEnd(result: TaskResult, runDir?: string): string {
  const mark = result.status === "succeeded" ? "✔" : "✖";
  const files = result.files_changed.length;
  const detail = [
    plural(result.turns, "turn"),
    // A no_changes line says so in its reason already.
    ...(result.stop_reason === "no_changes" ? [] : [files === 0 ? "no changes" : `${plural(files, "file")} changed`]),
    ...(result.denials > 0 ? [plural(result.denials, "denial")] : []),
    formatCost(result.cost_usd),
    formatDuration(result.duration_ms),
  ].join(", ");
  // "interrupted" is both a status and its one stop reason: said once.
  const reason = result.stop_reason === "completed" || result.stop_reason === result.status ? "" : ` (${result.stop_reason})`;
  // An error of several lines (setup's ends with its log's last lines): the first on the task line, the rest below it.
  const [first, ...more] = (result.error ?? "").split("\n");
  const error = first ? `: ${first}` : "";
  const secret = result.patch_has_secret ? `; warning: the patch held a secret's value, hidden as [REDACTED] in ${result.patch}` : "";
  const nested = result.nested_repositories && result.status === "succeeded" ? `; note: ${result.nested_repositories.join(", ")} holds a git repository of its own, whose files are in no patch` : "";
  const line = `${mark} ${result.id} ${result.status}${reason}${error} (${detail})${secret}${nested}`;
  const check = failedCheckOf(result);
  const log = check && runDir ? `${runDir.replace(/\/$/, "")}/${check.log}` : check?.log;
  const below = check ? [...tailLines(check, CONSOLE_TAIL_LINES), `(${log ?? ""})`] : more;
  return [line, ...below.map((text) => `    ${text}`)].join("\n");
}
