// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { S as escape, g as resolveProvider, h as loadConfig, m as findConfigFile, n as loadPolicy, y as Minimatch } from "./load.mjs";
import { t as datetime } from "./iso.mjs";
import { a as taskResultSchema, i as schemaUrl, m as collectSecrets, n as manifestEntrySchema, o as jsonLines, t as describeIssues } from "./schema.mjs";
import { _ as glob, c as inDependencyFolder, g as makeRemovable, i as describeMissingInstall, o as findDependencies, r as serverSecrets, t as loadMcpServers, u as missingInstalls, v as isDynamicPattern } from "./config.mjs";
import { h as intersection, i as UserErrors, r as UserError, y as object } from "./errors.mjs";
import { A as decodeUtf8, D as validateYaml, E as positionOfText, O as require_dist, P as formatDurationText, T as positionOf, _ as resolveSandbox, a as findRepoRootAndCommit, c as gitScript, d as resolveCommit, i as findRepoRoot, j as readUserFile, k as closestMatch, o as git, r as commitIndex, s as gitCommand, t as inShard, w as parseYamlDocuments, x as formatPath } from "./shard.mjs";
import { a as outputFieldSchema, l as EventLog, o as resolveTaskOutput, r as taskFileSchema, t as createRunId, w as isPriced } from "./run-id.mjs";
import { n as killProcessGroup, t as killLeftoversAfterExit } from "./process-tree.mjs";
import { once } from "node:events";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { access, appendFile, copyFile, lstat, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path, { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { constants as constants$2, createReadStream, createWriteStream } from "node:fs";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
// src/shared/execa.ts
/**
* execa, loaded the first time a command runs rather than at start-up: it takes about 50 ms to load, and
* a task that runs no command (nor a run whose tasks run none) should not pay for it.
*/
function loadExeca() {
	return import("./execa2.mjs");
}
// src/workspace/worktree.ts
var import_dist = require_dist();
/**
* Adds a detached worktree of `ref` (a commit) at `dir`. The user's working tree, index and branches are untouched;
* only git's own worktree list gains an entry until `removeWorktree`. The entry is added without a checkout,
* one at a time per repository; the files are then written outside that queue, in parallel with other tasks.
*/
async function addWorktree(repoRoot, ref, dir) {
	const commit = /^[0-9a-f]{40,64}$/.test(ref) ? ref : (await git([
		"rev-parse",
		"--verify",
		`${ref}^{commit}`
	], repoRoot)).trim();
	await serialized(repoRoot, () => withRetries(() => git([
		"worktree",
		"add",
		"--detach",
		"--no-checkout",
		"--quiet",
		dir,
		commit
	], repoRoot)));
	const dotGit = await readFile(join(dir, ".git"), "utf8");
	const gitDir = gitDirOf(dir, dotGit);
	const commondir = await readFile(join(gitDir, "commondir"), "utf8");
	const gitdir = await readFile(join(gitDir, "gitdir"), "utf8");
	const worktree = {
		dir,
		gitDir,
		commonDir: resolve(gitDir, commondir.trim()),
		index: `${dir}.index`,
		made: {
			dotGit,
			commondir,
			gitdir
		}
	};
	try {
		await gitScript(ownGit(worktree, [
			"-c",
			"checkout.workers=0",
			"read-tree",
			"--reset",
			"-u",
			commit
		]), dir, `checking out ${commit} in ${dir}`);
		await rebuildGitFolder(worktree, commit);
	} catch (error) {
		await removeWorktree(worktree);
		throw error;
	}
	return worktree;
}
function gitDirOf(dir, dotGit) {
	const path = /^gitdir: (.+)$/m.exec(dotGit)?.[1]?.trim();
	if (!path) throw new Error(`${dir}/.git does not name the worktree's git folder`);
	return isAbsolute(path) ? path : resolve(dir, path);
}
/**
* A git command for nanocoder's own work on the worktree, as shell text: the repository's git folder, the
* worktree's files, nanocoder's index. No HEAD, ref or reflog is written; the user's sparse-checkout
* and submodule-recursion settings do not apply.
*/
function ownGit(worktree, args, index = worktree.index) {
	const { args: all, env } = ownGitArgs(worktree, args, index);
	return gitCommand(all, env);
}
/** The same git command as ownGit, as arguments and environment, for running it without a shell (one start less). */
function ownGitArgs(worktree, args, index = worktree.index) {
	const settings = [
		"core.sparseCheckout=false",
		"core.logAllRefUpdates=false",
		"submodule.recurse=false"
	].flatMap((setting) => ["-c", setting]);
	return {
		args: [...[
			`--git-dir=${worktree.commonDir}`,
			`--work-tree=${worktree.dir}`,
			...settings
		], ...args],
		env: { GIT_INDEX_FILE: index }
	};
}
/**
* A script that brings a used worktree back to a clean checkout of `commit`: every tracked file as
* committed, untracked and ignored files (nested repositories too) gone, but the paths in `keep` (linked
* dependency folders, which the next task checks before it uses them). Only the files a task touched are
* written, which is what makes reuse cheap on a large repository. rebuildGitFolder finishes the job.
*/
function resetScript(worktree, commit, keep = []) {
	return `${ownGit(worktree, [
		"-c",
		"checkout.workers=0",
		"read-tree",
		"--reset",
		"-u",
		commit
	])} && ${ownGit(worktree, [
		"clean",
		"-ffdxq",
		...keep.map((path) => `--exclude=/${path.replace(/[\\*?[]/g, "\\$&")}`)
	])}`;
}
/**
* Writes the worktree's git folder and `.git` file anew, as a fresh worktree of `commit` has them: HEAD
* detached at it, nanocoder's index, git's own pointers, nothing else. Whatever a task left there (a merge
* half-way, sparse-checkout or config files, symlinks) is removed, never followed.
*/
async function rebuildGitFolder(worktree, commit) {
	if (!isWorktreeEntry(worktree.gitDir)) throw new Error(`${worktree.gitDir} is not a worktree's git folder`);
	await rm(worktree.gitDir, {
		recursive: true,
		force: true
	});
	await rm(join(worktree.dir, ".git"), {
		recursive: true,
		force: true
	});
	await mkdir(worktree.gitDir);
	await writeFile(join(worktree.gitDir, "HEAD"), `${commit}\n`, { flag: "wx" });
	await writeFile(join(worktree.gitDir, "commondir"), worktree.made.commondir, { flag: "wx" });
	await writeFile(join(worktree.gitDir, "gitdir"), worktree.made.gitdir, { flag: "wx" });
	await copyFile(worktree.index, join(worktree.gitDir, "index.new"));
	await rename(join(worktree.gitDir, "index.new"), join(worktree.gitDir, "index"));
	await writeFile(join(worktree.dir, ".git"), worktree.made.dotGit, { flag: "wx" });
}
/**
* Removes the worktree's folder, git's entry for it and nanocoder's index, whatever state the task left
* them in. Deleting the entry is what `git worktree prune` does for a worktree whose folder is gone,
* limited to this one. Never throws.
*/
async function removeWorktree(worktree) {
	await rm(worktree.dir, {
		recursive: true,
		force: true
	}).catch(async () => {
		makeRemovable(worktree.dir);
		await rm(worktree.dir, {
			recursive: true,
			force: true
		}).catch(() => void 0);
	});
	await rm(worktree.index, { force: true }).catch(() => void 0);
	if (isWorktreeEntry(worktree.gitDir)) await rm(worktree.gitDir, {
		recursive: true,
		force: true
	}).catch(() => void 0);
}
function isWorktreeEntry(gitDir) {
	return gitDir.split(sep).at(-2) === "worktrees";
}
/**
* Another process (a second run on the same repository) can still be half-way through its own
* worktree command; git then fails reading that worktree's metadata. Such failures pass on a retry.
*/
async function withRetries(work, attempts = 5) {
	for (let attempt = 1;; attempt++) try {
		return await work();
	} catch (error) {
		if (attempt >= attempts || !/worktrees\/|index\.lock|could not lock/i.test(String(error))) throw error;
		await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
	}
}
/**
* git's worktree commands read every other worktree's metadata and fail on one that is half
* written ("failed to read .git/worktrees/x/commondir"), so they run one at a time per repository.
*/
const queues = /* @__PURE__ */ new Map();
function serialized(repoRoot, work) {
	const next = (queues.get(repoRoot) ?? Promise.resolve()).then(work, work);
	queues.set(repoRoot, next.catch(() => void 0));
	return next;
}
// src/run/checks.ts
/** After SIGTERM, the process tree gets this long before SIGKILL. */
const KILL_GRACE_MS = 2e3;
/** The end of a check's output read back from its log: far more than the tail the model gets. */
const OUTPUT_END_BYTES = 65536;
/** What of a check's output goes back to the model and into events: its end, where the failures are. */
const TAIL_MAX_LINES = 80;
const TAIL_MAX_BYTES = 4096;
/** What reports and the task line show of a failed check: enough lines to say why, few enough to read. */
const REPORT_TAIL_LINES = 20;
const REPORT_TAIL_BYTES = 2048;
/** Runs the checks in order, up to the first that fails. Throws when the signal aborts, after killing the process tree. */
async function runChecks(checks, attempt, context) {
	await mkdir(context.logDir, { recursive: true });
	const slugs = checkSlugs(checks.map((check) => context.redact ? context.redact(check.name) : check.name));
	const runs = [];
	const held = await context.holdWorktree?.();
	try {
		for (const [index, check] of checks.entries()) {
			const file = `${attempt}-${slugs[index]}.log`;
			const run = await runCheck(check, attempt, {
				path: join(context.logDir, file),
				name: `${context.logDirName ?? context.logDir}/${file}`
			}, context);
			await context.afterCommand?.(`check "${check.name}"`);
			runs.push(run);
			const last = !run.passed || index === checks.length - 1;
			const undone = last ? await held?.putBack() ?? [] : [];
			context.emit({
				type: "check_result",
				name: run.name,
				attempt,
				exit_code: run.exit_code,
				timed_out: run.timed_out,
				duration_ms: run.duration_ms,
				output_tail: outputTail(run.output, void 0, void 0, run.lines),
				...undone.length > 0 ? { undone } : {}
			});
			if (last) break;
		}
	} catch (error) {
		await held?.putBack().catch(() => void 0);
		throw error;
	} finally {
		await held?.release();
	}
	return runs;
}
/**
* Runs one check with its output going straight to `logPath` (stdout and stderr interleaved as written,
* however long: nothing is held in memory), then reads back the end of it.
*/
async function runCheck(check, attempt, log, { workspace, env, signal, emit, redact, wrapCommand }) {
	const logPath = log.path;
	emit({
		type: "check_start",
		name: check.name,
		command: check.run,
		attempt
	});
	const started = Date.now();
	const rawPath = `${logPath}.partial`;
	await writeFile(rawPath, "");
	const result = await runCommandToLog(check.run, rawPath, {
		workspace,
		env,
		signal,
		timeoutMs: check.timeout_ms,
		...wrapCommand ? { wrapCommand } : {}
	});
	if (!(result.exitCode !== void 0 || result.timedOut)) await appendFile(rawPath, `${result.shortMessage}\n`);
	await saveLog(rawPath, logPath, redact);
	if (result.isCanceled) throw new Error(`check "${check.name}" was stopped; its process tree was killed`);
	const output = await readEnd(logPath, OUTPUT_END_BYTES);
	const lines = await countLines(logPath);
	const exitCode = result.timedOut ? null : result.exitCode ?? null;
	const passed = exitCode === 0;
	return {
		name: check.name,
		command: check.run,
		passed,
		exit_code: exitCode,
		timed_out: result.timedOut,
		duration_ms: Date.now() - started,
		log: log.name,
		...passed ? {} : { output_tail: outputTail(asShown(output), REPORT_TAIL_LINES, REPORT_TAIL_BYTES, lines) },
		timeout_ms: check.timeout_ms,
		output,
		lines
	};
}
/**
* Runs `bash -c command` (inside the sandbox when `wrapCommand` says so) with stdout and stderr appended to
* `logPath` as written, and its whole process tree killed when it ends, times out or is cancelled. Checks
* and the setup step run their commands this way.
*/
async function runCommandToLog(command, logPath, { workspace, env, signal, timeoutMs, wrapCommand }) {
	const plain = {
		file: "bash",
		args: ["-c", command],
		env
	};
	const spawn = wrapCommand ? wrapCommand(plain) : plain;
	const { execa } = await loadExeca();
	const toLog = {
		file: logPath,
		append: true
	};
	const subprocess = execa(spawn.file, spawn.args, {
		cwd: workspace,
		env: spawn.env,
		extendEnv: false,
		stdin: "ignore",
		stdout: toLog,
		stderr: toLog,
		reject: false,
		timeout: timeoutMs,
		cancelSignal: signal,
		killDescendants: true,
		forceKillAfterDelay: KILL_GRACE_MS
	});
	killLeftoversAfterExit(subprocess);
	const result = await subprocess;
	killProcessGroup(subprocess.pid);
	return result;
}
/** Moves the raw output to its log, line by line through `redact` when there are secrets to hide. */
async function saveLog(rawPath, logPath, redact) {
	if (!redact) {
		await rename(rawPath, logPath);
		return;
	}
	const lines = createInterface({
		input: createReadStream(rawPath),
		crlfDelay: Number.POSITIVE_INFINITY
	});
	const out = createWriteStream(logPath);
	let first = true;
	for await (const line of lines) {
		if (!first && !out.write("\n")) await once(out, "drain");
		first = false;
		if (!out.write(redact(line))) await once(out, "drain");
	}
	if (await endsWithNewline(rawPath)) out.write("\n");
	out.end();
	await finished(out);
	await rm(rawPath, { force: true });
}
async function endsWithNewline(path) {
	return await readEnd(path, 1) === "\n";
}
/** Lines in a file, the last one counted whether or not a newline ends it. */
async function countLines(path) {
	let newlines = 0;
	let last = 10;
	for await (const chunk of createReadStream(path)) {
		for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) newlines++;
		last = chunk.at(-1) ?? last;
	}
	return last === 10 ? newlines : newlines + 1;
}
/** The last `maxBytes` bytes of a file as text, starting at a whole UTF-8 character. */
async function readEnd(path, maxBytes) {
	const file = await open(path, "r");
	try {
		const { size } = await file.stat();
		const length = Math.min(size, maxBytes);
		const buffer = Buffer.alloc(length);
		await file.read(buffer, 0, length, size - length);
		return lastBytes(buffer.toString("utf8"), maxBytes);
	} finally {
		await file.close();
	}
}
/** "failed with exit code 1", "timed out after 5m", "could not run". */
function describeCheckFailure(run) {
	if (run.timed_out) return `timed out after ${formatDurationText(run.timeout_ms)}`;
	if (run.exit_code === null) return "could not run";
	return `failed with exit code ${run.exit_code}`;
}
/** The user message that sends a failed check back to the model. `attemptsLeft` counts the attempt about to start. */
function checkFailureMessage(run, attemptsLeft) {
	const command = run.command === run.name ? "" : ` (\`${run.command}\`)`;
	const tail = outputTail(run.output, void 0, void 0, run.lines);
	const fence = "`".repeat(Math.max(3, longestBacktickRun(tail) + 1));
	const left = attemptsLeft <= 1 ? "This is the last attempt." : `${attemptsLeft - 1} more attempt(s) after this one.`;
	return [
		`You finished, but the check "${run.name}"${command} ${describeCheckFailure(run)}. Its output:`,
		"",
		fence,
		tail === "" ? "(no output)" : tail,
		fence,
		"",
		`Fix the cause and call finish when you are done: the checks then run again. ${left}`
	].join("\n");
}
/** The end of a check's output, at most TAIL_MAX_LINES lines and TAIL_MAX_BYTES bytes, saying when it was cut. */
function outputTail(output, maxLines = TAIL_MAX_LINES, maxBytes = TAIL_MAX_BYTES, totalLines) {
	const lines = output.replace(/\n$/, "").split("\n");
	const total = Math.max(totalLines ?? lines.length, lines.length);
	let kept = lines.slice(-maxLines);
	while (kept.length > 1 && Buffer.byteLength(kept.join("\n")) > maxBytes) kept = kept.slice(1);
	let text = kept.join("\n");
	if (Buffer.byteLength(text) > maxBytes) text = lastBytes(text, maxBytes);
	return kept.length < total || text !== kept.join("\n") ? `[output cut: the last ${kept.length} of ${total} lines]\n${text}` : text;
}
/** A file name for each check, from its name: lower-case letters, digits and "-", unique within the task. */
function checkSlugs(names) {
	const used = /* @__PURE__ */ new Set();
	return names.map((name) => {
		const base = checkSlug(name);
		let slug = base;
		for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
		used.add(slug);
		return slug;
	});
}
function checkSlug(name) {
	const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60).replace(/^-+|-+$/g, "");
	return slug === "" ? "check" : slug;
}
/**
* Output as a terminal would have shown it, fit for a report: colour and other escape sequences taken out,
* and of a line redrawn with carriage returns (a progress bar) only what was drawn last.
*/
function asShown(output) {
	return output.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g, "").split("\n").map((line) => line.replace(/\r+$/, "").split("\r").at(-1) ?? "").join("\n").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}
