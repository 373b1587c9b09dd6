import { createHash } from "node:crypto";
import { extname } from "node:path";
import type { TaskResult, TaskSelection } from "../report/types.ts";
import { UserError } from "../shared/errors.ts";

/**
 * Which tasks share a pull request, and the branch it comes from. The branch is made of what the tasks share
 * (their task file's name, their label), never of the run, so tomorrow's run of the same tasks pushes to the
 * same branch and updates the same pull request.
 */

/** `combined` is `combined:run`: one pull request for the whole run, as before groups existed. */
export type OpenPrMode = "none" | "per-task" | "combined" | "combined:file" | "combined:label";

const MODES: readonly OpenPrMode[] = ["none", "per-task", "combined", "combined:file", "combined:label"];

export function parseOpenPr(value: string | undefined, name = "--open-pr"): OpenPrMode {
  const mode = value === undefined || value === "" ? "per-task" : value === "combined:run" ? "combined" : value;
  const known = MODES.find((candidate) => candidate === mode);
  if (known) return known;
  if (mode.startsWith("combined:")) {
    throw new UserError(`${name}: "${value}" groups by nothing known; expected combined:file (a pull request per task file), combined:label (per label) or combined:run (one for the run)`, "E_USAGE");
  }
  throw new UserError(`${name}: expected none, per-task or combined, got "${value}"`, "E_USAGE");
}

/** The branch of `combined`, and of the tasks a grouping has no file or label for. */
export const COMBINED_BRANCH = "batch";

/** What a group's tasks share: the title and body say it. */
export type GroupScope = { kind: "task" } | { kind: "run" } | { kind: "file"; file: string } | { kind: "label"; label: string };

/** The tasks of one pull request, in run order. */
export interface TaskGroup<T extends Groupable = TaskResult> {
  branch: string;
  scope: GroupScope;
  tasks: T[];
}

/** What the grouping reads of a task. */
export type Groupable = Pick<TaskResult, "id" | "task_file" | "labels">;

export interface GroupingOptions {
  /** A task file's path relative to the repository root, from `task_file` as named when the run started. */
  fileInRepo?: (file: string) => string;
  /**
   * The labels `--label` chose the tasks by: a task with several labels goes to the first of them among these,
   * the label it was chosen for, rather than to its first label.
   */
  labels?: readonly string[];
}

/** The run's tasks in their pull requests' groups, in the order each group's first task ran. */
export function groupTasks<T extends Groupable = TaskResult>(tasks: readonly T[], mode: Exclude<OpenPrMode, "none">, branchPrefix: string, options: GroupingOptions = {}): TaskGroup<T>[] {
  if (mode === "per-task") return tasks.map((task) => ({ branch: `${branchPrefix}${task.id}`, scope: { kind: "task" }, tasks: [task] }));
  const run: TaskGroup<T> = { branch: `${branchPrefix}${COMBINED_BRANCH}`, scope: { kind: "run" }, tasks: [] };
  if (mode === "combined") return tasks.length === 0 ? [] : [{ ...run, tasks: [...tasks] }];
  const { fileInRepo = (file: string) => file, labels: chosen = [] } = options;
  const keyOf = mode === "combined:file"
    ? (task: T) => (task.task_file === undefined ? undefined : fileInRepo(task.task_file))
    : (task: T) => (chosen.length > 0 ? task.labels?.find((label) => chosen.includes(label)) : task.labels?.[0]);
  const groups = new Map<string | undefined, T[]>();
  for (const task of tasks) {
    const key = keyOf(task);
    groups.set(key, [...(groups.get(key) ?? []), task]);
  }
  const made = [...groups].map(([key, members]): TaskGroup<T> => {
    if (key === undefined) return { ...run, tasks: members };
    if (mode === "combined:file") return { branch: `${branchPrefix}file-${fileBranchName(key)}`, scope: { kind: "file", file: key }, tasks: members };
    return { branch: `${branchPrefix}label-${slug(key)}`, scope: { kind: "label", label: key }, tasks: members };
  });
  requireDistinctBranches(made);
  return made;
}

/**
 * The groups a run must not deliver, each with why: those it holds only part of. A pull request holds its whole
 * group, so a run of part of one (`--limit 3` to try a few, `--only`, `--changed`, a shard) would take the
 * other tasks' changes out of it, and shards running at once would each replace the others', as would a merged
 * run missing a shard. A task of the group that ran and did not succeed is no part left out: the pull request's
 * body names it.
 */
