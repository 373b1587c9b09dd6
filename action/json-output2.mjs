// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { _ as stringifyRedacted, i as schemaUrl } from "./schema.mjs";
import { r as UserError, t as ProviderUnavailable } from "./errors.mjs";
// src/cli/json-output.ts
/**
* What `--json` and `--jsonl` print on stdout, for tools that read it: docs/outputs.md describes it, and
* the JSON Schemas in schemas/ (summary.json, stream-line.json) describe every line.
*/
/** `--json`: summary.json as written, with the run folder's path. */
function renderJsonSummary(summary, runDir, redact = (text) => text) {
	return stringifyRedacted({
		$schema: schemaUrl("summary"),
		...summary,
		run_dir: runDir
	}, redact, 2);
}
/**
* `--jsonl`: a writer of one line per event of every task, as the task's events.jsonl has it with the
* task's id first; the first line names the schema of the lines.
*/
function createEventStream(write, redact) {
	let first = true;
	return (taskId, event, ts) => {
		const named = first ? { $schema: schemaUrl("stream-line") } : {};
		first = false;
		write(`${stringifyRedacted({
			task: taskId,
			ts,
			...named,
			...event
		}, redact)}\n`);
	};
}
/** Whether the command line asks for JSON on stdout (flags after `--` are file names, not flags). */
function wantsJson(rawArgs) {
	const end = rawArgs.indexOf("--");
	return (end < 0 ? rawArgs : rawArgs.slice(0, end)).some((arg) => arg === "--json" || arg === "--jsonl");
}
/** An error that stopped a command, as JSON on stdout: its stable code (errors.ts) and its message. */
function renderJsonError(error, ending) {
	const message = error instanceof Error ? error.message : String(error);
	return JSON.stringify({ error: {
		code: codeOf(error, ending),
		message
	} });
}
function codeOf(error, ending) {
	if (error instanceof UserError || error instanceof ProviderUnavailable) return error.code;
	if (ending === "invalid_input") return "E_USAGE";
	return "E_INTERNAL";
}
export { wantsJson as i, renderJsonError as n, renderJsonSummary as r, createEventStream as t };
