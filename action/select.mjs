// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { x as unescape, y as Minimatch } from "./load.mjs";
import { c as gitScript, i as findRepoRoot, k as closestMatch, o as git, s as gitCommand } from "./shard.mjs";
import { i as UserErrors, r as UserError } from "./errors.mjs";
import { relative, resolve, sep } from "node:path";
// src/run/select.ts
/**
* The tasks with one of the labels and an id matching one of the `only` globs, in their order. A label or
* glob that takes no task is a mistake (a typo would otherwise run nothing, or everything): an error naming
* what there is.
*/
function chooseTasks(tasks, { labels = [], only = [] }) {
	let chosen = [...tasks];
	if (labels.length > 0) {
		const known = [...new Set(tasks.flatMap((task) => task.labels))];
		const errors = labels.filter((label) => !known.includes(label)).map((label) => {
			const suggestion = closestMatch(label, known);
			const fix = suggestion ? `did you mean --label ${suggestion}?` : known.length > 0 ? `the labels are: ${known.sort().join(", ")}` : "no task has labels: add \"labels: [nightly]\" to the task files";
			return new UserError(`--label ${label}: no task has this label; ${fix}`, "E_USAGE");
		});
		if (errors.length > 0) throw new UserErrors(errors);
		chosen = chosen.filter((task) => task.labels.some((label) => labels.includes(label)));
	}
	if (only.length > 0) {
		const byGlob = only.map((glob) => ({
			glob,
			matchers: [new Minimatch(glob, { dot: true }), new Minimatch(`${glob}.*`, { dot: true })]
		}));
		const taking = (task) => byGlob.filter(({ matchers }) => matchers.some((matcher) => matcher.match(task.id)));
		const used = /* @__PURE__ */ new Set();
		const matched = chosen.filter((task) => {
			const globs = taking(task);
			for (const { glob } of globs) used.add(glob);
			return globs.length > 0;
		});
		const unused = only.filter((glob) => !used.has(glob));
		if (unused.length > 0) {
			const examples = chosen.slice(0, 3).map((task) => task.id).join(", ");
			const candidates = [...new Set(chosen.flatMap((task) => [task.id.split(".")[0] ?? task.id, task.id]))].slice(0, 5e3);
			throw new UserErrors(unused.map((glob) => {
				const suggestion = closestMatch(glob, candidates);
				const fix = suggestion ? `did you mean --only ${suggestion}?` : `ids look like ${examples}${chosen.length > 3 ? ", ..." : ""} (validate --list prints them all)`;
				return new UserError(`--only ${glob}: no task id matches${labels.length > 0 ? " among the tasks the labels chose" : ""}; ${fix}`, "E_USAGE");
			}));
		}
		chosen = matched;
	}
	return chosen;
}
/**
* The loaded tasks, which must be some: task files that expand to none (a for_each glob that matches no file
* after a rename or a typo) are a mistake a nightly job must not pass over in green.
*/
function someTasks(tasks, patterns) {
	if (tasks.length > 0) return tasks;
	throw new UserError(`${patterns.join(" ")}: the task files expand to no tasks (the warnings above say which for_each matches no file); correct the glob, or leave the file out`, "E_TASK_INVALID");
}
/** `--limit N`: the first N tasks, for trying a few of a large expansion. */
function parseLimit(value) {
	if (value === void 0) return void 0;
	const limit = Number(value);
	if (!/^\s*\d+\s*$/.test(value) || limit < 1) throw new UserError(`--limit: expected a positive whole number of tasks, got "${value}"`, "E_USAGE");
	return limit;
}
/**
* The tasks a set of changed files concerns: those whose `files` globs match at least one of them,
* each carrying the files it matched. Tasks without `files` are not about particular files and do not run.
* A pattern without wildcards (each file of a `for_each` expansion) is looked up, not matched, so that
* thousands of tasks cost no more than their number.
*/
function selectByChangedFiles(tasks, changed) {
	const compiled = /* @__PURE__ */ new Map();
	const matcherOf = (pattern) => {
		let matches = compiled.get(pattern);
		if (!matches) {
			const glob = new Minimatch(pattern, { dot: true });
			const literal = glob.hasMagic() ? void 0 : unescape(pattern);
			matches = literal === void 0 ? (file) => glob.match(file) : (file) => file === literal;
			compiled.set(pattern, matches);
		}
		return matches;
	};
	return tasks.flatMap((task) => {
		const matchers = (task.files ?? []).map(matcherOf);
		const matched = changed.filter((file) => matchers.some((matches) => matches(file)));
		return matched.length > 0 ? [{
			...task,
			changedFiles: matched
		}] : [];
	});
}
/**
* With changed files (after -- or from --changed REF), only the tasks about them; otherwise every task.
* With --staged, a `--` with no names after it stands for the staged files, read from the index: the
* pre-commit hook passes no names (pre-commit splits a long list over several runs of the hook, and each
* would run the tasks again).
*/
async function selectByChanges(tasks, { files, changedRef, staged }) {
	if (files === void 0 && changedRef === void 0) return tasks;
	const repoRoot = await findRepoRoot(process.cwd());
	const given = staged && files?.length === 0 && changedRef === void 0 ? await stagedFiles(repoRoot, process.env) : (files ?? []).map((file) => relative(repoRoot, resolve(process.cwd(), file)).split(sep).join("/"));
	return selectByChangedFiles(tasks, changedRef === void 0 ? given : [...given, ...await changedSince(repoRoot, changedRef)]);
}
/** Files that differ between `ref` and the working tree, plus untracked ones, relative to the repository root. */
async function changedSince(repoRoot, ref) {
	return splitNames(`${await git([
		"diff",
		"--name-only",
		"-z",
		ref
	], repoRoot)}\0${await git([
		"ls-files",
		"--others",
		"--exclude-standard",
		"-z"
	], repoRoot)}`);
}
/**
* The files the staged changes add or modify, relative to the repository root: the index against HEAD
* (every staged file before the first commit). A renamed file counts under its new name; a deleted one is
* left out, there being nothing of it for a task to read. In a git hook, GIT_INDEX_FILE names the index being
* committed (a temporary one for `git commit -a` or `git commit <path>`), relative to the top of the
* repository, where git runs hooks; the index is only read.
*/
async function stagedFiles(repoRoot, env) {
	const index = env.GIT_INDEX_FILE ? { GIT_INDEX_FILE: resolve(repoRoot, env.GIT_INDEX_FILE) } : {};
	const head = await git([
		"rev-parse",
		"--verify",
		"--quiet",
		"HEAD^{commit}"
	], repoRoot).then((id) => id.trim(), () => void 0);
	return splitNames((await gitScript(gitCommand(head ? [
		"diff-index",
		"--cached",
		"--name-only",
		"-z",
		"--no-renames",
		"--diff-filter=d",
		head
	] : [
		"ls-files",
		"--cached",
		"-z"
	], index), repoRoot, "git: the staged files")).toString("utf8"));
}
function splitNames(text) {
	return [...new Set(text.split("\0").filter((name) => name !== ""))].sort();
}
export { someTasks as i, parseLimit as n, selectByChanges as r, chooseTasks as t };
