import { createHash } from "node:crypto";
import { appendFile, lstat, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { SandboxSettings, SetupSettings } from "../policy/types.ts";
import type { Redact } from "../report/redact.ts";
import type { WrapCommand } from "../tools/types.ts";
import { gitScript } from "../workspace/git.ts";
import { ownGit, type Worktree } from "../workspace/worktree.ts";
import { outputTail, readEnd, runCommandToLog, saveLog } from "./checks.ts";

/** Lockfiles whose content decides whether an install is still current, when the policy names no `setup.inputs`. */
export const LOCKFILES = [
  "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb",
  "poetry.lock", "uv.lock", "Pipfile.lock", "requirements.txt", "Gemfile.lock", "composer.lock", "Cargo.lock", "go.sum",
];

/** Lines of a failed setup's log that its tasks' error carries; the whole is in the log. */
const FAILURE_TAIL_LINES = 15;

/** A setup step that did not succeed: the tasks it was for end with this, not with a model error. */
export class SetupFailed extends Error {
  override name = "SetupFailed";
}

/**
 * What decides whether a worktree's setup results can serve a task: the commands and the content of their
 * inputs in the worktree. The same key means the same results.
 */
export async function setupKey(commands: readonly string[], inputs: readonly string[], worktree: string): Promise<string> {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(commands));
  for (const input of inputs) {
    const content = await readFile(join(worktree, input)).catch(() => undefined);
    hash.update(`\0${input}\0${content === undefined ? "missing" : createHash("sha256").update(content).digest("hex")}`);
  }
  return hash.digest("hex");
}

export interface SetupRun {
  commands: readonly string[];
  worktree: Worktree;
  env: Record<string, string>;
  wrapCommand?: WrapCommand;
  signal: AbortSignal;
  timeoutMs: number;
  /** The log every command's output goes to, with a `$ command` line before each. */
  logPath: string;
  /** How the log is named in messages: relative to the run folder. */
  logName: string;
  redact?: Redact;
}

/**
 * Runs the setup commands in order in the worktree, up to the first that fails; one log for all of them.
 * Throws SetupFailed naming the command, its exit, the log and the log's last lines.
 */
export async function runSetupCommands(run: SetupRun): Promise<void> {
  await mkdir(dirname(run.logPath), { recursive: true });
  const rawPath = `${run.logPath}.partial`;
  await writeFile(rawPath, "");
  const deadline = Date.now() + run.timeoutMs;
  let failure: string | undefined;
  for (const command of run.commands) {
    await appendFile(rawPath, `$ ${command}\n`);
    const left = deadline - Date.now();
    if (left <= 0) {
      failure = `\`${command}\` did not start: setup.timeout was used up`;
      break;
    }
    const result = await runCommandToLog(command, rawPath, {
      workspace: run.worktree.dir, env: run.env, signal: run.signal, timeoutMs: left, ...(run.wrapCommand ? { wrapCommand: run.wrapCommand } : {}),
    });
    if (result.isCanceled) {
      await saveLog(rawPath, run.logPath, run.redact);
      throw new SetupFailed(`setup was stopped during \`${command}\``);
    }
    if (result.timedOut) failure = `\`${command}\` timed out (setup.timeout)`;
    else if (result.exitCode === undefined) failure = `\`${command}\` could not run: ${result.shortMessage}`;
    else if (result.exitCode !== 0) failure = `\`${command}\` exited with code ${result.exitCode}`;
    if (failure) break;
  }
  await saveLog(rawPath, run.logPath, run.redact);
  if (!failure) return;
  const tail = outputTail(await readEnd(run.logPath, 16 * 1024), FAILURE_TAIL_LINES);
  throw new SetupFailed(`setup failed: ${failure}; its log is ${run.logName}, ending:\n${tail}`);
}

/**
 * After setup: what it changed in files git tracks (or added beside them, unignored) is undone, so no patch
 * carries it (an `npm install` rewriting package-lock.json). Returns the paths undone.
 */
export async function undoTrackedChanges(worktree: Worktree, base: string): Promise<string[]> {
  // nanocoder's index holds the base: files that differ from it, and files beside them git does not ignore.
  const undone = [
    ...(await gitLines(worktree, ["diff", "--name-only", "-z", "--no-renames"])),
    ...(await gitLines(worktree, ["ls-files", "--others", "--exclude-standard", "-z"])),
  ];
  if (undone.length > 0) {
    await gitScript(
      `${ownGit(worktree, ["-c", "checkout.workers=0", "read-tree", "--reset", "-u", base])} && ${ownGit(worktree, ["clean", "-fdq"])}`,
      worktree.dir,
      "undoing what setup changed in tracked files",
    );
  }
  return undone;
}

/**
 * After the policy's setup: tracked changes undone (undoTrackedChanges), and what it made that git ignores
 * (an installed `node_modules`, a `.venv`, build output) moved to `store` at the same relative paths, out of
 * the tasks' reach, and returned. What it left inside a shared folder it did not replace (`dropped`: a cache
 * written there) is removed. The worktree is then clean again.
 */
export async function keepSetupResults(worktree: Worktree, base: string, store: string, dropped: readonly string[]): Promise<{ kept: string[]; undone: string[] }> {
  const undone = await undoTrackedChanges(worktree, base);
  const ignored = await gitLines(worktree, ["ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"]);
  const kept: string[] = [];
  for (const listed of ignored) {
    const path = listed.replace(/\/$/, "");
    if (path === "" || path === ".git") continue;
    // A link is never kept: shown to later commands, it would show what it points to (a folder of the home).
    const isLink = (await lstat(join(worktree.dir, path)).catch(() => undefined))?.isSymbolicLink() === true;
    if (isLink || dropped.some((folder) => path === folder || path.startsWith(`${folder}/`))) {
      await rm(join(worktree.dir, path), { recursive: true, force: true });
      continue;
    }
    await mkdir(dirname(join(store, path)), { recursive: true });
    await rename(join(worktree.dir, path), join(store, path));
    kept.push(path);
  }
  return { kept, undone };
}

/**
 * A warning when setup will run without any network: an install that downloads then fails after its
 * retries (npm's take a minute), so the run says so first. Offline installs (`npm ci --offline`) are fine.
 */
export function setupNetworkWarning(setup: SetupSettings | undefined, sandbox: SandboxSettings | undefined, policySource: string): string | undefined {
  // Without a sandbox (mode none) commands have the host's network whatever the settings say.
  if (!setup || setup.run.length === 0 || sandbox?.mode === "none" || (setup.network ?? sandbox?.network ?? false) !== false) return undefined;
  return `warning: ${policySource}: setup runs without network (neither setup.network nor sandbox.network gives it any), so an install that downloads fails; ` +
    "list the registry it needs, e.g. `setup: {network: [registry.npmjs.org]}`, unless it installs offline";
}

async function gitLines(worktree: Worktree, args: string[]): Promise<string[]> {
  const output = await gitScript(ownGit(worktree, args), worktree.dir, `git ${args[0]} after setup`);
  return output.toString("utf8").split("\0").filter(Boolean);
}
