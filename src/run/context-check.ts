import { isAbsolute, posix } from "node:path";
import { isDynamicPattern } from "tinyglobby";
import { minimatch, unescape as unescapeGlob } from "minimatch";
import { decide } from "../policy/decide.ts";
import { resolvePathsAsWritten } from "../policy/resolve/index.ts";
import { UserError } from "../shared/errors.ts";
import { taskKeyLocation } from "../task/load.ts";
import { git } from "../workspace/git.ts";
import type { PlannedTask } from "./task.ts";

export interface ContextProblems {
  /** Entries the run would end the task over: outside the workspace, or matching no file. */
  errors: UserError[];
  /** Entries named outright that the read policy keeps from the model: the task runs without them. */
  warnings: string[];
}

/**
 * What `validate` can tell about the tasks' `context` entries before anything runs, against the files of
 * the commit the tasks start from, each at the entry's line.
 */
export async function checkContext(tasks: readonly Pick<PlannedTask, "task" | "policy">[], repoRoot: string, ref = "HEAD"): Promise<ContextProblems> {
  const problems: ContextProblems = { errors: [], warnings: [] };
  if (!tasks.some(({ task }) => task.context.length > 0)) return problems;
  const files = await filesAt(repoRoot, ref);
  // Thousands of tasks (a for_each) name thousands of paths: each glob is matched once, each path looked up,
  // and a problem of the one document they share is said once.
  const fileSet = new Set(files);
  const dynamic = new Map<string, boolean>();
  const isGlob = (glob: string): boolean => {
    let found = dynamic.get(glob);
    if (found === undefined) dynamic.set(glob, (found = isDynamicPattern(glob)));
    return found;
  };
  // As at run time (agent/context-files.ts): a path naming a file is that file, anything else a glob.
  const matchesAFile = (glob: string): boolean => fileSet.has(glob) || (files ?? []).some((file) => minimatch(file, glob, { dot: true }));
  const decisions = new WeakMap<object, Map<string, ReturnType<typeof decide>>>();
  const readDecision = (policy: PlannedTask["policy"], glob: string) => {
    const byGlob = decisions.get(policy) ?? new Map<string, ReturnType<typeof decide>>();
    decisions.set(policy, byGlob);
    let decision = byGlob.get(glob);
    if (!decision) {
      decision = decide(policy, resolvePathsAsWritten("read_file", [{ kind: "read", path: glob }]));
      byGlob.set(glob, decision);
    }
    return decision;
  };
  const said = new Set<string>();
  for (const { task, policy } of tasks) {
    task.context.forEach((pattern, index) => {
      const where = () => `${taskKeyLocation(task.source, ["context", index])}: context[${index}]: "${pattern}"`;
      const glob = posix.normalize(pattern.replace(/^(\.\/)+/, ""));
      let problem: { message: string; error: boolean } | undefined;
      if (isAbsolute(pattern) || glob === ".." || glob.startsWith("../")) {
        problem = { message: `${where()} is outside the workspace; context files are paths or globs inside the repository`, error: true };
      } else if (files && !matchesAFile(glob)) {
        problem = { message: `${where()} matches no file at ${ref}; the task would end as error. Correct the path, or commit the file`, error: true };
      } else if (fileSet.has(glob) || !isGlob(glob)) {
        const decision = readDecision(policy, fileSet.has(glob) ? glob : unescapeGlob(glob));
        if (decision.decision === "deny") problem = { message: `${where()} will not be given to the model: ${decision.reason}`, error: false };
      }
      if (!problem || said.has(problem.message)) return;
      said.add(problem.message);
      if (problem.error) problems.errors.push(new UserError(problem.message, "E_TASK_CONTEXT"));
      else problems.warnings.push(problem.message);
    });
  }
  return problems;
}

/** Every file of `ref`'s tree, or undefined when there is no such commit yet. */
async function filesAt(repoRoot: string, ref: string): Promise<string[] | undefined> {
  const listing = await git(["ls-tree", "-r", "-z", "--name-only", ref], repoRoot).catch(() => undefined);
  return listing?.split("\0").filter((name) => name !== "");
}
