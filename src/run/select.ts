import { Minimatch, unescape as unescapeGlob } from "minimatch";
import { relative, resolve, sep } from "node:path";
import type { Task } from "../task/schema.ts";
import { closestMatch } from "../shared/closest-match.ts";
import { UserError, UserErrors } from "../shared/errors.ts";
import { findRepoRoot, git, gitCommand, gitScript } from "../workspace/git.ts";

/** What chooses among the loaded tasks, before the changed files: `--label`, `--only`, `--limit`. */
export interface TaskChoice {
  /** A task runs when it has one of these labels. */
  labels?: readonly string[];
  /** Globs on task ids; a glob also takes the tasks a `for_each` made from a task of that id (`jsdoc` takes `jsdoc.*`). */
  only?: readonly string[];
}

/**
 * The tasks with one of the labels and an id matching one of the `only` globs, in their order. A label or
 * glob that takes no task is a mistake (a typo would otherwise run nothing, or everything): an error naming
 * what there is.
 */
export function chooseTasks(tasks: readonly Task[], { labels = [], only = [] }: TaskChoice): Task[] {
  let chosen = [...tasks];
  if (labels.length > 0) {
    const known = [...new Set(tasks.flatMap((task) => task.labels))];
    // Each label must take a task: `--label docs,nope` running docs alone would hide the typo.
    const errors = labels.filter((label) => !known.includes(label)).map((label) => {
      const suggestion = closestMatch(label, known);
      const fix = suggestion ? `did you mean --label ${suggestion}?` : known.length > 0 ? `the labels are: ${known.sort().join(", ")}` : 'no task has labels: add "labels: [nightly]" to the task files';
      return new UserError(`--label ${label}: no task has this label; ${fix}`, "E_USAGE");
    });
    if (errors.length > 0) throw new UserErrors(errors);
    chosen = chosen.filter((task) => task.labels.some((label) => labels.includes(label)));
  }
  if (only.length > 0) {
    const byGlob = only.map((glob) => ({ glob, matchers: [new Minimatch(glob, { dot: true }), new Minimatch(`${glob}.*`, { dot: true })] }));
    const taking = (task: Task) => byGlob.filter(({ matchers }) => matchers.some((matcher) => matcher.match(task.id)));
    const used = new Set<string>();
    const matched = chosen.filter((task) => {
      const globs = taking(task);
      for (const { glob } of globs) used.add(glob);
      return globs.length > 0;
    });
    const unused = only.filter((glob) => !used.has(glob));
    if (unused.length > 0) {
      const examples = chosen.slice(0, 3).map((task) => task.id).join(", ");
      const candidates = [...new Set(chosen.flatMap((task) => [task.id.split(".")[0] ?? task.id, task.id]))].slice(0, 5_000);
      throw new UserErrors(
        unused.map((glob) => {
          const suggestion = closestMatch(glob, candidates);
          const fix = suggestion ? `did you mean --only ${suggestion}?` : `ids look like ${examples}${chosen.length > 3 ? ", ..." : ""} (validate --list prints them all)`;
          return new UserError(`--only ${glob}: no task id matches${labels.length > 0 ? " among the tasks the labels chose" : ""}; ${fix}`, "E_USAGE");
        }),
      );
    }
    chosen = matched;
  }
  return chosen;
}

/**
 * The loaded tasks, which must be some: task files that expand to none (a for_each glob that matches no file
 * after a rename or a typo) are a mistake a nightly job must not pass over in green.
 */
export function someTasks(tasks: Task[], patterns: readonly string[]): Task[] {
  if (tasks.length > 0) return tasks;
  throw new UserError(`${patterns.join(" ")}: the task files expand to no tasks (the warnings above say which for_each matches no file); correct the glob, or leave the file out`, "E_TASK_INVALID");
}

/** `--limit N`: the first N tasks, for trying a few of a large expansion. */
export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || limit < 1) throw new UserError(`--limit: expected a positive whole number of tasks, got "${value}"`, "E_USAGE");
  return limit;
}

