import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunSummary, TaskResult } from "../report/types.ts";
import { git } from "../workspace/git.ts";

/** Names the run that made a commit. */
export const RUN_TRAILER = "Nanocoder-Run";
/** The tree nanocoder gave the commit: a commit amended since (message kept) no longer has it. */
export const TREE_TRAILER = "Nanocoder-Tree";

/**
 * The commit of the tasks' patches on the run's base, made in a temporary index: the user's working tree,
 * index and branches are never touched. `outDir` is the run folder the patches are read from.
 */
export async function commitPatches(tasks: TaskResult[], summary: RunSummary, repoRoot: string, outDir: string): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), "nanocoder-pr-"));
  const env = { GIT_INDEX_FILE: join(scratch, "index"), ...(await identity(repoRoot)) };
  try {
    await git(["read-tree", summary.base], repoRoot, env);
    for (const task of tasks) {
      await git(["apply", "--cached", "--binary", join(outDir, task.patch)], repoRoot, env).catch((error: unknown) => {
        throw new Error(`the patch of ${task.id} does not apply to ${summary.base.slice(0, 12)}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    const tree = (await git(["write-tree"], repoRoot, env)).trim();
    const message = commitMessage(tasks, summary.run_id, tree);
    return (await git(["commit-tree", tree, "-p", summary.base, "-F", "-"], repoRoot, env, message)).trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
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
