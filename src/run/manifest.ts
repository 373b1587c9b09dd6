import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TaskStatus } from "../agent/events.ts";
import { EventLog } from "../report/files.ts";
import type { Redact } from "../report/redact.ts";
import type { TaskResult } from "../report/types.ts";
import { UserError } from "../shared/errors.ts";
import { git } from "../workspace/git.ts";

export const MANIFEST_FILE = "manifest.jsonl";

/** One line of manifest.jsonl. Appended synchronously, so what it says happened is on disk. */
export type ManifestEntry =
  | { type: "run_start"; run_id: string; base: string; tasks: string[] }
  | { type: "run_resume"; run_id: string; rerun: string[] }
  | { type: "task_start"; id: string }
  | { type: "task_end"; id: string; status: TaskStatus }
  | { type: "run_end"; interrupted: boolean };

/** The writer of a run folder's manifest.jsonl. */
export function openManifest(outDir: string, redact: Redact): { append(entry: ManifestEntry): void; close(): void } {
  const log = new EventLog(join(outDir, MANIFEST_FILE), redact);
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
}

const STATUSES: readonly string[] = ["succeeded", "failed", "limit_exceeded", "error", "interrupted"] satisfies TaskStatus[];

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
  const entries = parseManifest(text);
  const start = entries[0];
  if (start?.type !== "run_start" || !Array.isArray(start.tasks) || typeof start.base !== "string") {
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
  const ts = (start as { ts?: unknown }).ts;
  return {
    runId: start.run_id,
    base: start.base,
    startedAt: typeof ts === "string" && !Number.isNaN(Date.parse(ts)) ? new Date(ts) : new Date(),
    activeMs: activeMs(entries),
    tasks: start.tasks,
    finished,
  };
}

/** The run's tasks must be the ones given now: a resumed run finishes the same work. */
export function requireSameTasks(state: ResumeState, ids: readonly string[], shown: string): void {
  const given = new Set(ids);
  const recorded = new Set(state.tasks);
  const missing = state.tasks.filter((id) => !given.has(id));
  const added = ids.filter((id) => !recorded.has(id));
  if (missing.length === 0 && added.length === 0) return;
  const parts = [
    missing.length > 0 ? `not given now: ${missing.map((id) => `"${id}"`).join(", ")}` : "",
    added.length > 0 ? `not in the run: ${added.map((id) => `"${id}"`).join(", ")}` : "",
  ].filter(Boolean);
  throw new UserError(
    `--resume ${shown}: the tasks differ from the run's (${parts.join("; ")}); give the same task files as the run, or start a new run without --resume`,
    "E_USAGE",
  );
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
function activeMs(entries: readonly ManifestEntry[]): number {
  let total = 0;
  let since: number | undefined;
  let last: number | undefined;
  for (const entry of entries) {
    const at = Date.parse((entry as { ts?: unknown }).ts as string);
    if (Number.isNaN(at)) continue;
    if (entry.type === "run_start" || entry.type === "run_resume") {
      if (since !== undefined && last !== undefined) total += last - since;
      since = at;
    }
    last = at;
  }
  return since !== undefined && last !== undefined ? total + last - since : total;
}

function parseManifest(text: string): ManifestEntry[] {
  const entries: ManifestEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line) as ManifestEntry);
    } catch {
      // A line cut short by a crash: what it announced did not complete.
    }
  }
  return entries;
}

async function readResult(path: string, id: string): Promise<TaskResult | undefined> {
  try {
    const value = JSON.parse(await readFile(path, "utf8")) as Partial<TaskResult>;
    if (value.id !== id || typeof value.status !== "string" || !STATUSES.includes(value.status)) return undefined;
    return value as TaskResult;
  } catch {
    return undefined;
  }
}
