// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { h as createRedactor } from "./schema.mjs";
import { S as plural, m as cut, v as formatCost, x as oneLine, y as formatDuration } from "./run-id.mjs";
import { r as UserError } from "./errors.mjs";
import { L as parseConcurrency, c as gitScript, f as shellQuote, o as git, s as gitCommand } from "./shard.mjs";
import { a as findOverlaps, f as tailLines, i as describeOverlaps, l as failedCheckOf, n as describeEarlierOverlaps, r as describeNearbyChanges, t as applyToIndex } from "./patch-series.mjs";
import { t as executePlan } from "./execute-plan.mjs";
import { r as killRunningCommands } from "./process-tree.mjs";
import { i as planRun, n as displayPath } from "./plan.mjs";
import { i as worseOutcome, t as EXIT_CODES } from "./exit-codes.mjs";
import { c as toRunRequest } from "./args.mjs";
import { r as renderJsonSummary, t as createEventStream } from "./json-output2.mjs";
import { t as renderSummaryLines } from "./render.mjs";
import { tmpdir } from "node:os";
import { copyFile, lstat, mkdtemp, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
// src/run/apply.ts
/**
* Applies the patches of the succeeded tasks to the working tree of `repoRoot`, in task order, all or
* nothing. `git apply p1 p2` is not: it checks and writes one patch file at a time, so a conflict in the
* second leaves the first written, and `git apply --check p1 p2` checks each against the original tree.
* So the series is built first in a temporary index that holds the working tree's version of every file
* the patches touch; the first patch that does not apply there is named and nothing is changed. Only
* then does the whole series go to the working tree, as one patch in one `git apply`, which checks every
* file before it writes any.
*/
async function applyPatches(repoRoot, outDir, summary, options = {}) {
	const series = [];
	for (const task of summary.tasks) {
		const path = join(outDir, task.patch);
		if (task.status === "succeeded" && ((await lstat(path).catch(() => void 0))?.size ?? 0) > 0) series.push({
			id: task.id,
			path,
			files: task.files_changed
		});
	}
	if (series.length === 0) return {
		applied: [],
		overlaps: []
	};
	const scratch = await mkdtemp(join(tmpdir(), "nanocoder-apply-"));
	try {
		const { combined, overlaps } = await buildSeries(repoRoot, scratch, series, options);
		await git([
			"apply",
			"--binary",
			combined
		], repoRoot).catch((error) => {
			throw new UserError(`--apply: git apply failed; nothing was applied.\n${error.message}`, "E_APPLY_CONFLICT");
		});
		return {
			applied: series.map((entry) => entry.id),
			overlaps
		};
	} finally {
		await rm(scratch, {
			recursive: true,
			force: true
		});
	}
}
/**
* applyPatches for `--apply`, saying on stderr what it applied and which applied patches hold [REDACTED].
* When the patches could not be applied, for a conflict or anything git refused on the way (nothing is
* written to the working tree before the one last `git apply`, which checks every file first), the error is
* said and returned, not thrown: the tasks ran, so that is no mistake in the input but a run that did not
* do all it was asked, exit 1 as an undelivered pull request is, and `--json` still prints the summary.
*/
async function applyAndSay(repoRoot, outDir, summary, staged) {
	const outcome = await applyPatches(repoRoot, outDir, summary, { staged }).catch((error) => {
		if (error instanceof UserError && error.code === "E_APPLY_CONFLICT") return error.message;
		return `--apply: ${error instanceof Error ? error.message.trim() : String(error)}; nothing was applied`;
	});
	if (typeof outcome === "string") {
		process.stderr.write(`${outcome}\n`);
		return {
			applied: [],
			error: outcome
		};
	}
	const { applied, overlaps } = outcome;
	process.stderr.write(applied.length > 0 ? `applied the patches of ${applied.join(", ")}\n` : "no patch to apply\n");
	for (const line of overlaps) process.stderr.write(`note: ${line}\n`);
	const hidden = summary.tasks.filter((task) => task.patch_has_secret && applied.includes(task.id)).map((task) => task.id);
	if (hidden.length > 0) process.stderr.write(`warning: the patches of ${hidden.join(", ")} wrote [REDACTED] where the model had written a secret's value; search your working tree for [REDACTED] before you commit\n`);
	return { applied };
}
/**
* The series applied in a temporary index, as one patch file in `scratch`, with what became of the files several
* patches change; a user error naming the first patch that does not apply, and the tasks before it that change
* the same files.
*/
async function buildSeries(repoRoot, scratch, series, options) {
	const index = join(scratch, "index");
	const env = { GIT_INDEX_FILE: index };
	const realIndex = resolve(repoRoot, (await git([
		"rev-parse",
		"--git-path",
		"index"
	], repoRoot)).trim());
	await copyFile(realIndex, index).catch((error) => {
		if (error.code !== "ENOENT") throw error;
	});
	const touched = await presentPaths(repoRoot, [...new Set(series.flatMap((entry) => entry.files))], env);
	if (touched.length > 0) await git([
		"add",
		"--all",
		"--force",
		"--",
		...touched.map(literal)
	], repoRoot, env);
	const before = (await git(["write-tree"], repoRoot, env)).trim();
	const overlaps = findOverlaps(series);
	const applied = /* @__PURE__ */ new Map();
	for (const [at, entry] of series.entries()) {
		const how = await applyToIndex(repoRoot, entry.path, env);
		if (typeof how === "string") {
			applied.set(entry.id, how);
			continue;
		}
		const hint = options.staged ? "\nWith --staged the patches are made against the staged files: the working tree must hold the same (stash unstaged changes with git stash --keep-index, as pre-commit does, or stage them)." : "";
		const sharing = series.slice(0, at).filter((other) => other.files.some((file) => entry.files.includes(file)));
		const near = describeNearbyChanges(await readPatch(entry), await Promise.all(sharing.map(readPatch)));
		const earlier = describeEarlierOverlaps(entry.id, overlaps);
		const shared = near ? `\nThe patches before it change the same lines or lines next to them: ${near}.` : earlier ? `\nIt changes files the patches before it change too: ${earlier}.` : "";
		throw new UserError(`--apply: the patch of ${entry.id} does not apply to the working tree${at > 0 ? " after the tasks before it" : ""}; nothing was applied.${shared}\n${how.failure}${hint}`, "E_APPLY_CONFLICT");
	}
	const after = (await git(["write-tree"], repoRoot, env)).trim();
	const combined = join(scratch, "series.diff");
	await gitScript(`${gitCommand([
		"diff",
		"--binary",
		"--no-renames",
		"--no-color",
		"--no-ext-diff",
		"--no-textconv",
		"--src-prefix=a/",
		"--dst-prefix=b/",
		before,
		after
	])} > ${shellQuote(combined)}`, repoRoot, "writing the series of patches as one");
	return {
		combined,
		overlaps: describeOverlaps(overlaps, applied, [])
	};
}
async function readPatch({ id, path }) {
	return {
		id,
		text: await readFile(path, "latin1")
	};
}
/** The paths that are in the working tree or in the index: `git add` refuses a path that is in neither. */
async function presentPaths(repoRoot, paths, env) {
	if (paths.length === 0) return [];
	const indexed = new Set((await git([
		"ls-files",
		"-z",
		"--",
		...paths.map(literal)
	], repoRoot, env)).split("\0"));
	const present = [];
	for (const path of paths) if (indexed.has(path) || await lstat(join(repoRoot, path)).then(() => true, () => false)) present.push(path);
	return present;
}
function literal(path) {
	return `:(literal)${path}`;
}
// src/cli/progress.ts
/**
* Progress on stderr. In a terminal: one live status line, redrawn. Elsewhere (CI, pipes):
* one plain line when a task starts and one when it ends; under a failed check's line, the end of its output.
* `runDir`, the run folder as the user would type it, makes the logs' paths ones they can open.
*
* A run of more than QUIET_ABOVE tasks would bury its failures under thousands of lines: there, each task
* that does not succeed still gets its line (with the end of its failed check), but one that succeeds only
* counts, in a plain line every twentieth of the run (the live line counts them anyway).
*/
function createProgress(stream, total, redact, runDir) {
	const live = stream.isTTY === true && !process.env.CI;
	const quiet = total > 50;
	const every = Math.ceil(total / 20);
	const running = /* @__PURE__ */ new Set();
	const state = {
		done: 0,
		failed: 0,
		tokens: 0,
		cost: 0
	};
	const print = (line) => stream.write(`${redact(line)}\n`);
	const redraw = () => {
		if (!live) return;
		const cost = state.cost === null ? "cost unknown" : formatCost(state.cost);
		const status = `${state.done}/${total} done · ${running.size} running · ${state.failed} not succeeded · ${state.tokens} tokens · ${cost}`;
		stream.write(`\r\x1b[2K${status.slice(0, (stream.columns || 120) - 1)}`);
	};
	const clear = () => live && stream.write("\r\x1B[2K");
	const countLine = () => live || state.done % every !== 0 && state.done !== total ? void 0 : describeCount(state.done, total, state.failed);
	return {
		onTaskStart(id) {
			running.add(id);
			if (!live && !quiet) print(`start ${id}`);
			redraw();
		},
		onEvent(_id, event) {
			if (event.type !== "model_response") return;
			state.tokens += event.usage.input + event.usage.output;
			redraw();
		},
		onTaskEnd(result) {
			running.delete(result.id);
			state.done++;
			if (result.status !== "succeeded") state.failed++;
			state.cost = state.cost === null || result.cost_usd === null ? null : state.cost + result.cost_usd;
			const line = quiet && result.status === "succeeded" ? countLine() : describeEnd(result, runDir);
			if (line !== void 0) {
				clear();
				print(line);
			}
			redraw();
		},
		finish: clear
	};
}
function describeCount(done, total, failed) {
	return `${done}/${total} done, ${failed} not succeeded${failed > 0 ? " (each named above)" : ""}`;
}
/** Lines of a failed check's output the task line shows; report.md and junit.xml have twice as many. */
const CONSOLE_TAIL_LINES = 10;
/**
* "✔ id succeeded (…)", or "✖ id failed (stop_reason): why (…)" and, for a failed check, the end of its
* output indented below, with the path of its whole log.
*/
function describeEnd(result, runDir) {
	const mark = result.status === "succeeded" ? "✔" : "✖";
	const files = result.files_changed.length;
	const detail = [
		plural(result.turns, "turn"),
		...result.stop_reason === "no_changes" ? [] : [files === 0 ? "no changes" : `${plural(files, "file")} changed`],
		...result.denials > 0 ? [plural(result.denials, "denial")] : [],
		formatCost(result.cost_usd),
		formatDuration(result.duration_ms)
	].join(", ");
	const reason = result.stop_reason === "completed" || result.stop_reason === result.status ? "" : ` (${result.stop_reason})`;
	const [first, ...more] = (result.error ?? "").split("\n");
	const error = first ? `: ${first}` : "";
	const secret = result.patch_has_secret ? `; warning: the patch held a secret's value, hidden as [REDACTED] in ${result.patch}` : "";
	const nested = result.nested_repositories && result.status === "succeeded" ? `; note: ${result.nested_repositories.join(", ")} holds a git repository of its own, whose files are in no patch` : "";
	const line = `${mark} ${result.id} ${result.status}${reason}${error} (${detail})${secret}${nested}`;
	const check = failedCheckOf(result);
	const log = check && runDir ? `${runDir.replace(/\/$/, "")}/${check.log}` : check?.log;
	return [line, ...(check ? [...tailLines(check, CONSOLE_TAIL_LINES), `(${log ?? ""})`] : more).map((text) => `    ${text}`)].join("\n");
}
// src/cli/execute.ts
/**
* Plans and runs tasks, applies their patches with `apply` (before the results are printed, so that `--json`
* says what was applied), prints results on stdout and progress on stderr; the outcome says how the run ended.
*/
async function executeTasks(tasks, args, { selection, apply = false } = {}) {
	if (args.json && args.jsonl) throw new UserError("--json and --jsonl exclude each other: give --jsonl for the events as they happen, --json for the summary at the end", "E_USAGE");
	const concurrency = parseConcurrency(args.concurrency);
	const request = toRunRequest(args);
	const plan = {
		...await planRun(tasks, request),
		...selection ? { selection } : {}
	};
	const redact = createRedactor(plan.secrets);
	const progress = createProgress(process.stderr, plan.tasks.length, redact, displayPath(plan.outDir, request.cwd));
	const stream = args.jsonl ? createEventStream((line) => process.stdout.write(line), redact) : void 0;
	const interrupt = new AbortController();
	const onSignal = () => {
		if (interrupt.signal.aborted) {
			killRunningCommands();
			process.exit(EXIT_CODES.interrupted);
		}
		process.stderr.write("\ninterrupted: stopping tasks and writing results (press Ctrl-C again to quit at once)\n");
		interrupt.abort();
	};
	process.on("SIGINT", onSignal);
	process.on("SIGTERM", onSignal);
	for (const warning of plan.policy.warnings ?? []) process.stderr.write(`${warning}\n`);
	process.stderr.write(`run ${plan.runId}: ${plan.tasks.length} task(s), concurrency ${concurrency}, policy ${plan.policy.source}\n`);
	if (plan.sandbox.warning) process.stderr.write(`${plan.sandbox.warning}\n`);
	for (const warning of plan.environmentWarnings) process.stderr.write(`${warning}\n`);
	if (plan.resume) process.stderr.write(`resuming: ${plan.resume.finished.size} task(s) finished earlier are kept, the others run from scratch\n`);
	try {
		const shown = displayPath(plan.outDir, request.cwd);
		const { summary, outcome } = await executePlan(plan, {
			concurrency,
			env: request.env,
			redact,
			signal: interrupt.signal,
			maxCostUsd: request.maxCostUsd,
			record: request.record === void 0 ? void 0 : resolve(request.cwd, request.record),
			replay: request.replay === void 0 ? void 0 : resolve(request.cwd, request.replay),
			preflight: args.preflight !== false,
			warn: (line) => process.stderr.write(`${line}\n`),
			observer: {
				...progress,
				onEvent: (taskId, event, ts) => {
					progress.onEvent?.(taskId, event, ts);
					stream?.(taskId, event, ts);
					if (args.verbose) printStep(taskId, event, redact);
				},
				onProviderDown: (down) => process.stderr.write(redact(`${process.stderr.isTTY ? "\n" : ""}provider "${down.provider}" (${down.base_url}) ${down.reason}\nno further task using it starts; the running ones finish\n`))
			}
		});
		progress.finish();
		const applied = apply ? await applyAndSay(plan.repoRoot, plan.outDir, summary, request.staged === true) : void 0;
		const output = args.json ? renderJsonSummary(applied ? {
			...summary,
			apply: applied
		} : summary, plan.outDir, redact) : redact(renderSummaryLines(summary, shown));
		(args.jsonl ? process.stderr : process.stdout).write(`${output}\n`);
		if (outcome === "interrupted") process.stderr.write(`to finish the run, repeat the command with ${resumeHint(shown, request)}\n`);
		if (outcome === "infrastructure") {
			const down = summary.providers_down ?? [];
			const notStarted = down.reduce((sum, entry) => sum + entry.not_started, 0);
			const names = down.map((entry) => `"${entry.provider}"`).join(", ");
			process.stderr.write(`stopped: provider ${names} failed task after task; ${notStarted} task(s) not started. Fix it, then run the command again with ${resumeHint(shown, request)}\n`);
		}
		return {
			summary,
			outcome: applied?.error === void 0 ? outcome : worseOutcome(outcome, "failed")
		};
	} finally {
		if (!interrupt.signal.aborted) {
			process.off("SIGINT", onSignal);
			process.off("SIGTERM", onSignal);
		}
	}
}
/** --verbose: each tool call and the policy's decision on it, on stderr, one line each. */
function printStep(id, event, redact) {
	if (event.type === "tool_call") process.stderr.write(`${redact(`${id} turn ${event.turn}: ${event.name} ${shortLine(event.arguments)}`)}\n`);
	if (event.type === "policy_decision") process.stderr.write(`${redact(`${id}   ${event.decision} ${shortLine(event.subject)} (${event.rule}${event.decision === "deny" ? `: ${shortLine(event.reason)}` : ""})`)}\n`);
}
/** A call's arguments or a decision's subject, on one line of at most 200 characters. */
function shortLine(text) {
	return cut(oneLine(text), 200);
}
/**
* How to go on with an interrupted run: the same command with `--resume DIR`, which keeps the run's folder and base
* commit, so it takes neither --out nor --base (and refuses them).
*/
function resumeHint(shown, given) {
	const dropped = [given.out === void 0 ? "" : `--out ${given.out}`, given.base === void 0 ? "" : `--base ${given.base}`].filter(Boolean);
	if (given.resume !== void 0 || dropped.length === 0) return `--resume ${shown}`;
	return `--resume ${shown} in place of ${dropped.join(" and ")}`;
}
export { executeTasks as t };
