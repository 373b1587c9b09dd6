import { z } from "zod";
import { createHash } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TaskStatus } from "../agent/outcome.ts";
import type { Task } from "../task/schema.ts";
import { EventLog } from "../report/files.ts";
import type { Redact } from "../report/redact.ts";
import { manifestEntrySchema, schemaUrl, taskResultSchema, type ManifestEntry, type TaskResult } from "../report/schema.ts";
import { describeIssues } from "../report/schema.ts";
import { jsonLines } from "../shared/json-lines.ts";
import { UserError } from "../shared/errors.ts";
import { git } from "../workspace/git.ts";

export const MANIFEST_FILE = "manifest.jsonl";

export type { ManifestEntry };
/** A record as --resume reads it: `ts` is needed of the run_start alone (the run's start), so its absence elsewhere is no error. */
const readLineSchema = z.intersection(z.object({ ts: z.iso.datetime().optional() }), manifestEntrySchema);
type ManifestLine = z.output<typeof readLineSchema>;

/** The writer of a run folder's manifest.jsonl. */
export function openManifest(outDir: string, redact: Redact): { append(entry: ManifestEntry): void; close(): void } {
  const log = new EventLog(join(outDir, MANIFEST_FILE), redact, schemaUrl("manifest-line"));
  return { append: (entry) => log.append(entry), close: () => log.close() };
}

/** What a run folder says about an earlier run: enough to go on with it. */
export interface ResumeState {
  runId: string;
  base: string;
  startedAt: Date;
  /** How long the earlier runs in the folder ran, without the idle time between them. */
  activeMs: number;
  /** The task ids of the run, in order. */
  tasks: string[];
  /** Tasks kept as they ended, with a readable result.json (see keptStatuses): never run again. */
  finished: Map<string, TaskResult>;
  /** Each task's taskDigest when the run started; absent in folders written before digests were kept. */
  digests?: Record<string, string>;
}

/**
 * A task's definition, hashed: what it asks and how it is checked and limited, not where in its file it
 * stands nor which changed files chose it. Pure.
 */
export function taskDigest(task: Task): string {
  const { source: _source, changedFiles: _changedFiles, ...definition } = task;
  return createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 16);
}

/**
 * The kept tasks whose definition is not the one they ran with: their results would sit in one report
 * beside tasks run from the new text, which the warning says, with how to run them again.
 */
export function changedSinceRun(state: ResumeState, tasks: readonly Task[]): string[] {
  const digests = state.digests;
  if (!digests) return [];
  const changed = tasks.filter((task) => state.finished.has(task.id) && digests[task.id] !== undefined && digests[task.id] !== taskDigest(task)).map((task) => task.id);
  if (changed.length === 0) return [];
  return [`warning: --resume keeps the results of ${changed.length} task(s) whose definition changed since the run began: ${someIds(changed)}; they ran with the earlier text. To run them with the new one, start a new run of them (--only ${changed.length === 1 ? changed[0] : "ID"}), or --retry-failed if they failed`];
}

/**
 * The tasks a resumed run keeps: those that ran to an end of the model's or the task's own. `error` (the
 * provider, setup or the runner failed) and `interrupted` run again, as does a task that never started
 * (its budget was spent first). With --retry-failed, only the succeeded ones are kept.
 */
export function keptStatuses(retryFailed: boolean): readonly TaskStatus[] {
  return retryFailed ? ["succeeded"] : ["succeeded", "failed", "limit_exceeded"];
}

/** Reads `--resume DIR`: its manifest and the results of the tasks to keep. */
export async function readRunFolder(outDir: string, shown: string, options: { retryFailed?: boolean } = {}): Promise<ResumeState> {
  const path = join(outDir, MANIFEST_FILE);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) {
    throw new UserError(
      `--resume ${shown}: not a run folder (no ${MANIFEST_FILE}); give the folder a run printed as "results: <folder>"`,
      "E_USAGE",
    );
  }
  const entries = parseManifest(text, shown);
  const start = entries[0];
  if (start?.type !== "run_start") {
    throw new UserError(`${shown}/${MANIFEST_FILE}:1:1: expected a run_start record first; this is not a run folder nanocoder wrote`, "E_USAGE");
  }
  const ended = new Map<string, TaskStatus>();
  const started = new Set<string>();
  for (const entry of entries) {
    if (entry.type === "task_end") ended.set(entry.id, entry.status);
    if (entry.type === "task_start") started.add(entry.id);
  }
  const kept = keptStatuses(options.retryFailed === true);
  const finished = new Map<string, TaskResult>();
  for (const id of start.tasks) {
    const status = ended.get(id);
    if (status === undefined || !started.has(id) || !kept.includes(status)) continue;
    const result = await readResult(join(outDir, "tasks", id, "result.json"), id);
    if (result) finished.set(id, result);
  }
  return {
    runId: start.run_id,
    base: start.base,
    startedAt: start.ts === undefined ? new Date() : new Date(start.ts),
    activeMs: activeMs(entries),
    tasks: start.tasks,
    finished,
    ...(start.digests ? { digests: start.digests } : {}),
  };
}

