// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { f as stopReasonSchema, p as taskStatusSchema, r as runSummarySchema, t as describeIssues } from "./schema.mjs";
import { r as UserError } from "./errors.mjs";
import { _ as buildSummary, m as unsafeTaskPaths, o as writeRunReports } from "./patch-series.mjs";
import { cp, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
// src/report/merge.ts
const noRedaction = (text) => text;
/**
* Joins the run folders of several shards into one: summary.json, report.md, cost.json, cost.csv,
* junit.xml and every task's folder. A task id in two folders is an error; a planned task in none is listed.
*/
async function mergeRuns(dirs, outDir, runId, shown = {}) {
	const { out: shownOut = outDir, label = "report merge" } = shown;
	if (dirs.length === 0) throw new UserError(`${label}: give one or more run folders, e.g. nanocoder report merge shard-*/ --out merged`, "E_USAGE");
	const existing = await stat(outDir).catch(() => void 0);
	if (existing && !existing.isDirectory()) throw new UserError(`${label}: --out ${shownOut}: is a file, not a folder; give a folder for the merged report`, "E_USAGE");
	const runs = await Promise.all(dirs.map(async (dir) => ({
		dir,
		summary: await readSummary(dir, label)
	})));
	const owner = /* @__PURE__ */ new Map();
	for (const { dir, summary } of runs) for (const task of summary.tasks) {
		const unsafe = unsafeTaskPaths(task);
		if (unsafe) throw new UserError(`${label}: ${join(dir, "summary.json")}: a task cannot be merged: ${unsafe}`, "E_MERGE_INPUT");
		const first = owner.get(task.id);
		if (first !== void 0) throw new UserError(`${label}: task "${task.id}" is in both ${first} and ${dir}`, "E_MERGE_DUPLICATE");
		owner.set(task.id, dir);
	}
	const bases = [...new Set(runs.map(({ summary }) => summary.base))];
	if (bases.length > 1) throw new UserError(`${label}: the runs start from different commits (${bases.map((base) => base.slice(0, 12)).join(", ")})`, "E_MERGE_BASE");
	const planned = [...new Set(runs.flatMap(({ summary }) => summary.planned_tasks ?? summary.tasks.map((task) => task.id)))];
	const missing = planned.filter((id) => !owner.has(id));
	const byId = new Map(runs.flatMap(({ summary }) => summary.tasks.map((task) => [task.id, task])));
	const ordered = [...planned.flatMap((id) => byId.get(id) ?? []), ...[...byId.values()].filter((task) => !planned.includes(task.id))];
	const startedAt = new Date(Math.min(...runs.map(({ summary }) => Date.parse(summary.started_at))));
	const endedAt = new Date(Math.max(...runs.map(({ summary }) => Date.parse(summary.ended_at))));
	const policy = [...new Set(runs.map(({ summary }) => summary.policy))].join(", ");
	const summary = {
		...buildSummary({
			runId,
			startedAt,
			endedAt,
			base: bases[0] ?? "",
			policy
		}, ordered),
		planned_tasks: planned,
		missing_tasks: missing,
		merged_from: runs.map(({ summary: run }) => run.run_id),
		...mergedSandbox(runs.map(({ summary: run }) => run.sandbox)),
		...mergedEnvironment(runs.map(({ summary: run }) => run)),
		...mergedSelection(runs.map(({ summary: run }) => run), owner)
	};
	for (const [id, dir] of owner) await cp(join(dir, "tasks", id), join(outDir, "tasks", id), { recursive: true });
	await writeRunReports(outDir, summary, noRedaction);
	return {
		summary,
		missing
	};
}
/**
* How the merged run's commands ran: the least confined shard speaks for all, so a shard that ran
* without a sandbox keeps its warning in the merged report.
*/
function mergedSandbox(statuses) {
	const known = statuses.filter((status) => status !== void 0);
	const weakest = known.find((status) => !status.active) ?? known.find((status) => status.network === true) ?? known.find((status) => Array.isArray(status.network)) ?? known[0];
	return weakest ? { sandbox: weakest } : {};
}
/**
* What chose the merged runs' tasks: the tasks some run left out and none ran stay left out, so a grouped
* pull request is not delivered from a merge that lacks part of its group.
*/
function mergedSelection(summaries, merged) {
	const selections = summaries.flatMap((summary) => summary.selection ? [summary.selection] : []);
	if (selections.length === 0) return {};
	const left = new Map(selections.flatMap((selection) => selection.left).filter((task) => !merged.has(task.id)).map((task) => [task.id, task]));
	const unique = (lists) => [...new Set(lists.flat())];
	return { selection: {
		by: unique(selections.map((selection) => selection.by)),
		labels: unique(selections.map((selection) => selection.labels)),
		left: [...left.values()]
	} };
}
/** Shards of one batch share the policy and the repository, so any shard says what commands saw. */
function mergedEnvironment(summaries) {
	const environment = summaries.find((summary) => summary.environment)?.environment;
	return environment ? { environment } : {};
}
/** A run folder's summary.json, read with its schema; a folder without one is the user's mistake. */
async function readSummary(dir, label) {
	return (await readRunSummary(dir, label)).summary;
}
/** readSummary, with what had to be filled in for a folder an older version wrote (for the page's warnings). */
async function readRunSummary(dir, label) {
	const path = join(resolve(dir), "summary.json");
	const text = await readFile(path, "utf8").catch(() => {
		throw new UserError(`${label}: ${dir} is not a run folder (no summary.json)`, "E_MERGE_INPUT");
	});
	let json;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new UserError(`${label}: ${path} is not JSON (${error instanceof Error ? error.message : String(error)})`, "E_MERGE_INPUT");
	}
	const notes = [];
	const parsed = runSummarySchema.safeParse(withStopReasons(json, notes));
	if (!parsed.success) throw new UserError(`${label}: ${path} is not a summary.json nanocoder wrote (${describeIssues(parsed.error)})`, "E_MERGE_INPUT");
	return {
		summary: parsed.data,
		notes
	};
}
const isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
/**
* A summary.json written before stop reasons existed, given them: each task's inferred from its status and
* what it left (a failed check, a refused write, no change), and the totals counted from the tasks. Any
* other shape is left to the schema to refuse.
*/
function withStopReasons(json, notes) {
	if (!isRecord(json) || !Array.isArray(json.tasks) || !isRecord(json.totals)) return json;
	let inferred = 0;
	const tasks = json.tasks.map((task) => {
		if (!isRecord(task) || task.stop_reason !== void 0) return task;
		const reason = inferredStopReason(task);
		if (reason === void 0) return task;
		inferred++;
		return {
			...task,
			stop_reason: reason
		};
	});
	if (inferred === 0 && json.totals.stop_reasons !== void 0) return json;
	if (inferred > 0) notes.push(`This run folder was written before stop reasons existed: ${inferred} task(s) show one inferred from their status.`);
	const reasons = tasks.map((task) => isRecord(task) ? task.stop_reason : void 0);
	const stopReasons = json.totals.stop_reasons ?? Object.fromEntries(stopReasonSchema.options.map((reason) => [reason, reasons.filter((each) => each === reason).length]));
	return {
		...json,
		tasks,
		totals: {
			...json.totals,
			stop_reasons: stopReasons
		}
	};
}
function inferredStopReason(task) {
	const status = taskStatusSchema.safeParse(task.status);
	if (!status.success) return void 0;
	switch (status.data) {
		case "succeeded": return "completed";
		case "failed":
			if ((Array.isArray(task.checks) ? task.checks : []).some((check) => isRecord(check) && check.passed === false)) return "checks_failed";
			if (Array.isArray(task.violations) && task.violations.length > 0) return "policy_violation";
			if (Array.isArray(task.files_changed) && task.files_changed.length === 0) return "no_changes";
			return "blocked";
		case "limit_exceeded": return "max_turns";
		case "error": return "runner_error";
		case "interrupted": return "interrupted";
	}
}
export { readRunSummary as n, mergeRuns as t };