function lastBytes(text, maxBytes) {
	const bytes = Buffer.from(text, "utf8");
	let start = bytes.length - maxBytes;
	while (start < bytes.length && ((bytes[start] ?? 0) & 192) === 128) start++;
	return bytes.subarray(start).toString("utf8");
}
function longestBacktickRun(text) {
	return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
// src/run/setup.ts
/** Lockfiles whose content decides whether an install is still current, when the policy names no `setup.inputs`. */
const LOCKFILES = [
	"package-lock.json",
	"npm-shrinkwrap.json",
	"yarn.lock",
	"pnpm-lock.yaml",
	"bun.lock",
	"bun.lockb",
	"poetry.lock",
	"uv.lock",
	"Pipfile.lock",
	"requirements.txt",
	"Gemfile.lock",
	"composer.lock",
	"Cargo.lock",
	"go.sum"
];
/** Lines of a failed setup's log that its tasks' error carries; the whole is in the log. */
const FAILURE_TAIL_LINES = 15;
/** A setup step that did not succeed: the tasks it was for end with this, not with a model error. */
var SetupFailed = class extends Error {
	name = "SetupFailed";
};
/**
* What decides whether a worktree's setup results can serve a task: the commands and the content of their
* inputs in the worktree. The same key means the same results.
*/
async function setupKey(commands, inputs, worktree) {
	const hash = createHash("sha256");
	hash.update(JSON.stringify(commands));
	for (const input of inputs) {
		const content = await readFile(join(worktree, input)).catch(() => void 0);
		hash.update(`\0${input}\0${content === void 0 ? "missing" : createHash("sha256").update(content).digest("hex")}`);
	}
	return hash.digest("hex");
}
/**
* Runs the setup commands in order in the worktree, up to the first that fails; one log for all of them.
* Throws SetupFailed naming the command, its exit, the log and the log's last lines.
*/
async function runSetupCommands(run) {
	await mkdir(dirname(run.logPath), { recursive: true });
	const rawPath = `${run.logPath}.partial`;
	await writeFile(rawPath, "");
	const deadline = Date.now() + run.timeoutMs;
	let failure;
	for (const command of run.commands) {
		await appendFile(rawPath, `$ ${command}\n`);
		const left = deadline - Date.now();
		if (left <= 0) {
			failure = `\`${command}\` did not start: setup.timeout was used up`;
			break;
		}
		const result = await runCommandToLog(command, rawPath, {
			workspace: run.worktree.dir,
			env: run.env,
			signal: run.signal,
			timeoutMs: left,
			...run.wrapCommand ? { wrapCommand: run.wrapCommand } : {}
		});
		if (result.isCanceled) {
			await saveLog(rawPath, run.logPath, run.redact);
			throw new SetupFailed(`setup was stopped during \`${command}\``);
		}
		if (result.timedOut) failure = `\`${command}\` timed out (setup.timeout)`;
		else if (result.exitCode === void 0) failure = `\`${command}\` could not run: ${result.shortMessage}`;
		else if (result.exitCode !== 0) failure = `\`${command}\` exited with code ${result.exitCode}`;
		if (failure) break;
	}
	await saveLog(rawPath, run.logPath, run.redact);
	if (!failure) return;
	const tail = outputTail(await readEnd(run.logPath, 16384), FAILURE_TAIL_LINES);
	throw new SetupFailed(`setup failed: ${failure}; its log is ${run.logName}, ending:\n${tail}`);
}
/**
* After setup: what it changed in files git tracks (or added beside them, unignored) is undone, so no patch
* carries it (an `npm install` rewriting package-lock.json). Returns the paths undone.
*/
async function undoTrackedChanges(worktree, base) {
	const undone = [...await gitLines(worktree, [
		"diff",
		"--name-only",
		"-z",
		"--no-renames"
	]), ...await gitLines(worktree, [
		"ls-files",
		"--others",
		"--exclude-standard",
		"-z"
	])];
	if (undone.length > 0) await gitScript(`${ownGit(worktree, [
		"-c",
		"checkout.workers=0",
		"read-tree",
		"--reset",
		"-u",
		base
	])} && ${ownGit(worktree, ["clean", "-fdq"])}`, worktree.dir, "undoing what setup changed in tracked files");
	return undone;
}
/**
* After the policy's setup: tracked changes undone (undoTrackedChanges), and what it made that git ignores
* (an installed `node_modules`, a `.venv`, build output) moved to `store` at the same relative paths, out of
* the tasks' reach, and returned. What it left inside a shared folder it did not replace (`dropped`: a cache
* written there) is removed. The worktree is then clean again.
*/
async function keepSetupResults(worktree, base, store, dropped) {
	const undone = await undoTrackedChanges(worktree, base);
	const ignored = await gitLines(worktree, [
		"ls-files",
		"--others",
		"--ignored",
		"--exclude-standard",
		"--directory",
		"-z"
	]);
	const kept = [];
	for (const listed of ignored) {
		const path = listed.replace(/\/$/, "");
		if (path === "" || path === ".git") continue;
		if ((await lstat(join(worktree.dir, path)).catch(() => void 0))?.isSymbolicLink() === true || dropped.some((folder) => path === folder || path.startsWith(`${folder}/`))) {
			await rm(join(worktree.dir, path), {
				recursive: true,
				force: true
			});
			continue;
		}
		await mkdir(dirname(join(store, path)), { recursive: true });
		await rename(join(worktree.dir, path), join(store, path));
		kept.push(path);
	}
	return {
		kept,
		undone
	};
}
/**
* A warning when setup will run without any network: an install that downloads then fails after its
* retries (npm's take a minute), so the run says so first. Offline installs (`npm ci --offline`) are fine.
*/
function setupNetworkWarning(setup, sandbox, policySource) {
	if (!setup || setup.run.length === 0 || sandbox?.mode === "none" || (setup.network ?? sandbox?.network ?? false) !== false) return void 0;
	return `warning: ${policySource}: setup runs without network (neither setup.network nor sandbox.network gives it any), so an install that downloads fails; list the registry it needs, e.g. \`setup: {network: [registry.npmjs.org]}\`, unless it installs offline`;
}
async function gitLines(worktree, args) {
	return (await gitScript(ownGit(worktree, args), worktree.dir, `git ${args[0]} after setup`)).toString("utf8").split("\0").filter(Boolean);
}
// src/run/manifest.ts
const MANIFEST_FILE = "manifest.jsonl";
/** A record as --resume reads it: `ts` is needed of the run_start alone (the run's start), so its absence elsewhere is no error. */
const readLineSchema = intersection(object({ ts: datetime().optional() }), manifestEntrySchema);
/** The writer of a run folder's manifest.jsonl. */
function openManifest(outDir, redact) {
	const log = new EventLog(join(outDir, MANIFEST_FILE), redact, schemaUrl("manifest-line"));
	return {
		append: (entry) => log.append(entry),
		close: () => log.close()
	};
}
/**
* A task's definition, hashed: what it asks and how it is checked and limited, not where in its file it
* stands nor which changed files chose it. Pure.
*/
function taskDigest(task) {
	const { source: _source, changedFiles: _changedFiles, ...definition } = task;
	return createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 16);
}
/**
* The kept tasks whose definition is not the one they ran with: their results would sit in one report
* beside tasks run from the new text, which the warning says, with how to run them again.
*/
function changedSinceRun(state, tasks) {
	const digests = state.digests;
	if (!digests) return [];
	const changed = tasks.filter((task) => state.finished.has(task.id) && digests[task.id] !== void 0 && digests[task.id] !== taskDigest(task)).map((task) => task.id);
	if (changed.length === 0) return [];
	return [`warning: --resume keeps the results of ${changed.length} task(s) whose definition changed since the run began: ${someIds(changed)}; they ran with the earlier text. To run them with the new one, start a new run of them (--only ${changed.length === 1 ? changed[0] : "ID"}), or --retry-failed if they failed`];
}
/**
* The tasks a resumed run keeps: those that ran to an end of the model's or the task's own. `error` (the
* provider, setup or the runner failed) and `interrupted` run again, as does a task that never started
* (its budget was spent first). With --retry-failed, only the succeeded ones are kept.
*/
function keptStatuses(retryFailed) {
	return retryFailed ? ["succeeded"] : [
		"succeeded",
		"failed",
		"limit_exceeded"
	];
}
/** Reads `--resume DIR`: its manifest and the results of the tasks to keep. */
async function readRunFolder(outDir, shown, options = {}) {
	const path = join(outDir, MANIFEST_FILE);
	const text = await readFile(path, "utf8").catch(() => void 0);
	if (text === void 0) throw new UserError(`--resume ${shown}: not a run folder (no ${MANIFEST_FILE}); give the folder a run printed as "results: <folder>"`, "E_USAGE");
	const entries = parseManifest(text, shown);
	const start = entries[0];
	if (start?.type !== "run_start") throw new UserError(`${shown}/${MANIFEST_FILE}:1:1: expected a run_start record first; this is not a run folder nanocoder wrote`, "E_USAGE");
	const ended = /* @__PURE__ */ new Map();
	const started = /* @__PURE__ */ new Set();
	for (const entry of entries) {
		if (entry.type === "task_end") ended.set(entry.id, entry.status);
		if (entry.type === "task_start") started.add(entry.id);
	}
	const kept = keptStatuses(options.retryFailed === true);
	const finished = /* @__PURE__ */ new Map();
	for (const id of start.tasks) {
		const status = ended.get(id);
		if (status === void 0 || !started.has(id) || !kept.includes(status)) continue;
		const result = await readResult(join(outDir, "tasks", id, "result.json"), id);
		if (result) finished.set(id, result);
	}
	return {
		runId: start.run_id,
		base: start.base,
		startedAt: start.ts === void 0 ? /* @__PURE__ */ new Date() : new Date(start.ts),
		activeMs: activeMs(entries),
		tasks: start.tasks,
		finished,
		...start.digests ? { digests: start.digests } : {}
	};
}
/**
* The tasks a resumed run goes on with: the run's own, out of those given now. More given than the run had
* is the usual case after `--limit`, `--only`, `--label` or `--changed` (the manifest's task list is the
* selection, so it is applied again); a task of the run that is not given now is an error.
*/
function tasksToResume(state, ids, shown) {
	const given = new Set(ids);
	const recorded = new Set(state.tasks);
	const missing = state.tasks.filter((id) => !given.has(id));
	if (missing.length === 0) return recorded;
	const added = ids.filter((id) => !recorded.has(id));
	const parts = [`not given now: ${someIds(missing)}`, added.length > 0 ? `not in the run: ${someIds(added)}` : ""].filter(Boolean);
	throw new UserError(`--resume ${shown}: the tasks differ from the run's (${parts.join("; ")}); give the task files the run was given, or start a new run without --resume`, "E_USAGE");
}
/** A few ids of a list that may hold thousands (a for_each), and how many more. */
function someIds(ids) {
	const shown = ids.slice(0, 5).map((id) => `"${id}"`).join(", ");
	return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}
