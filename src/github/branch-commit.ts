import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunSummary, TaskResult } from "../report/types.ts";
import { applyToIndex, describeEarlierOverlaps, describeNearbyChanges, findOverlaps, type Applied, type LeftOut, type PatchText } from "../run/patch-series.ts";
import { git } from "../workspace/git.ts";

/** Names the run that made a commit. */
export const RUN_TRAILER = "Nanocoder-Run";
/** The tree nanocoder gave the commit: a commit amended since (message kept) no longer has it. */
export const TREE_TRAILER = "Nanocoder-Tree";

/** The commit made of a group's patches, and what became of each patch. */
export interface PatchesCommit {
  commit: string;
  /** The tasks in the commit, in order. */
  tasks: TaskResult[];
  /** How each task's patch went on top of the ones before it. */
  applied: Map<string, Applied>;
  /** The tasks whose patch conflicts with the ones before it: not in the commit. */
  leftOut: LeftOut[];
}

/**
 * The commit of the tasks' patches on the run's base, made in a temporary index: the user's working tree,
 * index and branches are never touched. `outDir` is the run folder the patches are read from. A patch that
 * does not go on top of the ones before it (two tasks changed the same lines) is left out and named, and the
 * others are committed: one conflict does not hold back a hundred tasks. When none applies, it throws.
 */
export async function commitPatches(tasks: TaskResult[], summary: RunSummary, repoRoot: string, outDir: string): Promise<PatchesCommit> {
  const scratch = await mkdtemp(join(tmpdir(), "nanocoder-pr-"));
  const env = { GIT_INDEX_FILE: join(scratch, "index"), ...(await identity(repoRoot)) };
  const overlaps = findOverlaps(tasks.map((task) => ({ id: task.id, files: task.files_changed })));
  try {
    await git(["read-tree", summary.base], repoRoot, env);
    const applied = new Map<string, Applied>();
    const leftOut: LeftOut[] = [];
    for (const task of tasks) {
      const how = await applyToIndex(repoRoot, join(outDir, task.patch), env);
      if (typeof how === "string") {
        applied.set(task.id, how);
        continue;
      }
      const sharing = tasks.filter((other) => applied.has(other.id) && other.files_changed.some((file) => task.files_changed.includes(file)));
      const near = describeNearbyChanges(await readPatch(task, outDir), await Promise.all(sharing.map((other) => readPatch(other, outDir))));
      const earlier = describeEarlierOverlaps(task.id, overlaps);
      const after = near
        ? `after the patches of ${near}, which change the same lines or lines next to them`
        : earlier
          ? `after the patches of ${earlier}, which change the same files`
          : `to ${summary.base.slice(0, 12)}`;
      leftOut.push({ id: task.id, reason: `does not apply ${after}: ${gitSays(how.failure)}` });
    }
    const committed = tasks.filter((task) => applied.has(task.id));
    if (committed.length === 0) {
      throw new Error(leftOut.map(({ id, reason }) => `the patch of ${id} ${reason}`).join("; "));
    }
    const tree = (await git(["write-tree"], repoRoot, env)).trim();
    const message = commitMessage(committed, summary.run_id, tree);
    const commit = (await git(["commit-tree", tree, "-p", summary.base, "-F", "-"], repoRoot, env, message)).trim();
    return { commit, tasks: committed, applied, leftOut };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readPatch(task: TaskResult, outDir: string): Promise<PatchText> {
  return { id: task.id, text: await readFile(join(outDir, task.patch), "latin1") };
}

/** git's last words ("error: index.md: patch does not apply"), without the command line before them. */
function gitSays(message: string): string {
  const lines = message.split("\n").map((line) => line.replace(/^git .* failed \([^)]*\): /, "").trim()).filter(Boolean);
  return lines.at(-1) ?? message;
}

export function commitMessage(tasks: TaskResult[], runId: string, tree: string): string {
  const [first] = tasks;
  const subject = tasks.length === 1 && first ? (first.title ?? first.id) : `nanocoder batch: ${tasks.length} tasks`;
  const list = tasks.length > 1 ? `\n${tasks.map((task) => `- ${task.id}${task.title ? `: ${task.title}` : ""}`).join("\n")}\n` : "";
  return `${subject}\n${list}\n${RUN_TRAILER}: ${runId}\n${TREE_TRAILER}: ${tree}\n`;
}

/** The user's git identity, else the Actions bot's. */
async function identity(repoRoot: string): Promise<Record<string, string>> {
  const name = (await git(["config", "user.name"], repoRoot).catch(() => "")).trim() || "github-actions[bot]";
  const email = (await git(["config", "user.email"], repoRoot).catch(() => "")).trim() || "41898213+github-actions[bot]@users.noreply.github.com";
  const env: Record<string, string> = {};
  for (const role of ["AUTHOR", "COMMITTER"]) {
    env[`GIT_${role}_NAME`] = process.env[`GIT_${role}_NAME`] ?? name;
    env[`GIT_${role}_EMAIL`] = process.env[`GIT_${role}_EMAIL`] ?? email;
  }
  return env;
}
