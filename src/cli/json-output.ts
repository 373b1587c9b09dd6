import { stringifyRedacted, type Redact } from "../report/redact.ts";
import { schemaUrl, type RunSummary } from "../report/schema.ts";
import type { AgentEvent } from "../agent/events.ts";
import { ProviderUnavailable, UserError } from "../shared/errors.ts";
import type { Ending } from "../shared/exit-codes.ts";

/**
 * What `--json` and `--jsonl` print on stdout, for tools that read it: docs/outputs.md describes it, and
 * the JSON Schemas in schemas/ (summary.json, stream-line.json) describe every line.
 */

/** `--json`: summary.json as written, with the run folder's path. */
export function renderJsonSummary(summary: RunSummary, runDir: string, redact: Redact = (text) => text): string {
  return stringifyRedacted({ $schema: schemaUrl("summary"), ...summary, run_dir: runDir }, redact, 2);
}

/**
 * `--jsonl`: a writer of one line per event of every task, as the task's events.jsonl has it with the
 * task's id first; the first line names the schema of the lines.
 */
export function createEventStream(write: (line: string) => void, redact: Redact): (taskId: string, event: AgentEvent, ts: string) => void {
  let first = true;
  return (taskId, event, ts) => {
    const named = first ? { $schema: schemaUrl("stream-line") } : {};
    first = false;
    write(`${stringifyRedacted({ task: taskId, ts, ...named, ...event }, redact)}\n`);
  };
}

/** Whether the command line asks for JSON on stdout (flags after `--` are file names, not flags). */
export function wantsJson(rawArgs: readonly string[]): boolean {
  const end = rawArgs.indexOf("--");
  return (end < 0 ? rawArgs : rawArgs.slice(0, end)).some((arg) => arg === "--json" || arg === "--jsonl");
}

/** An error that stopped a command, as JSON on stdout: its stable code (errors.ts) and its message. */
export function renderJsonError(error: unknown, ending: Ending): string {
  const message = error instanceof Error ? error.message : String(error);
  return JSON.stringify({ error: { code: codeOf(error, ending), message } });
}

function codeOf(error: unknown, ending: Ending): string {
  if (error instanceof UserError || error instanceof ProviderUnavailable) return error.code;
  // citty's usage errors carry a code of their own (E_UNKNOWN_COMMAND, EARG...).
  if (ending === "invalid_input") return "E_USAGE";
  return "E_INTERNAL";
}
