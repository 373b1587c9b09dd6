// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { r as UserError } from "./errors.mjs";
import { o as git, u as gitSucceeds } from "./shard.mjs";
import { S as plural, _ as escapeText, g as escapeHtml, h as escapeCell, m as cut, p as codeSpan, v as formatCost, x as oneLine, y as formatDuration } from "./run-id.mjs";
import { a as findOverlaps, c as reasonOf, d as tailHeading, f as tailLines, i as describeOverlaps, n as describeEarlierOverlaps, r as describeNearbyChanges, t as applyToIndex, u as fenceFor } from "./patch-series.mjs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { extname, join, relative, resolve, sep } from "node:path";
// src/github/api-errors.ts
/** GitHub's answer when the repository (or its organization) does not let the Actions token open pull requests. */
const ACTIONS_MAY_NOT_OPEN_PULLS = /not permitted to create or approve pull requests/i;
const TOKEN_LACKS_PERMISSION = /Resource not accessible by integration/i;
/** What went wrong talking to GitHub, with how to fix it when GitHub's answer is a known one. */
function describeGitHubError(error) {
	const message = error instanceof Error ? error.message : String(error);
	if (statusOf(error) !== 403) return message;
	if (ACTIONS_MAY_NOT_OPEN_PULLS.test(message)) return `${message}. The repository does not let GitHub Actions open pull requests: allow it in the repository's Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests" (an organization must allow it in its own settings first), or give a personal access token or GitHub App token with contents and pull-requests write as github-token (GITHUB_TOKEN on the command line)`;
	if (TOKEN_LACKS_PERMISSION.test(message)) return `${message}. The token may not do this: give the job \`permissions: { contents: write, pull-requests: write }\`, or use a token that has them`;
	return message;
}
function statusOf(error) {
	if (typeof error !== "object" || error === null || !("status" in error)) return void 0;
	return typeof error.status === "number" ? error.status : void 0;
}
// src/github/groups.ts
const MODES = [
	"none",
	"per-task",
	"combined",
	"combined:file",
	"combined:label"
];
function parseOpenPr(value, name = "--open-pr") {
	const mode = value === void 0 || value === "" ? "per-task" : value === "combined:run" ? "combined" : value;
	const known = MODES.find((candidate) => candidate === mode);
	if (known) return known;
	if (mode.startsWith("combined:")) throw new UserError(`${name}: "${value}" groups by nothing known; expected combined:file (a pull request per task file), combined:label (per label) or combined:run (one for the run)`, "E_USAGE");
	throw new UserError(`${name}: expected none, per-task or combined, got "${value}"`, "E_USAGE");
}
/** The branch of `combined`, and of the tasks a grouping has no file or label for. */
const COMBINED_BRANCH = "batch";
/** The run's tasks in their pull requests' groups, in the order each group's first task ran. */
function groupTasks(tasks, mode, branchPrefix, options = {}) {
	if (mode === "per-task") return tasks.map((task) => ({
		branch: `${branchPrefix}${task.id}`,
		scope: { kind: "task" },
		tasks: [task]
	}));
	const run = {
		branch: `${branchPrefix}${COMBINED_BRANCH}`,
		scope: { kind: "run" },
		tasks: []
	};
	if (mode === "combined") return tasks.length === 0 ? [] : [{
		...run,
		tasks: [...tasks]
	}];
	const { fileInRepo = (file) => file, labels: chosen = [] } = options;
	const keyOf = mode === "combined:file" ? (task) => task.task_file === void 0 ? void 0 : fileInRepo(task.task_file) : (task) => chosen.length > 0 ? task.labels?.find((label) => chosen.includes(label)) : task.labels?.[0];
	const groups = /* @__PURE__ */ new Map();
	for (const task of tasks) {
		const key = keyOf(task);
		groups.set(key, [...groups.get(key) ?? [], task]);
	}
	const made = [...groups].map(([key, members]) => {
		if (key === void 0) return {
			...run,
			tasks: members
		};
		if (mode === "combined:file") return {
			branch: `${branchPrefix}file-${fileBranchName(key)}`,
			scope: {
				kind: "file",
				file: key
			},
			tasks: members
		};
		return {
			branch: `${branchPrefix}label-${slug(key)}`,
			scope: {
				kind: "label",
				label: key
			},
			tasks: members
		};
	});
	requireDistinctBranches(made);
	return made;
}
/**
* The groups a run must not deliver, each with why: those it holds only part of. A pull request holds its whole
* group, so a run of part of one (`--limit 3` to try a few, `--only`, `--changed`, a shard) would take the
* other tasks' changes out of it, and shards running at once would each replace the others', as would a merged
* run missing a shard. A task of the group that ran and did not succeed is no part left out: the pull request's
* body names it.
*/
function findPartialGroups(groups, mode, branchPrefix, { shard, selection, missing = [], ...options }) {
	const partial = /* @__PURE__ */ new Map();
	if (mode === "per-task") return partial;
	if (shard) {
		const why = `--shard ${shard.index}/${shard.count} ran part of the tasks, and the pull requests of --open-pr ${mode} hold all of their group's; deliver from the shards merged: nanocoder report merge <their run folders> --open-pr ${mode} (in a workflow, the Action's merge input)`;
		for (const group of groups) partial.set(group.branch, why);
		return partial;
	}
	if (missing.length > 0) {
		const named = `${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`;
		const why = `${missing.length} planned task(s) are in no run folder (${named}), and the pull requests of --open-pr ${mode} hold all of their group's: delivering would take their changes out; merge every shard's run folder (run the failed shard again), or deliver these with --open-pr per-task`;
		for (const group of groups) partial.set(group.branch, why);
		return partial;
	}
	if (mode === "combined" || !selection || selection.by.length === 0) return partial;
	const left = new Map(groupTasks(selection.left, mode, branchPrefix, {
		...options,
		labels: selection.labels
	}).map((group) => [group.branch, group.tasks.length]));
	for (const group of groups) {
		const missing = left.get(group.branch) ?? 0;
		if (missing === 0) continue;
		const chosen = selection.by.join(" ");
		partial.set(group.branch, `${chosen} chose ${group.tasks.length} of the group's ${group.tasks.length + missing} tasks, and its pull request holds them all: delivering would take the other ${missing}'s changes out of it; run the group without ${chosen}, or deliver these with --open-pr per-task`);
	}
	return partial;
}
/** Where task files live by default: their branches are named after the file alone. */
const TASK_FILE_HOME = ".nanocoder/tasks/";
/**
* A task file's part of its branch name, made of its path in the repository alone, so that every run of the
* file, from any directory and beside any other files, updates the same pull request: the path without its
* extension, folders joined by "-" (`tasks-jsdoc` for tasks/jsdoc.yaml), without `.nanocoder/tasks/`
* (`jsdoc`). A path git would not take as it is (spaces, "..") is cleaned and followed by a short hash of the
* path, so that two paths cleaned alike still get two branches.
*/
function fileBranchName(path) {
	const inHome = path.startsWith(TASK_FILE_HOME) ? path.slice(17) : path;
	const shown = inHome.slice(0, inHome.length - extname(inHome).length).split("/").join("-");
	const name = slug(shown);
	return name === shown ? name : `${name}-${createHash("sha1").update(path).digest("hex").slice(0, 7)}`;
}
/** Two task files whose paths read alike (a/b.yaml, a-b.yaml) would push to one branch: the second would replace the first. */
function requireDistinctBranches(groups) {
	const seen = /* @__PURE__ */ new Map();
	for (const { branch, scope } of groups) {
		const earlier = seen.get(branch);
		if (earlier?.kind === "file" && scope.kind === "file") throw new UserError(`--open-pr combined:file: the task files ${earlier.file} and ${scope.file} would both make branch ${branch}; rename one of them`, "E_USAGE");
		seen.set(branch, scope);
	}
}
/** Letters, digits, ".", "_" and "-", as git takes them in a branch name (no "..", no leading or trailing "."). */
function slug(text) {
	return text.replace(/^(\.\.?\/)+/, "").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".").replace(/^[.-]+|[.-]+$/g, "").replace(/\.lock$/, "-lock") || "tasks";
}
/**
* The pull request's title. One task: its title (or id). Several: what they share, so a reviewer reads
* "Add JSDoc to … (120 tasks from tasks/jsdoc.yaml)": the title they all have, else the words their titles
* start with, else the start their ids share (`jsdoc` of jsdoc.src-a-ts, jsdoc.src-b-ts).
*/
function groupTitle(scope, tasks) {
	const [first] = tasks;
	if (tasks.length === 1 && first) return `nanocoder: ${first.title ?? first.id}`;
	const count = `${tasks.length} tasks`;
	if (scope.kind === "run" || scope.kind === "task") return `nanocoder: ${count}`;
	const where = scope.kind === "file" ? `${count} from ${scope.file}` : `${count} labelled ${scope.label}`;
	const name = sharedName(tasks);
	return name ? `nanocoder: ${name} (${where})` : `nanocoder: ${where}`;
}
function sharedName(tasks) {
	const titles = tasks.map((task) => task.title);
	if (titles.every((title) => title !== void 0)) {
		if (titles.every((title) => title === titles[0])) return titles[0];
		const words = commonPrefix(titles.map((title) => title.split(/\s+/)));
		if (words.length >= 2) return `${words.join(" ")} …`;
	}
	const parts = commonPrefix(tasks.map((task) => task.id.split(".")));
	return parts.length > 0 ? parts.join(".") : void 0;
}
function commonPrefix(lists) {
	const [first = [], ...rest] = lists;
	let length = first.length;
	for (const list of rest) {
		let at = 0;
		while (at < length && list[at] === first[at]) at++;
		length = at;
	}
	return first.slice(0, length);
}
// src/github/pull-settings.ts
const FLAGS_NEEDING_OPEN_PR = [
	"branch-prefix",
	"pr-labels",
	"pr-draft",
	"base-branch"
];
/**
* The command line's pull-request settings, with the token and repository from the environment. Undefined
* without --open-pr (or with --open-pr none), where the other pull-request flags would silently do nothing
* and are refused.
*/
async function pullSettingsFromFlags(args, env) {
	const mode = args["open-pr"] === void 0 ? "none" : parseOpenPr(args["open-pr"]);
	if (mode === "none") {
		const given = FLAGS_NEEDING_OPEN_PR.find((flag) => args[flag] !== void 0);
		if (given) throw new UserError(`--${given} only applies to pull requests: add --open-pr per-task or --open-pr combined, or drop --${given}`, "E_USAGE");
		return;
	}
	const branchPrefix = await parseBranchPrefix(args["branch-prefix"], "--branch-prefix");
	const labels = parsePrLabels(args["pr-labels"], "--pr-labels");
	const { GITHUB_TOKEN: token, GITHUB_REPOSITORY: repository } = env;
	if (!token || !repository) throw new UserError("--open-pr needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name) in the environment", "E_USAGE");
	return {
		mode,
		repository,
		token,
		apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
		baseBranch: args["base-branch"],
		branchPrefix,
		labels,
		draft: args["pr-draft"] === true
	};
}
/** An explicit empty prefix is refused rather than defaulted: it is more likely an unset variable than a wish. */
async function parseBranchPrefix(value, name, cwd = process.cwd()) {
	if (value === void 0) return "nanocoder/";
	if (value === "") throw new UserError(`${name}: expected a prefix such as nanocoder/ or bot/, got ""`, "E_USAGE");
	if (!await gitSucceeds(["check-ref-format", `refs/heads/${value}task`], cwd)) throw new UserError(`${name}: "${value}" cannot start a git branch name (no spaces, "..", "~", "^", ":", "?", "*", "[" or "\\"); use e.g. nanocoder/`, "E_USAGE");
	return value;
}
function parsePrLabels(value, name) {
	if (value === void 0) return [];
	const labels = parseLabels(value);
	if (labels.length === 0) throw new UserError(`${name}: expected labels separated by commas, e.g. nanocoder,refactoring, got "${value}"`, "E_USAGE");
	return labels;
}
/** true or false, in YAML 1.2's spellings (true, True, TRUE…), as the Actions toolkit reads booleans. */
function parseDraft(value, name) {
	return parseBooleanInput(value, name, false);
}
/** An input that is true or false in YAML's spellings (as core.getBooleanInput reads them); `absent` when empty. */
function parseBooleanInput(value, name, absent) {
	if (value === void 0 || value === "") return absent;
	if (/^(true|True|TRUE)$/.test(value)) return true;
	if (/^(false|False|FALSE)$/.test(value)) return false;
	throw new UserError(`${name}: expected true or false, got "${value}"`, "E_USAGE");
}
/** Pull-request labels separated by commas (or new lines, as the Action's pr-labels input allows); blanks are dropped. */
function parseLabels(value) {
	return value.split(/[,\n]/).map((label) => label.trim()).filter(Boolean);
}
// src/github/branch-commit.ts
/** Names the run that made a commit. */
const RUN_TRAILER = "Nanocoder-Run";
/** The tree nanocoder gave the commit: a commit amended since (message kept) no longer has it. */
const TREE_TRAILER = "Nanocoder-Tree";
/**
* The commit of the tasks' patches on the run's base, made in a temporary index: the user's working tree,
* index and branches are never touched. `outDir` is the run folder the patches are read from. A patch that
* does not go on top of the ones before it (two tasks changed the same lines) is left out and named, and the
* others are committed: one conflict does not hold back a hundred tasks. When none applies, it throws.
*/
async function commitPatches(tasks, summary, repoRoot, outDir) {
	const scratch = await mkdtemp(join(tmpdir(), "nanocoder-pr-"));
	const env = {
		GIT_INDEX_FILE: join(scratch, "index"),
		...await identity(repoRoot)
	};
	const overlaps = findOverlaps(tasks.map((task) => ({
		id: task.id,
		files: task.files_changed
	})));
	try {
		await git(["read-tree", summary.base], repoRoot, env);
		const applied = /* @__PURE__ */ new Map();
		const leftOut = [];
		for (const task of tasks) {
			const how = await applyToIndex(repoRoot, join(outDir, task.patch), env);
			if (typeof how === "string") {
				applied.set(task.id, how);
				continue;
			}
			const sharing = tasks.filter((other) => applied.has(other.id) && other.files_changed.some((file) => task.files_changed.includes(file)));
			const near = describeNearbyChanges(await readPatch(task, outDir), await Promise.all(sharing.map((other) => readPatch(other, outDir))));
			const earlier = describeEarlierOverlaps(task.id, overlaps);
			const after = near ? `after the patches of ${near}, which change the same lines or lines next to them` : earlier ? `after the patches of ${earlier}, which change the same files` : `to ${summary.base.slice(0, 12)}`;
			leftOut.push({
				id: task.id,
				reason: `does not apply ${after}: ${gitSays(how.failure)}`
			});
		}
		const committed = tasks.filter((task) => applied.has(task.id));
		if (committed.length === 0) throw new Error(leftOut.map(({ id, reason }) => `the patch of ${id} ${reason}`).join("; "));
		const tree = (await git(["write-tree"], repoRoot, env)).trim();
		const message = commitMessage(committed, summary.run_id, tree);
		return {
			commit: (await git([
				"commit-tree",
				tree,
				"-p",
				summary.base,
				"-F",
				"-"
			], repoRoot, env, message)).trim(),
			tasks: committed,
			applied,
			leftOut
		};
	} finally {
		await rm(scratch, {
			recursive: true,
			force: true
		});
	}
}
async function readPatch(task, outDir) {
	return {
		id: task.id,
		text: await readFile(join(outDir, task.patch), "latin1")
	};
}
/** git's last words ("error: index.md: patch does not apply"), without the command line before them. */
function gitSays(message) {
	return message.split("\n").map((line) => line.replace(/^git .* failed \([^)]*\): /, "").trim()).filter(Boolean).at(-1) ?? message;
}
function commitMessage(tasks, runId, tree) {
	const [first] = tasks;
	return `${tasks.length === 1 && first ? first.title ?? first.id : `nanocoder batch: ${tasks.length} tasks`}\n${tasks.length > 1 ? `\n${tasks.map((task) => `- ${task.id}${task.title ? `: ${task.title}` : ""}`).join("\n")}\n` : ""}\n${RUN_TRAILER}: ${runId}\n${TREE_TRAILER}: ${tree}\n`;
}
/** The user's git identity, else the Actions bot's. */
async function identity(repoRoot) {
	const name = (await git(["config", "user.name"], repoRoot).catch(() => "")).trim() || "github-actions[bot]";
	const email = (await git(["config", "user.email"], repoRoot).catch(() => "")).trim() || "41898213+github-actions[bot]@users.noreply.github.com";
	const env = {};
	for (const role of ["AUTHOR", "COMMITTER"]) {
		env[`GIT_${role}_NAME`] = process.env[`GIT_${role}_NAME`] ?? name;
		env[`GIT_${role}_EMAIL`] = process.env[`GIT_${role}_EMAIL`] ?? email;
	}
	return env;
}
// src/github/branch-ownership.ts
/** How far down a branch's first parents nanocoder's commit is looked for. */
const COMMITS_LOOKED_AT = 50;
const FIELD = "";
const RECORD = "";
/**
* The remote branch's commit when nanocoder may replace it, undefined when there is no such branch; refuses any other.
*
* nanocoder made a commit when it names a run and still has the tree nanocoder recorded beside it: a commit
* amended with the message kept (`git commit --amend --no-edit`) or rebased has another tree, and a person's
* commit has no trailer, so neither is overwritten. (A message-only amend keeps the files, and is not told
* apart: overwriting it loses no change to the code.)
*
* The branch may be replaced when its last commit is nanocoder's, or when nanocoder's commit is followed only by
* merges that bring in commits the run's base holds and whose files are exactly what git makes of the merge by
* itself, as GitHub's "Update branch" does: the new commit, made on that base, then loses nothing. A merge whose
* files differ from git's own (a conflict resolved by hand, an edit) holds a person's work, as does any other
* commit on top, and the branch is left alone, with what to do about it.
*/
async function requireOwnBranch(repoRoot, remote, branch, env, runBase) {
	if ((await git([
		"ls-remote",
		"--heads",
		remote,
		`refs/heads/${branch}`
	], repoRoot, env)).trim() === "") return void 0;
	await git([
		"fetch",
		"--quiet",
		"--no-tags",
		remote,
		`refs/heads/${branch}`
	], repoRoot, env);
	const chain = await firstParents(repoRoot, "FETCH_HEAD");
	const madeAt = chain.findIndex((commit) => lastTrailer(commit.message, RUN_TRAILER) !== void 0);
	const made = chain[madeAt];
	if (!made) throw new Error(`branch ${branch} exists and its last commit has no ${RUN_TRAILER} trailer: it was not made by nanocoder, so it is left alone; rename or delete that branch if it is not needed, or give nanocoder another branch prefix`);
	requireNanocoderFiles(made, branch, madeAt === 0);
	for (const added of chain.slice(0, madeAt).reverse()) {
		const why = await whyNotAMergeOfTheBase(repoRoot, added, runBase);
		if (why) throw new Error(`branch ${branch} is nanocoder's (its commit ${short(made.id)}, run ${lastTrailer(made.message, "Nanocoder-Run") ?? ""}), but ${why}, so it is left alone; merge or close its pull request, or delete the branch to let nanocoder make it again`);
	}
	return chain[0]?.id;
}
/** The commit still has the tree nanocoder recorded in it. */
function requireNanocoderFiles(commit, branch, last) {
	const recorded = lastTrailer(commit.message, TREE_TRAILER);
	if (recorded === commit.tree) return;
	const which = last ? "its last commit" : `its commit ${short(commit.id)}`;
	throw new Error(`branch ${branch} exists and ${which} ${recorded === void 0 ? `has no ${TREE_TRAILER} trailer (an older nanocoder made it, or a person changed it)` : `no longer has the files nanocoder gave it (${TREE_TRAILER}): a person changed it`}, so it is left alone; merge or close its pull request, or delete the branch to let nanocoder make it again`);
}
/** Why a commit added on top of nanocoder's holds work that replacing the branch would lose; undefined when it holds none. */
async function whyNotAMergeOfTheBase(repoRoot, commit, runBase) {
	const named = `${short(commit.id)} "${commit.subject}"`;
	const [ours, theirs, ...more] = commit.parents;
	if (theirs === void 0) return `a commit was added on top of it (${named})`;
	if (more.length > 0) return `the merge ${named} joins more than two branches`;
	if (!await gitSucceeds([
		"merge-base",
		"--is-ancestor",
		theirs,
		runBase
	], repoRoot)) return `the merge ${named} brings in ${short(theirs)}, which the run's base ${short(runBase)} does not hold (a branch other than the base, a base newer than the run's, or a shallow checkout: actions/checkout with fetch-depth: 0 lets nanocoder see it)`;
	const merged = await git([
		"merge-tree",
		"--write-tree",
		"--no-messages",
		ours ?? "",
		theirs
	], repoRoot).then((output) => ({ tree: output.split("\n")[0]?.trim() }), (error) => ({ failure: error instanceof Error ? error.message : String(error) }));
	if ("failure" in merged && !merged.failure.includes("(exit 1)")) return `the merge ${named} could not be checked (git 2.38 or newer is needed): ${merged.failure}`;
	if (!("tree" in merged) || merged.tree !== commit.tree) return `the merge ${named} resolves a conflict or changes files by hand, which replacing the branch would lose`;
}
/** The commit `ref` and the first parents before it, newest first. */
async function firstParents(repoRoot, ref) {
	const format = [
		"%H",
		"%T",
		"%P",
		"%s",
		"%B"
	].join("%x1f") + "%x1e";
	return (await git([
		"log",
		"--first-parent",
		`--max-count=${COMMITS_LOOKED_AT}`,
		`--format=${format}`,
		ref
	], repoRoot)).split(RECORD).map((record) => record.replace(/^\n/, "")).filter((record) => record !== "").map((record) => {
		const [id = "", tree = "", parents = "", subject = "", message = ""] = record.split(FIELD);
		return {
			id,
			tree,
			parents: parents.split(" ").filter(Boolean),
			subject,
			message
		};
	});
}
function lastTrailer(message, name) {
	return [...message.matchAll(new RegExp(`^${name}: (\\S+)$`, "gm"))].map((match) => match[1]).at(-1);
}
function short(id) {
	return id.slice(0, 12);
}
// src/github/pull-body.ts
/** GitHub refuses a pull request body longer than this (characters). */
const PULL_BODY_LIMIT = 65536;
/** GitHub refuses a longer pull request title. */
const PULL_TITLE_LIMIT = 256;
/**
* The pull request's description, within GitHub's limit however many tasks it holds: the tasks it does not
* hold and the overlapping changes first (what a reviewer must know), then a row per task, then each task's
* checks and answer, as many as fit; what does not fit is counted and left to the run folder.
*/
function pullRequestBody(input, summary, limit = PULL_BODY_LIMIT) {
	const intro = `Opened by nanocoder batch, run \`${summary.run_id}\` from \`${summary.base.slice(0, 12)}\`.`;
	const trailer = `${RUN_TRAILER}: ${summary.run_id}`;
	const [only] = input.tasks;
	if (input.tasks.length === 1 && only && input.notIncluded.length === 0 && input.overlaps.length === 0) return fit([
		intro,
		"",
		renderTaskSection(only)
	].join("\n"), trailer, limit);
	const head = [
		intro,
		"",
		describeScope(input),
		...renderNotIncluded(input.notIncluded),
		...renderOverlaps(input.overlaps)
	];
	let budget = limit - length(head) - trailer.length - 400;
	const rows = [];
	for (const task of input.tasks) {
		const row = renderRow(task);
		if (row.length + 1 > budget) break;
		rows.push(row);
		budget -= row.length + 1;
	}
	const table = [
		"",
		"| task | files | checks | turns | cost |",
		"| --- | ---: | --- | ---: | ---: |",
		...rows
	];
	budget -= length(table);
	if (rows.length < input.tasks.length) table.push("", `And ${plural(input.tasks.length - rows.length, "more task")}, listed in the run folder's summary.json.`);
	const sections = [];
	for (const task of input.tasks) {
		const section = `\n${renderTaskSection(task)}`;
		if (section.length + 1 > budget) break;
		sections.push(section);
		budget -= section.length + 1;
	}
	const unshown = input.tasks.length - sections.length;
	const more = unshown > 0 ? ["", `The checks and answers of ${plural(unshown, "more task")} are in the run folder, in \`tasks/<id>/result.json\`.`] : [];
	return fit([
		...head,
		...table,
		...sections,
		...more
	].join("\n"), trailer, limit);
}
/** A title GitHub takes. */
function fitTitle(title) {
	return title.length <= PULL_TITLE_LIMIT ? title : `${title.slice(0, 255)}…`;
}
function describeScope({ scope, tasks }) {
	const count = plural(tasks.length, "task");
	switch (scope.kind) {
		case "file": return `The changes of ${count} from the task file \`${scope.file}\`.`;
		case "label": return `The changes of ${count} labelled \`${scope.label}\`.`;
		default: return tasks.length === 1 ? "The change of one task." : `The changes of ${count}.`;
	}
}
/** Shown in full up to this many; past it, counted. */
const NOT_INCLUDED_SHOWN = 20;
const REASON_SHOWN_CHARS = 400;
function renderNotIncluded(entries) {
	if (entries.length === 0) return [];
	const shown = entries.slice(0, NOT_INCLUDED_SHOWN).map(({ id, reason }) => `- **${id}**: ${escapeText(cut(oneLine(reason), REASON_SHOWN_CHARS))}`);
	const rest = entries.length > NOT_INCLUDED_SHOWN ? [`- and ${entries.length - NOT_INCLUDED_SHOWN} more (the run's report.md lists them)`] : [];
	return [
		"",
		`Not in this pull request (${plural(entries.length, "task")}):`,
		"",
		...shown,
		...rest
	];
}
function renderOverlaps(lines) {
	if (lines.length === 0) return [];
	return [
		"",
		"### Files changed by more than one task",
		"",
		...lines.map((line) => `- ${line}`)
	];
}
function renderRow(task) {
	const name = task.title ? `${task.id}: ${escapeCell(escapeText(oneLine(task.title)))}` : task.id;
	const passed = task.checks.filter((check) => check.passed).length;
	const checks = task.checks.length === 0 ? "none" : `✔ ${passed}${passed < task.checks.length ? ` ✖ ${task.checks.length - passed}` : ""}`;
	return `| ${name} | ${task.files_changed.length} | ${checks} | ${task.turns} | ${formatCost(task.cost_usd)} |`;
}
/** Longest answer of the model shown; the whole one is in result.json. */
const FINAL_MESSAGE_SHOWN = 8e3;
function renderTaskSection(task) {
	const checks = task.checks.length === 0 ? ["- no checks"] : task.checks.map((check) => `- ${check.passed ? "✔" : "✖"} \`${check.name}\` (${formatDuration(check.duration_ms)})`);
	const failedRuns = [...(task.earlier_checks ?? []).filter((check) => !check.passed), ...task.checks.filter((check) => !check.passed).map((check) => ({
		...check,
		attempt: task.attempts
	}))];
	const denials = task.denied_calls.length === 0 ? [] : [
		"",
		`Policy denials (${task.denials}):`,
		"",
		...task.denied_calls.map((call) => `- ${call.tool} \`${call.subject.replace(/`/g, "'")}\`: ${call.reason} (rule \`${call.rule}\`)`)
	];
	const message = task.final_message?.trim();
	const answer = message === void 0 || message === "" ? [] : [
		"",
		"<details><summary>The model's last answer</summary>",
		"",
		message.length > FINAL_MESSAGE_SHOWN ? `${message.slice(0, FINAL_MESSAGE_SHOWN)}\n\n… (cut; the whole answer is in ${codeSpan(`tasks/${task.id}/result.json`)})` : message,
		"",
		"</details>"
	];
	return [
		`### ${task.id}${task.title ? `: ${task.title}` : ""}`,
		"",
		`Status **${task.status}**${task.status === "succeeded" ? "" : ` (${task.stop_reason}: ${reasonOf(task)})`} · ${task.provider}/${task.model} · ${plural(task.turns, "turn")} · cost ${formatCost(task.cost_usd)} · ${task.files_changed.length} file(s) changed`,
		"",
		"Checks:",
		"",
		...checks,
		...failedRuns.flatMap((check) => renderFailedRun(check)),
		...denials,
		...answer
	].join("\n");
}
/** A failed check run, folded: its last lines, from the log in the run folder (the workflow's artifact). */
function renderFailedRun(check) {
	const tail = tailLines(check).join("\n");
	const fence = fenceFor(tail);
	const name = check.name.replace(/\s+/g, " ").replace(/`/g, "'");
	return [
		"",
		`<details><summary>Attempt ${check.attempt}: <code>${escapeHtml(name)}</code> ${check.timed_out ? "timed out" : `failed (exit code ${String(check.exit_code)})`}</summary>`,
		"",
		tailHeading(check, `\`${check.log}\``),
		"",
		`${fence}text`,
		tail,
		fence,
		"",
		"</details>"
	];
}
/** The text and the trailer, the text cut short should one task's section alone outgrow the limit. */
function fit(text, trailer, limit) {
	const room = limit - trailer.length - 2;
	if (text.length <= room) return `${text}\n\n${trailer}`;
	return `${text.slice(0, room - 60)}

… (cut to fit GitHub's limit; the run folder has the rest)\n\n${trailer}`;
}
function length(lines) {
	return lines.reduce((sum, line) => sum + line.length + 1, 0);
}
// src/github/push-auth.ts
/**
* The environment that makes git authenticate to the remote with `token` and nothing else.
*
* actions/checkout saves its own token as `http.https://github.com/.extraheader`. git sends every extra header
* configured for a URL, and of the keys that match it only the most specific one counts (`http.<url>.extraheader`
* wins over `http.extraheader`, whatever the order), so a header added under `http.extraheader` alone would
* be dropped or sent beside the checkout's. An empty value empties the list of headers; so each configured
* key, the generic one first, is given an empty value and then the token, from the environment (read after
* every config file): whichever key git settles on for the remote, the token is the one header left.
* Nothing is written to the config, and the token never goes into a URL.
*/
async function pushAuthEnv(repoRoot, token) {
	const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
	const entries = ["http.extraheader", ...await urlHeaderKeys(repoRoot)].flatMap((key) => [[key, ""], [key, header]]);
	const env = { GIT_CONFIG_COUNT: String(entries.length) };
	entries.forEach(([key, value], index) => {
		env[`GIT_CONFIG_KEY_${index}`] = key;
		env[`GIT_CONFIG_VALUE_${index}`] = value;
	});
	return env;
}
/** Every `http.<url>.extraheader` key in the config git reads for the repository (none is exit 1). */
async function urlHeaderKeys(repoRoot) {
	const listed = await git([
		"config",
		"--null",
		"--name-only",
		"--get-regexp",
		"^http\\..+\\.extraheader$"
	], repoRoot).catch(() => "");
	return [...new Set(listed.split("\0").filter((key) => key !== ""))];
}
// src/github/stale-pulls.ts
/**
* The open pull requests, from earlier runs, of branches this run has no change for (their task did not
* succeed, or changed nothing): each is named in the log and the job summary, and left as it was. Nothing is
* closed: the change it holds may still be wanted. A lookup that fails is logged and skipped; it loses nothing.
*/
async function findLeftPulls(quiet, context) {
	const { octokit, owner, repo } = context;
	const left = [];
	for (const { tasks, branch, reason } of quiet) {
		const open = await octokit.rest.pulls.list({
			owner,
			repo,
			head: `${owner}:${branch}`,
			state: "open"
		}).then((response) => response.data[0], (error) => void context.log(`could not look for an open pull request from ${branch}: ${describeGitHubError(error)}`));
		if (!open) continue;
		context.log(`${tasks.join(", ")}: pull request #${open.number} from a previous run was left as it was: ${reason} (${open.html_url})`);
		left.push({
			tasks,
			branch,
			url: open.html_url,
			number: open.number,
			action: "left",
			reason
		});
	}
	return left;
}
// src/github/pulls.ts
/**
* For each group of tasks (one task, a task file, a label, the whole run): of its succeeded tasks with a change,
* a branch, a commit carrying the run's trailers, a push to the remote and a pull request, opened or, when one
* is open from the branch, updated. Each group is delivered on its own: one that fails holds back no other.
*/
async function openPullRequests(options) {
	const [owner, repo] = options.repository.split("/");
	if (!owner || !repo) throw new UserError(`GITHUB_REPOSITORY: expected owner/name, got "${options.repository}"`, "E_USAGE");
	await requireBaseCommit(options.summary, options.repoRoot);
	const { getOctokit: connect } = await import("./github.mjs");
	const octokit = connect(options.token, { baseUrl: options.apiUrl });
	const context = {
		...options,
		owner,
		repo,
		octokit
	};
	const baseBranch = options.baseBranch || (await octokit.rest.repos.get({
		owner,
		repo
	})).data.default_branch;
	const outcomes = [];
	const quiet = [];
	const fileInRepo = (file) => relative(options.repoRoot, resolve(file)).split(sep).join("/");
	const { selection, shard, missing_tasks: missing } = options.summary;
	const grouping = {
		fileInRepo,
		labels: selection?.labels
	};
	const groups = groupTasks(options.summary.tasks, options.mode, options.branchPrefix, grouping);
	const partial = findPartialGroups(groups, options.mode, options.branchPrefix, {
		...grouping,
		shard,
		selection,
		missing
	});
	for (const group of groups) {
		const whyPartial = partial.get(group.branch);
		if (whyPartial !== void 0) {
			const error = `not opened or updated: ${whyPartial}`;
			options.log(`pull request for ${group.branch}: ${error}`);
			outcomes.push({
				tasks: group.tasks.map((task) => task.id),
				branch: group.branch,
				error
			});
			continue;
		}
		const changed = [];
		const unchanged = [];
		const secret = [];
		for (const task of group.tasks) {
			const why = await whyNotDelivered(task, options.outDir);
			if (why === void 0) changed.push(task);
			else if (why !== SECRET) unchanged.push({
				task: task.id,
				reason: why
			});
			else {
				const error = `not pushed: the patch holds a secret's value; review ${task.patch} before taking it`;
				options.log(`${task.id}: ${error}`);
				outcomes.push({
					tasks: [task.id],
					branch: group.branch,
					error
				});
				secret.push({
					task: task.id,
					reason: "its patch holds a secret's value, which is never pushed"
				});
			}
		}
		if (changed.length === 0) {
			const [one] = unchanged;
			if (one) quiet.push({
				tasks: unchanged.map(({ task }) => task),
				branch: group.branch,
				reason: group.scope.kind === "task" ? one.reason : "no task produced a change"
			});
			continue;
		}
		const failures = new Map(group.tasks.filter((task) => task.status !== "succeeded").map((task) => [task.id, `did not succeed (${task.stop_reason}): ${reasonOf(task)}`]));
		const notIncluded = [...unchanged, ...secret].map(({ task, reason }) => ({
			id: task,
			reason: failures.get(task) ?? reason
		}));
		const delivered = await deliver({
			...group,
			tasks: changed
		}, notIncluded, baseBranch, context).catch((error) => [{
			tasks: changed.map((task) => task.id),
			branch: group.branch,
			error: describeGitHubError(error)
		}]);
		for (const outcome of delivered) options.log(outcome.error ? `pull request for ${outcome.branch}: ${outcome.error}` : `${outcome.action} ${outcome.url}`);
		outcomes.push(...delivered);
	}
	outcomes.push(...await findLeftPulls(quiet, context));
	return outcomes;
}
const SECRET = Symbol("secret");
/** Why a task has nothing for a pull request; undefined when it has a change to deliver. */
async function whyNotDelivered(task, outDir) {
	if (task.status !== "succeeded") return `the task did not succeed (${task.status})`;
	if (await patchSize(outDir, task) === 0) return "the task produced no change";
	return task.patch_has_secret ? SECRET : void 0;
}
/** One group's pull request; a task whose patch conflicts with the ones before it is left out of it, and named. */
async function deliver(group, notIncluded, baseBranch, context) {
	const { branch } = group;
	const remote = context.remote ?? "origin";
	if (branch === baseBranch || branch === "") throw new Error(`refusing to push to the base branch ${baseBranch}`);
	const overlaps = findOverlaps(group.tasks.map((task) => ({
		id: task.id,
		files: task.files_changed
	})));
	if (overlaps.length > 0) context.log(`${branch}: ${overlaps.length} file(s) changed by more than one task (${overlaps.slice(0, 3).map((overlap) => `${overlap.file}: ${overlap.tasks.join(", ")}`).join("; ")}${overlaps.length > 3 ? "; …" : ""})`);
	const auth = await pushAuthEnv(context.repoRoot, context.token);
	const seen = await requireOwnBranch(context.repoRoot, remote, branch, auth, context.summary.base);
	const made = await commitPatches(group.tasks, context.summary, context.repoRoot, context.outDir);
	const lease = `--force-with-lease=refs/heads/${branch}:${seen ?? ""}`;
	await git([
		"push",
		lease,
		remote,
		`${made.commit}:refs/heads/${branch}`
	], context.repoRoot, auth);
	const { octokit, owner, repo } = context;
	const ids = made.tasks.map((task) => task.id);
	const title = fitTitle(groupTitle(group.scope, made.tasks));
	const body = pullRequestBody({
		scope: group.scope,
		tasks: made.tasks,
		notIncluded: [...made.leftOut.map(({ id, reason }) => ({
			id,
			reason: `left out: the patch ${reason}`
		})), ...notIncluded],
		overlaps: describeOverlaps(overlaps, made.applied, made.leftOut)
	}, context.summary);
	const existing = (await octokit.rest.pulls.list({
		owner,
		repo,
		head: `${owner}:${branch}`,
		state: "open"
	})).data[0];
	let outcome;
	if (!existing) {
		const pull = (await octokit.rest.pulls.create({
			owner,
			repo,
			head: branch,
			base: baseBranch,
			title,
			body,
			draft: context.draft
		})).data;
		outcome = await addLabels({
			tasks: ids,
			branch,
			url: pull.html_url,
			number: pull.number,
			action: "opened"
		}, context);
	} else {
		const updated = {
			tasks: ids,
			branch,
			url: existing.html_url,
			number: existing.number,
			action: "updated"
		};
		const refused = await octokit.rest.pulls.update({
			owner,
			repo,
			pull_number: existing.number,
			title,
			body
		}).then(() => void 0, describeGitHubError);
		outcome = refused === void 0 ? await addLabels(updated, context) : {
			...updated,
			error: `the branch was updated, but the description of pull request #${existing.number} was not (it still describes an earlier run): ${refused}`
		};
	}
	const leftOut = made.leftOut.map(({ id, reason }) => ({
		tasks: [id],
		branch,
		error: `left out of pull request #${outcome.number ?? ""} (${outcome.url ?? branch}): the patch ${reason}`
	}));
	return [outcome, ...leftOut];
}
/** The labels, on a pull request that is there whether or not they can be added. */
async function addLabels(outcome, { octokit, owner, repo, labels }) {
	if (labels.length === 0 || outcome.number === void 0) return outcome;
	const refused = await octokit.rest.issues.addLabels({
		owner,
		repo,
		issue_number: outcome.number,
		labels
	}).then(() => void 0, describeGitHubError);
	return refused === void 0 ? outcome : {
		...outcome,
		error: `pull request #${outcome.number} was ${outcome.action ?? "opened"}, but its labels could not be added: ${refused}`
	};
}
/** The branches are made on the run's base commit, which a checkout of another commit (or a shallow one) may lack. */
async function requireBaseCommit(summary, repoRoot) {
	if (await gitSucceeds([
		"cat-file",
		"-e",
		`${summary.base}^{commit}`
	], repoRoot)) return;
	throw new UserError(`the run started from commit ${summary.base.slice(0, 12)}, which the repository at ${repoRoot} does not hold: open the pull requests from a checkout of that commit (in a workflow, actions/checkout of the commit the run used)`, "E_BAD_BASE");
}
async function patchSize(outDir, task) {
	return (await stat(join(outDir, task.patch)).catch(() => void 0))?.size ?? 0;
}
export { parsePrLabels as a, describeGitHubError as c, parseDraft as i, parseBooleanInput as n, pullSettingsFromFlags as o, parseBranchPrefix as r, parseOpenPr as s, openPullRequests as t };
