// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { E as unknown, S as record, T as union, d as boolean, g as literal, h as intersection, p as discriminatedUnion, s as _enum, u as array, v as number, w as string, y as object } from "./errors.mjs";
import { t as datetime } from "./iso.mjs";
import { n as looksLikeSecret } from "./secret-names.mjs";
// src/report/redact.ts
/** Shorter values are too likely to occur by chance ("1", "true") to be worth hiding. */
const MIN_SECRET_LENGTH = 6;
/** Secrets to hide: provider API keys and every secret-looking variable in the environment. */
function collectSecrets(env, apiKeys) {
	const secrets = /* @__PURE__ */ new Set();
	for (const key of apiKeys) if (key && key.length >= MIN_SECRET_LENGTH) secrets.add(key);
	for (const [name, value] of Object.entries(env)) if (value && value.length >= MIN_SECRET_LENGTH && looksLikeSecret(name)) secrets.add(value);
	return [...secrets].sort((a, b) => b.length - a.length);
}
/**
* Replaces every secret with `[REDACTED]`, as written and as it reads inside a JSON string (where `"`, `\`
* and control characters are escaped), since most run files are redacted once they are JSON text.
*/
function createRedactor(secrets) {
	const forms = [...new Set(secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]))].sort((a, b) => b.length - a.length);
	if (forms.length === 0) return (text) => text;
	return (text) => {
		let result = text;
		for (const form of forms) if (result.includes(form)) result = result.split(form).join("[REDACTED]");
		return result;
	};
}
/**
* `value` as JSON text with every secret hidden in its strings, object keys included. Every JSON file and
* line a run writes or prints comes through here: redacting the serialised text instead would also match a
* secret inside a number or inside JSON's syntax (MY_TOKEN=082044 and a cost of 0.082044 made
* `"cost_usd":0.[REDACTED]`), which corrupts the file.
*/
function stringifyRedacted(value, redact, space) {
	return JSON.stringify(value, (_key, item) => redactedItem(item, redact), space);
}
/** One item as JSON.stringify meets it (after toJSON): a string redacted, an object's keys redacted; the rest as is. */
function redactedItem(item, redact) {
	if (typeof item === "string") return redact(item);
	if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
	const entries = Object.entries(item);
	if (entries.every(([key]) => redact(key) === key)) return item;
	return Object.fromEntries(entries.map(([key, inner]) => [redact(key), inner]));
}
/**
* `bytes` with every secret replaced, or undefined when none is there. The bytes need not be UTF-8 (a patch
* of a Latin-1 file): they are read one character a byte, so everything else comes back as it was; a secret
* that is not ASCII is looked for as UTF-8 text.
*/
function redactBytes(bytes, redact) {
	const asBytes = bytes.toString("latin1");
	const redacted = redact(asBytes);
	if (redacted !== asBytes) return Buffer.from(redacted, "latin1");
	const text = bytes.toString("utf8");
	const redactedText = redact(text);
	return redactedText === text ? void 0 : Buffer.from(redactedText, "utf8");
}
// src/agent/outcome.ts
/** How a task ended, in one word for people and exit codes. `stop_reason` says why. */
const taskStatusSchema = _enum([
	"succeeded",
	"failed",
	"limit_exceeded",
	"error",
	"interrupted"
]);
/**
* Why a task stopped. Each reason belongs to exactly one status (STATUS_OF); docs/outputs.md describes them.
* `output_invalid`: a task with an `output:` schema whose answer stayed invalid after its corrections (agent/output.ts).
*/
const stopReasonSchema = _enum([
	"completed",
	"no_changes",
	"unexpected_changes",
	"blocked",
	"checks_failed",
	"output_invalid",
	"policy_violation",
	"max_turns",
	"max_denials",
	"budget",
	"timeout",
	"provider_error",
	"setup_failed",
	"runner_error",
	"interrupted"
]);
const STATUS_OF = {
	completed: "succeeded",
	no_changes: "failed",
	unexpected_changes: "failed",
	blocked: "failed",
	checks_failed: "failed",
	output_invalid: "failed",
	policy_violation: "failed",
	max_turns: "limit_exceeded",
	max_denials: "limit_exceeded",
	budget: "limit_exceeded",
	timeout: "limit_exceeded",
	provider_error: "error",
	setup_failed: "error",
	runner_error: "error",
	interrupted: "interrupted"
};
/** The one place a stop reason becomes a status. */
function statusOf(reason) {
	return STATUS_OF[reason];
}
/**
* What a task should leave behind. `changes` (the default): an empty patch fails with `no_changes`.
* `none`, for review-only tasks: any change fails with `unexpected_changes`. `any`: either is fine.
*/
const expectSchema = _enum([
	"changes",
	"none",
	"any"
]);
// package.json
var name = "nanocoder-batch";
var version = "0.1.0";
// src/shared/json-lines.ts
/** What a JSON file (or a JSON Lines file's first line) says of itself: the URL of its JSON Schema. */
const namesSchema = { $schema: string().describe("The URL of this file's JSON Schema, as the package of the version that wrote it ships it.") };
/**
* What every line of a JSON Lines file carries besides its record: when it was written, and on the first
* line of the file the URL of the JSON Schema of its lines (EventLog writes both).
*/
const lineSchema = object({
	ts: datetime(),
	$schema: namesSchema.$schema.optional()
});
/**
* The values of a JSON Lines text with their 1-based line numbers. Blank lines are skipped, and so is a
* line that is no JSON: the last line of a file a crash cut short.
*/
function* jsonLines(text) {
	for (const [index, line] of text.split("\n").entries()) {
		if (line.trim() === "") continue;
		let json;
		try {
			json = JSON.parse(line);
		} catch {
			continue;
		}
		yield {
			line: index + 1,
			json
		};
	}
}
// src/report/schema.ts
/**
* The shapes of the run folder's JSON files: the single source of their types, of the JSON Schemas the
* package ships in schemas/ (scripts/schemas.ts), and of the checks made when a file is read back.
*/
/**
* Where the JSON Schema of an output is published: the file the package of this version ships, as a CDN
* serving npm packages has it. Versioned, so a run folder names exactly the shape it was written in.
*/
function schemaUrl(name$1) {
	return `https://unpkg.com/${name}@${version}/schemas/${name$1}.json`;
}
const tokenCountsSchema = object({
	input: number().int(),
	output: number().int(),
	/** Input tokens the server served from its prompt cache, part of `input`. */
	cached: number().int(),
	estimated: boolean().describe("True when any count had to be estimated because the server sent no usage.")
});
const deniedCallSchema = object({
	tool: string(),
	subject: string().describe("What the call would have done, e.g. \"run git push origin main\"."),
	rule: string(),
	reason: string()
});
const checkOutcomeSchema = object({
	name: string(),
	passed: boolean(),
	exit_code: number().int().nullable().describe("null when the check timed out or could not start."),
	timed_out: boolean(),
	duration_ms: number(),
	log: string().describe("The run's whole output, secrets hidden, relative to the run folder."),
	output_tail: string().optional().describe("Of a failed run: the last lines of its output (at most 20), secrets hidden, escape sequences taken out.")
});
/** How a run's commands ran, for summary.json, result.json and report.md. */
const sandboxStatusSchema = object({
	mode: _enum([
		"auto",
		"bwrap",
		"none"
	]),
	active: boolean().describe("Whether commands ran inside the sandbox."),
	network: union([boolean(), array(string())]).describe("What of the network commands could reach: the setting when active (a list: those hosts only), always true when not."),
	required: boolean().describe("The policy's `sandbox.required`."),
	writable: array(string()).describe("The policy's `sandbox.writable`, as written there."),
	reason: string().optional().describe("Why commands ran without a sandbox.")
});
/** One task's entry in summary.json, also written alone as tasks/<id>/result.json. */
const taskResultSchema = object({
	id: string(),
	title: string().optional(),
	task_file: string().optional().describe("The task file the task came from, as named when the run started; pull requests can be grouped by it (`--open-pr combined:file`)."),
	labels: array(string()).optional().describe("The task's `labels`, when it has any; pull requests can be grouped by the first (`--open-pr combined:label`)."),
	status: taskStatusSchema,
	stop_reason: stopReasonSchema.describe("Why the task stopped; each stop reason belongs to one status."),
	expect: expectSchema.describe("What the task file said it should leave behind (`expect`)."),
	provider: string(),
	model: string(),
	turns: number().int(),
	requests: number().int().describe("Model requests made, each priced in `cost_usd`: the turns and any made to fit the context window."),
	tokens: tokenCountsSchema,
	cost_usd: number().nullable().describe("USD; null while no price is known for the model."),
	duration_ms: number(),
	denials: number().int(),
	denied_calls: array(deniedCallSchema).describe("The calls the policy refused (the first 50), so a maintainer can widen the policy on purpose."),
	attempts: number().int().describe("Times the agent ran: 1, plus one per retry after a failed check; 0 when the task never started."),
	checks: array(checkOutcomeSchema).describe("The last attempt's checks, in order, up to the first that failed; empty when none ran."),
	earlier_checks: array(checkOutcomeSchema.extend({ attempt: number().int() })).optional().describe("The checks of the attempts before the last, each with its attempt number; only after a retry."),
	files_changed: array(string()),
	patch: string().describe("Path of the patch, relative to the run folder."),
	patch_has_secret: literal(true).optional().describe("Present when the model wrote a secret's value into a file: the patch holds `[REDACTED]` in its place and is never pushed."),
	nested_repositories: array(string()).optional().describe("Folders the task left holding a git repository of their own (a `git init`, a clone): no patch can carry them, so their files are in none."),
	output: unknown().optional().describe("The structured final answer (the task's `output:` schema), when its JSON is at most 8 KiB; always in `output_file`."),
	output_file: string().optional().describe("Path of output.json, relative to the run folder: the answer of a task with an output schema that succeeded."),
	final_message: string().optional(),
	error: string().optional(),
	violations: array(object({
		path: string(),
		rule: string(),
		reason: string(),
		by: string()
	})).optional().describe("Writes of commands the policy refuses, found after each command and undone; the task then is not `succeeded`."),
	sandbox: sandboxStatusSchema.optional().describe("Whether the task's commands ran in the OS sandbox, and how.")
});
const runTotalsSchema = object({
	tasks: number().int(),
	succeeded: number().int(),
	failed: number().int(),
	limit_exceeded: number().int(),
	error: number().int(),
	interrupted: number().int(),
	stop_reasons: record(stopReasonSchema, number().int()).describe("Tasks by stop reason, every reason listed."),
	turns: number().int(),
	tokens: tokenCountsSchema,
	cost_usd: number().nullable(),
	denials: number().int()
});
/** A provider the run stopped using: it failed in several tasks in a row (run/breaker.ts). */
const providerDownSchema = object({
	provider: string(),
	base_url: string(),
	reason: string().describe("The failures in a row that stopped it, and the last one's message."),
	not_started: number().int().describe("The tasks using it that did not start because of it, left for --resume.")
});
/** What chose a run's tasks among those of its task files. */
const taskSelectionSchema = object({
	by: array(string()).describe("The options that chose, as given: `--limit 3`, `--only jsdoc.*`, `--label legal`, `--changed main`."),
	labels: array(string()).describe("`--label`'s labels: `--open-pr combined:label` puts a task in the pull request of the first of its labels among them."),
	left: array(object({
		id: string(),
		task_file: string().optional(),
		labels: array(string()).optional()
	})).describe("The task files' tasks not chosen, with what groups them: a grouped pull request (`--open-pr combined:file`) some of whose tasks are here is not opened or updated.")
});
const runSummarySchema = object({
	run_id: string(),
	started_at: datetime(),
	ended_at: datetime(),
	duration_ms: number(),
	base: string().describe("The commit every task started from."),
	policy: string(),
	tasks: array(taskResultSchema),
	totals: runTotalsSchema,
	planned_tasks: array(string()).optional().describe("Every task id the run was given, in order, before `--shard` picked its share."),
	shard: object({
		index: number().int(),
		count: number().int()
	}).optional().describe("The share of the planned tasks this run ran (`--shard i/n`)."),
	selection: taskSelectionSchema.optional().describe("Present when `--label`, `--only`, `--limit` or changed files chose part of the task files' tasks."),
	sandbox: sandboxStatusSchema.optional().describe("Whether the run's commands ran in the OS sandbox, and how."),
	providers_down: array(providerDownSchema).optional().describe("Providers that failed in task after task, so that the tasks using them did not start (exit 3); absent when none did."),
	environment: object({
		dependencies: array(string()),
		setup: array(string())
	}).optional().describe("What commands saw besides the worktree: the repository's installed dependency folders, read-only, and the setup commands."),
	missing_tasks: array(string()).optional().describe("Of a merged run (`report merge`): planned by some shard, but in no run folder."),
	merged_from: array(string()).optional().describe("Of a merged run (`report merge`): the run ids of the merged folders."),
	run_dir: string().optional().describe("Only in what `--json` prints: the run folder's absolute path; summary.json itself has none."),
	apply: object({
		applied: array(string()),
		error: string().optional()
	}).optional().describe("Only in what `--json` prints with `--apply`: the tasks whose patches were applied, or, when they could not be, none and why."),
	report_html: string().optional().describe("The run's HTML report, relative to the run folder: report.html.")
});
/** Token use and USD of some model requests; `cost_usd` is null when any of them has no known price. */
const costLineSchema = object({
	requests: number().int(),
	input_tokens: number().int(),
	cached_input_tokens: number().int(),
	output_tokens: number().int(),
	tokens_estimated: boolean().describe("True when some counts were made locally because the server sent none."),
	cost_usd: number().nullable()
});
const taskCostSchema = costLineSchema.extend({
	task: string(),
	provider: string(),
	model: string()
});
const modelCostSchema = costLineSchema.extend({
	provider: string(),
	model: string(),
	tasks: number().int()
});
/** cost.json: one line per task and model, one per model, and the totals. Totals are exact sums of the lines. */
const costReportSchema = object({
	run_id: string(),
	tasks: array(taskCostSchema),
	models: array(modelCostSchema),
	totals: costLineSchema.extend({ priced_cost_usd: number() }),
	unpriced_models: array(string()).describe("`provider/model` of every model with requests of unknown price.")
});
/** One line of manifest.jsonl, without the `ts` its writer adds. */
const manifestEntrySchema = discriminatedUnion("type", [
	object({
		type: literal("run_start"),
		run_id: string(),
		base: string(),
		tasks: array(string()),
		digests: record(string(), string()).optional().describe("Each task's definition as given (prompt, checks, limits…), hashed: --resume names the kept tasks whose definition has changed since.")
	}),
	object({
		type: literal("run_resume"),
		run_id: string(),
		rerun: array(string())
	}),
	object({
		type: literal("task_start"),
		id: string()
	}),
	object({
		type: literal("task_end"),
		id: string(),
		status: taskStatusSchema
	}),
	object({
		type: literal("run_end"),
		interrupted: boolean()
	})
]);
runSummarySchema.extend(namesSchema), taskResultSchema.extend(namesSchema), costReportSchema.extend(namesSchema), intersection(lineSchema, manifestEntrySchema);
/** What a zod error says, on one line, each problem with its path: for the user's messages. */
function describeIssues(error) {
	return error.issues.slice(0, 3).map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`).join("; ");
}
export { stringifyRedacted as _, taskResultSchema as a, name as c, statusOf as d, stopReasonSchema as f, redactBytes as g, createRedactor as h, schemaUrl as i, version as l, collectSecrets as m, manifestEntrySchema as n, jsonLines as o, taskStatusSchema as p, runSummarySchema as r, lineSchema as s, describeIssues as t, expectSchema as u };