/**
 * The tasks a resumed run goes on with: the run's own, out of those given now. More given than the run had
 * is the usual case after `--limit`, `--only`, `--label` or `--changed` (the manifest's task list is the
 * selection, so it is applied again); a task of the run that is not given now is an error.
 */
export function tasksToResume(state: ResumeState, ids: readonly string[], shown: string): Set<string> {
  const given = new Set(ids);
  const recorded = new Set(state.tasks);
  const missing = state.tasks.filter((id) => !given.has(id));
  if (missing.length === 0) return recorded;
  const added = ids.filter((id) => !recorded.has(id));
  const parts = [`not given now: ${someIds(missing)}`, added.length > 0 ? `not in the run: ${someIds(added)}` : ""].filter(Boolean);
  throw new UserError(
    `--resume ${shown}: the tasks differ from the run's (${parts.join("; ")}); give the task files the run was given, or start a new run without --resume`,
    "E_USAGE",
  );
}

/** A few ids of a list that may hold thousands (a for_each), and how many more. */
function someIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).map((id) => `"${id}"`).join(", ");
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}

/**
 * Worktrees a crashed run left behind: their temporary folders, then git's entries for them, and only
 * those: the user's own entries (a worktree on a drive not mounted now) stay, unlike with `git worktree prune`.
 */
export async function removeStaleWorktrees(repoRoot: string, runId: string): Promise<void> {
  const prefix = `nanocoder-${runId}-`;
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(prefix)) await rm(join(tmpdir(), name), { recursive: true, force: true });
  }
  const entries = join((await git(["rev-parse", "--path-format=absolute", "--git-common-dir"], repoRoot).catch(() => "")).trim(), "worktrees");
  for (const entry of await readdir(entries).catch(() => [] as string[])) {
    const gitdir = await readFile(join(entries, entry, "gitdir"), "utf8").catch(() => "");
    if (gitdir.trim().startsWith(join(tmpdir(), prefix))) await rm(join(entries, entry), { recursive: true, force: true });
  }
}

/**
 * The time the runs of a folder were at work: each from its run_start or run_resume line to its last line
 * (its run_end, or what it wrote before it was killed). Between the runs the folder only waited.
 */
function activeMs(entries: readonly ManifestLine[]): number {
  let total = 0;
  let since: number | undefined;
  let last: number | undefined;
  for (const entry of entries) {
    const at = entry.ts === undefined ? Number.NaN : Date.parse(entry.ts);
    if (Number.isNaN(at)) continue;
    if (entry.type === "run_start" || entry.type === "run_resume") {
      if (since !== undefined && last !== undefined) total += last - since;
      since = at;
    }
    last = at;
  }
  return since !== undefined && last !== undefined ? total + last - since : total;
}

/**
 * The manifest's records. A line that is no JSON was cut short by a crash: what it announced did not
 * complete. A whole line of another shape was not written by nanocoder: an error naming it.
 */
function parseManifest(text: string, shown: string): ManifestLine[] {
  const entries: ManifestLine[] = [];
  for (const { line, json } of jsonLines(text)) {
    const parsed = readLineSchema.safeParse(json);
    if (!parsed.success) {
      throw new UserError(`${shown}/${MANIFEST_FILE}:${line}: not a manifest record: ${describeIssues(parsed.error)}; this is not a run folder nanocoder wrote`, "E_USAGE");
    }
    entries.push(parsed.data);
  }
  return entries;
}

/** A kept task's result.json, or undefined when it is missing or unreadable: the task then runs again. */
async function readResult(path: string, id: string): Promise<TaskResult | undefined> {
  try {
    const parsed = taskResultSchema.safeParse(JSON.parse(await readFile(path, "utf8")));
    return parsed.success && parsed.data.id === id ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
