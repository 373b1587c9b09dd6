import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { RunSummary } from "../report/types.ts";
import { UserError } from "../shared/errors.ts";
import { loadExeca } from "../shared/execa.ts";

export interface ApplyOutcome {
  applied: string[];
}

export interface ApplyOptions {
  /** The run started from the staged changes (--staged): its patches are against the index, not HEAD. */
  staged?: boolean;
}

/**
 * Applies the patches of the succeeded tasks to the working tree of `repoRoot`, in task order, all or
 * nothing: every prefix of the series is checked with `git apply --check` first, so the first task whose
 * patch does not apply on top of the ones before it is named and nothing is changed.
 */
export async function applyPatches(repoRoot: string, outDir: string, summary: RunSummary, options: ApplyOptions = {}): Promise<ApplyOutcome> {
  const series: { id: string; path: string }[] = [];
  for (const task of summary.tasks) {
    const path = join(outDir, task.patch);
    if (task.status === "succeeded" && ((await stat(path).catch(() => undefined))?.size ?? 0) > 0) series.push({ id: task.id, path });
  }
  for (let end = 1; end <= series.length; end++) {
    const paths = series.slice(0, end).map((entry) => entry.path);
    const check = await gitApply(repoRoot, ["--check", ...paths]);
    if (check.exitCode !== 0) {
      const task = series[end - 1]?.id ?? "";
      const hint = options.staged
        ? "\nWith --staged the patches are made against the staged files: the working tree must hold the same (stash unstaged changes with git stash --keep-index, as pre-commit does, or stage them)."
        : "";
      throw new UserError(`--apply: the patch of ${task} does not apply to the working tree${end > 1 ? " after the tasks before it" : ""}; nothing was applied.\n${check.stderr.trim()}${hint}`, "E_APPLY_CONFLICT");
    }
  }
  if (series.length > 0) {
    const result = await gitApply(repoRoot, series.map((entry) => entry.path));
    if (result.exitCode !== 0) throw new UserError(`--apply: git apply failed: ${result.stderr.trim()}`, "E_APPLY_CONFLICT");
  }
  return { applied: series.map((entry) => entry.id) };
}

async function gitApply(repoRoot: string, args: string[]) {
  const { execa } = await loadExeca();
  return await execa("git", ["apply", "--binary", ...args], { cwd: repoRoot, reject: false });
}