/**
 * The tasks a set of changed files concerns: those whose `files` globs match at least one of them,
 * each carrying the files it matched. Tasks without `files` are not about particular files and do not run.
 * A pattern without wildcards (each file of a `for_each` expansion) is looked up, not matched, so that
 * thousands of tasks cost no more than their number.
 */
export function selectByChangedFiles(tasks: Task[], changed: string[]): Task[] {
  const compiled = new Map<string, (file: string) => boolean>();
  const matcherOf = (pattern: string): ((file: string) => boolean) => {
    let matches = compiled.get(pattern);
    if (!matches) {
      const glob = new Minimatch(pattern, { dot: true });
      const literal = glob.hasMagic() ? undefined : unescapeGlob(pattern);
      matches = literal === undefined ? (file) => glob.match(file) : (file) => file === literal;
      compiled.set(pattern, matches);
    }
    return matches;
  };
  return tasks.flatMap((task) => {
    const matchers = (task.files ?? []).map(matcherOf);
    const matched = changed.filter((file) => matchers.some((matches) => matches(file)));
    return matched.length > 0 ? [{ ...task, changedFiles: matched }] : [];
  });
}

/** What chooses the tasks: file names after `--`, `--changed REF`, and whether the tasks start from the staged files. */
export interface ChangeSelection {
  files: string[] | undefined;
  changedRef: string | undefined;
  staged: boolean;
}

/**
 * With changed files (after -- or from --changed REF), only the tasks about them; otherwise every task.
 * With --staged, a `--` with no names after it stands for the staged files, read from the index: the
 * pre-commit hook passes no names (pre-commit splits a long list over several runs of the hook, and each
 * would run the tasks again).
 */
export async function selectByChanges(tasks: Task[], { files, changedRef, staged }: ChangeSelection): Promise<Task[]> {
  if (files === undefined && changedRef === undefined) return tasks;
  const repoRoot = await findRepoRoot(process.cwd());
  const fromIndex = staged && files?.length === 0 && changedRef === undefined;
  const given = fromIndex ? await stagedFiles(repoRoot, process.env) : (files ?? []).map((file) => relative(repoRoot, resolve(process.cwd(), file)).split(sep).join("/"));
  const changed = changedRef === undefined ? given : [...given, ...(await changedSince(repoRoot, changedRef))];
  return selectByChangedFiles(tasks, changed);
}

/** Files that differ between `ref` and the working tree, plus untracked ones, relative to the repository root. */
export async function changedSince(repoRoot: string, ref: string): Promise<string[]> {
  const tracked = await git(["diff", "--name-only", "-z", ref], repoRoot);
  const untracked = await git(["ls-files", "--others", "--exclude-standard", "-z"], repoRoot);
  return splitNames(`${tracked}\0${untracked}`);
}

/**
 * The files the staged changes add or modify, relative to the repository root: the index against HEAD
 * (every staged file before the first commit). A renamed file counts under its new name; a deleted one is
 * left out, there being nothing of it for a task to read. In a git hook, GIT_INDEX_FILE names the index being
 * committed (a temporary one for `git commit -a` or `git commit <path>`), relative to the top of the
 * repository, where git runs hooks; the index is only read.
 */
export async function stagedFiles(repoRoot: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const index: Record<string, string> = env.GIT_INDEX_FILE ? { GIT_INDEX_FILE: resolve(repoRoot, env.GIT_INDEX_FILE) } : {};
  const head = await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], repoRoot).then((id) => id.trim(), () => undefined);
  const args = head
    ? ["diff-index", "--cached", "--name-only", "-z", "--no-renames", "--diff-filter=d", head]
    : ["ls-files", "--cached", "-z"];
  return splitNames((await gitScript(gitCommand(args, index), repoRoot, "git: the staged files")).toString("utf8"));
}

function splitNames(text: string): string[] {
  return [...new Set(text.split("\0").filter((name) => name !== ""))].sort();
}
