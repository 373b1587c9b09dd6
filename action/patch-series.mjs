// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { d as boolean, g as literal, h as intersection, p as discriminatedUnion, s as _enum, u as array, v as number, w as string, y as object } from "./errors.mjs";
import { I as providerEventSchemas, h as describeNetwork, o as git } from "./shard.mjs";
import { _ as stringifyRedacted, c as name, f as stopReasonSchema, i as schemaUrl, l as version, o as jsonLines, p as taskStatusSchema, s as lineSchema } from "./schema.mjs";
import { A as sumUsd, D as decimalUsd, E as sumCosts, _ as escapeText, b as formatTokens, f as writeJsonFile, g as escapeHtml, h as escapeCell, k as sumKnownUsd, m as cut, n as TASK_ID_PATTERN, p as codeSpan, u as writeFileAtomic, v as formatCost, x as oneLine, y as formatDuration } from "./run-id.mjs";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
// src/report/html/diff.ts
const FILE_START = "diff --git ";
/**
* Splits `git diff` output into files. The path comes from the `+++ b/` line (the `--- a/` one for a
* deletion), else from the `diff --git` line; a binary file's encoded body is never shown.
*/
function splitPatch(patch) {
	const files = [];
	const lines = patch.split("\n");
	let current;
	const flush = () => {
		if (current) files.push(describeFile(current.header, current.lines));
	};
	for (const line of lines) if (line.startsWith(FILE_START)) {
		flush();
		current = {
			header: line,
			lines: [line]
		};
	} else if (current) current.lines.push(line);
	flush();
	return files;
}
function describeFile(header, lines) {
	let added = 0;
	let removed = 0;
	let binary = false;
	let newPath;
	let oldPath;
	let inHunk = false;
	for (const line of lines) if (!inHunk && line.startsWith("+++ ")) newPath = stripPrefix(line.slice(4), "b/");
	else if (!inHunk && line.startsWith("--- ")) oldPath = stripPrefix(line.slice(4), "a/");
	else if (line.startsWith("GIT binary patch") || /^Binary files .* differ$/.test(line)) binary = true;
	else if (line.startsWith("@@")) inHunk = true;
	else if (inHunk && line.startsWith("+")) added++;
	else if (inHunk && line.startsWith("-")) removed++;
	const path = newPath ?? oldPath ?? pathFromHeader(header);
	if (binary) {
		const summaryEnd = lines.findIndex((line) => line.startsWith("GIT binary patch"));
		const shown = summaryEnd < 0 ? lines : [...lines.slice(0, summaryEnd), "(binary content not shown)"];
		return {
			path,
			added,
			removed,
			binary,
			text: shown.join("\n")
		};
	}
	return {
		path,
		added,
		removed,
		binary,
		text: lines.join("\n").replace(/\n+$/, "")
	};
}
function stripPrefix(path, prefix) {
	const name = path.endsWith("	") ? path.slice(0, -1) : path;
	const unquoted = name.startsWith("\"") ? readQuoted(name, 0)?.text ?? name : name;
	if (unquoted === "/dev/null") return void 0;
	return unquoted.startsWith(prefix) ? unquoted.slice(prefix.length) : unquoted;
}
/** `diff --git a/x b/x`: the b side, which is the a side for a path without spaces; either may be quoted. */
function pathFromHeader(header) {
	const rest = header.slice(11);
	if (rest.startsWith("\"")) {
		const first = readQuoted(rest, 0);
		const second = first ? rest.slice(first.end + 1) : "";
		if (first && second.startsWith("\"")) return stripPrefix(second, "b/") ?? "";
		if (first) return second.startsWith("b/") ? second.slice(2) : second;
	}
	const quotedB = rest.indexOf(" \"b/");
	if (quotedB >= 0) return stripPrefix(rest.slice(quotedB + 1), "b/") ?? "";
	const split = rest.indexOf(" b/");
	return split >= 0 ? rest.slice(split + 3) : rest;
}
const ESCAPES = {
	a: 7,
	b: 8,
	t: 9,
	n: 10,
	v: 11,
	f: 12,
	r: 13,
	"\"": 34,
	"\\": 92
};
/**
* The name git wrote in C-style quotes from `start` (a `"`): `\"`, `\\`, `\t`, `\n` and the like, and each byte
* of a name that is not ASCII as `\ooo` octal, read back as UTF-8. Undefined when no closing quote is found.
*/
function readQuoted(text, start) {
	const bytes = [];
	for (let at = start + 1; at < text.length; at++) {
		const character = String.fromCodePoint(text.codePointAt(at) ?? 0);
		if (character === "\"") return {
			text: Buffer.from(bytes).toString("utf8"),
			end: at + 1
		};
		if (character !== "\\") {
			bytes.push(...Buffer.from(character, "utf8"));
			at += character.length - 1;
			continue;
		}
		const next = text[at + 1] ?? "";
		const octal = /^[0-3][0-7]{2}/.exec(text.slice(at + 1, at + 4));
		if (octal) {
			bytes.push(Number.parseInt(octal[0], 8));
			at += 3;
		} else {
			bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
			at += 1;
		}
	}
}
/** The files of a patch (splitPatch), the text of each cut so that all of them together stay within `budget` characters. */
function boundedDiff(files, budget) {
	let left = budget;
	return files.map((file) => {
		const kept = Math.max(0, Math.min(file.text.length, left));
		left -= kept;
		if (kept === file.text.length) return {
			...file,
			cut: 0
		};
		const cutAt = file.text.lastIndexOf("\n", kept);
		const text = file.text.slice(0, cutAt > 0 ? cutAt : kept);
		return {
			...file,
			text,
			cut: file.text.length - text.length
		};
	});
}
/** The page's name in the run folder, which summary.json gives in `report_html`. */
const HTML_REPORT = "report.html";
const DETAIL_LEVELS = [
	{
		text: 2e4,
		output: 8e3,
		steps: 1e3,
		patch: 15e4
	},
	{
		text: 8e3,
		output: 3e3,
		steps: 400,
		patch: 6e4
	},
	{
		text: 4e3,
		output: 1200,
		steps: 200,
		patch: 3e4
	},
	{
		text: 2e3,
		output: 500,
		steps: 120,
		patch: 15e3
	},
	{
		text: 1e3,
		output: 250,
		steps: 80,
		patch: 6e3
	},
	{
		text: 500,
		output: 120,
		steps: 60,
		patch: 3e3
	},
	{
		text: 300,
		output: 80,
		steps: 40,
		patch: 1500
	},
	{
		text: 200,
		output: 60,
		steps: 24,
		patch: 1e3
	}
];
/**
* Characters of JSON the tasks' details may take together, before compression (render.ts packs each
* task's): the page's size is what its load time follows, and 40 million characters of agent logs make a
* page of a few megabytes.
*/
const PAGE_DETAIL_BUDGET = 4e7;
/** A task's share of the page: all of a small run's detail, at least 24,000 characters of a large one's. */
function detailBudget(taskCount) {
	return Math.min(5e5, Math.max(24e3, Math.floor(PAGE_DETAIL_BUDGET / Math.max(taskCount, 1))));
}
/** `text` cut to `max` characters: its head and its tail, with a line saying how much went. */
function clip(text, max) {
	if (text.length <= max) return text;
	const head = Math.ceil(max * .6);
	const tail = max - head;
	return `${text.slice(0, head)}\n… [${text.length - max} characters cut] …\n${tail > 0 ? text.slice(-tail) : ""}`;
}
/** `notes`: what the reader of the run folder had to fill in (an older folder), shown with the warnings. */
function buildPageData(summary, cost, generator, notes = []) {
	return {
		generator,
		run: {
			id: summary.run_id,
			started_at: summary.started_at,
			ended_at: summary.ended_at,
			duration_text: formatDuration(summary.duration_ms),
			base: summary.base,
			policy: summary.policy,
			...summary.merged_from ? { merged_from: summary.merged_from } : {},
			...summary.shard ? { shard: summary.shard } : {}
		},
		warnings: [...notes, ...runWarnings(summary, cost)],
		totals: {
			...summary.totals,
			cost_text: formatCost(summary.totals.cost_usd)
		},
		models: cost.models,
		tasks: summary.tasks.map(pageTask),
		missing_tasks: summary.missing_tasks ?? []
	};
}
const ROW_TITLE = 1e3;
function pageTask(task, index) {
	const firstLine = task.error?.split("\n")[0];
	return {
		index,
		id: task.id,
		...task.title ? { title: clip(task.title, ROW_TITLE) } : {},
		status: task.status,
		stop_reason: task.stop_reason,
		...firstLine ? { reason: clip(firstLine, 300) } : {},
		provider: task.provider,
		model: task.model,
		turns: task.turns,
		requests: task.requests,
		attempts: task.attempts,
		input_tokens: task.tokens.input,
		output_tokens: task.tokens.output,
		cached_tokens: task.tokens.cached,
		cost_usd: task.cost_usd,
		cost_text: formatCost(task.cost_usd),
		duration_ms: task.duration_ms,
		duration_text: formatDuration(task.duration_ms),
		denials: task.denials,
		files: task.files_changed.length
	};
}
/** What a reviewer should know before reading the tasks: how commands ran, what is missing or unpriced. */
function runWarnings(summary, cost) {
	const warnings = [];
	const sandbox = summary.sandbox;
	if (sandbox && !sandbox.active) warnings.push(`No sandbox: commands ran without the OS sandbox${sandbox.reason ? ` (${sandbox.reason})` : ""}.`);
	else if (sandbox?.network === true) warnings.push("Commands could reach the network.");
	for (const down of summary.providers_down ?? []) warnings.push(`Provider "${down.provider}" (${down.base_url}) stopped being used: ${down.reason}; ${down.not_started} task(s) did not start.`);
	const missing = summary.missing_tasks ?? [];
	if (missing.length > 0) warnings.push(`${missing.length} planned task(s) are in no run folder: ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", …" : ""}.`);
	const secrets = summary.tasks.filter((task) => task.patch_has_secret);
	if (secrets.length > 0) warnings.push(`A secret was written into the patch of ${secrets.map((task) => task.id).join(", ")}: it shows as [REDACTED] and is never pushed.`);
	if (cost.unpriced_models.length > 0) warnings.push(`No price is known for ${cost.unpriced_models.join(", ")}: the total cost counts only the priced requests.`);
	if (summary.totals.tokens.estimated) warnings.push("Some token counts are estimates: a server sent no usage.");
	return warnings;
}
/**
* The detail of one task within `budget` characters of JSON: the first level of limits that fits, else the
* last. `patch` is undefined when the patch file could not be read.
*/
function buildTaskDetail(task, events, patch, budget) {
	const whole = {
		prompt: events.find((event) => event.type === "prompt")?.user_message ?? "",
		steps: timeline(events),
		requests: requestLines(events),
		files: splitPatch(patch ?? ""),
		patchMissing: patch === void 0
	};
	let detail;
	for (const limits of DETAIL_LEVELS) {
		detail = shapeTask(task, whole, limits);
		if (textLength(detail) <= budget && JSON.stringify(detail).length <= budget) return detail;
	}
	return detail ?? shapeTask(task, whole, DETAIL_LEVELS[0] ?? {
		text: 500,
		output: 100,
		steps: 24,
		patch: 2e3
	});
}
/** The characters of a detail's longest texts, less than its JSON's length. */
function textLength(detail) {
	let length = detail.prompt.length + detail.diff.reduce((sum, file) => sum + file.text.length, 0);
	for (const step of detail.steps) if (step.kind === "model") length += step.text.length;
	else if (step.kind === "tool") length += step.arguments.length + (step.result?.output.length ?? 0);
	else if (step.kind === "check") length += step.output.length;
	return length;
}
function shapeTask(task, whole, limits) {
	const cut = [];
	const note = (what) => {
		if (!cut.includes(what)) cut.push(what);
	};
	const text = (value, what) => {
		const clipped = clip(value, limits.text);
		if (clipped !== value) note(what);
		return clipped;
	};
	const output = (value, what) => {
		const clipped = clip(value, limits.output);
		if (clipped !== value) note(what);
		return clipped;
	};
	const { steps, requests } = whole;
	const keptSteps = keepEnds(steps, limits.steps, (count) => ({
		kind: "gap",
		count
	})).map((step) => clipStep(step, text, output));
	if (keptSteps.length < steps.length) note("the middle of the timeline");
	const keptRequests = keepEnds(requests, limits.steps, () => void 0).filter((line) => line !== void 0);
	const diff = boundedDiff(whole.files.slice(0, 200), limits.patch);
	if (diff.some((file) => file.cut > 0)) note("the patch");
	const diffFilesCut = Math.max(0, whole.files.length - 200);
	const checks = [...task.earlier_checks ?? [], ...task.checks].map((check) => ({
		...check,
		...check.output_tail ? { output_tail: output(check.output_tail, "check output") } : {}
	}));
	const taskDir = `tasks/${task.id}`;
	return {
		id: task.id,
		prompt: text(whole.prompt, "the prompt"),
		...task.final_message !== void 0 ? { final_message: text(task.final_message, "the final message") } : {},
		...task.error !== void 0 ? { error: text(task.error, "the error") } : {},
		checks,
		denied_calls: task.denied_calls.map((call) => ({
			...call,
			subject: output(call.subject, "denied calls")
		})),
		violations: task.violations ?? [],
		files_changed: task.files_changed.slice(0, limits.steps),
		diff,
		...whole.patchMissing ? { patch_missing: true } : {},
		diff_files_cut: diffFilesCut,
		steps: keptSteps,
		requests: keptRequests,
		requests_cut: requests.length - keptRequests.length,
		cut,
		links: {
			result: `${taskDir}/result.json`,
			events: `${taskDir}/events.jsonl`,
			patch: task.patch
		}
	};
}
/** The first half and the last half of `items` when there are more than `max`, `gap(count)` between them. */
function keepEnds(items, max, gap) {
	if (items.length <= max) return items;
	const head = Math.ceil(max / 2);
	const tail = max - head;
	return [
		...items.slice(0, head),
		gap(items.length - max),
		...items.slice(items.length - tail)
	];
}
/** A step with its texts cut: model text to the text limit, the rest to the output limit. */
function clipStep(step, text, output) {
	switch (step.kind) {
		case "model": return {
			...step,
			text: text(step.text, "model text")
		};
		case "tool": return {
			...step,
			arguments: output(step.arguments, "tool arguments"),
			decisions: step.decisions.map((decision) => ({
				...decision,
				subject: output(decision.subject, "tool arguments")
			})),
			...step.result ? { result: {
				...step.result,
				output: output(step.result.output, "tool results")
			} } : {}
		};
		case "check": return {
			...step,
			output: output(step.output, "check output")
		};
		case "note": return {
			...step,
			text: output(step.text, "notes")
		};
		case "gap": return step;
	}
}
/** The steps of a task in order: model text, each tool call with its policy decisions and result, checks, notes. */
function timeline(events) {
	const steps = [];
	const calls = /* @__PURE__ */ new Map();
	const checkCommands = /* @__PURE__ */ new Map();
	for (const event of events) switch (event.type) {
		case "model_response":
			if (event.content.trim() !== "") steps.push({
				kind: "model",
				turn: event.turn,
				text: event.content,
				...event.purpose ? { purpose: event.purpose } : {}
			});
			break;
		case "tool_call": {
			const step = {
				kind: "tool",
				turn: event.turn,
				id: event.id,
				name: event.name,
				arguments: event.arguments,
				decisions: []
			};
			calls.set(event.id, step);
			steps.push(step);
			break;
		}
		case "policy_decision": {
			const decision = {
				decision: event.decision,
				rule: event.rule,
				reason: event.reason,
				subject: event.subject,
				...event.pattern !== void 0 ? { pattern: event.pattern } : {},
				...event.rule_source !== void 0 ? { rule_source: event.rule_source } : {},
				...event.effect ? { effect: true } : {}
			};
			const call = calls.get(event.id);
			if (call) call.decisions.push(decision);
			else steps.push({
				kind: "note",
				text: `${event.tool}: ${decision.subject} ${event.decision === "deny" ? "denied" : "allowed"} by ${event.rule}: ${event.reason}`,
				warn: event.decision === "deny"
			});
			break;
		}
		case "tool_result": {
			const call = calls.get(event.id);
			const result = {
				status: event.status,
				output: event.output,
				duration_ms: event.duration_ms
			};
			if (call) call.result = result;
			break;
		}
		case "check_start":
			checkCommands.set(`${event.attempt}/${event.name}`, event.command);
			break;
		case "check_result":
			steps.push({
				kind: "check",
				name: event.name,
				attempt: event.attempt,
				command: checkCommands.get(`${event.attempt}/${event.name}`) ?? "",
				exit_code: event.exit_code,
				timed_out: event.timed_out,
				duration_ms: event.duration_ms,
				output: event.output_tail
			});
			break;
		default: {
			const line = noteOf(event);
			if (line) steps.push(line);
		}
	}
	return steps;
}
/** The events that are neither model text, tool calls nor checks, as one line each; undefined for the rest. */
function noteOf(event) {
	switch (event.type) {
		case "retry": return {
			kind: "note",
			text: `retry, attempt ${event.attempt}: ${event.reason}`,
			warn: true
		};
		case "context_compacted": return {
			kind: "note",
			text: `context compacted (${event.strategy}): ${event.tokens_before} → ${event.tokens_after} tokens of ${event.context_window}`,
			warn: false
		};
		case "provider_retry": return {
			kind: "note",
			text: `provider retry ${event.attempt} (${event.status ?? "no status"}) after ${event.delay_ms} ms: ${event.reason}`,
			warn: true
		};
		case "output_invalid": return {
			kind: "note",
			text: `answer not valid against the output schema (${event.corrections_left} corrections left): ${event.errors.join("; ")}`,
			warn: true
		};
		case "tool_calling": return {
			kind: "note",
			text: `tool calls as text: ${event.reason}`,
			warn: false
		};
		case "structured_output": return {
			kind: "note",
			text: `structured output in the instructions only: ${event.reason}`,
			warn: false
		};
		case "setup_start": return {
			kind: "note",
			text: `setup: ${event.commands.join(" && ")}`,
			warn: false
		};
		case "setup_end": return {
			kind: "note",
			text: `setup ${event.ok ? "done" : "failed"} in ${formatDuration(event.duration_ms)} (log: ${event.log})`,
			warn: !event.ok
		};
		case "setup_reused": return {
			kind: "note",
			text: "setup results reused",
			warn: false
		};
		case "mcp_server": {
			const skipped = event.skipped.length > 0 ? `; left out: ${event.skipped.map((skip) => `${skip.tool} (${skip.why})`).join(", ")}` : "";
			const dropped = event.env_dropped?.length ? `; variables not passed: ${event.env_dropped.join(", ")}` : "";
			const what = event.status === "not_started" ? `not started: ${event.reason ?? ""}` : `${event.status}, ${event.tools.length} tool(s)`;
			return {
				kind: "note",
				text: `MCP server ${event.server} (${event.transport}) ${what}${skipped}${dropped}`,
				warn: event.status === "not_started" || event.skipped.length > 0
			};
		}
		case "task_end": return {
			kind: "note",
			text: `ended ${event.status} (${event.stop_reason})`,
			warn: event.status !== "succeeded"
		};
		default: return;
	}
}
function requestLines(events) {
	return events.flatMap((event) => event.type !== "model_response" ? [] : [{
		turn: event.turn,
		...event.purpose ? { purpose: event.purpose } : {},
		input: event.usage.input,
		cached: event.usage.cached,
		output: event.usage.output,
		estimated: event.usage.estimated,
		...event.usage.cost_usd !== void 0 ? { cost_usd: event.usage.cost_usd } : {},
		duration_ms: event.duration_ms
	}]);
}
// src/report/summary.ts
function buildSummary(info, tasks) {
	return {
		run_id: info.runId,
		started_at: info.startedAt.toISOString(),
		ended_at: info.endedAt.toISOString(),
		duration_ms: info.durationMs ?? info.endedAt.getTime() - info.startedAt.getTime(),
		base: info.base,
		policy: info.policy,
		tasks,
		totals: totalsOf(tasks),
		report_html: HTML_REPORT
	};
}
function totalsOf(tasks) {
	const count = (status) => tasks.filter((task) => task.status === status).length;
	return {
		tasks: tasks.length,
		succeeded: count("succeeded"),
		failed: count("failed"),
		limit_exceeded: count("limit_exceeded"),
		error: count("error"),
		interrupted: count("interrupted"),
		stop_reasons: Object.fromEntries(stopReasonSchema.options.map((reason) => [reason, tasks.filter((task) => task.stop_reason === reason).length])),
		turns: tasks.reduce((sum, task) => sum + task.turns, 0),
		tokens: addTokens(tasks.map((task) => task.tokens)),
		cost_usd: sumCosts(tasks.map((task) => task.cost_usd)),
		denials: tasks.reduce((sum, task) => sum + task.denials, 0)
	};
}
function addTokens(counts) {
	return counts.reduce((sum, count) => ({
		input: sum.input + count.input,
		output: sum.output + count.output,
		cached: sum.cached + count.cached,
		estimated: sum.estimated || count.estimated
	}), {
		input: 0,
		output: 0,
		cached: 0,
		estimated: false
	});
}
function allSucceeded(summary) {
	return summary.totals.succeeded === summary.totals.tasks;
}
// src/report/cost.ts
const CSV_COLUMNS = [
	"task",
	"provider",
	"model",
	"requests",
	"input_tokens",
	"cached_input_tokens",
	"output_tokens",
	"tokens_estimated",
	"cost_usd"
];
function buildCostReport(summary) {
	const tasks = summary.tasks.map(taskCost);
	const models = groupByModel(tasks).map(([first, ...rest]) => ({
		provider: first.provider,
		model: first.model,
		tasks: rest.length + 1,
		...addLines([first, ...rest])
	}));
	return {
		run_id: summary.run_id,
		tasks,
		models,
		totals: {
			...addLines(tasks),
			priced_cost_usd: sumKnownUsd(tasks.map((task) => task.cost_usd))
		},
		unpriced_models: models.filter((model) => model.cost_usd === null).map((model) => `${model.provider}/${model.model}`)
	};
}
/** cost.csv: RFC 4180 (CRLF line ends, fields quoted only when they must be); an unknown cost is an empty field. */
function renderCostCsv(report) {
	const rows = report.tasks.map((task) => CSV_COLUMNS.map((column) => {
		const value = task[column];
		if (column === "cost_usd") return value === null ? "" : decimalUsd(Number(value));
		return String(value);
	}));
	return [[...CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
/** The cost section of report.md: a line per model, the total, and the models without a known price. */
function renderCostSection(report) {
	const row = (name, line, tasks) => `| ${name} | ${tasks} | ${line.requests} | ${mark(line)}${line.input_tokens} | ${mark(line)}${line.cached_input_tokens} | ${mark(line)}${line.output_tokens} | ${formatCost(line.cost_usd)} |`;
	const lines = [
		"## Cost",
		"",
		"| model | tasks | requests | input tokens | cached input | output tokens | cost |",
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
		...report.models.map((model) => row(`${model.provider}/${model.model}`.replace(/\|/g, "\\|"), model, model.tasks)),
		row("**total**", report.totals, report.tasks.length)
	];
	if (report.unpriced_models.length > 0) {
		const names = report.unpriced_models.map((model) => `\`${model}\``).join(", ");
		lines.push("", `Cost unknown: no price for ${names}. Add \`pricing\` to the provider in agents.config.json. Known costs add up to ${formatCost(report.totals.priced_cost_usd)}.`);
	}
	return lines;
}
function taskCost(task) {
	return {
		task: task.id,
		provider: task.provider,
		model: task.model,
		requests: task.requests,
		input_tokens: task.tokens.input,
		cached_input_tokens: task.tokens.cached,
		output_tokens: task.tokens.output,
		tokens_estimated: task.tokens.estimated,
		cost_usd: task.cost_usd
	};
}
function addLines(lines) {
	const total = (key) => lines.reduce((sum, line) => sum + line[key], 0);
	return {
		requests: total("requests"),
		input_tokens: total("input_tokens"),
		cached_input_tokens: total("cached_input_tokens"),
		output_tokens: total("output_tokens"),
		tokens_estimated: lines.some((line) => line.tokens_estimated),
		cost_usd: sumUsd(lines.map((line) => line.cost_usd))
	};
}
/** Tasks grouped by provider and model, in order of first appearance. */
function groupByModel(tasks) {
	const groups = /* @__PURE__ */ new Map();
	for (const task of tasks) {
		const key = `${task.provider}\n${task.model}`;
		const group = groups.get(key);
		if (group) group.push(task);
		else groups.set(key, [task]);
	}
	return [...groups.values()];
}
function csvField(value) {
	return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, "\"\"")}"` : value;
}
function mark(line) {
	return line.tokens_estimated ? "~" : "";
}
// src/agent/events.ts
const decisionSchema = _enum(["allow", "deny"]);
const purposeSchema = _enum(["summary", "output"]).optional().describe("\"summary\" marks the request that summarises older turns to fit the context window; \"output\" a request for the structured final answer.");
/** Token use of one response; `cost_usd` only when the server reported a cost itself. */
const usageEventSchema = object({
	input: number().int(),
	output: number().int(),
	cached: number().int(),
	estimated: boolean(),
	cost_usd: number().optional()
});
const toolResultStatusSchema = _enum([
	"ok",
	"error",
	"denied"
]);
/** For a call of an MCP tool: the server and the tool's own name there. */
const mcpToolSchema = object({
	server: string(),
	tool: string()
});
/** Everything a task does, in order. Written one JSON object per line to `tasks/<id>/events.jsonl`. */
const agentEventSchema = discriminatedUnion("type", [
	object({
		type: literal("task_start"),
		task: string(),
		title: string().optional(),
		provider: string(),
		model: string(),
		base: string(),
		policy: string()
	}),
	object({
		type: literal("prompt"),
		system_prompt: string(),
		user_message: string(),
		context_files: array(string()),
		context_skipped: array(object({
			path: string(),
			reason: string()
		}))
	}),
	object({
		type: literal("model_request"),
		turn: number().int(),
		messages: number().int(),
		tools: number().int(),
		final: boolean(),
		purpose: purposeSchema
	}),
	object({
		type: literal("model_response"),
		turn: number().int(),
		content: string(),
		tool_calls: array(object({
			id: string(),
			name: string(),
			arguments: string()
		})),
		finish_reason: string(),
		usage: usageEventSchema,
		duration_ms: number(),
		purpose: purposeSchema
	}),
	object({
		type: literal("output_invalid"),
		turn: number().int(),
		errors: array(string()),
		corrections_left: number().int()
	}),
	object({
		type: literal("context_compacted"),
		turn: number().int(),
		strategy: _enum(["truncate_results", "summarize"]),
		tokens_before: number().int(),
		tokens_after: number().int(),
		context_window: number().int()
	}),
	...providerEventSchemas,
	object({
		type: literal("tool_call"),
		turn: number().int(),
		id: string(),
		name: string(),
		arguments: string(),
		mcp: mcpToolSchema.optional()
	}),
	object({
		type: literal("policy_decision"),
		id: string(),
		tool: string(),
		subject: string().describe("What the call would do, e.g. \"write src/a.ts\" or \"run npm test\"."),
		decision: decisionSchema,
		reason: string(),
		rule: string(),
		pattern: string().optional().describe("The deciding rule's pattern."),
		rule_source: string().optional().describe("Where the policy file sets the deciding rule."),
		segments: array(object({
			command: string(),
			decision: decisionSchema,
			rule: string(),
			reason: string()
		})).optional(),
		effect: boolean().optional().describe("True for a decision made on what a command changed, after it ran (the change was undone).")
	}),
	object({
		type: literal("tool_result"),
		id: string(),
		name: string(),
		status: toolResultStatusSchema,
		output: string(),
		duration_ms: number(),
		mcp: mcpToolSchema.optional()
	}),
	object({
		type: literal("mcp_server"),
		server: string(),
		transport: _enum(["stdio", "http"]),
		status: _enum([
			"started",
			"replayed",
			"not_started"
		]),
		reason: string().optional().describe("Why it was not started."),
		tools: array(string()).describe("The names its tools are offered under."),
		skipped: array(object({
			tool: string(),
			why: string()
		})).describe("Tools left out: schemas providers refuse, tools a tools.deny rule takes away."),
		env_dropped: array(string()).optional().describe("Variables of its .mcp.json env entry the policy does not name for it, not passed."),
		duration_ms: number()
	}),
	object({
		type: literal("check_start"),
		name: string(),
		command: string(),
		attempt: number().int()
	}),
	object({
		type: literal("check_result"),
		name: string(),
		attempt: number().int(),
		exit_code: number().int().nullable().describe("null when the check timed out or could not start."),
		timed_out: boolean(),
		duration_ms: number(),
		output_tail: string(),
		undone: array(string()).optional().describe("On the attempt's last check run: files its checks wrote that a patch would carry, put back as the task left them once that check ended. Checks are no part of the task's work.")
	}),
	object({
		type: literal("retry"),
		attempt: number().int(),
		reason: string()
	}),
	object({
		type: literal("setup_start"),
		commands: array(string()),
		log: string()
	}),
	object({
		type: literal("setup_end"),
		ok: boolean(),
		duration_ms: number(),
		log: string(),
		results: array(string()).optional().describe("What setup made that git ignores, kept for the worktree's later tasks."),
		undone: array(string()).optional().describe("Tracked changes setup made, undone.")
	}),
	object({
		type: literal("setup_reused"),
		log: string()
	}),
	object({
		type: literal("task_end"),
		status: taskStatusSchema,
		stop_reason: stopReasonSchema,
		turns: number().int(),
		denials: number().int(),
		error: string().optional(),
		final_message: string().optional(),
		files_changed: array(string()).optional()
	})
]);
/** A line of events.jsonl: the event, when it was written, and on the first line the schema's URL. */
const eventLineSchema = intersection(lineSchema, agentEventSchema);
intersection(object({ task: string().describe("The id of the task the event is of.") }), eventLineSchema);
// src/report/task-paths.ts
/**
* Why a task's entry in a summary.json may not be followed into the run folder, or undefined when it may.
* The files read for a task (tasks/<id>/..., its patch) are named by summary.json, which anyone can edit:
* an id `../../x` or a patch `../outside.txt` would have a report read, embed or copy a file outside the
* folder's tasks/.
*/
function unsafeTaskPaths(task) {
	if (!TASK_ID_PATTERN.test(task.id)) return `its id ${JSON.stringify(task.id.slice(0, 200))} is not a task id`;
	const segments = task.patch.split(/[\\/]/);
	if (isAbsolute(task.patch) || segments[0] !== "tasks" || segments.some((segment) => segment === "" || segment === "." || segment === "..")) return `its patch ${JSON.stringify(task.patch.slice(0, 200))} is not inside the run folder's tasks/`;
}
// src/report/html/page.ts
/**
* The script of report.html. It runs in the browser: render.ts embeds its source (`runPage.toString()`),
* so it must use nothing from outside its own body (types only). Every text it shows came from a model, a
* tool or a repository: it goes into the page through textContent and DOM properties only, never as
* markup, and links are built from path segments it encodes itself.
*/
function runPage() {
	/** An element with properties (className, title, onclick, dataset via `data-*`) and text or element children. */
	function h(tag, props = {}, ...children) {
		const element = document.createElement(tag);
		for (const [key, value] of Object.entries(props)) {
			if (value === void 0) continue;
			if (key.startsWith("data-")) element.setAttribute(key, String(value));
			else if (typeof value === "function") element.addEventListener(key.slice(2), value);
			else Reflect.set(element, key, value);
		}
		for (const child of children) if (child !== null && child !== void 0 && child !== false) element.append(child);
		return element;
	}
	const SVG = "http://www.w3.org/2000/svg";
	/** An SVG element; attributes are numbers or words made here, never the run's text (that goes in <title> as text). */
	function s(tag, attributes = {}, ...children) {
		const element = document.createElementNS(SVG, tag);
		for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
		for (const child of children) if (child) element.append(child);
		return element;
	}
	/** A link into the run folder: each segment encoded, so no path can become a scheme, a query or markup. */
	function fileLink(path, label) {
		const segments = path.split("/");
		if (path === "" || path.startsWith("/") || segments.some((segment) => segment === ".." || segment === "")) return h("code", {}, path);
		return h("a", {
			href: segments.map(encodeURIComponent).join("/"),
			className: "file"
		}, label ?? path);
	}
	function readJson(id) {
		const element = document.getElementById(id);
		return element?.textContent ? JSON.parse(element.textContent) : void 0;
	}
	const count = (value) => value.toLocaleString("en-US");
	/** As formatDuration (report/format.ts), which this script cannot import: rounded before the unit is chosen. */
	function duration(ms) {
		if (Math.round(ms) < 1e3) return `${Math.round(ms)} ms`;
		const tenths = Math.round(ms / 100);
		if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
		const seconds = Math.round(ms / 1e3);
		return `${Math.floor(seconds / 60)} m ${seconds % 60} s`;
	}
	const plural = (n, noun) => `${count(n)} ${noun}${n === 1 ? "" : "s"}`;
	const money = (usd) => usd === 0 ? "$0" : usd < .01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
	const badge = (status) => h("span", { className: `badge ${status}` }, status.replace("_", " "));
	const app = document.getElementById("app");
	let data;
	try {
		data = readJson("run-data");
	} catch (error) {
		app?.append(h("p", {
			className: "warn-text",
			id: "page-error"
		}, `This page could not read its run data (${error instanceof Error ? error.message : String(error)}). The run's summary is in `, fileLink("report.md"), " and ", fileLink("summary.json"), " beside this page."));
		document.body.dataset.ready = "true";
		return;
	}
	if (!data || !app) return;
	document.title = `nanocoder batch · ${data.run.id}`;
	const run = data.run;
	app.append(h("header", {}, h("h1", {}, "nanocoder batch run ", h("code", {}, run.id)), h("p", { className: "meta" }, `${run.started_at.replace("T", " ").replace(/\.\d+Z$/, " UTC")} · ${run.duration_text} · base `, h("code", { title: run.base }, run.base.slice(0, 12)), ` · policy `, h("code", {}, run.policy), run.shard ? ` · shard ${run.shard.index}/${run.shard.count}` : "", run.merged_from ? ` · merged from ${run.merged_from.length} runs` : "", ` · ${data.generator}`)));
	if (data.warnings.length > 0) app.append(h("ul", {
		className: "warnings",
		id: "warnings"
	}, ...data.warnings.map((warning) => h("li", {}, warning))));
	const totals = data.totals;
	const stat = (key, label, value, extra = "") => h("div", {
		className: `stat ${extra}`,
		"data-key": key
	}, h("span", { className: "value" }, value), h("span", { className: "label" }, label));
	const tokens = `${totals.tokens.estimated ? "~" : ""}${count(totals.tokens.input)} / ${count(totals.tokens.output)}`;
	app.append(h("section", {
		className: "stats",
		id: "stats"
	}, stat("tasks", "tasks", count(totals.tasks)), ...[
		"succeeded",
		"failed",
		"limit_exceeded",
		"error",
		"interrupted"
	].map((status) => stat(status, status.replace("_", " "), count(totals[status]), totals[status] > 0 ? status : "zero")), stat("cost", "cost", totals.cost_text), stat("tokens", `tokens in / out (${count(totals.tokens.cached)} cached)`, tokens), stat("duration", "wall time", run.duration_text), stat("turns", "turns", count(totals.turns)), stat("denials", "denied calls", count(totals.denials), totals.denials > 0 ? "failed" : "zero")));
	const reasons = Object.entries(totals.stop_reasons).filter(([, n]) => n > 0);
	app.append(h("p", {
		className: "reasons",
		id: "stop-reasons"
	}, "Stop reasons: ", ...reasons.map(([reason, n]) => h("span", {
		className: "chip",
		"data-reason": reason
	}, `${reason} ${n}`))));
	const tasks = data.tasks;
	const WIDTH = 520;
	const HEIGHT = 150;
	/** Bars past which a chart shows the largest tasks only: where the money and the time went. */
	const MOST_BARS = 120;
	/** One bar per task in run order (the largest first, in a large run), coloured by status; a click opens the task. */
	function perTask(title, value, label) {
		const largest = tasks.length > MOST_BARS;
		const shownTasks = largest ? [...tasks].sort((a, b) => value(b) - value(a)).slice(0, MOST_BARS) : tasks;
		const max = Math.max(...shownTasks.map(value), 0);
		const step = Math.min(WIDTH / Math.max(shownTasks.length, 1), 36);
		const bars = shownTasks.map((task, i) => {
			const height = max > 0 ? value(task) / max * 146 : 0;
			const bar = s("rect", {
				x: (i * step).toFixed(2),
				y: (HEIGHT - height).toFixed(2),
				width: Math.max(step - (step > 3 ? 1 : 0), .5).toFixed(2),
				height: Math.max(height, .5).toFixed(2),
				class: `bar ${task.status}`
			}, s("title", {}, `${task.id}: ${label(task)}`));
			bar.addEventListener("click", () => showTask(task.index));
			return bar;
		});
		const empty = max === 0 ? s("text", {
			x: WIDTH / 2,
			y: HEIGHT / 2,
			class: "axis",
			"text-anchor": "middle"
		}, `every task: ${tasks[0] ? label(tasks[0]) : "none"}`) : null;
		return chart(title, `${largest ? `the ${MOST_BARS} largest of ${count(tasks.length)}, ` : ""}max ${shownTasks[0] ? label(shownTasks.reduce((a, b) => value(b) > value(a) ? b : a)) : "—"}`, s("svg", {
			viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
			class: "chart",
			role: "img"
		}, ...bars, empty));
	}
	function chart(title, note, svg) {
		return h("figure", { className: "chart-box" }, h("figcaption", {}, h("strong", {}, title), h("span", { className: "note" }, note)), svg);
	}
	/** Input (cached apart) and output tokens of each model, as stacked horizontal bars. */
	function tokensByModel() {
		const models = data.models;
		const max = Math.max(...models.map((model) => model.input_tokens + model.output_tokens), 1);
		const row = 22;
		const labelWidth = 180;
		const height = Math.max(models.length * row, row);
		const scale = (n) => n / max * 332;
		const rows = models.map((model, i) => {
			const y = i * row + 3;
			const cached = scale(model.cached_input_tokens);
			const fresh = scale(model.input_tokens - model.cached_input_tokens);
			const output = scale(model.output_tokens);
			const name = `${model.provider}/${model.model}`;
			return s("g", {}, s("text", {
				x: 0,
				y: y + 13,
				class: "axis"
			}, name.length > 28 ? `${name.slice(0, 27)}…` : name), s("rect", {
				x: labelWidth,
				y,
				width: cached.toFixed(2),
				height: 16,
				class: "tok cached"
			}, s("title", {}, `${name}: ${count(model.cached_input_tokens)} cached input tokens`)), s("rect", {
				x: (labelWidth + cached).toFixed(2),
				y,
				width: fresh.toFixed(2),
				height: 16,
				class: "tok input"
			}, s("title", {}, `${name}: ${count(model.input_tokens - model.cached_input_tokens)} uncached input tokens`)), s("rect", {
				x: (labelWidth + cached + fresh).toFixed(2),
				y,
				width: output.toFixed(2),
				height: 16,
				class: "tok output"
			}, s("title", {}, `${name}: ${count(model.output_tokens)} output tokens, ${model.cost_usd === null ? "cost unknown" : money(model.cost_usd)}`)));
		});
		return chart("Tokens by model", "cached · input · output", s("svg", {
			viewBox: `0 0 ${WIDTH} ${height}`,
			class: "chart",
			role: "img"
		}, ...rows));
	}
	/** How many tasks took each number of turns, in up to 20 bins. */
	function turnSpread() {
		const most = Math.max(...tasks.map((task) => task.turns), 0);
		const binSize = Math.max(1, Math.ceil((most + 1) / 20));
		const bins = Array.from({ length: Math.floor(most / binSize) + 1 }, () => 0);
		for (const task of tasks) bins[Math.floor(task.turns / binSize)] += 1;
		const tallest = Math.max(...bins, 1);
		const step = Math.min(WIDTH / bins.length, 60);
		const bars = bins.map((n, i) => {
			const height = n / tallest * 130;
			const range = binSize === 1 ? plural(i, "turn") : `${i * binSize}–${i * binSize + binSize - 1} turns`;
			return s("g", {}, s("rect", {
				x: (i * step + 1).toFixed(2),
				y: (134 - height).toFixed(2),
				width: Math.max(step - 2, 1).toFixed(2),
				height: Math.max(height, n > 0 ? 1 : 0).toFixed(2),
				class: "bar spread"
			}, s("title", {}, `${range}: ${n} task${n === 1 ? "" : "s"}`)), bins.length <= 20 ? s("text", {
				x: (i * step + step / 2).toFixed(2),
				y: 147,
				class: "axis",
				"text-anchor": "middle"
			}, String(i * binSize)) : null);
		});
		return chart("Turns per task", `${count(tasks.length)} tasks, most ${most}`, s("svg", {
			viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
			class: "chart",
			role: "img"
		}, ...bars));
	}
	app.append(h("section", {
		className: "charts",
		id: "charts"
	}, perTask("Cost per task", (task) => task.cost_usd ?? 0, (task) => task.cost_text), perTask("Duration per task", (task) => task.duration_ms, (task) => task.duration_text), tokensByModel(), turnSpread()));
	const columns = [
		{
			key: "id",
			label: "task",
			sort: (task) => task.id,
			cell: (task) => h("span", {}, h("span", { className: "task-id" }, task.id), task.title ? h("span", { className: "title" }, task.title) : null)
		},
		{
			key: "status",
			label: "status",
			sort: (task) => task.status,
			cell: (task) => badge(task.status)
		},
		{
			key: "stop_reason",
			label: "stop reason",
			sort: (task) => task.stop_reason,
			cell: (task) => h("span", { title: task.reason ?? "" }, task.stop_reason)
		},
		{
			key: "turns",
			label: "turns",
			sort: (task) => task.turns,
			cell: (task) => String(task.turns),
			numeric: true
		},
		{
			key: "tokens",
			label: "tokens in/out",
			sort: (task) => task.input_tokens + task.output_tokens,
			cell: (task) => `${count(task.input_tokens)} / ${count(task.output_tokens)}`,
			numeric: true
		},
		{
			key: "cost",
			label: "cost",
			sort: (task) => task.cost_usd ?? -1,
			cell: (task) => task.cost_text,
			numeric: true
		},
		{
			key: "duration",
			label: "time",
			sort: (task) => task.duration_ms,
			cell: (task) => task.duration_text,
			numeric: true
		},
		{
			key: "files",
			label: "files",
			sort: (task) => task.files,
			cell: (task) => String(task.files),
			numeric: true
		},
		{
			key: "denials",
			label: "denied",
			sort: (task) => task.denials,
			cell: (task) => task.denials > 0 ? h("span", { className: "denied-count" }, String(task.denials)) : "0",
			numeric: true
		}
	];
	/** Rows drawn at once: a table of 1,000 rows takes a second to lay out; the rest come with "show more". */
	const PAGE_ROWS = 200;
	const rows = /* @__PURE__ */ new Map();
	/** A task's row, made the first time it is shown. */
	function rowOf(task) {
		let row = rows.get(task.index);
		if (!row) {
			row = h("tr", {
				className: `task-row ${task.status}`,
				"data-index": task.index,
				"data-id": task.id,
				tabIndex: 0,
				onclick: () => showTask(task.index),
				onkeydown: (event) => {
					if (event.key === "Enter") showTask(task.index);
				}
			}, ...columns.map((column) => h("td", { className: column.numeric ? "num" : "" }, column.cell(task))));
			if (task.index === openIndex) row.classList.add("open");
			rows.set(task.index, row);
		}
		return row;
	}
	const tbody = h("tbody", {});
	const statuses = [...new Set(tasks.map((task) => task.status))];
	const stopReasons = [...new Set(tasks.map((task) => task.stop_reason))];
	const statusFilter = h("select", {
		id: "filter-status",
		onchange: () => draw()
	}, h("option", { value: "" }, "every status"), ...statuses.map((status) => h("option", { value: `status:${status}` }, status)), ...stopReasons.map((reason) => h("option", { value: `reason:${reason}` }, `stop reason: ${reason}`)));
	const textFilter = h("input", {
		id: "filter-text",
		type: "search",
		placeholder: "id, title, model, reason…",
		oninput: () => draw()
	});
	const costFilter = h("input", {
		id: "filter-cost",
		type: "number",
		min: "0",
		step: "0.0001",
		placeholder: "min $",
		oninput: () => draw()
	});
	const timeFilter = h("input", {
		id: "filter-duration",
		type: "number",
		min: "0",
		step: "0.1",
		placeholder: "min s",
		oninput: () => draw()
	});
	const shown = h("span", {
		id: "shown",
		className: "note"
	});
	const more = h("button", {
		type: "button",
		id: "show-more",
		onclick: () => draw(limit + PAGE_ROWS)
	});
	let sortKey = "";
	let sortDescending = false;
	let limit = PAGE_ROWS;
	const headers = columns.map((column) => h("th", { className: column.numeric ? "num" : "" }, h("button", {
		type: "button",
		"data-sort": column.key,
		onclick: () => sortBy(column.key)
	}, column.label)));
	function sortBy(key) {
		sortDescending = sortKey === key ? !sortDescending : columns.find((column) => column.key === key)?.numeric === true;
		sortKey = key;
		for (const header of headers) header.removeAttribute("aria-sort");
		const column = columns.find((candidate) => candidate.key === key);
		if (column) headers[columns.indexOf(column)]?.setAttribute("aria-sort", sortDescending ? "descending" : "ascending");
		draw();
	}
	/** The tasks the filters keep, in the chosen order. */
	function selected() {
		const [kind, value] = statusFilter.value.split(":");
		const words = textFilter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
		const minCost = Number.parseFloat(costFilter.value);
		const minSeconds = Number.parseFloat(timeFilter.value);
		const kept = tasks.filter((task) => {
			const haystack = `${task.id} ${task.title ?? ""} ${task.model} ${task.provider} ${task.status} ${task.stop_reason} ${task.reason ?? ""}`.toLowerCase();
			return (!kind || (kind === "status" ? task.status === value : task.stop_reason === value)) && words.every((word) => haystack.includes(word)) && (Number.isNaN(minCost) || (task.cost_usd ?? 0) >= minCost) && (Number.isNaN(minSeconds) || task.duration_ms >= minSeconds * 1e3);
		});
		const column = columns.find((candidate) => candidate.key === sortKey);
		if (!column) return kept;
		return kept.sort((a, b) => {
			const x = column.sort(a);
			const y = column.sort(b);
			const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
			return (sortDescending ? -order : order) || a.index - b.index;
		});
	}
	/** Draws the first `rows` of the selected tasks. */
	function draw(rowCount = PAGE_ROWS) {
		limit = rowCount;
		const chosen = selected();
		tbody.replaceChildren(...chosen.slice(0, limit).map(rowOf));
		const left = chosen.length - Math.min(limit, chosen.length);
		shown.textContent = `${count(chosen.length)} of ${count(tasks.length)} tasks${left > 0 ? `, the first ${count(limit)} shown` : ""}`;
		more.hidden = left === 0;
		more.textContent = `show ${count(Math.min(left, PAGE_ROWS))} more`;
	}
	app.append(h("section", { id: "tasks" }, h("h2", {}, "Tasks"), h("div", { className: "filters" }, statusFilter, textFilter, costFilter, timeFilter, shown), h("table", { className: "tasks" }, h("thead", {}, h("tr", {}, ...headers)), tbody), more));
	if (data.missing_tasks.length > 0) app.append(h("p", { className: "warn-text" }, `Missing from every run folder: ${data.missing_tasks.join(", ")}`));
	const panel = h("aside", {
		id: "task-panel",
		hidden: true
	});
	document.body.append(panel);
	let openIndex;
	/** Opens a task through the address, so the browser's back button closes it and a link can name it. */
	function showTask(index) {
		if (location.hash === `#task-${index}`) openTask(index);
		else location.hash = `#task-${index}`;
	}
	function closeTask() {
		if (openIndex !== void 0) rows.get(openIndex)?.classList.remove("open");
		openIndex = void 0;
		panel.hidden = true;
		panel.replaceChildren();
		if (location.hash.startsWith("#task-")) history.replaceState(null, "", location.pathname + location.search);
	}
	/**
	* A task's detail: gzip-compressed JSON in base64 (render.ts), unpacked by the browser itself when the
	* task is opened. Undefined for a task without one; an Error when this browser cannot unpack it.
	*/
	async function readTask(index) {
		const packed = document.getElementById(`task-${index}`)?.textContent?.trim();
		if (!packed) return void 0;
		try {
			const bytes = Uint8Array.from(atob(packed), (character) => character.charCodeAt(0));
			const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
			return JSON.parse(await new Response(stream).text());
		} catch (error) {
			return error instanceof Error ? error : new Error(String(error));
		}
	}
	/** Counts the openings, so that a task opened while another was unpacking wins. */
	let openings = 0;
	async function openTask(index) {
		const task = tasks[index];
		if (!task) return;
		const opening = ++openings;
		const detail = await readTask(index);
		if (opening !== openings) return;
		if (openIndex !== void 0) rows.get(openIndex)?.classList.remove("open");
		openIndex = index;
		rows.get(index)?.classList.add("open");
		panel.dataset.index = String(index);
		const body = detail instanceof Error ? h("p", { className: "warn-text" }, `This browser could not unpack the task's data (${detail.message}); its files are `, fileLink(`tasks/${task.id}/events.jsonl`, "events.jsonl"), " and ", fileLink(`tasks/${task.id}/patch.diff`, "patch.diff"), ".") : detail ? renderDetail(task, detail) : h("p", {}, "No detail recorded for this task.");
		panel.replaceChildren(h("div", { className: "panel-head" }, h("h2", {}, h("code", {}, task.id)), h("button", {
			type: "button",
			className: "close",
			title: "Close (Esc)",
			onclick: () => closeTask()
		}, "×")), task.title ? h("p", { className: "title" }, task.title) : "", body);
		panel.hidden = false;
		panel.scrollTop = 0;
	}
	document.addEventListener("keydown", (event) => {
		if (event.key === "Escape" && openIndex !== void 0) closeTask();
	});
	draw();
	function section(title, ...children) {
		return h("section", { className: "part" }, h("h3", {}, title), ...children);
	}
	function renderDetail(task, detail) {
		const parts = [h("p", { className: "task-head" }, badge(task.status), " ", h("strong", {}, task.stop_reason), task.reason ? ` — ${task.reason}` : "", h("br", {}), `${task.provider}/${task.model} · ${plural(task.turns, "turn")} · ${plural(task.requests, "request")} · ${plural(task.attempts, "attempt")} · ${task.cost_text} · ${task.duration_text} · `, fileLink(detail.links.events, "events.jsonl"), " · ", fileLink(detail.links.patch, "patch.diff"), " · ", fileLink(detail.links.result, "result.json")), section("Prompt", h("pre", { className: "text prompt" }, detail.prompt))];
		if (detail.final_message !== void 0) parts.push(section("Final message", h("pre", { className: "text final" }, detail.final_message)));
		if (detail.error !== void 0) parts.push(section("Error", h("pre", { className: "text error" }, detail.error)));
		if (detail.checks.length > 0) parts.push(section("Checks", ...detail.checks.map((check) => h("div", { className: `check ${check.passed ? "passed" : "failed"}` }, h("p", {}, h("strong", {}, check.name), check.attempt ? ` (attempt ${check.attempt})` : "", ` ${check.passed ? "passed" : check.timed_out ? "timed out" : `failed, exit ${check.exit_code ?? "—"}`} in ${duration(check.duration_ms)} · `, fileLink(check.log, "log")), check.output_tail ? h("pre", { className: "tail" }, check.output_tail) : null))));
		if (detail.denied_calls.length > 0 || detail.violations.length > 0) parts.push(section("Refused by the policy", h("ul", { className: "denials" }, ...detail.denied_calls.map((call) => h("li", {}, h("code", {}, call.subject), ` — ${call.tool}, rule `, h("code", {}, call.rule), `: ${call.reason}`)), ...detail.violations.map((violation) => h("li", {}, h("code", {}, `write ${violation.path}`), ` by ${violation.by} — rule `, h("code", {}, violation.rule), `: ${violation.reason} (undone)`)))));
		const patchFiles = detail.diff.length + detail.diff_files_cut;
		parts.push(section(`Patch (${count(patchFiles)} file${patchFiles === 1 ? "" : "s"})`, detail.patch_missing ? h("p", { className: "warn-text patch-missing" }, "The patch file ", fileLink(detail.links.patch), ` is missing from the run folder; the task's result names ${plural(task.files, "changed file")}.`) : detail.diff.length === 0 ? h("p", { className: "note" }, "No changes.") : null, ...detail.diff.map(renderFile), detail.diff_files_cut > 0 ? h("p", { className: "note diff-files-cut" }, `… ${count(detail.diff_files_cut)} more file${detail.diff_files_cut === 1 ? "" : "s"} in `, fileLink(detail.links.patch, "patch.diff")) : null));
		parts.push(section("Timeline", h("ol", { className: "timeline" }, ...detail.steps.map(renderStep))));
		parts.push(section("Requests", renderRequests(detail)));
		if (detail.cut.length > 0) parts.push(h("p", { className: "note" }, `Shortened to keep this page small: ${detail.cut.join(", ")}. The whole of it is in `, fileLink(detail.links.events, "events.jsonl"), " and ", fileLink(detail.links.patch, "patch.diff"), "."));
		return h("div", { className: "detail" }, ...parts);
	}
	function renderFile(file) {
		const body = h("pre", { className: "diff" });
		const details = h("details", { className: "diff-file" }, h("summary", {}, h("code", {}, file.path), " ", h("span", { className: "add" }, `+${file.added}`), " ", h("span", { className: "del" }, `−${file.removed}`), file.binary ? " binary" : ""), body);
		details.addEventListener("toggle", () => {
			if (!details.open || body.childElementCount > 0) return;
			let inHunk = false;
			for (const line of file.text.split("\n")) {
				if (line.startsWith("@@")) inHunk = true;
				const kind = line.startsWith("@@") ? "hunk" : !inHunk ? "head" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
				body.append(h("span", { className: `line ${kind}` }, `${line}\n`));
			}
			if (file.cut > 0) body.append(h("span", { className: "line cut" }, `… ${count(file.cut)} more characters in patch.diff`));
		});
		return details;
	}
	function renderStep(step) {
		switch (step.kind) {
			case "model": return h("li", { className: "step model" }, h("span", { className: "who" }, `turn ${step.turn}${step.purpose ? ` (${step.purpose})` : ""} · model`), h("pre", { className: "text" }, step.text));
			case "tool": {
				const denied = step.decisions.some((decision) => decision.decision === "deny") || step.result?.status === "denied";
				const first = step.decisions[0];
				const summary = h("summary", {}, h("span", { className: "who" }, `turn ${step.turn} · `), h("code", { className: "tool" }, step.name), " ", h("code", { className: "args" }, first?.subject ?? step.arguments.slice(0, 160)), " ", ...step.decisions.map((decision) => h("span", {
					className: `decision ${decision.decision}`,
					title: decision.reason
				}, `${decision.effect ? "after run: " : ""}${decision.decision} · ${decision.rule}`)), step.result ? h("span", { className: `result-status ${step.result.status}` }, ` ${step.result.status} · ${duration(step.result.duration_ms)}`) : null);
				return h("li", { className: `step tool${denied ? " denied" : ""}` }, h("details", { className: "call" }, summary, h("div", { className: "call-body" }, h("p", { className: "label" }, "arguments"), h("pre", { className: "args" }, step.arguments), ...step.decisions.map((decision) => h("p", { className: `decision-line ${decision.decision}` }, `${decision.effect ? "after the command ran, " : ""}${decision.decision}: ${decision.subject} — rule `, h("code", {}, decision.rule), decision.pattern ? h("span", {}, " (", h("code", {}, decision.pattern), decision.rule_source ? `, ${decision.rule_source}` : "", ")") : null, `: ${decision.reason}`)), step.result ? h("details", { className: "result" }, h("summary", {}, `result (${step.result.status}, ${count(step.result.output.length)} characters)`), h("pre", { className: "output" }, step.result.output)) : h("p", { className: "note" }, "no result"))));
			}
			case "check": return h("li", { className: `step check ${step.exit_code === 0 ? "passed" : "failed"}` }, h("span", { className: "who" }, `check ${step.name} · attempt ${step.attempt}`), " ", h("code", {}, step.command), ` ${step.exit_code === 0 ? "passed" : step.timed_out ? "timed out" : `exit ${step.exit_code ?? "—"}`} in ${duration(step.duration_ms)}`, step.exit_code === 0 ? null : h("pre", { className: "tail" }, step.output));
			case "note": return h("li", { className: `step note${step.warn ? " warn" : ""}` }, step.text);
			case "gap": return h("li", { className: "step gap" }, `… ${count(step.count)} steps not shown here; see events.jsonl`);
		}
	}
	function renderRequests(detail) {
		const header = [
			"turn",
			"input",
			"cached",
			"output",
			"cost",
			"time"
		].map((label, i) => h("th", { className: i > 0 ? "num" : "" }, label));
		const lines = detail.requests.map((request) => h("tr", {}, h("td", {}, `${request.turn}${request.purpose ? ` (${request.purpose})` : ""}`), h("td", { className: "num" }, `${request.estimated ? "~" : ""}${count(request.input)}`), h("td", { className: "num" }, count(request.cached)), h("td", { className: "num" }, `${request.estimated ? "~" : ""}${count(request.output)}`), h("td", { className: "num" }, request.cost_usd === void 0 ? "—" : money(request.cost_usd)), h("td", { className: "num" }, duration(request.duration_ms))));
		return h("div", {}, h("table", { className: "requests" }, h("thead", {}, h("tr", {}, ...header)), h("tbody", {}, ...lines)), h("p", { className: "note" }, `${detail.requests_cut > 0 ? `${count(detail.requests_cut)} requests in the middle not shown. ` : ""}A request's cost shows when the server reported it; the task's ${tasks.find((task) => task.id === detail.id)?.cost_text ?? ""} is priced from the config and the price table.`));
	}
	function openFromHash() {
		const match = /^#task-(\d+)$/.exec(location.hash);
		if (match) openTask(Number(match[1]));
		else if (openIndex !== void 0) closeTask();
	}
	window.addEventListener("hashchange", openFromHash);
	openFromHash();
	document.body.dataset.ready = "true";
}
// src/report/html/style.ts
/** The stylesheet of report.html: inline, allowed by its hash in the page's Content-Security-Policy. */
const PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --limit: #9a6700; --err: #8250df; --int: #59636e; --add-bg: #dafbe1; --del-bg: #ffebe9; --hunk: #0969da; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
  --ok: #3fb950; --bad: #f85149; --limit: #d29922; --err: #a371f7; --int: #9198a1; --add-bg: #12261e; --del-bg: #25171c; --hunk: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
#app { max-width: 1200px; margin: 0 auto; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 16px 0 6px; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; tab-size: 4; }
pre { margin: 0; padding: 8px 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 480px; overflow: auto; }
a { color: var(--hunk); }
.meta, .note { color: var(--muted); } .note { font-size: 12.5px; margin-left: 8px; }
.warnings { margin: 12px 0; padding: 10px 14px 10px 32px; border: 1px solid var(--limit); border-radius: 6px; background: color-mix(in srgb, var(--limit) 12%, transparent); }
.warn-text { color: var(--bad); }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 8px; margin: 16px 0 8px; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; display: flex; flex-direction: column; }
.stat .value { font-size: 18px; font-weight: 600; } .stat .label { color: var(--muted); font-size: 12px; }
.stat.succeeded .value { color: var(--ok); } .stat.failed .value { color: var(--bad); } .stat.limit_exceeded .value { color: var(--limit); }
.stat.error .value { color: var(--err); } .stat.zero .value { color: var(--muted); }
.chip { display: inline-block; margin: 0 6px 4px 0; padding: 1px 8px; border: 1px solid var(--line); border-radius: 10px; font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 12px; align-items: start; }
.chart-box { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.chart-box figcaption { margin-bottom: 6px; } svg.chart { width: 100%; height: auto; display: block; }
svg .bar { fill: var(--muted); cursor: pointer; } svg .bar:hover { opacity: 0.7; }
svg .bar.succeeded { fill: var(--ok); } svg .bar.failed { fill: var(--bad); } svg .bar.limit_exceeded { fill: var(--limit); }
svg .bar.error { fill: var(--err); } svg .bar.spread { fill: var(--hunk); cursor: default; }
svg .axis { fill: var(--muted); font-size: 11px; } svg .tok.cached { fill: color-mix(in srgb, var(--hunk) 45%, transparent); }
svg .tok.input { fill: var(--hunk); } svg .tok.output { fill: var(--ok); }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.filters input, .filters select { font: inherit; padding: 4px 6px; background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 6px; }
.filters input[type=search] { min-width: 240px; } .filters input[type=number] { width: 90px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th button { font: inherit; font-weight: 600; background: none; border: 0; color: var(--fg); cursor: pointer; padding: 0; }
th[aria-sort=ascending] button::after { content: " ▲"; } th[aria-sort=descending] button::after { content: " ▼"; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.task-row { cursor: pointer; } tr.task-row:hover, tr.task-row.open { background: var(--panel); }
.task-id { font-family: ui-monospace, monospace; } .title { display: block; color: var(--muted); font-size: 12.5px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; color: #fff; background: var(--int); white-space: nowrap; }
.badge.succeeded { background: var(--ok); } .badge.failed { background: var(--bad); } .badge.limit_exceeded { background: var(--limit); } .badge.error { background: var(--err); }
.denied-count { color: var(--bad); font-weight: 600; }
#task-panel { position: fixed; top: 0; right: 0; bottom: 0; width: min(960px, 72vw); overflow: auto; contain: strict;
  background: var(--bg); border-left: 3px solid var(--hunk); box-shadow: -8px 0 24px rgb(0 0 0 / 18%); padding: 12px 20px 40px; }
#task-panel[hidden] { display: none; } .panel-head { display: flex; justify-content: space-between; align-items: center; }
.panel-head h2 { margin: 0; } .close { font: 22px/1 system-ui, sans-serif; background: none; border: 0; color: var(--muted); cursor: pointer; padding: 0 6px; }
table.tasks { table-layout: fixed; } table.tasks td { overflow-wrap: anywhere; } table.tasks td.num { white-space: nowrap; }
table.tasks th:nth-child(1) { width: 27%; } table.tasks th:nth-child(2) { width: 11%; } table.tasks th:nth-child(3) { width: 13%; }
table.tasks th:nth-child(4) { width: 6%; } table.tasks th:nth-child(5) { width: 13%; } table.tasks th:nth-child(6) { width: 9%; }
table.tasks th:nth-child(7) { width: 8%; } table.tasks th:nth-child(8) { width: 6%; } table.tasks th:nth-child(9) { width: 7%; }
.part { margin-top: 6px; } .task-head { margin: 10px 0; }
.check { margin-bottom: 8px; } .check.failed > p strong { color: var(--bad); } .check p { margin: 4px 0; }
.denials li { margin-bottom: 4px; } .denials { color: var(--bad); }
details > summary { cursor: pointer; }
.diff-file { margin-bottom: 4px; } .diff-file > summary { padding: 3px 0; }
pre.diff { padding: 0; } .diff .line { display: block; padding: 0 10px; } .diff .add { background: var(--add-bg); }
.diff .del { background: var(--del-bg); } .diff .hunk { color: var(--hunk); } .diff .head { color: var(--muted); font-weight: 600; } .diff .cut { color: var(--muted); font-style: italic; }
span.add { color: var(--ok); } span.del { color: var(--bad); }
.timeline { list-style: none; padding: 0; margin: 0; }
.step { border-left: 3px solid var(--line); padding: 4px 0 4px 10px; margin-bottom: 6px; }
.step.model { border-color: var(--hunk); } .step.tool { border-color: var(--ok); } .step.check.failed, .step.note.warn { border-color: var(--limit); }
.step.denied { border-color: var(--bad); background: color-mix(in srgb, var(--bad) 8%, transparent); }
.step.gap { color: var(--muted); font-style: italic; } .who { color: var(--muted); font-size: 12px; margin-right: 4px; }
.step .args { color: var(--fg); } .call-body { margin: 6px 0 0 14px; } .call-body .label { margin: 4px 0 2px; color: var(--muted); font-size: 12px; }
.decision { font-size: 12px; padding: 0 6px; border-radius: 10px; border: 1px solid var(--ok); color: var(--ok); margin-left: 4px; white-space: nowrap; }
.decision.deny { border-color: var(--bad); color: #fff; background: var(--bad); }
.decision-line.deny { color: var(--bad); } .result-status { font-size: 12px; color: var(--muted); } .result-status.error, .result-status.denied { color: var(--bad); }
.result { margin-top: 6px; } table.requests { width: auto; } table.requests td, table.requests th { padding: 2px 10px; }
`;
// src/report/html/render.ts
/** The page's script: the source of runPage, called once the data it reads is in the document. */
const PAGE_SCRIPT = `(${runPage.toString()})();`;
/**
* JSON that is inert inside a `<script type="application/json">` element: every `<` (so no `<\/script>` or
* `<!--` can end or change the element), `>` and `&` as \u escapes, and the two line separators JavaScript
* once refused in strings. JSON.parse reads it back unchanged.
*/
function embedJson(value, redact = (text) => text) {
	return stringifyRedacted(value, redact).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
const hashOf = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
/**
* The Content-Security-Policy of the page. Nothing may load (`default-src 'none'`: no images, fonts,
* frames, requests, forms), and only the page's own script and stylesheet run, named by their hashes: an
* inline script or style attribute that got into the document some other way would not run, which
* 'unsafe-inline' would allow. Data sits in JSON elements, which are never run.
*/
function contentSecurityPolicy(script, style) {
	return [
		"default-src 'none'",
		`script-src ${hashOf(script)}`,
		`style-src ${hashOf(style)}`,
		"img-src 'none'",
		"connect-src 'none'",
		"base-uri 'none'",
		"form-action 'none'"
	].join("; ");
}
/**
* A task's detail as the page holds it: its JSON, secrets hidden, gzip-compressed and in base64, which the
* page unpacks when the task is opened (a run's logs shrink several times over). Base64 has no `<`: nothing
* in it can end its element.
*/
function packDetail(detail, redact) {
	return gzipSync(Buffer.from(stringifyRedacted(detail, redact), "utf8")).toString("base64");
}
/** report.html: the stylesheet, the run's data, each task's detail in an element of its own, and the script. */
function renderHtmlPage(data, details, redact) {
	if (PAGE_SCRIPT.includes("<\/script")) throw new Error("the page script must not hold <\/script");
	const parts = [
		"<!doctype html>",
		"<html lang=\"en\">",
		"<head>",
		"<meta charset=\"utf-8\">",
		`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(PAGE_SCRIPT, PAGE_STYLE)}">`,
		"<meta name=\"referrer\" content=\"no-referrer\">",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
		`<title>nanocoder batch · ${escapeHtml(redact(data.run.id))}</title>`,
		`<style>${PAGE_STYLE}</style>`,
		"</head>",
		"<body>",
		"<noscript>This page needs JavaScript to show the run; report.md in the same folder has its summary.</noscript>",
		"<main id=\"app\"></main>",
		`<script type="application/json" id="run-data">${embedJson(data, redact)}<\/script>`
	];
	details.forEach((detail, index) => {
		if (detail) parts.push(`<script type="application/gzip" id="task-${index}">${packDetail(detail, redact)}<\/script>`);
	});
	parts.push(`<script>${PAGE_SCRIPT}<\/script>`, "</body>", "</html>", "");
	return parts.join("\n");
}
// src/report/html/write.ts
/**
* Writes report.html from the run folder as it is: the summary, and each task's events.jsonl and patch.diff
* (a task whose files are gone, such as one a merge did not find, shows its row without a detail).
*/
async function writeHtmlReport(outDir, summary, redact, notes = []) {
	const unsafe = summary.tasks.map(unsafeTaskPaths);
	const refused = summary.tasks.flatMap((task, index) => unsafe[index] ? [`Task ${index + 1} of summary.json is shown without its detail: ${unsafe[index]}.`] : []);
	const data = buildPageData(summary, buildCostReport(summary), `${name} ${version}`, [...notes, ...refused]);
	const details = [];
	const budget = detailBudget(summary.tasks.length);
	for (const [index, task] of summary.tasks.entries()) {
		if (unsafe[index]) {
			details.push(void 0);
			continue;
		}
		const taskDir = join(outDir, "tasks", task.id);
		const events = await readFile(join(taskDir, "events.jsonl"), "utf8").catch(() => void 0);
		const patch = await readFile(join(outDir, task.patch), "utf8").catch(() => void 0);
		details.push(events === void 0 && !patch ? void 0 : buildTaskDetail(task, parseEvents(events ?? ""), patch, budget));
	}
	const path = join(outDir, HTML_REPORT);
	await writeFileAtomic(path, renderHtmlPage(data, details, redact));
	return path;
}
/** The events of an events.jsonl; a line that is not one (cut short by a crash) is left out. */
function parseEvents(text) {
	const events = [];
	for (const { json } of jsonLines(text)) {
		const parsed = agentEventSchema.safeParse(json);
		if (parsed.success) events.push(parsed.data);
	}
	return events;
}
// src/report/failed-check.ts
/** The check that failed the task's last attempt, when its checks failed. */
function failedCheckOf(task) {
	return task.stop_reason === "checks_failed" ? task.checks.find((check) => !check.passed) : void 0;
}
/** outputTail's first line when it left earlier lines out (run/checks.ts). */
const CUT_NOTE = /^\[output cut: the last \d+ of (\d+) lines\]\n/;
/** The last `max` lines of a failed check's output, as result.json keeps them, and how many the output had. */
function tailOf(check, max = Number.POSITIVE_INFINITY) {
	const saved = check.output_tail ?? "";
	const cut = CUT_NOTE.exec(saved);
	const text = saved.replace(CUT_NOTE, "");
	const all = text === "" ? [] : text.split("\n");
	return {
		lines: all.slice(-max),
		total: cut ? Number(cut[1]) : all.length
	};
}
/** The tail as lines to print, "…" first when lines are left out, "(no output)" for none. */
function tailLines(check, max) {
	const { lines, total } = tailOf(check, max);
	if (total === 0) return ["(no output)"];
	return lines.length < total ? ["…", ...lines] : lines;
}
/** "Its output (3 lines), from <log>:" or "The last 20 of 143 lines, from <log>:"; `log` as the caller shows the path. */
function tailHeading(check, log = check.log) {
	const { lines, total } = tailOf(check);
	if (total === 0) return `No output, in ${log}.`;
	return `${lines.length < total ? `The last ${lines.length} of ${total} lines` : `Its output (${total} line${total === 1 ? "" : "s"})`}, from ${log}:`;
}
/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenceFor(text) {
	return "`".repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((run) => run.length + 1)));
}
// src/report/junit.ts
/**
* junit.xml: one test case per task. `failed` and `limit_exceeded` are failures, `error` is an error; the
* type is the stop reason, the message the one-line reason, the body the failed check's last lines. The
* cases that did not succeed come first (then the missing ones), so a reader of a run of thousands of tasks
* meets them at the top; each body is bounded by the check's last 20 lines.
*/
function renderJunit(summary, missing = []) {
	const failures = summary.tasks.filter(isFailure).length;
	const errors = summary.tasks.filter((task) => task.status !== "succeeded" && !isFailure(task)).length + missing.length;
	const counts = `tests="${summary.tasks.length + missing.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(summary.duration_ms)}"`;
	return [
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
		`<testsuites name="nanocoder batch" ${counts}>`,
		`  <testsuite name="${attribute(`nanocoder batch ${summary.run_id}`)}" ${counts} timestamp="${attribute(summary.started_at)}">`,
		...summary.tasks.filter((task) => task.status !== "succeeded").map(renderCase),
		...missing.map((id) => `    <testcase classname="nanocoder" name="${attribute(id)}" time="0">\n      <error message="not run by any shard" type="missing">${text(`${id} was planned but no run folder holds its result.`)}</error>\n    </testcase>`),
		...summary.tasks.filter((task) => task.status === "succeeded").map(renderCase),
		"  </testsuite>",
		"</testsuites>",
		""
	].join("\n");
}
function renderCase(task) {
	const open = `    <testcase classname="nanocoder" name="${attribute(task.id)}" time="${seconds(task.duration_ms)}">`;
	if (task.status === "succeeded") {
		if (task.files_changed.length > 0) return `${open}</testcase>`;
		return `${open}\n      <system-out>${text(`no changes${task.expect ? ` (expect: ${task.expect})` : ""}`)}</system-out>\n    </testcase>`;
	}
	const element = isFailure(task) ? "failure" : "error";
	const reason = reasonOf(task);
	const check = failedCheckOf(task);
	const details = [
		`${task.id}: ${task.status} (${task.stop_reason ?? task.status}): ${reason}`,
		...check ? [
			"",
			tailHeading(check),
			...tailLines(check),
			""
		] : [],
		`result: tasks/${task.id}/result.json`,
		`events: tasks/${task.id}/events.jsonl`,
		"report: report.md"
	].join("\n");
	const type = task.stop_reason ?? task.status;
	return `${open}\n      <${element} message="${attribute(reason)}" type="${attribute(type)}">${text(details)}</${element}>\n    </testcase>`;
}
function isFailure(task) {
	return task.status === "failed" || task.status === "limit_exceeded";
}
/** Why a task did not succeed: its error, else the check that failed. */
function reasonOf(task) {
	if (task.error) return task.error;
	const failed = task.checks.find((check) => !check.passed);
	if (failed) return `check "${failed.name}" ${failed.timed_out ? "timed out" : `failed with exit code ${String(failed.exit_code)}`}`;
	return task.status;
}
function seconds(ms) {
	return (ms / 1e3).toFixed(3);
}
/** Characters XML 1.0 cannot hold at all, even escaped. */
const INVALID_XML = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
function text(value) {
	return value.replace(INVALID_XML, "�").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function attribute(value) {
	return text(value).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
// src/report/checks-table.ts
/** The checks section of report.md: every check run of every task, earlier attempts first. */
function renderChecksSection(tasks) {
	const rows = tasks.flatMap((task) => [...(task.earlier_checks ?? []).map((check) => renderRow$1(task.id, check.attempt, check)), ...task.checks.map((check) => renderRow$1(task.id, task.attempts, check))]);
	if (rows.length === 0) return [];
	return [
		"## Checks",
		"",
		"| task | attempt | check | result | time |",
		"| --- | ---: | --- | --- | ---: |",
		...rows
	];
}
function renderRow$1(task, attempt, check) {
	const name = check.name.replace(/\s*\r?\n\s*/g, " ").trim();
	return `| ${task} | ${attempt} | ${escapeCell(codeSpan(name))} | ${describeResult(check)} | ${formatDuration(check.duration_ms)} |`;
}
function describeResult(check) {
	if (check.passed) return "passed";
	if (check.timed_out) return "**failed**: timed out";
	if (check.exit_code === null) return "**failed**: could not run";
	return `**failed**: exit code ${check.exit_code}`;
}
// src/report/markdown.ts
/**
* report.md: the summary for a person, also fit for a GitHub job summary. The tasks that did not succeed come
* first; a run of thousands of tasks stays readable (and under the job summary's 1 MiB) because each list
* stops at a bound and counts the rest, which summary.json and the task folders hold.
*/
function renderReport(summary) {
	const { totals } = summary;
	const ordered = failuresFirst(summary.tasks);
	const lines = [
		`# nanocoder batch run ${summary.run_id}`,
		"",
		`${totals.succeeded} of ${totals.tasks} tasks succeeded` + (totals.tasks > totals.succeeded ? ` (${describeOthers(summary)})` : "") + ` in ${formatDuration(summary.duration_ms)}.`,
		`Base commit \`${summary.base.slice(0, 12)}\`, policy ${summary.policy}.`,
		...renderSandboxLine(summary),
		...renderEnvironmentLine(summary),
		...renderStopReasons(summary),
		"",
		"| task | status | stop reason | turns | tokens in / out | cost | denials | files | time |",
		"| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
		...tableRows(ordered).map(renderRow),
		`| **total** | | | ${totals.turns} | ${formatTokens(totals.tokens)} | ${formatCost(totals.cost_usd)} | ${totals.denials} | | ${formatDuration(summary.duration_ms)} |`,
		...describeTableCut(ordered)
	];
	const byFile = renderByTaskFile(summary.tasks);
	if (byFile.length > 0) lines.push("", ...byFile);
	if (totals.tokens.estimated) lines.push("", "Token counts marked ~ are estimated: the server sent no usage.");
	const problems = ordered.filter((task) => task.error);
	if (problems.length > 0) {
		const rows = problems.map((task) => `- **${task.id}** (${task.status}, ${task.stop_reason}): ${escapeText(cut(oneLine(task.error ?? ""), ERROR_SHOWN_CHARS))}`);
		lines.push("", "## Problems", "", ...bound(rows, LIST_LIMIT, (more) => `- and ${more} more: each task's \`error\` is in summary.json`));
	}
	const answers = renderOutputs(ordered);
	if (answers.length > 0) lines.push("", ...answers);
	const failedChecks = renderFailedChecks(ordered);
	if (failedChecks.length > 0) lines.push("", ...failedChecks);
	const secretPatches = ordered.filter((task) => task.patch_has_secret);
	if (secretPatches.length > 0) {
		const ids = bound(secretPatches.map((task) => task.id), LIST_LIMIT, (more) => `and ${more} more`).join(", ");
		lines.push("", `> **Warning: a patch held a secret's value** (${ids}): the model wrote it into a file. The patch has \`[REDACTED]\` in its place and is never pushed. Review it before applying.`);
	}
	const nested = ordered.filter((task) => task.nested_repositories);
	if (nested.length > 0) {
		const which = bound(nested.map((task) => `${escapeText(task.id)} (${(task.nested_repositories ?? []).map(codeSpan).join(", ")})`), LIST_LIMIT, (more) => `and ${more} more`).join(", ");
		lines.push("", `> **Note: tasks made git repositories of their own** (${which}): a patch cannot carry them, so their files are in no patch.`);
	}
	const checks = renderChecksSection(ordered);
	if (checks.length > 0) lines.push("", ...boundTable(checks, CHECK_ROWS, (more) => `And ${more} more check runs: each task's are in its result.json.`));
	const undone = renderUndoneWrites(ordered);
	if (undone.length > 0) lines.push("", ...boundTable(undone, LIST_LIMIT, (more) => `And ${more} more: each task's \`violations\` are in summary.json.`));
	const denied = renderDeniedCalls(ordered);
	if (denied.length > 0) lines.push("", ...boundTable(denied, LIST_LIMIT, (more) => `And ${more} more: each task's \`denied_calls\` are in summary.json.`));
	lines.push("", ...renderCostSection(buildCostReport(summary)));
	lines.push("", "Each task's patch is in `tasks/<id>/patch.diff` (apply with `git apply`), its event log in `tasks/<id>/events.jsonl`.", "");
	return lines.join("\n");
}
/** How commands ran; a warning that stands out when `mode: auto` found no working sandbox. */
function renderSandboxLine({ sandbox }) {
	if (!sandbox) return [];
	if (sandbox.active) {
		const writable = sandbox.writable?.length ? `; also writable: ${sandbox.writable.map((path) => `\`${oneLine(path)}\``).join(", ")}` : "";
		return [`Commands ran in a bubblewrap sandbox (${sandbox.required ? "required" : `mode ${sandbox.mode}`}), ${describeNetwork(sandbox.network)}${writable}.`];
	}
	if (sandbox.mode === "none") return ["Commands ran without a sandbox (policy `sandbox.mode: none`): they could read every file the runner can, write anywhere it can and reach the network; changes the policy refuses in the worktree were still undone after each command."];
	return ["", `> **Warning: commands ran WITHOUT a sandbox**: ${oneLine(sandbox.reason ?? "")}. Commands could read every file the runner can, write anywhere it can and reach the network; changes the policy refuses in the worktree were still undone after each command. Run \`nanocoder doctor\` for the fix; see docs/sandbox.md.`];
}
/** What commands found in their worktree besides its files: the shared dependencies and setup. */
function renderEnvironmentLine({ environment }) {
	if (!environment || environment.dependencies.length === 0 && environment.setup.length === 0) return [];
	const code = (text) => `\`${oneLine(text).replaceAll("`", "'")}\``;
	return [`${[environment.dependencies.length > 0 ? `They saw the repository's installed ${environment.dependencies.map(code).join(", ")} (read-only)` : "", environment.setup.length > 0 ? `each worktree ran setup first: ${environment.setup.map(code).join(", ")}` : ""].filter(Boolean).join("; ").replace(/^e/, "E")}.`];
}
/** How many tasks stopped for each reason, the ones that occurred; a run where every task completed needs no line. */
function renderStopReasons({ totals }) {
	const counted = Object.entries(totals.stop_reasons ?? {}).filter(([, count]) => count > 0);
	if (counted.length === 0 || counted.every(([reason]) => reason === "completed")) return [];
	return [`Stop reasons: ${counted.map(([reason, count]) => `${reason} ${count}`).join(", ")}.`];
}
/** Longest answer shown in report.md; the whole one is in output.json. */
const OUTPUT_SHOWN_CHARS = 300;
/** Each structured answer on one line, cut short: the report is for a glance, output.json for the value. */
function renderOutputs(tasks) {
	const rows = tasks.flatMap((task) => {
		if (!task.output_file) return [];
		const json = "output" in task ? JSON.stringify(task.output) : void 0;
		const shown = json === void 0 ? "(large: see the file)" : codeSpan(json.length > OUTPUT_SHOWN_CHARS ? `${json.slice(0, 299)}…` : json);
		return [`- **${task.id}**: ${shown} (\`${task.output_file}\`)`];
	});
	return rows.length === 0 ? [] : [
		"## Outputs",
		"",
		...bound(rows, LIST_LIMIT, (more) => `- and ${more} more, each in its output.json`)
	];
}
/** For each task whose checks failed: the end of the failed check's output, and where the whole log is. */
function renderFailedChecks(tasks) {
	const sections = tasks.flatMap((task) => {
		const check = failedCheckOf(task);
		if (!check) return [];
		const tail = tailLines(check).join("\n");
		const fence = fenceFor(tail);
		return [[
			`### ${task.id}: ${codeSpan(oneLine(check.name))} ${describeCheckFailure(check)}`,
			"",
			tailHeading(check, codeSpan(check.log)),
			"",
			`${fence}text`,
			tail,
			fence
		]];
	});
	if (sections.length === 0) return [];
	const shown = sections.slice(0, FAILED_CHECKS_SHOWN).flatMap((section) => ["", ...section]);
	const more = sections.length > FAILED_CHECKS_SHOWN ? ["", `And ${sections.length - FAILED_CHECKS_SHOWN} more failed checks: junit.xml has the end of each, \`tasks/<id>/checks/\` their logs.`] : [];
	return [
		"## Failed checks",
		...shown,
		...more
	];
}
function describeCheckFailure(check) {
	if (check.timed_out) return "timed out";
	return check.exit_code === null ? "could not run" : `failed with exit code ${check.exit_code}`;
}
/** Writes commands made against the policy, found after each command and undone: the tasks are not succeeded. */
function renderUndoneWrites(tasks) {
	const rows = tasks.flatMap((task) => (task.violations ?? []).map((violation) => `| ${task.id} | ${escapeCell(codeSpan(oneLine(violation.by)))} | ${escapeCell(codeSpan(oneLine(violation.path)))} | \`${violation.rule}\` |`));
	if (rows.length === 0) return [];
	return [
		"## Writes the policy refused, undone",
		"",
		"Commands wrote these paths although the policy lets nothing write them. Each change was put back before the patch was made; the tasks did not succeed.",
		"",
		"| task | written by | path | rule |",
		"| --- | --- | --- | --- |",
		...rows
	];
}
/** Every refused call with its rule, so a maintainer can widen the policy on purpose, or leave it. */
function renderDeniedCalls(tasks) {
	const rows = tasks.flatMap((task) => task.denied_calls.map((call) => `| ${task.id} | ${call.tool} | ${escapeCell(codeSpan(oneLine(call.subject)))} | \`${call.rule}\` | ${escapeCell(escapeText(oneLine(call.reason)))} |`));
	if (rows.length === 0) return [];
	return [
		"## Denied calls",
		"",
		"| task | tool | call | rule | reason |",
		"| --- | --- | --- | --- | --- |",
		...rows
	];
}
function renderRow(task) {
	return `| ${task.title ? `${task.id}: ${escapeCell(escapeText(cut(oneLine(task.title), TITLE_SHOWN_CHARS)))}` : task.id} | ${task.status} | ${task.stop_reason ?? ""} | ${task.turns} | ${formatTokens(task.tokens)} | ${formatCost(task.cost_usd)} | ${task.denials} | ${task.files_changed.length} | ${formatDuration(task.duration_ms)} |`;
}
function describeOthers(summary) {
	const { failed, limit_exceeded, error, interrupted } = summary.totals;
	return [
		failed > 0 ? `${failed} failed` : "",
		limit_exceeded > 0 ? `${limit_exceeded} limit exceeded` : "",
		error > 0 ? `${error} error` : "",
		interrupted > 0 ? `${interrupted} interrupted` : ""
	].filter(Boolean).join(", ");
}
/** Up to this many tasks, the table lists every one. */
const ALL_ROWS_UP_TO = 100;
/** Past that: the tasks that did not succeed, up to this many, and the first of those that did. */
const NOT_SUCCEEDED_ROWS = 200;
const SUCCEEDED_ROWS = 20;
/** Entries of the other lists (problems, answers, denied calls…) shown before the rest are counted. */
const LIST_LIMIT = 100;
const CHECK_ROWS = 200;
const FAILED_CHECKS_SHOWN = 20;
const TASK_FILES_SHOWN = 50;
const ERROR_SHOWN_CHARS = 500;
const TITLE_SHOWN_CHARS = 200;
/** The tasks that did not succeed first, each part in run order. */
function failuresFirst(tasks) {
	return [...tasks.filter((task) => task.status !== "succeeded"), ...tasks.filter((task) => task.status === "succeeded")];
}
function tableRows(ordered) {
	if (ordered.length <= ALL_ROWS_UP_TO) return [...ordered];
	const failed = ordered.filter((task) => task.status !== "succeeded");
	const succeeded = ordered.filter((task) => task.status === "succeeded");
	return [...failed.slice(0, NOT_SUCCEEDED_ROWS), ...succeeded.slice(0, SUCCEEDED_ROWS)];
}
/** What the table leaves out, said under it. */
function describeTableCut(ordered) {
	const shown = tableRows(ordered);
	if (shown.length === ordered.length) return [];
	const failed = ordered.filter((task) => task.status !== "succeeded").length;
	const failedShown = shown.filter((task) => task.status !== "succeeded").length;
	const succeededShown = shown.length - failedShown;
	return ["", `The table shows ${[failed === 0 ? "" : failedShown === failed ? `the ${failed} tasks that did not succeed` : `the first ${failedShown} of the ${failed} tasks that did not succeed`, `the first ${succeededShown} of the ${ordered.length - failed} that succeeded`].filter(Boolean).join(" and ")}; summary.json lists every task, and each has its folder under \`tasks/\`.`];
}
/** Each task file's tasks counted, when a run large enough to cut the table came from several files. */
function renderByTaskFile(tasks) {
	if (tasks.length <= ALL_ROWS_UP_TO) return [];
	const byFile = /* @__PURE__ */ new Map();
	for (const task of tasks) {
		const file = task.task_file ?? "(unknown)";
		const counts = byFile.get(file) ?? {
			tasks: 0,
			succeeded: 0
		};
		counts.tasks++;
		if (task.status === "succeeded") counts.succeeded++;
		byFile.set(file, counts);
	}
	if (byFile.size < 2) return [];
	return boundTable([
		"## By task file",
		"",
		"| task file | tasks | succeeded | did not succeed |",
		"| --- | ---: | ---: | ---: |",
		...[...byFile].sort(([, a], [, b]) => b.tasks - b.succeeded - (a.tasks - a.succeeded)).map(([file, counts]) => `| ${escapeCell(codeSpan(file))} | ${counts.tasks} | ${counts.succeeded} | ${counts.tasks - counts.succeeded} |`)
	], TASK_FILES_SHOWN, (more) => `And ${more} more task files.`);
}
/** The first `max` entries, and a line counting the rest. */
function bound(rows, max, more) {
	return rows.length <= max ? [...rows] : [...rows.slice(0, max), more(rows.length - max)];
}
/** A section made of a heading, a blank line, a table's two header lines and its rows: the first `max` rows, and a note counting the rest. */
function boundTable(section, max, more) {
	const head = section.findIndex((line) => line.startsWith("| ---"));
	const rows = section.slice(head + 1);
	if (rows.length <= max) return [...section];
	return [
		...section.slice(0, head + 1),
		...rows.slice(0, max),
		"",
		more(rows.length - max)
	];
}
/** report.md of a merged run: the report of the tasks held, what the shards were, and the planned tasks none holds. */
function renderMergedReport(summary, mergedFrom, missing) {
	let report = renderReport(summary).trimEnd();
	if (missing.length > 0) {
		const { succeeded, tasks } = summary.totals;
		report = report.replace(/^\d+ of \d+ tasks succeeded/m, `${succeeded} of ${tasks + missing.length} planned tasks succeeded (${missing.length} missing: no run folder holds them)`);
	}
	const lines = [
		report,
		"",
		`Merged from runs ${mergedFrom.map((id) => `\`${id}\``).join(", ")}.`
	];
	if (missing.length > 0) lines.push("", "## Missing tasks", "", "Planned, but no run folder holds a result for them:", "", ...bound(missing.map((id) => `- ${id}`), LIST_LIMIT, (more) => `- and ${more} more: summary.json lists them in \`missing_tasks\``));
	return `${lines.join("\n")}\n`;
}
// src/report/write.ts
/**
* The one writer of a run folder's reports: summary.json, report.md, cost.json, cost.csv, junit.xml and report.html,
* for a run (run/batch.ts) and for a merge of shards (report/merge.ts), whose summary says what is missing.
*/
async function writeRunReports(outDir, summary, redact) {
	const missing = summary.missing_tasks ?? [];
	await writeJsonFile(join(outDir, "summary.json"), schemaUrl("summary"), summary, redact);
	const markdown = summary.merged_from ? renderMergedReport(summary, summary.merged_from, missing) : renderReport(summary);
	await writeFileAtomic(join(outDir, "report.md"), redact(markdown));
	const cost = buildCostReport(summary);
	await writeJsonFile(join(outDir, "cost.json"), schemaUrl("cost"), cost, redact);
	await writeFileAtomic(join(outDir, "cost.csv"), redact(renderCostCsv(cost)));
	await writeFileAtomic(join(outDir, "junit.xml"), redact(renderJunit(summary, missing)));
	await writeHtmlReport(outDir, summary, redact);
}
/** The one writer of tasks/<id>/result.json. */
async function writeTaskResult(outDir, result, redact) {
	await writeJsonFile(join(outDir, "tasks", result.id, "result.json"), schemaUrl("result"), result, redact);
}
// src/run/patch-series.ts
/** The files changed by more than one task, in the order first seen. */
function findOverlaps(patches) {
	const byFile = /* @__PURE__ */ new Map();
	for (const patch of patches) for (const file of new Set(patch.files)) byFile.set(file, [...byFile.get(file) ?? [], patch.id]);
	return [...byFile].filter(([, tasks]) => tasks.length > 1).map(([file, tasks]) => ({
		file,
		tasks
	}));
}
/** The tasks before `id` in the series that change a file it changes, with those files: "a (src/x.ts), b (src/y.ts)". */
function describeEarlierOverlaps(id, overlaps) {
	const earlier = /* @__PURE__ */ new Map();
	for (const { file, tasks } of overlaps) {
		const at = tasks.indexOf(id);
		for (const task of at > 0 ? tasks.slice(0, at) : []) earlier.set(task, [...earlier.get(task) ?? [], file]);
	}
	return [...earlier].map(([task, files]) => `${task} (${shortList(files, 3)})`).join(", ");
}
/**
* One line per overlapping file: which tasks change it and what became of each patch. Bounded: a series of
* hundreds of patches on one shared file still reads in a few lines.
*/
function describeOverlaps(overlaps, how, leftOut, limit = OVERLAPS_SHOWN) {
	const out = new Set(leftOut.map((entry) => entry.id));
	const lines = overlaps.slice(0, limit).map(({ file, tasks }) => {
		const dropped = tasks.filter((task) => out.has(task));
		const merged = tasks.filter((task) => how.get(task) === "merged");
		const fate = [
			dropped.length === 0 && merged.length === 0 ? `${tasks.length === 2 ? "both" : "all"} applied cleanly` : "",
			merged.length > 0 ? `${shortList(merged, 5)} joined by git's three-way merge` : "",
			dropped.length > 0 ? `${shortList(dropped, 5)} left out: ${dropped.length === 1 ? "its patch conflicts" : "their patches conflict"} with the ones before` : ""
		].filter(Boolean).join("; ");
		return `\`${file}\` is changed by ${shortList(tasks, 5)}: ${fate}`;
	});
	if (overlaps.length > limit) lines.push(`and ${overlaps.length - limit} more files changed by more than one task`);
	return lines;
}
/**
* The earlier tasks that change the same lines of the base as the patch, or the lines next to them, with the
* files: "a (index.js)". Those are the changes git cannot join; empty when none are (the conflict is elsewhere).
*/
function describeNearbyChanges(patch, earlier) {
	const own = changedLines(patch.text);
	return earlier.flatMap(({ id, text }) => {
		const files = [...changedLines(text)].filter(([file, lines]) => lines.some((line) => (own.get(file) ?? []).some((mine) => Math.abs(line - mine) <= 1))).map(([file]) => file);
		return files.length > 0 ? [`${id} (${shortList(files, 3)})`] : [];
	}).join(", ");
}
/**
* Where each file of a patch changes the base: the number of each line it removes or replaces, and n - 0.5 for
* lines it adds before line n, read from the hunks.
*/
function changedLines(patch) {
	const changed = /* @__PURE__ */ new Map();
	let file = "";
	let line = 0;
	for (const text of patch.split("\n")) {
		const header = /^diff --git a\/(.*) b\/(.*)$/.exec(text);
		if (header) {
			file = header[1] ?? "";
			line = 0;
			continue;
		}
		const hunk = /^@@ -(\d+)(?:,(\d+))? \+/.exec(text);
		if (hunk) {
			line = Number(hunk[1]) + (hunk[2] === "0" ? 1 : 0);
			continue;
		}
		if (line === 0) continue;
		if (text.startsWith("-")) changed.set(file, [...changed.get(file) ?? [], line++]);
		else if (text.startsWith("+")) changed.set(file, [...changed.get(file) ?? [], line - .5]);
		else if (text.startsWith(" ")) line++;
	}
	return changed;
}
/** Overlapping files named one by one; past that, counted. */
const OVERLAPS_SHOWN = 20;
/**
* Applies a patch to the index `env` names, on top of what it holds: as it is, else with git's three-way
* merge, which joins changes to nearby lines of one file that a plain apply refuses (the lines around the
* change moved). On a conflict the index is put back as it was, and git's message is returned.
*/
async function applyToIndex(repoRoot, patch, env) {
	const before = (await git(["write-tree"], repoRoot, env)).trim();
	const plain = await git([
		"apply",
		"--cached",
		"--binary",
		patch
	], repoRoot, env).then(() => void 0, messageOf);
	if (plain === void 0) return "clean";
	if (await git([
		"apply",
		"--cached",
		"--binary",
		"--3way",
		patch
	], repoRoot, env).then(() => void 0, messageOf) === void 0) return "merged";
	await git(["read-tree", before], repoRoot, env);
	return { failure: plain };
}
function shortList(items, shown) {
	return items.length <= shown ? items.join(", ") : `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`;
}
function messageOf(error) {
	return error instanceof Error ? error.message : String(error);
}
export { buildSummary as _, findOverlaps as a, reasonOf as c, tailHeading as d, tailLines as f, allSucceeded as g, addTokens as h, describeOverlaps as i, failedCheckOf as l, unsafeTaskPaths as m, describeEarlierOverlaps as n, writeRunReports as o, writeHtmlReport as p, describeNearbyChanges as r, writeTaskResult as s, applyToIndex as t, fenceFor as u };
