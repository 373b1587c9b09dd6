// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { t as defineCommand } from "./dist2.mjs";
import { o as pullSettingsFromFlags } from "./pulls.mjs";
import { t as deliverPullRequests } from "./cli-delivery.mjs";
import { _ as readRunFolder, f as repositoryFiles, l as loadTasks, s as runFolder } from "./plan.mjs";
import { i as someTasks, n as parseLimit, r as selectByChanges, t as chooseTasks } from "./select.mjs";
import { r as UserError } from "./errors.mjs";
import { i as worseOutcome } from "./exit-codes.mjs";
import { i as findRepoRoot } from "./shard.mjs";
import { a as runArgs, i as repeatedValues, n as pullRequestArgs, o as selectionArgs, r as rejectUnknownFlags, s as splitFileNames, t as batchOnlyArgs } from "./args.mjs";
import { t as executeTasks } from "./execute.mjs";
import { resolve } from "node:path";
// src/cli/commands/batch.ts
const batchArgs = {
	...runArgs,
	...batchOnlyArgs,
	...selectionArgs,
	apply: {
		type: "boolean",
		description: "Apply the patches of succeeded tasks to the working tree at the end, all or none"
	},
	...pullRequestArgs,
	changed: {
		type: "string",
		description: "Run only the tasks whose `files` (for a for_each task, its own files) match a file changed since REF (file names after -- work the same way; with --staged, a -- with no names after it stands for the staged files)",
		valueHint: "REF"
	}
};
var batch_default = defineCommand({
	meta: {
		name: "batch",
		description: "Run every task in the given files or globs, in parallel, each in its own git worktree"
	},
	args: {
		tasks: {
			type: "positional",
			description: "Task files or globs (tasks/*.yaml)",
			required: false
		},
		...batchArgs
	},
	async run({ args, rawArgs }) {
		rejectUnknownFlags(rawArgs, batchArgs);
		if (args._.length === 0) throw new UserError("batch: give one or more task files or globs, e.g. nanocoder batch tasks/*.yaml", "E_USAGE");
		const pullSettings = await pullSettingsFromFlags(args, process.env);
		if (pullSettings && args.staged) throw new UserError("--staged runs on changes not yet committed, which a pull request would carry in a commit of nanocoder's: commit them first and drop --staged, or drop --open-pr", "E_USAGE");
		const { patterns, files } = splitFileNames(args._, rawArgs);
		if (patterns.length === 0) throw new UserError("batch: give the task files or globs before `--`; the names after it are changed files, e.g. nanocoder batch tasks/*.yaml -- src/a.ts", "E_USAGE");
		const limit = parseLimit(args.limit);
		const loaded = someTasks(await loadTasks(patterns, process.cwd(), { files: await filesToExpand(args) }), patterns);
		const labels = repeatedValues(rawArgs, "label");
		const only = repeatedValues(rawArgs, "only");
		const chosen = chooseTasks(loaded, {
			labels,
			only
		});
		const selected = await selectByChanges(chosen, {
			files,
			changedRef: args.changed,
			staged: args.staged === true
		});
		const tasks = limit === void 0 ? selected : selected.slice(0, limit);
		if (tasks.length === 0) {
			process.stderr.write("no task's `files` match the changed files; nothing to run\n");
			return "succeeded";
		}
		const selection = describeSelection(loaded, tasks, {
			labels,
			only,
			limit,
			files,
			changedRef: args.changed
		});
		const { summary, outcome } = await executeTasks(tasks, args, {
			selection,
			apply: args.apply === true
		});
		if (!pullSettings) return outcome;
		const repoRoot = await findRepoRoot(process.cwd());
		const outDir = runFolder(summary, args.out, repoRoot);
		return await deliverPullRequests({
			...pullSettings,
			repoRoot,
			outDir,
			summary,
			log: (line) => process.stderr.write(`${line}\n`)
		}) ? outcome : worseOutcome(outcome, "failed");
	}
});
/**
* The files `for_each` globs are matched against: those of the commit the tasks start from (--base, else
* HEAD), the staged files with --staged, and the earlier run's base with --resume, so its ids come back.
*/
async function filesToExpand(args) {
	if (args.staged) return repositoryFiles(process.cwd(), void 0, process.env);
	if (args.resume !== void 0 && args.base === void 0 && args.out === void 0) {
		const earlier = await readRunFolder(resolve(process.cwd(), args.resume), args.resume);
		return repositoryFiles(process.cwd(), earlier.base);
	}
	return repositoryFiles(process.cwd(), args.base ?? "HEAD");
}
/**
* What chose the run's tasks among those of its task files, for summary.json: grouped pull requests hold the
* whole of their group (src/github/groups.ts findPartialGroups), from this run or from its folder merged.
*/
function describeSelection(loaded, tasks, { labels, only, limit, files, changedRef }) {
	const by = [
		labels.length > 0 ? `--label ${labels.join(",")}` : "",
		only.length > 0 ? `--only ${only.join(",")}` : "",
		changedRef !== void 0 ? `--changed ${changedRef}` : "",
		files !== void 0 ? "the changed files after --" : "",
		limit !== void 0 ? `--limit ${limit}` : ""
	].filter(Boolean);
	const ran = new Set(tasks.map((task) => task.id));
	const left = loaded.filter((task) => !ran.has(task.id)).map((task) => ({
		id: task.id,
		task_file: task.source.file,
		labels: task.labels
	}));
	return by.length > 0 ? {
		by,
		labels,
		left
	} : void 0;
}
export { batch_default as default };
