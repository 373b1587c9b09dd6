// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { t as defineCommand } from "./dist2.mjs";
import { a as requireKnownServers, c as writelessWarning, d as taskKeyLocation, f as repositoryFiles, l as loadTasks, o as resolveInputs, p as describeCombination, r as environmentOf, t as DEFAULT_RUNS_DIR } from "./plan.mjs";
import { t as loadMcpServers, v as isDynamicPattern } from "./config.mjs";
import { g as requireSafeWritable, i as findRepoRoot, n as parseShard, o as git, t as inShard } from "./shard.mjs";
import { S as plural } from "./run-id.mjs";
import { i as someTasks, n as parseLimit, r as selectByChanges, t as chooseTasks } from "./select.mjs";
import { i as UserErrors, r as UserError } from "./errors.mjs";
import { b as minimatch, i as resolvePathsAsWritten, s as decide, x as unescape } from "./load.mjs";
import { a as runArgs, c as toRunRequest, i as repeatedValues, o as selectionArgs, r as rejectUnknownFlags, s as splitFileNames, t as batchOnlyArgs } from "./args.mjs";
import { homedir } from "node:os";
import { isAbsolute, join, posix } from "node:path";
// src/run/context-check.ts
/**
* What `validate` can tell about the tasks' `context` entries before anything runs, against the files of
* the commit the tasks start from, each at the entry's line.
*/
async function checkContext(tasks, repoRoot, ref = "HEAD") {
	const problems = {
		errors: [],
		warnings: []
	};
	if (!tasks.some(({ task }) => task.context.length > 0)) return problems;
	const files = await filesAt(repoRoot, ref);
	const fileSet = new Set(files);
	const dynamic = /* @__PURE__ */ new Map();
	const isGlob = (glob) => {
		let found = dynamic.get(glob);
		if (found === void 0) dynamic.set(glob, found = isDynamicPattern(glob));
		return found;
	};
	const matchesAFile = (glob) => fileSet.has(glob) || (files ?? []).some((file) => minimatch(file, glob, { dot: true }));
	const decisions = /* @__PURE__ */ new WeakMap();
	const readDecision = (policy, glob) => {
		const byGlob = decisions.get(policy) ?? /* @__PURE__ */ new Map();
		decisions.set(policy, byGlob);
		let decision = byGlob.get(glob);
		if (!decision) {
			decision = decide(policy, resolvePathsAsWritten("read_file", [{
				kind: "read",
				path: glob
			}]));
			byGlob.set(glob, decision);
		}
		return decision;
	};
	const said = /* @__PURE__ */ new Set();
	for (const { task, policy } of tasks) task.context.forEach((pattern, index) => {
		const where = () => `${taskKeyLocation(task.source, ["context", index])}: context[${index}]: "${pattern}"`;
		const glob = posix.normalize(pattern.replace(/^(\.\/)+/, ""));
		let problem;
		if (isAbsolute(pattern) || glob === ".." || glob.startsWith("../")) problem = {
			message: `${where()} is outside the workspace; context files are paths or globs inside the repository`,
			error: true
		};
		else if (files && !matchesAFile(glob)) problem = {
			message: `${where()} matches no file at ${ref}; the task would end as error. Correct the path, or commit the file`,
			error: true
		};
		else if (fileSet.has(glob) || !isGlob(glob)) {
			const decision = readDecision(policy, fileSet.has(glob) ? glob : unescape(glob));
			if (decision.decision === "deny") problem = {
				message: `${where()} will not be given to the model: ${decision.reason}`,
				error: false
			};
		}
		if (!problem || said.has(problem.message)) return;
		said.add(problem.message);
		if (problem.error) problems.errors.push(new UserError(problem.message, "E_TASK_CONTEXT"));
		else problems.warnings.push(problem.message);
	});
	return problems;
}
/** Every file of `ref`'s tree, or undefined when there is no such commit yet. */
async function filesAt(repoRoot, ref) {
	return (await git([
		"ls-tree",
		"-r",
		"-z",
		"--name-only",
		ref
	], repoRoot).catch(() => void 0))?.split("\0").filter((name) => name !== "");
}
// src/cli/commands/validate.ts
const validateArgs = {
	config: runArgs.config,
	policy: runArgs.policy,
	provider: runArgs.provider,
	model: runArgs.model,
	"base-url": runArgs["base-url"],
	"max-turns": runArgs["max-turns"],
	"max-cost-usd": runArgs["max-cost-usd"],
	"allow-unpriced": runArgs["allow-unpriced"],
	base: {
		type: "string",
		description: "Commit whose files for_each globs match (default HEAD)",
		valueHint: "REF"
	},
	staged: {
		type: "boolean",
		description: "As batch --staged chooses: for_each globs match the staged files, and a -- with no names after it stands for the staged files (what a pre-commit hook would run)"
	},
	...selectionArgs,
	shard: batchOnlyArgs.shard,
	changed: {
		type: "string",
		description: "Only the tasks whose files match a file changed since REF, as batch --changed chooses them (file names after -- work the same way)",
		valueHint: "REF"
	},
	list: {
		type: "boolean",
		description: "Print the tasks the files expand to (id and values), one a line, without checking providers or the policy"
	},
	json: {
		type: "boolean",
		description: "With --list (implied): the tasks as JSON"
	}
};
var validate_default = defineCommand({
	meta: {
		name: "validate",
		description: "Check task files, the policy and the config without calling a model"
	},
	args: {
		tasks: {
			type: "positional",
			description: "Task files or globs",
			required: false
		},
		...validateArgs
	},
	async run({ args, rawArgs }) {
		rejectUnknownFlags(rawArgs, validateArgs);
		const { patterns, files } = splitFileNames(args._, rawArgs);
		if (patterns.length === 0) throw new UserError("validate: give one or more task files or globs, e.g. nanocoder validate tasks/*.yaml (file names after `--` are changed files)", "E_USAGE");
		if (args.staged && args.base !== void 0) throw new UserError("--staged expands the tasks from the staged files, so it cannot be combined with --base; drop one of them", "E_USAGE");
		const limit = parseLimit(args.limit);
		const expandFrom = args.staged ? repositoryFiles(process.cwd(), void 0, process.env) : repositoryFiles(process.cwd(), args.base ?? "HEAD");
		const loaded = someTasks(await loadTasks(patterns, process.cwd(), { files: expandFrom }), patterns);
		const chosen = chooseTasks(loaded, {
			labels: repeatedValues(rawArgs, "label"),
			only: repeatedValues(rawArgs, "only")
		});
		const changed = await selectByChanges(chosen, {
			files,
			changedRef: args.changed,
			staged: args.staged === true
		});
		const shard = parseShard(args.shard);
		const tasks = (limit === void 0 ? changed : changed.slice(0, limit)).filter((task) => inShard(task.id, shard));
		if (args.list || args.json) {
			printList(tasks, args.json === true);
			return "succeeded";
		}
		const repoRoot = await findRepoRoot(process.cwd()).catch(() => void 0);
		const inputs = await resolveInputs(tasks, toRunRequest(args), repoRoot);
		for (const warning of writelessWarning(inputs.tasks)) process.stderr.write(`${warning}\n`);
		if (repoRoot) {
			requireSafeWritable(inputs.policy.sandbox?.writable ?? [], {
				repoRoot,
				outDir: join(repoRoot, DEFAULT_RUNS_DIR),
				source: inputs.policy.source
			});
			requireKnownServers(tasks, await loadMcpServers({
				projectRoot: repoRoot,
				home: homedir(),
				env: process.env,
				cwd: process.cwd()
			}));
			const context = await checkContext(inputs.tasks, repoRoot);
			if (context.errors.length > 0) throw new UserErrors(context.errors);
			for (const warning of context.warnings) process.stderr.write(`warning: ${warning}\n`);
			const { environmentWarnings } = await environmentOf(repoRoot, inputs.policy, inputs.tasks.map(({ task }) => task));
			for (const warning of environmentWarnings) process.stderr.write(`${warning}\n`);
		}
		const lines = inputs.tasks.map(({ task, provider, model, limits }) => `ok ${task.id} (${provider.name}/${model}, ${plural(limits.max_turns, "turn")}, ${limits.timeout_ms / 1e3}s)\n`);
		process.stdout.write(lines.join(""));
		for (const warning of inputs.policy.warnings ?? []) process.stderr.write(`${warning}\n`);
		process.stdout.write(`${inputs.tasks.length} task(s) valid; policy ${inputs.policy.source}\n`);
		return "succeeded";
	}
});
/** `validate --list`: each task's id and values, aligned; `--json`: the tasks as JSON, for scripts. */
function printList(tasks, json) {
	if (json) {
		process.stdout.write(`${JSON.stringify({ tasks: tasks.map(listedTask) }, null, 2)}\n`);
		return;
	}
	const width = Math.min(60, Math.max(0, ...tasks.map((task) => task.id.length)));
	const lines = tasks.map((task) => {
		const values = task.values ? describeCombination(task.values) : "";
		return values === "" ? task.id : `${task.id.padEnd(width)}  ${values}`;
	});
	process.stdout.write(lines.length > 0 ? `${lines.join("\n")}\n` : "");
	process.stderr.write(`${plural(tasks.length, "task")}\n`);
}
/** One task of `validate --list --json`: what the expansion filled in, as it will run. */
function listedTask(task) {
	return {
		id: task.id,
		source: `${task.source.file}:${task.source.line}:${task.source.column}`,
		...task.title === void 0 ? {} : { title: task.title },
		labels: task.labels,
		values: task.values ?? {},
		...task.provider === void 0 ? {} : { provider: task.provider },
		...task.model === void 0 ? {} : { model: task.model },
		...task.files ? { files: task.files } : {},
		prompt: task.prompt,
		context: task.context,
		checks: task.checks.map(({ name, run }) => ({
			name,
			run
		})),
		...task.output ? { output: task.output.schema } : {}
	};
}
export { validate_default as default };
