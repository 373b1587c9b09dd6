import { minimatch } from "minimatch";
import { UserError } from "../shared/errors.ts";
import { taskKeyLocation } from "../task/load.ts";
import type { Task } from "../task/schema.ts";
import { git } from "../workspace/git.ts";

/**
 * The `context` entries that match no file of the commit the tasks start from: such a task would end as
 * `error` once it runs, so `validate` says so beforehand, at the entry's line.
 */
export async function unmatchedContext(tasks: readonly Task[], repoRoot: string, ref = "HEAD"): Promise<UserError[]> {
  if (!tasks.some((task) => task.context.length > 0)) return [];
  const files = await filesAt(repoRoot, ref);
  if (files === undefined) return [];
  return tasks.flatMap((task) =>
    task.context.flatMap((pattern, index) => {
      const glob = pattern.replace(/^(\.\/)+/, "");
      if (files.some((file) => minimatch(file, glob, { dot: true }))) return [];
      const where = taskKeyLocation(task.source, ["context", index]);
      return [new UserError(`${where}: context[${index}]: "${pattern}" matches no file at ${ref}; the task would end as error. Correct the path, or commit the file`, "E_TASK_CONTEXT")];
    }),
  );
}

/** Every file of `ref`'s tree, or undefined when there is no such commit yet. */
async function filesAt(repoRoot: string, ref: string): Promise<string[] | undefined> {
  const listing = await git(["ls-tree", "-r", "-z", "--name-only", ref], repoRoot).catch(() => undefined);
  return listing?.split("\0").filter((name) => name !== "");
}