/**
* Worktrees a crashed run left behind: their temporary folders, then git's entries for them, and only
* those: the user's own entries (a worktree on a drive not mounted now) stay, unlike with `git worktree prune`.
*/
async function removeStaleWorktrees(repoRoot, runId) {
	const prefix = `nanocoder-${runId}-`;
	const names = await readdir(tmpdir()).catch(() => []);
	for (const name of names) if (name.startsWith(prefix)) await rm(join(tmpdir(), name), {
		recursive: true,
		force: true
	});
	const entries = join((await git([
		"rev-parse",
		"--path-format=absolute",
		"--git-common-dir"
	], repoRoot).catch(() => "")).trim(), "worktrees");
	for (const entry of await readdir(entries).catch(() => [])) if ((await readFile(join(entries, entry, "gitdir"), "utf8").catch(() => "")).trim().startsWith(join(tmpdir(), prefix))) await rm(join(entries, entry), {
		recursive: true,
		force: true
	});
}
/**
* The time the runs of a folder were at work: each from its run_start or run_resume line to its last line
* (its run_end, or what it wrote before it was killed). Between the runs the folder only waited.
*/
function activeMs(entries) {
	let total = 0;
	let since;
	let last;
	for (const entry of entries) {
		const at = entry.ts === void 0 ? NaN : Date.parse(entry.ts);
		if (Number.isNaN(at)) continue;
		if (entry.type === "run_start" || entry.type === "run_resume") {
			if (since !== void 0 && last !== void 0) total += last - since;
			since = at;
		}
		last = at;
	}
	return since !== void 0 && last !== void 0 ? total + last - since : total;
}
/**
* The manifest's records. A line that is no JSON was cut short by a crash: what it announced did not
* complete. A whole line of another shape was not written by nanocoder: an error naming it.
*/
function parseManifest(text, shown) {
	const entries = [];
	for (const { line, json } of jsonLines(text)) {
		const parsed = readLineSchema.safeParse(json);
		if (!parsed.success) throw new UserError(`${shown}/${MANIFEST_FILE}:${line}: not a manifest record: ${describeIssues(parsed.error)}; this is not a run folder nanocoder wrote`, "E_USAGE");
		entries.push(parsed.data);
	}
	return entries;
}
/** A kept task's result.json, or undefined when it is missing or unreadable: the task then runs again. */
async function readResult(path, id) {
	try {
		const parsed = taskResultSchema.safeParse(JSON.parse(await readFile(path, "utf8")));
		return parsed.success && parsed.data.id === id ? parsed.data : void 0;
	} catch {
		return;
	}
}
// src/provider/price-table.ts
let loading;
/**
* The price table, loaded on first need. It is some 600 KB of data that costs about 0.1 s of CPU to load:
* the commands and paths that never price or size a model (`--version`, `validate`, `policy`, `doctor`,
* `report`) do not pay for it.
*/
function loadPriceTable() {
	return loading ??= import("./dist3.mjs").then((module) => module.calcPrice);
}
// src/policy/narrow.ts
/** The run's policy with a task's deny rules appended: it can only refuse more, never allow more. */
function narrowPolicy(policy, task, source, locate = () => source) {
	if (!task) return policy;
	const add = (list, entries, section) => ({
		allow: list.allow,
		deny: [...list.deny, ...entries.map((entry, index) => toRule(entry, locate([
			"policy",
			...section,
			"deny",
			index
		])))]
	});
	return {
		...policy,
		source: `${policy.source} + ${source}`,
		files: {
			read: add(policy.files.read, task.files.read.deny, ["files", "read"]),
			write: add(policy.files.write, task.files.write.deny, ["files", "write"])
		},
		commands: add(policy.commands, task.commands.deny, ["commands"]),
		tools: add(policy.tools, task.tools.deny, ["tools"])
	};
}
function toRule(entry, source) {
	return typeof entry === "string" ? {
		pattern: entry,
		source
	} : {
		...entry,
		source
	};
}
// src/task/expand.ts
/** The built-in variable: every file the task is about (its glob, chunk and package values), separated by spaces. */
const FILES_VARIABLE = "files";
const RESERVED = /* @__PURE__ */ new Set([
	FILES_VARIABLE,
	"include",
	"exclude"
]);
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `{{ name }}` or `{{ name.field }}`, spaces optional; `\{{ name }}` is the text `{{ name }}`, left as it is. */
const PLACEHOLDER = /(\\)?\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\s*\}\}/g;
/** The placeholders of a text to fill, without the escaped ones: each as written, with its name. */
function placeholdersIn(text) {
	return [...text.matchAll(PLACEHOLDER)].flatMap((match) => match[1] === void 0 ? [{
		written: match[0],
		name: match[2] ?? ""
	}] : []);
}
/** The fields variables are substituted in; `output` throughout. */
const TEMPLATE_FIELDS = [
	"prompt",
	"title",
	"context",
	"files",
	"checks",
	"output",
	"model",
	"provider"
];
/**
* The tasks a `for_each` makes, as ids and variables (in axis order: the first axis varies slowest).
* Every problem is a UserError at its line in `source`; a glob that matches nothing is a warning.
*/
async function expandForEach(baseId, forEach, source, files) {
	const { include = [], exclude = [], ...axisSpecs } = forEach;
	const where = (path, target = "key") => at(source, ["for_each", ...path], target);
	const errors = [];
	if (Object.keys(axisSpecs).length === 0) errors.push(new UserError(`${where([])}: for_each: no axis; name at least one, e.g. for_each: {file: {glob: "src/**/*.ts"}}`, "E_TASK_INVALID"));
	for (const name of Object.keys(axisSpecs)) if (RESERVED.has(name)) errors.push(new UserError(`${where([name])}: for_each.${name}: "${name}" is a built-in name; call the axis something else`, "E_TASK_INVALID"));
	else if (!VARIABLE_NAME.test(name)) errors.push(new UserError(`${where([name])}: for_each: "${name}" is not a variable name; use letters, digits and "_", starting with a letter`, "E_TASK_INVALID"));
	if (errors.length > 0) throw new UserErrors(errors);
	const warnings = [];
	const axes = [];
	for (const [name, spec] of Object.entries(axisSpecs)) {
		const resolved = await resolveAxis(name, spec, files, where);
		if (resolved.warning) warnings.push(resolved.warning);
		axes.push(resolved.axis);
	}
	const axisNames = axes.map((axis) => axis.name);
	errors.push(...checkEntries("exclude", exclude, axisNames, where, true), ...checkEntries("include", include, axisNames, where, false));
	const givesFiles = axes.some((axis) => axis.kind !== "list");
	errors.push(...checkVariables(source, /* @__PURE__ */ new Set([
		...axisNames,
		...givesFiles ? [FILES_VARIABLE] : [],
		...include.flatMap((entry) => Object.keys(entry))
	])));
	if (errors.length > 0) throw new UserErrors(errors);
	const count = axes.reduce((product, axis) => product * axis.values.length, 1) + include.length;
	if (count > 1e5) {
		const sizes = axes.map((axis) => `${axis.values.length} ${axis.name}`).join(" × ");
		throw new UserError(`${where([])}: for_each: ${sizes}${include.length > 0 ? ` + ${include.length} include` : ""} make ${count.toLocaleString("en-US")} tasks, more than the ${MAX_EXPANDED_TASKS.toLocaleString("en-US")} one for_each may make; narrow a glob, group files with chunk: N, or split the axes over several task files`, "E_TASK_INVALID");
	}
	const combinations = combine(axes, include, exclude);
	const ids = combinationIds(baseId, combinations);
	const duplicate = firstDuplicate(ids);
	if (duplicate) {
		const [first, second] = duplicate.map((index) => describeCombination(combinations[index]?.variables ?? {}));
		throw new UserError(`${where([])}: for_each: two tasks have the same values (${first}; ${second}), so the same id "${ids[duplicate[0]]}"; remove the repeated value`, "E_TASK_DUPLICATE_ID");
	}
	return {
		axes,
		ids,
		combinations,
		warnings
	};
}
const asIs = (value) => value;
/**
* A value as one word of a POSIX shell: left as it is when made of characters no shell reads specially,
* else in single quotes (a `'` inside as `'\''`). A committed file named `a;touch x;.js` must not run `touch`.
*/
const shellQuote = (value) => /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
/**
* A value as a glob naming exactly it: wildcards, brackets, parentheses and braces escaped, and a leading `!`
* or `#`, which would negate the glob or make it a comment (`app/[id].js` must not name `app/i.js` too).
*/
const globEscape = (value) => escape(value, { magicalBraces: true }).replace(/^[!#]/, "\\$&");
/**
* The text with every `{{ name }}` replaced, each value (each path of a chunk) passed through `quote`; a name
* without a value in this task throws the problem (not located).
*/
function render(text, variables, quote = asIs) {
	if (!text.includes("{{")) return text;
	return text.replace(PLACEHOLDER, (written, escaped, name, field) => {
		if (escaped !== void 0) return written.slice(1);
		const problem = (message) => new RenderProblem(message, written);
		const value = variables[name];
		if (value === void 0) throw problem(`{{ ${name} }} has no value in this task (an include entry that adds a task must give it)`);
		if (typeof value === "string") {
			if (field !== void 0) throw problem(`{{ ${name}.${field} }}: ${name} is a single value; write {{ ${name} }}`);
			return quote(value);
		}
		if (Array.isArray(value)) {
			if (field !== void 0) throw problem(`{{ ${name}.${field} }}: ${name} is a chunk of paths; write {{ ${name} }}`);
			return value.map((path) => quote(path)).join(" ");
		}
		if (field === void 0) throw problem(`{{ ${name} }} has fields: write {{ ${name}.${Object.keys(value)[0] ?? "name"} }} (fields: ${Object.keys(value).join(", ")})`);
		const chosen = value[field];
		if (chosen === void 0) throw problem(`{{ ${name}.${field} }}: ${name} has no field "${field}" (fields: ${Object.keys(value).join(", ")})`);
		return quote(chosen);
	});
}
/** The variable's name when the text is that one placeholder and nothing else (`"{{ files }}"`). */
function soleVariable(text) {
	return /^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$/.exec(text)?.[1];
}
/** A placeholder that cannot be filled, reported by the caller at the placeholder (`written`, as in the file). */
var RenderProblem = class extends Error {
	written;
	constructor(message, written) {
		super(message);
		this.written = written;
	}
};
/** Globs matching exactly the task's file values: each glob path, chunk path, and package folder's files. */
function fileGlobsOf(axes, variables) {
	return axes.flatMap((axis) => {
		const value = variables[axis.name];
		if (value === void 0 || axis.kind === "list") return [];
		if (typeof value === "string") return [globEscape(value)];
		if (Array.isArray(value)) return value.map((path) => globEscape(path));
		return value.path === void 0 ? [] : [`${globEscape(value.path)}/**`];
	});
}
/** The paths of the task's file values, for `{{ files }}`: each glob and chunk path, a package's folder. */
function filePathsOf(axes, variables) {
	return axes.flatMap((axis) => {
		const value = variables[axis.name];
		if (value === void 0 || axis.kind === "list") return [];
		return typeof value === "string" ? [value] : Array.isArray(value) ? value : value.path === void 0 ? [] : [value.path];
	});
}
/** `file=src/a.ts model=gpt`, for messages and `validate --list`. */
function describeCombination(variables) {
	return Object.entries(variables).filter(([name]) => name !== FILES_VARIABLE).map(([name, value]) => `${name}=${oneLine(typeof value === "string" ? value : Array.isArray(value) ? `${value.length} files` : value.name ?? Object.values(value).join("/"))}`).join(" ");
}
/** A value as it is, or JSON-quoted when it holds a line break or another control character: one task, one line. */
function oneLine(value) {
	return /[\u0000-\u001f\u007f]/.test(value) ? JSON.stringify(value) : value;
}
/**
* Combinations of the axes' values (a product, the first axis varying slowest), less those an exclude entry
* matches, then with include applied as in a GitHub Actions matrix: an entry adds its other variables to the
* combinations it matches on the axes it names, or is a combination of its own when it matches none.
*/
function combine(axes, include, exclude) {
	let combinations = [{
		variables: {},
		idParts: []
	}];
	for (const axis of axes) {
		const next = [];
		for (const combination of combinations) for (const { value, idPart } of axis.values) next.push({
			variables: {
				...combination.variables,
				[axis.name]: value
			},
			idParts: [...combination.idParts, idPart]
		});
		combinations = next;
	}
	const excluders = exclude.map((entry) => matcher(entry, true));
	const kept = combinations.filter((combination) => !excluders.some((matches) => matches(combination.variables)));
	const axisNames = new Set(axes.map((axis) => axis.name));
	const added = [];
	for (const entry of include) {
		const onAxes = Object.fromEntries(Object.entries(entry).filter(([name]) => axisNames.has(name)));
		const extra = Object.fromEntries(Object.entries(entry).filter(([name]) => !axisNames.has(name)).map(([name, value]) => [name, toVariable(value)]));
		const matches = matcher(onAxes, false);
		const matched = kept.filter((combination) => matches(combination.variables));
		for (const combination of matched) Object.assign(combination.variables, extra);
		if (matched.length === 0) {
			const variables = Object.fromEntries(Object.entries(entry).map(([name, value]) => [name, toVariable(value)]));
			const named = axes.filter((axis) => axis.name in onAxes).map((axis) => variables[axis.name]);
			const idParts = (named.length > 0 ? named : Object.values(variables)).map((value) => idPartOf(value ?? ""));
			added.push({
				variables,
				idParts
			});
		}
	}
	return [...kept, ...added];
}
/**
* `base.part.part`: readable, from the values alone, so tomorrow's run gives the same ids. A short hash of the
* values is added only where parts are cut short, empty, or the same for two tasks (ids equal but for case too:
* they name the same folder on some systems).
*/
function combinationIds(baseId, combinations) {
	const ids = combinations.map(({ idParts, variables }) => {
		const needsHash = idParts.some((part) => part === "" || part.length > MAX_PART);
		return withHash(`${baseId}.${idParts.map((part) => part.slice(0, MAX_PART)).filter((part) => part !== "").join(".")}`.replace(/\.$/, ""), variables, needsHash);
	});
	const count = /* @__PURE__ */ new Map();
	for (const id of ids) count.set(id.toLowerCase(), (count.get(id.toLowerCase()) ?? 0) + 1);
	return ids.map((id, index) => {
		const shared = (count.get(id.toLowerCase()) ?? 0) > 1;
		return withHash(id, combinations[index]?.variables ?? {}, shared).replace(/\.lock$/i, "-lock");
	});
}
/** Every `{{ name }}` in the fields that are rendered must be a variable: at its line, with the closest name. */
function checkVariables(source, known) {
	const errors = [];
	const data = source.data;
	const visit = (value, path) => {
		if (typeof value === "string") for (const { written, name } of placeholdersIn(value)) {
			if (known.has(name)) continue;
			const where = atText(source, path, written);
			if (name === "files") {
				errors.push(new UserError(`${where}: ${formatPath(path)}: {{ files }} is the files the axes give, and list axes give none; write {{ ${[...known][0] ?? "name"} }}, or take the values from files with {glob: ...}`, "E_TASK_INVALID"));
				continue;
			}
			const suggestion = closestMatch(name, [...known]);
			const fix = suggestion ? `did you mean {{ ${suggestion} }}?` : `the variables are: ${[...known].join(", ")}`;
			errors.push(new UserError(`${where}: ${formatPath(path)}: unknown variable {{ ${name} }}; ${fix}`, "E_TASK_INVALID"));
		}
		else if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
		else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
	};
	for (const field of TEMPLATE_FIELDS) visit(data[field], [field]);
	(Array.isArray(data.setup) ? data.setup : []).forEach((command, index) => {
		if (typeof command === "string" && placeholdersIn(command).length > 0) errors.push(new UserError(`${at(source, ["setup", index], "value")}: setup[${index}]: variables are filled in ${TEMPLATE_FIELDS.join(", ")}, not in setup; move the command to checks, or write it out`, "E_TASK_INVALID"));
	});
	const filled = /* @__PURE__ */ new Set([
		...TEMPLATE_FIELDS,
		"setup",
		"for_each"
	]);
	const unfilled = (value, path) => {
		if (typeof value === "string") {
			if (placeholdersIn(value).length > 0) errors.push(new UserError(`${at(source, path, "value")}: ${formatPath(path)}: variables are filled in ${TEMPLATE_FIELDS.join(", ")}, not here; write the value out`, "E_TASK_INVALID"));
		} else if (Array.isArray(value)) value.forEach((item, index) => unfilled(item, [...path, index]));
		else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) unfilled(item, [...path, key]);
	};
	for (const [key, value] of Object.entries(data)) if (!filled.has(key)) unfilled(value, [key]);
	return errors;
}
/** More tasks than any run could hold: a product of axes past this is a mistake, refused before it is built. */
const MAX_EXPANDED_TASKS = 1e5;
const MAX_PART = 60;
async function resolveAxis(name, spec, files, where) {
	if (Array.isArray(spec) || "value" in spec) {
		const list = Array.isArray(spec) ? spec : spec.value;
		if (list.length === 0) throw new UserError(`${where([name])}: for_each.${name}: the axis has no values; give at least one, e.g. ${name}: [a, b], or remove the axis`, "E_TASK_INVALID");
		return { axis: {
			name,
			kind: "list",
			values: list.map((item) => ({
				value: toVariable(item),
				idPart: idPartOf(toVariable(item))
			}))
		} };
	}
	if ("glob" in spec) {
		const matched = matchFiles(await files.list(), [spec.glob].flat(), [spec.exclude ?? []].flat());
		const warning = matched.length === 0 ? `warning: ${where([name, "glob"])}: for_each.${name}: ${[spec.glob].flat().map((glob) => `"${glob}"`).join(", ")} matches no file ${files.describe}${spec.exclude ? " (after exclude)" : ""}, so this task expands to nothing; globs are relative to the repository root` : void 0;
		if (spec.chunk === void 0) return {
			axis: {
				name,
				kind: "glob",
				values: matched.map((file) => ({
					value: file,
					idPart: slug(file)
				}))
			},
			...warning ? { warning } : {}
		};
		const chunks = [];
		for (let start = 0; start < matched.length; start += spec.chunk) chunks.push({
			value: matched.slice(start, start + spec.chunk),
			idPart: `${name}-${chunks.length + 1}`
		});
		return {
			axis: {
				name,
				kind: "chunk",
				values: chunks
			},
			...warning ? { warning } : {}
		};
	}
	const packages = await workspacePackages(spec.packages, files, () => where([name, "packages"]));
	const excluded = [spec.exclude ?? []].flat().map((glob) => new Minimatch(glob, { dot: true }));
	const kept = packages.filter((pkg) => !excluded.some((glob) => glob.match(pkg.name) || glob.match(pkg.path)));
	if (kept.length === 0) {
		const what = spec.packages === true ? "the workspace packages" : `${[spec.packages].flat().map((glob) => `"${glob}"`).join(", ")}`;
		throw new UserError(`${where([name, "packages"])}: for_each.${name}: ${what} name no package (a folder with a package.json) ${files.describe}${spec.exclude ? " after exclude" : ""}; check the workspaces of the root package.json or pnpm-workspace.yaml`, "E_TASK_INVALID");
	}
	return { axis: {
		name,
		kind: "packages",
		values: kept.map((pkg) => ({
			value: pkg,
			idPart: slug(pkg.name)
		}))
	} };
}
function matchFiles(all, globs, exclude) {
	const included = globs.map((glob) => new Minimatch(glob.replace(/^\.\//, ""), { dot: true }));
	const excluded = exclude.map((glob) => new Minimatch(glob.replace(/^\.\//, ""), { dot: true }));
	return all.filter((file) => included.some((glob) => glob.match(file)) && !excluded.some((glob) => glob.match(file)));
}
/** The packages of a monorepo: folders with a package.json that the workspace globs name (npm, yarn, pnpm). */
async function workspacePackages(spec, files, where) {
	const globs = spec === true ? await declaredWorkspaces(files, where) : [spec].flat();
	const include = globs.filter((glob) => !glob.startsWith("!")).map((glob) => new Minimatch(glob.replace(/^\.\//, "").replace(/\/+$/, ""), { dot: true }));
	const negated = globs.filter((glob) => glob.startsWith("!")).map((glob) => new Minimatch(glob.slice(1).replace(/^\.\//, "").replace(/\/+$/, ""), { dot: true }));
	const folders = (await files.list()).filter((file) => file.endsWith("/package.json") && !file.split("/").includes("node_modules")).map((file) => file.slice(0, -13)).filter((folder) => include.some((glob) => glob.match(folder)) && !negated.some((glob) => glob.match(folder)));
	const manifests = await files.read(folders.map((folder) => `${folder}/package.json`));
	return folders.map((folder) => ({
		name: packageName(manifests.get(`${folder}/package.json`)) ?? folder,
		path: folder
	}));
}
async function declaredWorkspaces(files, where) {
	const texts = await files.read(["pnpm-workspace.yaml", "package.json"]);
	const pnpm = texts.get("pnpm-workspace.yaml");
	if (pnpm !== void 0) {
		const packages = parseQuietly(pnpm, import_dist.parse)?.packages;
		if (Array.isArray(packages)) return packages.filter((glob) => typeof glob === "string");
	}
	const workspaces = parseQuietly(texts.get("package.json") ?? "", JSON.parse)?.workspaces;
	const list = Array.isArray(workspaces) ? workspaces : typeof workspaces === "object" && workspaces !== null ? workspaces.packages : void 0;
	if (Array.isArray(list)) return list.filter((glob) => typeof glob === "string");
	throw new UserError(`${where()}: packages: true reads the workspaces of the root package.json ("workspaces": [...]) or pnpm-workspace.yaml (packages: [...]) ${files.describe}, and there are none; add them, or give the package folders, e.g. packages: "packages/*"`, "E_TASK_INVALID");
}
function packageName(text) {
	const name = parseQuietly(text ?? "", JSON.parse)?.name;
	return typeof name === "string" && name !== "" ? name : void 0;
}
function parseQuietly(text, parse) {
	try {
		return parse(text);
	} catch {
		return;
	}
}
/** Include and exclude entries name axes (exclude only axes; include may add variables), each with a value. */
function checkEntries(key, entries, axisNames, where, axesOnly) {
	return entries.flatMap((entry, index) => Object.keys(entry).flatMap((name) => {
		if (!VARIABLE_NAME.test(name) || RESERVED.has(name)) return [new UserError(`${where([
			key,
			index,
			name
		])}: for_each.${key}[${index}].${name}: not a variable name; use letters, digits and "_"`, "E_TASK_INVALID")];
		if (!axesOnly || axisNames.includes(name)) return [];
		const suggestion = closestMatch(name, axisNames);
		return [new UserError(`${where([
			key,
			index,
			name
		])}: for_each.${key}[${index}]: "${name}" is no axis; ${suggestion ? `did you mean "${suggestion}"?` : `the axes are: ${axisNames.join(", ")}`}`, "E_TASK_INVALID")];
	}));
}
/** Whether a combination has every value an entry names: equal, or matched as a glob (exclude); a package by name or folder. */
function matcher(entry, globs) {
	const tests = Object.entries(entry).map(([name, wanted]) => {
		const want = toVariable(wanted);
		const glob = globs && typeof want === "string" ? new Minimatch(want, { dot: true }) : void 0;
		const same = (text) => text === want || (glob?.match(text) ?? false);
		return (variables) => {
			const value = variables[name];
			if (value === void 0) return false;
			if (typeof want !== "string") return typeof value === "object" && !Array.isArray(value) && Object.entries(want).every(([field, text]) => value[field] === text);
			if (typeof value === "string") return same(value);
			if (Array.isArray(value)) return same(value.join(" "));
			return Object.values(value).some(same);
		};
	});
	return (variables) => tests.every((test) => test(variables));
}
function toVariable(value) {
	if (typeof value !== "object") return String(value);
	return Object.fromEntries(Object.entries(value).map(([field, item]) => [field, String(item)]));
}
function idPartOf(value) {
	if (typeof value === "string") return slug(value);
	if (Array.isArray(value)) return slug(value[0] ?? "");
	return slug(value.name ?? Object.values(value).join("-"));
}
/** `src/math.ts` → `src-math-ts`: what git accepts in a branch name and reads well in a folder name. */
function slug(text) {
	return text.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
}
function withHash(id, variables, needed) {
	if (!needed) return id;
	return `${id}-${createHash("sha1").update(JSON.stringify(Object.entries(variables).sort(([a], [b]) => a < b ? -1 : 1))).digest("hex").slice(0, 6)}`;
}
function firstDuplicate(ids) {
	const seen = /* @__PURE__ */ new Map();
	for (const [index, id] of ids.entries()) {
		const first = seen.get(id.toLowerCase());
		if (first !== void 0) return [first, index];
		seen.set(id.toLowerCase(), index);
	}
}
function at(source, path, target) {
	const { line, col } = positionOf(source, path, target);
	return `${source.file}:${line}:${col}`;
}
/** `file:line:col` of a placeholder inside the value at `path`, on its own line of a block scalar. */
function atText(source, path, written) {
	const { line, col } = positionOfText(source, path, written);
	return `${source.file}:${line}:${col}`;
}
// src/task/tree.ts
/** The files of `ref` (a commit), or of the index when `ref` is undefined; read once, when first needed. */
function repositoryFiles(cwd, ref, env = {}) {
	let root;
	let listing;
	const describe = ref === void 0 ? "in the staged files" : `at ${ref}`;
	const repoRoot = () => root ??= findRepoRoot(cwd).catch(() => {
		throw new UserError(`for_each: globs and packages are matched against the files git tracks, and ${cwd} is not in a git repository; run in the repository, or give the values as a list`, "E_NOT_GIT");
	});
	const indexEnv = async () => ref === void 0 && env.GIT_INDEX_FILE ? { GIT_INDEX_FILE: resolve(await repoRoot(), env.GIT_INDEX_FILE) } : {};
	return {
		describe,
		list: () => listing ??= (async () => {
			const args = ref === void 0 ? [
				"ls-files",
				"--cached",
				"-z"
			] : [
				"ls-tree",
				"-r",
				"-z",
				"--name-only",
				`${ref}^{tree}`
			];
			return (await git(args, await repoRoot(), await indexEnv()).catch(() => {
				const fix = ref === "HEAD" ? "make a first commit, stage the files and pass --staged, or give the values as a list" : "make a first commit, or give the values as a list";
				throw new UserError(`for_each: cannot list the files ${ref === void 0 ? "staged" : `of ${ref}`}; ${fix}`, "E_BAD_BASE");
			})).split("\0").filter((name) => name !== "").sort();
		})(),
		read: async (paths) => readBlobs(await repoRoot(), paths.map((path) => `${ref ?? ""}:${path}`), paths, await indexEnv())
	};
}
/** Many files' text from git in one process (`git cat-file --batch`): a monorepo has hundreds of package.json. */
async function readBlobs(repoRoot, objects, paths, env) {
	const found = /* @__PURE__ */ new Map();
	if (objects.length === 0) return found;
	const output = await new Promise((done, fail) => {
		const child = spawn("git", ["cat-file", "--batch"], {
			cwd: repoRoot,
			env: {
				...withoutGitVariables(process.env),
				...env
			},
			stdio: [
				"pipe",
				"pipe",
				"ignore"
			]
		});
		const chunks = [];
		child.stdout.on("data", (chunk) => chunks.push(chunk));
		child.on("error", fail);
		child.on("close", () => done(Buffer.concat(chunks)));
		child.stdin.end(objects.map((object) => `${object}\n`).join(""));
	});
	let at = 0;
	for (const path of paths) {
		const headerEnd = output.indexOf(10, at);
		if (headerEnd < 0) break;
		const header = output.subarray(at, headerEnd).toString("utf8");
		at = headerEnd + 1;
		const [, type, size] = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header) ?? [];
		if (size === void 0) continue;
		if (type === "blob") found.set(path, output.subarray(at, at + Number(size)).toString("utf8"));
		at += Number(size) + 1;
	}
	return found;
}
function withoutGitVariables(env) {
	return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("GIT_")));
}
// src/task/load.ts
/**
* Loads every task from the given files and globs, in the order given (glob matches sorted,
* files matched twice read once), a task with `for_each` as the tasks it expands to.
* Reports all problems at once as one UserErrors.
*/
async function loadTasks(patterns, cwd, options = {}) {
	const context = {
		files: options.files ?? repositoryFiles(cwd, "HEAD"),
		warn: options.warn ?? ((line) => process.stderr.write(`${line}\n`))
	};
	const expanded = await Promise.all(patterns.map((pattern) => settle(() => expandPattern(pattern, cwd))));
	const files = uniqueByPath(expanded.flatMap((outcome) => outcome.value ?? []));
	const loaded = await Promise.all(files.map((file) => settle(() => loadTaskFile(file, context))));
	const tasks = loaded.flatMap((outcome) => outcome.value ?? []);
	const errors = [...expanded, ...loaded].flatMap((outcome) => outcome.errors).concat(findDuplicateIds(tasks));
	if (errors.length > 0) throw new UserErrors(errors);
	return tasks.map((entry) => entry.task);
}
/** The task for `nanocoder run "<prompt>"`. */
function taskFromPrompt(prompt, expect, output) {
	const result = taskFileSchema.safeParse({
		prompt,
		...expect ? { expect } : {}
	});
	if (!result.success) throw new UserError("the prompt is empty: say what to do, e.g. nanocoder run \"add tests for src/math.ts\"", "E_TASK_INVALID");
	const { id: _, output: _none, ...fields } = result.data;
	return {
		id: "run",
		...fields,
		...output ? { output } : {},
		source: {
			file: "<command line>",
			index: 0,
			line: 1,
			column: 1
		}
	};
}
async function expandPattern(pattern, cwd) {
	const absolute = path.resolve(cwd, pattern);
	const stats = await stat(absolute).catch(() => void 0);
	if (stats?.isDirectory()) {
		const example = path.join(pattern, "*.yaml");
		throw new UserError(`${pattern}: is a directory; pass a glob such as "${example}"`, "E_TASK_NOT_FOUND");
	}
	if (stats) return [toRef(absolute, pattern, cwd)];
	if (!isDynamicPattern(pattern)) throw new UserError(`${pattern}: file not found`, "E_TASK_NOT_FOUND");
	const matches = await glob(pattern, {
		cwd,
		absolute: true,
		onlyFiles: true,
		expandDirectories: false
	});
	if (matches.length === 0) throw new UserError(`${pattern}: no files match this glob`, "E_TASK_NOT_FOUND");
	return matches.map((match) => toRef(path.resolve(match), pattern, cwd)).sort(byDisplay);
}
function toRef(absolute, pattern, cwd) {
	return {
		absolute,
		display: path.isAbsolute(pattern) ? absolute : path.relative(cwd, absolute)
	};
}
function byDisplay(a, b) {
	return a.display < b.display ? -1 : a.display > b.display ? 1 : 0;
}
function uniqueByPath(refs) {
	const seen = /* @__PURE__ */ new Set();
	return refs.filter((ref) => !seen.has(ref.absolute) && seen.add(ref.absolute));
}
async function loadTaskFile(ref, context) {
	const size = (await stat(ref.absolute).catch(() => void 0))?.size ?? 0;
	if (size > 1048576) throw new UserError(`${ref.display}: ${size} bytes, more than the 1 MB a task file may hold; put large material in the repository and name it in "context"`, "E_TASK_INVALID");
	const bytes = await readUserFile(ref.absolute, ref.display, "E_TASK_NOT_FOUND");
	const nul = bytes.indexOf(0);
	if (nul !== -1) {
		const { line, column } = lineColumnAt(bytes, nul);
		throw new UserError(`${ref.display}:${line}:${column}: binary data (a NUL byte); a task file is YAML text`, "E_TASK_INVALID");
	}
	const text = decodeUtf8(bytes, ref.display, "E_TASK_INVALID");
	const sources = parseYamlDocuments(text, ref.display);
	if (sources.length === 0) throw new UserError(`${ref.display}: no tasks in this file`, "E_TASK_INVALID");
	const stem = path.basename(ref.display, path.extname(ref.display));
	const results = await Promise.all(sources.map((source) => toLoadedTasks(source, stem, ref, context)));
	const errors = results.flatMap((result) => result.ok ? [] : result.errors);
	if (errors.length > 0) throw new UserErrors(errors);
	return results.flatMap((result) => result.ok ? result.value : []);
}
async function toLoadedTasks(source, stem, ref, context) {
	const result = validateYaml(taskFileSchema, source);
	if (!result.ok) return result;
	const { id, output: outputField, for_each: forEach, ...fields } = result.value;
	const { line, col } = positionOf(source, [], "value");
	const taskSource = {
		file: source.file,
		index: source.index,
		line,
		column: col
	};
	documents.set(taskSource, source);
	const baseId = id ?? defaultTaskId(stem, source.index);
	if (forEach) return settleValidation(() => expandTemplate({
		baseId,
		fields,
		forEach,
		source,
		taskSource,
		ref,
		context
	}));
	const output = outputField ? await settle(() => resolveTaskOutput(outputField, source, ref)) : void 0;
	if (output && output.errors.length > 0) return {
		ok: false,
		errors: output.errors
	};
	return {
		ok: true,
		value: [{
			task: {
				id: baseId,
				...fields,
				...output?.value ? { output: output.value } : {},
				source: taskSource
			},
			source
		}]
	};
}
/**
* The tasks a `for_each` makes: the document's fields with each combination's values substituted. All of
* them share the document's source, so messages about any of them point at the one document.
*/
async function expandTemplate({ baseId, fields, forEach, source, taskSource, ref, context }) {
	const expansion = await expandForEach(baseId, forEach, source, context.files);
	for (const warning of expansion.warnings) context.warn(warning);
	const problems = /* @__PURE__ */ new Map();
	const outputs = /* @__PURE__ */ new Map();
	const rawOutput = source.data.output;
	const tasks = [];
	for (const [index, combination] of expansion.combinations.entries()) {
		const id = expansion.ids[index] ?? baseId;
		const variables = {
			...combination.variables,
			[FILES_VARIABLE]: filePathsOf(expansion.axes, combination.variables)
		};
		const fill = (text, path, quote = asIs) => {
			try {
				return render(text, variables, quote);
			} catch (error) {
				if (!(error instanceof RenderProblem)) throw error;
				const key = `${path.join(".")} ${error.message}`;
				if (!problems.has(key)) problems.set(key, new UserError(`${atText(source, path, error.written)}: ${formatPath(path)}: ${error.message} (task ${id})`, "E_TASK_INVALID"));
				return text;
			}
		};
		const fillGlobs = (entries, field) => entries.flatMap((entry, at) => {
			const sole = soleVariable(entry);
			if (sole === "files") return fileGlobsOf(expansion.axes, combination.variables);
			const value = sole === void 0 ? void 0 : variables[sole];
			return Array.isArray(value) ? value.map((path) => globEscape(path)) : [fill(entry, [field, at], globEscape)];
		});
		const files = fields.files ? fillGlobs(fields.files, "files") : fileGlobsOf(expansion.axes, combination.variables);
		const output = rawOutput === void 0 ? void 0 : await settle(() => outputFor(rawOutput, variables, {
			source,
			ref,
			outputs
		}));
		for (const error of output?.errors ?? []) problems.set(error.message, error);
		const task = {
			...fields,
			id,
			...fields.title === void 0 ? {} : { title: fill(fields.title, ["title"]) },
			prompt: fill(fields.prompt, ["prompt"]),
			...fields.model === void 0 ? {} : { model: fill(fields.model, ["model"]) },
			...fields.provider === void 0 ? {} : { provider: fill(fields.provider, ["provider"]) },
			context: fillGlobs(fields.context, "context"),
			...files.length > 0 ? { files } : {},
			checks: fields.checks.map((check, at) => {
				const path = typeof source.data.checks?.[at] === "string" ? ["checks", at] : [
					"checks",
					at,
					"run"
				];
				return {
					...check,
					name: fill(check.name, path),
					run: fill(check.run, path, shellQuote)
				};
			}),
			...output?.value ? { output: output.value } : {},
			values: combination.variables,
			source: taskSource
		};
		tasks.push({
			task,
			source
		});
		if (problems.size >= MAX_EXPANSION_PROBLEMS) break;
	}
	if (problems.size > 0) throw new UserErrors([...problems.values()]);
	return tasks;
}
/** Enough to see what is wrong: a template's mistake repeats in every task it makes. */
const MAX_EXPANSION_PROBLEMS = 20;
/** The output schema of one expanded task: substituted where `output` holds a variable, loaded once per distinct text. */
function outputFor(raw, variables, { source, ref, outputs }) {
	const filled = fillDeep(raw, variables);
	const key = JSON.stringify(filled);
	let output = outputs.get(key);
	if (!output) {
		const field = outputFieldSchema.parse(filled);
		output = resolveTaskOutput(field, {
			...source,
			data: {
				...source.data,
				output: filled
			}
		}, ref);
		outputs.set(key, output);
	}
	return output;
}
function fillDeep(value, variables) {
	if (typeof value === "string") return render(value, variables);
	if (Array.isArray(value)) return value.map((item) => fillDeep(item, variables));
	if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillDeep(item, variables)]));
	return value;
}
/**
* The YAML each task came from, by its `source` (which copies of the task share), so later checks against
* the policy can point at the key they are about; kept beside the task, which holds only what the user wrote.
*/
const documents = /* @__PURE__ */ new WeakMap();
/** `file:line:col` of a key of the task's document (`["limits", "max_turns"]`), else of the document's start. */
function taskKeyLocation(source, path) {
	const { file, line, column } = taskKeySource(source, path);
	return `${file}:${line}:${column}`;
}
/** The task's source, pointing at one of its keys (or at the document's start when the key is not there). */
function taskKeySource(source, path) {
	const document = documents.get(source);
	if (!document) return source;
	const { line, col } = positionOf(document, path, "key");
	return {
		...source,
		line,
		column: col
	};
}
/** `stem`, `stem-2`, `stem-3`... made a valid id: other characters replaced by "-", dots where git refuses them dropped. */
function defaultTaskId(stem, index) {
	const base = stem.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".").replace(/^\.+|\.+$/g, "").replace(/\.lock$/, "-lock") || "task";
	return index === 0 ? base : `${base}-${index + 1}`;
}
function findDuplicateIds(tasks) {
	const firstById = /* @__PURE__ */ new Map();
	const errors = [];
	for (const entry of tasks) {
		const key = entry.task.id.toLowerCase();
		const first = firstById.get(key);
		if (!first) {
			firstById.set(key, entry);
			continue;
		}
		const same = first.task.id === entry.task.id ? "" : ` as "${first.task.id}", differing only by case`;
		const madeBy = (task) => task.values ? `, made by for_each from ${describeCombination(task.values)}` : "";
		const message = `duplicate task id "${entry.task.id}"${madeBy(entry.task)} (also used at ${idLocation(first)}${madeBy(first.task)}${same}); ids must be unique in a batch, set a different "id:"`;
		errors.push(new UserError(`${idLocation(entry)}: ${message}`, "E_TASK_DUPLICATE_ID"));
	}
	return errors;
}
/** The `id:` value when written, else the start of the task's document. */
function idLocation({ source }) {
	const { line, col } = positionOf(source, ["id"], "key");
	return `${source.file}:${line}:${col}`;
}
async function settleValidation(step) {
	const outcome = await settle(step);
	return outcome.errors.length > 0 || outcome.value === void 0 ? {
		ok: false,
		errors: outcome.errors
	} : {
		ok: true,
		value: outcome.value
	};
}
/** Runs one step, turning its user errors into a value so all of them can be reported; anything else is a bug. */
async function settle(step) {
	try {
		return {
			value: await step(),
			errors: []
		};
	} catch (error) {
		if (error instanceof UserErrors) return { errors: error.errors };
		if (error instanceof UserError) return { errors: [error] };
		throw error;
	}
}
function lineColumnAt(bytes, offset) {
	const lines = bytes.subarray(0, offset).toString("utf8").split("\n");
	return {
		line: lines.length,
		column: (lines.at(-1)?.length ?? 0) + 1
	};
}
/**
* The task's own limits, else the policy's, else the defaults; `maxTurns` (--max-turns) in place of the
* task's max_turns. A task or the flag may lower the policy's limits, never raise them.
*/
function resolveLimits(task, policy, maxTurns) {
	const ceiling = policy.limits.max_turns;
	if (maxTurns !== void 0 && ceiling !== void 0 && maxTurns > ceiling) throw new UserError(`--max-turns: ${maxTurns} is above the policy's limits.max_turns ${ceiling} (${policy.source}); the flag may only lower it`, "E_USAGE");
	return {
		max_turns: maxTurns ?? pick(task, policy, "max_turns", 50),
		max_denials: pick(task, policy, "max_denials", 20),
		timeout_ms: task.limits.timeout_ms,
		...task.limits.max_cost_usd === void 0 ? {} : { max_cost_usd: task.limits.max_cost_usd },
		...task.limits.max_tokens === void 0 ? {} : { max_tokens: task.limits.max_tokens }
	};
}
function pick(task, policy, name, fallback) {
	const own = task.limits[name];
	const ceiling = policy.limits[name];
	if (own !== void 0 && ceiling !== void 0 && own > ceiling) throw new UserError(`${taskKeyLocation(task.source, ["limits", name])}: limits.${name}: ${own} is above the policy's ${ceiling} (${policy.source}); a task may only lower the policy's limits`, "E_TASK_INVALID");
	return own ?? ceiling ?? fallback;
}
// src/run/require-prices.ts
/**
* A cost budget cannot be kept when a model's price is unknown: refuse before anything runs, naming
* the model and how to price it, unless the user accepts that its cost counts as 0.
*/
async function requirePrices(tasks, request) {
	if (request.allowUnpriced) return;
	const budgeted = tasks.flatMap((planned) => {
		const budget = costBudgetOf(planned, request);
		return budget === void 0 ? [] : [{
			planned,
			budget
		}];
	});
	if (budgeted.length === 0) return;
	const prices = await loadPriceTable();
	const errors = /* @__PURE__ */ new Map();
	for (const { planned, budget } of budgeted) {
		const { provider, model } = planned;
		if (isPriced(provider, model, prices)) continue;
		const message = `${budget} is set, but no price is known for model "${model}" of provider "${provider.name}" (${provider.baseUrl}): add "pricing": {"${model}": {"input": …, "output": …}} (USD per million tokens) to that provider in agents.config.json, or pass --allow-unpriced to run with its cost counted as 0`;
		errors.set(`${budget}\n${provider.name}\n${model}`, new UserError(message, "E_UNPRICED"));
	}
	if (errors.size > 0) throw new UserErrors([...errors.values()]);
}
/** The cost budget that applies to the task, as the user wrote it, if any. */
function costBudgetOf({ task, limits }, request) {
	if (request.maxCostUsd !== void 0) return "--max-cost-usd";
	if (limits.max_cost_usd === void 0) return void 0;
	return `${task.source.file}:${task.source.line}:${task.source.column}: limits.max_cost_usd`;
}
// src/run/plan.ts
const DEFAULT_RUNS_DIR = join(".nanocoder", "runs");
/** The config, the policy and each task's provider, model and limits: everything but the repository. */
async function resolveInputs(tasks, request, repoRoot) {
	const configPath = findConfigFile({
		explicitPath: request.config,
		cwd: request.cwd,
		home: request.home,
		env: request.env
	});
	const config = configPath ? await loadConfig(configPath, request.env, { cwd: request.cwd }) : void 0;
	const policy = await loadPolicy({
		explicitPath: request.policy,
		cwd: request.cwd,
		repoRoot
	});
	const planned = tasks.map((task) => {
		const { provider, model, fixAt } = resolveProvider({
			config,
			task: {
				...task,
				source: taskKeySource(task.source, ["provider"])
			},
			flags: {
				provider: request.provider,
				model: request.model,
				baseUrl: request.baseUrl
			},
			env: request.env
		});
		const taskPolicy = narrowPolicy(policy, task.policy, task.source.file, (path) => taskKeyLocation(task.source, path));
		return {
			task,
			provider,
			model,
			fixAt,
			limits: resolveLimits(task, policy, request.maxTurns),
			policy: taskPolicy
		};
	});
	await requirePrices(planned, request);
	return {
		policy,
		tasks: planned,
		config
	};
}
async function planRun(tasks, request) {
	if (request.staged) requireStagedAlone(request);
	if (request.retryFailed && request.resume === void 0) throw new UserError("--retry-failed reruns the failed tasks of an earlier run: give the run's folder with --resume DIR", "E_USAGE");
	const baseRef = request.staged || request.resume !== void 0 ? void 0 : request.base ?? "HEAD";
	const located = baseRef === void 0 ? {
		root: await findRepoRoot(request.cwd),
		commit: void 0
	} : await findRepoRootAndCommit(request.cwd, baseRef);
	const repoRoot = located.root;
	const inputs = await resolveInputs(tasks, request, repoRoot);
	const resume = request.resume === void 0 ? void 0 : await readResume(request);
	const base = request.staged ? await commitStaged(repoRoot, request.env) : located.commit ?? await resolveCommit(repoRoot, resume ? resume.base : request.base ?? "HEAD", resume !== void 0 || request.base !== void 0);
	const runId = resume ? resume.runId : createRunId();
	const outDir = resume ? resolve(request.cwd, request.resume ?? "") : request.out ? resolve(request.cwd, request.out) : join(repoRoot, DEFAULT_RUNS_DIR, runId);
	if (!resume && request.out) await requireUsableOut(outDir, request.out, repoRoot);
	if (request.replay !== void 0 && !await isFolder(resolve(request.cwd, request.replay))) throw new UserError(`--replay ${request.replay}: no such folder of cassettes; give the folder --record wrote`, "E_USAGE");
	const apiKeys = inputs.tasks.map((planned) => planned.provider.apiKey);
	const policy = protectOutput(inputs.policy, repoRoot, outDir);
	const inShardNow = inputs.tasks.filter((entry) => inShard(entry.task.id, request.shard)).map((entry) => ({
		...entry,
		policy: protectOutput(entry.policy, repoRoot, outDir)
	}));
	const resumed = resume ? tasksToResume(resume, inShardNow.map((entry) => entry.task.id), request.resume ?? "") : void 0;
	const planned = resumed ? inShardNow.filter((entry) => resumed.has(entry.task.id)) : inShardNow;
	const leftOut = new Set(inShardNow.filter((entry) => !planned.includes(entry)).map((entry) => entry.task.id));
	if (resume) await removeStaleWorktrees(repoRoot, resume.runId);
	const environment = await environmentOf(repoRoot, inputs.policy, planned.map((entry) => entry.task));
	const mcpServers = await loadMcpServers({
		projectRoot: repoRoot,
		home: request.home,
		env: request.env,
		cwd: request.cwd
	});
	requireKnownServers(planned.map((entry) => entry.task), mcpServers);
	const unseen = resume ? [...changedSinceRun(resume, planned.map((entry) => entry.task)), ...otherModelsSinceRun(resume, planned)] : request.base !== void 0 ? [] : await unseenChanges(repoRoot, request);
	return {
		repoRoot,
		base,
		runId,
		outDir,
		policy,
		tasks: planned,
		secrets: collectSecrets(request.env, [...apiKeys, ...serverSecrets(mcpServers)]),
		ignoreOutput: !request.out && !resume,
		plannedTasks: tasks.map((task) => task.id).filter((id) => !leftOut.has(id)),
		sandbox: await resolveSandbox(inputs.policy.sandbox, request.env.PATH, {
			repoRoot,
			outDir,
			source: inputs.policy.source
		}),
		...environment,
		environmentWarnings: [
			...unseen,
			...writelessWarning(planned),
			...environment.environmentWarnings
		],
		mcpServers,
		...request.shard ? { shard: request.shard } : {},
		...resume ? { resume } : {}
	};
}
/**
* A warning when the tasks a resumed run runs now get another model than the kept ones ran with (a
* `--model` or `--provider` given now, a config changed): one report would mix them, unsaid.
*/
function otherModelsSinceRun(state, planned) {
	const kept = new Set([...state.finished.values()].map((result) => `${result.provider}/${result.model}`));
	if (kept.size === 0) return [];
	const other = [...new Set(planned.filter(({ task }) => !state.finished.has(task.id)).map(({ provider, model }) => `${provider.name}/${model}`))].filter((pair) => !kept.has(pair));
	if (other.length === 0) return [];
	return [`warning: --resume runs the tasks left with ${other.join(", ")}, but the kept ones ran with ${[...kept].join(", ")}: one report will hold both; give the run's own --model/--provider to keep them alike`];
}
/** A task's `mcp:` names only servers .mcp.json has. */
function requireKnownServers(tasks, servers) {
	const known = servers.map((server) => server.name);
	const problems = tasks.flatMap((task) => (task.mcp ?? []).flatMap((name, index) => {
		if (known.includes(name)) return [];
		const has = known.length > 0 ? `.mcp.json has ${known.join(", ")}` : "no .mcp.json names a server";
		return [new UserError(`${taskKeyLocation(task.source, ["mcp", index])}: mcp: no MCP server "${name}" (${has}); fix the name or add the server to .mcp.json`, "E_INVALID")];
	}));
	if (problems.length > 0) throw new UserErrors(problems);
}
/**
* A warning when tasks that expect changes run under a policy that lets nothing be written: no
* `files.write.allow` rule and `default: deny`, as a policy file holding only deny rules reads. Every write
* would be refused, and each such task fail, after its turns were paid for.
*/
function writelessWarning(planned) {
	const stuck = planned.filter(({ task, policy }) => task.expect === "changes" && policy.default === "deny" && policy.files.write.allow.length === 0);
	if (stuck.length === 0) return [];
	const sources = [...new Set(stuck.map(({ policy }) => policy.source))].join(", ");
	const ids = stuck.slice(0, 3).map(({ task }) => task.id).join(", ") + (stuck.length > 3 ? ` and ${stuck.length - 3} more` : "");
	return [`warning: the policy (${sources}) lets no file be written (no files.write.allow rule, and default: deny), so ${stuck.length} task(s) that expect changes cannot succeed: ${ids}; add files.write.allow: ["**"] and keep files.write.deny for what to protect, or give review tasks expect: none`];
}
/** The installed dependencies found, and what a user should hear about them before the tasks start. */
async function environmentOf(repoRoot, policy, tasks) {
	const dependencies = await findDependencies(repoRoot, policy.dependencies ?? {
		detect: true,
		paths: []
	});
	const warnings = dependencies.skipped.map(({ path, reason, named }) => `warning: ${named ? "dependencies.paths: " : ""}${path} is not shared with tasks: ${reason}`);
	const checked = tasks.filter((task) => task.checks.length > 0);
	if (checked.length > 0 && (policy.setup?.run.length ?? 0) === 0) {
		const which = checked.length === 1 ? `task ${checked[0]?.id ?? ""} has checks` : `${checked.length} tasks have checks`;
		for (const missing of await missingInstalls(repoRoot, dependencies.folders)) {
			const { problem, fix } = describeMissingInstall(missing, policy.source);
			warnings.push(`warning: ${which}, and ${problem}; ${fix}`);
		}
	}
	const setupWithoutNetwork = setupNetworkWarning(policy.setup, policy.sandbox, policy.source);
	if (setupWithoutNetwork) warnings.push(setupWithoutNetwork);
	return {
		dependencies,
		environmentWarnings: warnings
	};
}
/** `--out DIR` must be a folder to write a new run into: not a file, not inside git's own folder, not an earlier run. */
async function requireUsableOut(outDir, shown, repoRoot) {
	const stats = await stat(outDir).catch(() => void 0);
	if (stats && !stats.isDirectory()) throw new UserError(`--out ${shown}: is a file; give a folder for the run's results`, "E_USAGE");
	await requireCreatable(outDir, shown);
	const inGit = relative(join(repoRoot, ".git"), outDir);
	if (inGit === "" || !inGit.startsWith("..") && !isAbsolute(inGit)) throw new UserError(`--out ${shown}: is inside the repository's .git folder; give a folder elsewhere, e.g. .nanocoder/runs/mine`, "E_USAGE");
	if (await isFile(join(outDir, "manifest.jsonl"))) throw new UserError(`--out ${shown}: holds an earlier run; continue it with --resume ${shown}, or give another folder`, "E_USAGE");
}
/** The nearest existing folder above `path` must be a folder this process can write into. */
async function requireCreatable(path, shown) {
	let existing = path;
	let stats = await stat(existing).catch(() => void 0);
	while (!stats && dirname(existing) !== existing) {
		existing = dirname(existing);
		stats = await stat(existing).catch(() => void 0);
	}
	if (stats && !stats.isDirectory()) throw new UserError(`--out ${shown}: ${existing} is a file, so no folder can be made under it; give another folder`, "E_USAGE");
	if (!await access(existing, constants$2.W_OK).then(() => true, () => false)) throw new UserError(`--out ${shown}: cannot write into ${existing} (permission denied); give a folder you can write to`, "E_USAGE");
}
async function isFolder(path) {
	return (await stat(path).catch(() => void 0))?.isDirectory() ?? false;
}
async function isFile(path) {
	return (await stat(path).catch(() => void 0))?.isFile() ?? false;
}
/** `--resume DIR`: the earlier run's id, base commit and finished tasks. It keeps its folder and base. */
async function readResume(request) {
	const shown = request.resume ?? "";
	if (request.out !== void 0 || request.base !== void 0) throw new UserError(`--resume ${shown}: leave out --out and --base; a resumed run keeps its folder and base commit`, "E_USAGE");
	return readRunFolder(resolve(request.cwd, shown), shown, { retryFailed: request.retryFailed === true });
}
/** --staged chooses the base commit itself: with --base or --resume one of the two would be ignored. */
function requireStagedAlone(request) {
	const other = request.base !== void 0 ? "--base" : request.resume !== void 0 ? "--resume" : void 0;
	if (other) throw new UserError(`--staged starts the tasks from the staged changes, so it cannot be combined with ${other}; drop one of them`, "E_USAGE");
}
/**
* The commit the tasks start from with --staged: the index as a commit on top of HEAD. In a git hook,
* GIT_INDEX_FILE names the index being committed (a temporary one for `git commit -a` or `git commit <path>`),
* relative to the top of the repository, where git runs hooks.
*/
async function commitStaged(repoRoot, env) {
	const indexFile = env.GIT_INDEX_FILE ? resolve(repoRoot, env.GIT_INDEX_FILE) : void 0;
	try {
		return await commitIndex(repoRoot, indexFile);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new UserError(`--staged: the staged changes cannot be made into a commit (resolve any merge conflict and stage the result): ${reason}`, "E_STAGED");
	}
}
/**
* A warning when the working tree holds changes the tasks will not see: they start from HEAD, or with
* --staged from the index (in a git hook, the one being committed), never from the working tree.
*/
async function unseenChanges(repoRoot, request) {
	const indexFile = request.staged && request.env.GIT_INDEX_FILE ? { GIT_INDEX_FILE: resolve(repoRoot, request.env.GIT_INDEX_FILE) } : {};
	const entries = (await git([
		"status",
		"--porcelain=v1",
		"-z",
		"--untracked-files=all"
	], repoRoot, indexFile).catch(() => "")).split("\0").filter((entry) => /^..\s/.test(entry) && !inDependencyFolder(entry.slice(3)));
	const unseen = request.staged ? entries.filter((entry) => entry[1] !== " ") : entries;
	if (unseen.length === 0) return [];
	const paths = unseen.map((entry) => entry.slice(3));
	const shown = `${paths.slice(0, 3).join(", ")}${paths.length > 3 ? `, and ${paths.length - 3} more` : ""}`;
	const allStaged = unseen.every((entry) => entry[1] === " ");
	return [request.staged ? `warning: ${paths.length} file(s) have changes that are not staged, which the tasks will not see (they start from the staged files): ${shown}; stage them (git add) to include them` : `warning: ${paths.length} file(s) have uncommitted changes, which the tasks will not see (they start from HEAD): ${shown}; commit them, or ${allStaged ? "" : "stage them and "}pass --staged`];
}
/** A run folder inside the repository is never writable by tasks, whatever the policy allows. */
function protectOutput(policy, repoRoot, outDir) {
	const inside = relative(repoRoot, outDir);
	if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return policy;
	return {
		...policy,
		protect: [
			...policy.protect,
			inside,
			`${inside}/**`
		]
	};
}
/** Where planRun put the run folder of `summary`: `out` (--out, relative to `cwd`), else under the repository's runs folder. */
function runFolder(summary, out, repoRoot, cwd = process.cwd()) {
	return out ? resolve(cwd, out) : join(repoRoot, DEFAULT_RUNS_DIR, summary.run_id);
}
function displayPath(path, cwd) {
	if (!isAbsolute(path)) return path;
	return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
export { ownGitArgs as A, setupKey as C, runChecks as D, describeCheckFailure as E, removeWorktree as M, resetScript as N, addWorktree as O, loadExeca as P, runSetupCommands as S, checkFailureMessage as T, readRunFolder as _, requireKnownServers as a, SetupFailed as b, writelessWarning as c, taskKeyLocation as d, repositoryFiles as f, openManifest as g, loadPriceTable as h, planRun as i, rebuildGitFolder as j, ownGit as k, loadTasks as l, shellQuote as m, displayPath as n, resolveInputs as o, describeCombination as p, environmentOf as r, runFolder as s, DEFAULT_RUNS_DIR as t, taskFromPrompt as u, taskDigest as v, undoTrackedChanges as w, keepSetupResults as x, LOCKFILES as y };
