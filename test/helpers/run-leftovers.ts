/** What a run leaves behind in the repository, the temporary folder and its run folder, for the tests of interrupts and crashes. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { git } from "./repo.ts";

/** Everything a run may leave behind: git's worktrees and their entries, the run's temporary folders. */
export function leftovers(repo: string, runId: string): { worktrees: string[]; entries: string[]; temp: string[] } {
  const worktrees = git(repo, "worktree", "list", "--porcelain").split("\n").filter((line) => line.startsWith("worktree ")).slice(1);
  const entriesDir = join(repo, ".git", "worktrees");
  return {
    worktrees,
    entries: existsSync(entriesDir) ? readdirSync(entriesDir) : [],
    temp: readdirSync(tmpdir()).filter((name) => name.startsWith(`nanocoder-${runId}-`)),
  };
}

export const NOTHING_LEFT = { worktrees: [], entries: [], temp: [] };

/** Every JSON file of the run folder parses whole; no temporary file is left. */
export function expectWholeFiles(out: string): void {
  const files = readdirSync(out, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  expect(files.filter((path) => path.endsWith(".tmp"))).toEqual([]);
  for (const file of files) {
    if (file.endsWith(".jsonl")) for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) JSON.parse(line);
    else if (file.endsWith(".json")) JSON.parse(readFileSync(file, "utf8"));
  }
}

export interface ManifestEntry {
  type: string;
  id?: string;
  status?: string;
  run_id?: string;
  interrupted?: boolean;
}

/** The run folder's manifest.jsonl, line by line; empty before the run wrote it. */
export function readManifest(out: string): ManifestEntry[] {
  const path = join(out, "manifest.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as ManifestEntry);
}

/** Whether a task's events.jsonl holds `text` yet: false before the task wrote it. */
export function eventsInclude(out: string, id: string, text: string): boolean {
  const path = join(out, "tasks", id, "events.jsonl");
  return existsSync(path) && readFileSync(path, "utf8").includes(text);
}
