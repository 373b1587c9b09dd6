import { isAbsolute } from "node:path";
import { TASK_ID_PATTERN } from "../task/schema.ts";
import type { TaskResult } from "./types.ts";

/**
 * Why a task's entry in a summary.json may not be followed into the run folder, or undefined when it may.
 * The files read for a task (tasks/<id>/..., its patch) are named by summary.json, which anyone can edit:
 * an id `../../x` or a patch `../outside.txt` would have a report read, embed or copy a file outside the
 * folder's tasks/.
 */
export function unsafeTaskPaths(task: Pick<TaskResult, "id" | "patch">): string | undefined {
  if (!TASK_ID_PATTERN.test(task.id)) return `its id ${JSON.stringify(task.id.slice(0, 200))} is not a task id`;
  const segments = task.patch.split(/[\\/]/);
  if (isAbsolute(task.patch) || segments[0] !== "tasks" || segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return `its patch ${JSON.stringify(task.patch.slice(0, 200))} is not inside the run folder's tasks/`;
  }
  return undefined;
}
