import * as core from "@actions/core";
import { join, resolve } from "node:path";
import { glob } from "tinyglobby";
import { mergeRuns, type MergedRun } from "../report/merge.ts";
import { ignoreRunsFolder } from "../run/batch.ts";
import { DEFAULT_RUNS_DIR } from "../run/plan.ts";
import { createRunId } from "../run/run-id.ts";
import { UserError } from "../shared/errors.ts";
import type { TaskAnnotations } from "./action-log.ts";

/** Inputs that only mean something when tasks run; the ones with a default (concurrency) cannot be told apart from unset. */
const RUN_ONLY_INPUTS = ["config", "policy", "provider", "model", "base-url", "api-key", "max-cost-usd", "shard"] as const;

/** Merge mode runs no task: an input about running them would silently do nothing, so it is refused. */
export function refuseRunInputs(): void {
  const given = RUN_ONLY_INPUTS.find((name) => core.getInput(name) !== "");
  if (given) throw new UserError(`merge: joins run folders and opens their pull requests, it runs no task: drop ${given}, which applies only with tasks`, "E_USAGE");
}

/**
 * Merge mode (`merge: <globs>`): the run folders the globs match (shards' folders, downloaded as artifacts)
 * joined as `nanocoder report merge` joins them, into `out` or a new folder under .nanocoder/runs of the workspace
 * (which then holds a .gitignore, as for a run of tasks).
 * Each task that did not succeed, and each planned task no folder holds, is annotated.
 */
export async function mergeRunFolders(patterns: string[], cwd: string, out: string | undefined, annotations: TaskAnnotations): Promise<MergedRun & { outDir: string }> {
  const dirs = await findRunFolders(patterns, cwd);
  const runId = createRunId();
  const outDir = out === undefined ? join(cwd, DEFAULT_RUNS_DIR, runId) : resolve(cwd, out);
  const merged = await mergeRuns(dirs, outDir, runId, { out: out ?? outDir, label: "merge" });
  // In the workspace's folder of runs, as a run of tasks would be: ignored by git like theirs.
  if (out === undefined) await ignoreRunsFolder(join(cwd, DEFAULT_RUNS_DIR));
  core.info(`merged ${dirs.length} run folder(s) into ${outDir}: ${merged.summary.totals.tasks} task(s), ${merged.missing.length} missing`);
  for (const task of merged.summary.tasks) annotations.annotate(task);
  for (const id of merged.missing) annotations.annotateMissing(id);
  return { ...merged, outDir };
}

async function findRunFolders(patterns: string[], cwd: string): Promise<string[]> {
  const matches = await glob(patterns, { cwd, absolute: true, onlyDirectories: true, expandDirectories: false });
  const dirs = [...new Set(matches.map((dir) => resolve(dir)))].sort();
  if (dirs.length === 0) {
    throw new UserError(`merge: no folder matches ${patterns.join(" ")}; give the folders the shards' run folders were downloaded to, e.g. shards/*`, "E_MERGE_INPUT");
  }
  return dirs;
}
