import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunSummary, TaskResult } from "../report/types.ts";
import { runGit } from "./git.ts";

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
    await runGit(["read-tree", summary.base], repoRoot, env);
    for (const task of tasks) {
      await runGit(["apply", "--cached", "--binary", join(outDir, task.patch)], repoRoot, env).catch((error: unknown) => {
        throw new Error(`the patch of ${task.id} does not apply to ${summary.base.slice(0, 12)}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    const tree = (await runGit(["write-tree"], repoRoot, env)).trim();
    const message = commitMessage(tasks, summary.run_id, tree);
    return (await runGit(["commit-tree", tree, "-p", summary.base, "-F", "-"], repoRoot, env, message)).trim();
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

/**
 * The remote branch's commit when nanocoder made it, undefined when there is no such branch; refuses any other.
 * nanocoder made it when its last commit names a run and still has the tree nanocoder recorded beside it: a
 * commit amended with the message kept (`git commit --amend --no-edit`) or rebased has another tree, and a
 * person's commit on top has no trailer, so neither is overwritten. (A message-only amend keeps the files, and
 * is not told apart: overwriting it loses no change to the code.)
 */
export async function requireOwnBranch(repoRoot: string, remote: string, branch: string, env: Record<string, string>): Promise<string | undefined> {
  const listed = await runGit(["ls-remote", "--heads", remote, `refs/heads/${branch}`], repoRoot, env);
  if (listed.trim() === "") return undefined;
  await runGit(["fetch", "--quiet", "--no-tags", remote, `refs/heads/${branch}`], repoRoot, env);
  const [commit = "", tree = "", ...message] = (await runGit(["log", "-1", "--format=%H%n%T%n%B", "FETCH_HEAD"], repoRoot)).split("\n");
  const body = message.join("\n");
  if (lastTrailer(body, RUN_TRAILER) === undefined) {
    throw new Error(`branch ${branch} exists and its last commit has no ${RUN_TRAILER} trailer: it was not made by nanocoder, so it is left alone`);
  }
  const recorded = lastTrailer(body, TREE_TRAILER);
  if (recorded !== tree.trim()) {
    const why = recorded === undefined
      ? `has no ${TREE_TRAILER} trailer (an older nanocoder made it, or a person changed it)`
      : `no longer has the files nanocoder gave it (${TREE_TRAILER}): a person changed it`;
    throw new Error(`branch ${branch} exists and its last commit ${why}, so it is left alone; merge or close its pull request, or delete the branch to let nanocoder make it again`);
  }
  return commit.trim();
}

function lastTrailer(message: string, name: string): string | undefined {
  const values = [...message.matchAll(new RegExp(`^${name}: (\\S+)$`, "gm"))].map((match) => match[1]);
  return values.at(-1);
}

/** The user's git identity, else the Actions bot's. */
async function identity(repoRoot: string): Promise<Record<string, string>> {
  const name = (await runGit(["config", "user.name"], repoRoot).catch(() => "")).trim() || "github-actions[bot]";
  const email = (await runGit(["config", "user.email"], repoRoot).catch(() => "")).trim() || "41898213+github-actions[bot]@users.noreply.github.com";
  const env: Record<string, string> = {};
  for (const role of ["AUTHOR", "COMMITTER"]) {
    env[`GIT_${role}_NAME`] = process.env[`GIT_${role}_NAME`] ?? name;
    env[`GIT_${role}_EMAIL`] = process.env[`GIT_${role}_EMAIL`] ?? email;
  }
  return env;
}