export function findPartialGroups(
  groups: readonly TaskGroup<Groupable>[],
  mode: Exclude<OpenPrMode, "none">,
  branchPrefix: string,
  { shard, selection, missing = [], ...options }: GroupingOptions & { shard?: { index: number; count: number }; selection?: TaskSelection; missing?: readonly string[] },
): Map<string, string> {
  const partial = new Map<string, string>();
  if (mode === "per-task") return partial;
  if (shard) {
    const why = `--shard ${shard.index}/${shard.count} ran part of the tasks, and the pull requests of --open-pr ${mode} hold all of their group's; deliver from the shards merged: nanocoder report merge <their run folders> --open-pr ${mode} (in a workflow, the Action's merge input)`;
    for (const group of groups) partial.set(group.branch, why);
    return partial;
  }
  // A merged run that lacks a shard's folder (its job failed before uploading) is a part too. Its missing tasks
  // are known only by id, not by task file or label, so any group may be theirs: none is delivered.
  if (missing.length > 0) {
    const named = `${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`;
    const why = `${missing.length} planned task(s) are in no run folder (${named}), and the pull requests of --open-pr ${mode} hold all of their group's: delivering would take their changes out; merge every shard's run folder (run the failed shard again), or deliver these with --open-pr per-task`;
    for (const group of groups) partial.set(group.branch, why);
    return partial;
  }
  // `combined` holds the run's tasks, whatever chose them.
  if (mode === "combined" || !selection || selection.by.length === 0) return partial;
  const left = new Map(groupTasks(selection.left, mode, branchPrefix, { ...options, labels: selection.labels }).map((group) => [group.branch, group.tasks.length]));
  for (const group of groups) {
    const missing = left.get(group.branch) ?? 0;
    if (missing === 0) continue;
    const chosen = selection.by.join(" ");
    partial.set(group.branch, `${chosen} chose ${group.tasks.length} of the group's ${group.tasks.length + missing} tasks, and its pull request holds them all: delivering would take the other ${missing}'s changes out of it; run the group without ${chosen}, or deliver these with --open-pr per-task`);
  }
  return partial;
}

/** Where task files live by default: their branches are named after the file alone. */
const TASK_FILE_HOME = ".nanocoder/tasks/";

/**
 * A task file's part of its branch name, made of its path in the repository alone, so that every run of the
 * file, from any directory and beside any other files, updates the same pull request: the path without its
 * extension, folders joined by "-" (`tasks-jsdoc` for tasks/jsdoc.yaml), without `.nanocoder/tasks/`
 * (`jsdoc`). A path git would not take as it is (spaces, "..") is cleaned and followed by a short hash of the
 * path, so that two paths cleaned alike still get two branches.
 */
export function fileBranchName(path: string): string {
  const inHome = path.startsWith(TASK_FILE_HOME) ? path.slice(TASK_FILE_HOME.length) : path;
  const shown = inHome.slice(0, inHome.length - extname(inHome).length).split("/").join("-");
  const name = slug(shown);
  return name === shown ? name : `${name}-${createHash("sha1").update(path).digest("hex").slice(0, 7)}`;
}

/** Two task files whose paths read alike (a/b.yaml, a-b.yaml) would push to one branch: the second would replace the first. */
function requireDistinctBranches(groups: readonly TaskGroup<Groupable>[]): void {
  const seen = new Map<string, GroupScope>();
  for (const { branch, scope } of groups) {
    const earlier = seen.get(branch);
    if (earlier?.kind === "file" && scope.kind === "file") {
      throw new UserError(`--open-pr combined:file: the task files ${earlier.file} and ${scope.file} would both make branch ${branch}; rename one of them`, "E_USAGE");
    }
    seen.set(branch, scope);
  }
}

/** Letters, digits, ".", "_" and "-", as git takes them in a branch name (no "..", no leading or trailing "."). */
function slug(text: string): string {
  const cleaned = text
    .replace(/^(\.\.?\/)+/, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.-]+|[.-]+$/g, "")
    .replace(/\.lock$/, "-lock");
  return cleaned || "tasks";
}

/**
 * The pull request's title. One task: its title (or id). Several: what they share, so a reviewer reads
 * "Add JSDoc to … (120 tasks from tasks/jsdoc.yaml)": the title they all have, else the words their titles
 * start with, else the start their ids share (`jsdoc` of jsdoc.src-a-ts, jsdoc.src-b-ts).
 */
export function groupTitle(scope: GroupScope, tasks: readonly TaskResult[]): string {
  const [first] = tasks;
  if (tasks.length === 1 && first) return `nanocoder: ${first.title ?? first.id}`;
  const count = `${tasks.length} tasks`;
  if (scope.kind === "run" || scope.kind === "task") return `nanocoder: ${count}`;
  const where = scope.kind === "file" ? `${count} from ${scope.file}` : `${count} labelled ${scope.label}`;
  const name = sharedName(tasks);
  return name ? `nanocoder: ${name} (${where})` : `nanocoder: ${where}`;
}

function sharedName(tasks: readonly TaskResult[]): string | undefined {
  const titles = tasks.map((task) => task.title);
  if (titles.every((title): title is string => title !== undefined)) {
    if (titles.every((title) => title === titles[0])) return titles[0];
    const words = commonPrefix(titles.map((title) => title.split(/\s+/)));
    if (words.length >= 2) return `${words.join(" ")} …`;
  }
  const parts = commonPrefix(tasks.map((task) => task.id.split(".")));
  return parts.length > 0 ? parts.join(".") : undefined;
}

function commonPrefix(lists: readonly string[][]): string[] {
  const [first = [], ...rest] = lists;
  let length = first.length;
  for (const list of rest) {
    let at = 0;
    while (at < length && list[at] === first[at]) at++;
    length = at;
  }
  return first.slice(0, length);
}
