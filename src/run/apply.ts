import { copyFile, lstat, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { RunSummary } from "../report/types.ts";
import { UserError } from "../shared/errors.ts";
import { git, gitCommand, gitScript, shellQuote } from "../workspace/git.ts";
import { applyToIndex, describeEarlierOverlaps, describeNearbyChanges, describeOverlaps, findOverlaps, type Applied, type PatchText, type SeriesPatch } from "./patch-series.ts";

export interface ApplyOutcome {
  applied: string[];
  /** One line per file several applied patches change, and how they went on together. */
  overlaps: string[];
}

export interface ApplyOptions {
  /** The run started from the staged changes (--staged): its patches are against the index, not HEAD. */
  staged?: boolean;
}

/**
 * Applies the patches of the succeeded tasks to the working tree of `repoRoot`, in task order, all or
 * nothing. `git apply p1 p2` is not: it checks and writes one patch file at a time, so a conflict in the
 * second leaves the first written, and `git apply --check p1 p2` checks each against the original tree.
 * So the series is built first in a temporary index that holds the working tree's version of every file
 * the patches touch; the first patch that does not apply there is named and nothing is changed. Only
 * then does the whole series go to the working tree, as one patch in one `git apply`, which checks every
 * file before it writes any.
 */
export async function applyPatches(repoRoot: string, outDir: string, summary: RunSummary, options: ApplyOptions = {}): Promise<ApplyOutcome> {
  const series: SeriesPatch[] = [];
  for (const task of summary.tasks) {
    const path = join(outDir, task.patch);
    if (task.status === "succeeded" && ((await lstat(path).catch(() => undefined))?.size ?? 0) > 0) series.push({ id: task.id, path, files: task.files_changed });
  }
  if (series.length === 0) return { applied: [], overlaps: [] };
  const scratch = await mkdtemp(join(tmpdir(), "nanocoder-apply-"));
  try {
    const { combined, overlaps } = await buildSeries(repoRoot, scratch, series, options);
    await git(["apply", "--binary", combined], repoRoot).catch((error: Error) => {
      throw new UserError(`--apply: git apply failed; nothing was applied.\n${error.message}`, "E_APPLY_CONFLICT");
    });
    return { applied: series.map((entry) => entry.id), overlaps };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** What `--apply` did: the tasks whose patches it applied, or none and why (`--json` prints it as `apply`). */
export type ApplyResult = NonNullable<RunSummary["apply"]>;

/**
 * applyPatches for `--apply`, saying on stderr what it applied and which applied patches hold [REDACTED].
 * When the patches could not be applied, for a conflict or anything git refused on the way (nothing is
 * written to the working tree before the one last `git apply`, which checks every file first), the error is
 * said and returned, not thrown: the tasks ran, so that is no mistake in the input but a run that did not
 * do all it was asked, exit 1 as an undelivered pull request is, and `--json` still prints the summary.
 */
export async function applyAndSay(repoRoot: string, outDir: string, summary: RunSummary, staged: boolean): Promise<ApplyResult> {
  const outcome = await applyPatches(repoRoot, outDir, summary, { staged }).catch((error: unknown) => {
    if (error instanceof UserError && error.code === "E_APPLY_CONFLICT") return error.message;
    return `--apply: ${error instanceof Error ? error.message.trim() : String(error)}; nothing was applied`;
  });
  if (typeof outcome === "string") {
    process.stderr.write(`${outcome}\n`);
    return { applied: [], error: outcome };
  }
  const { applied, overlaps } = outcome;
  process.stderr.write(applied.length > 0 ? `applied the patches of ${applied.join(", ")}\n` : "no patch to apply\n");
  for (const line of overlaps) process.stderr.write(`note: ${line}\n`);
  const hidden = summary.tasks.filter((task) => task.patch_has_secret && applied.includes(task.id)).map((task) => task.id);
  if (hidden.length > 0) {
    process.stderr.write(`warning: the patches of ${hidden.join(", ")} wrote [REDACTED] where the model had written a secret's value; search your working tree for [REDACTED] before you commit\n`);
  }
  return { applied };
}

/**
 * The series applied in a temporary index, as one patch file in `scratch`, with what became of the files several
 * patches change; a user error naming the first patch that does not apply, and the tasks before it that change
 * the same files.
 */
async function buildSeries(repoRoot: string, scratch: string, series: readonly SeriesPatch[], options: ApplyOptions): Promise<{ combined: string; overlaps: string[] }> {
  const index = join(scratch, "index");
  const env = { GIT_INDEX_FILE: index };
  const realIndex = resolve(repoRoot, (await git(["rev-parse", "--git-path", "index"], repoRoot)).trim());
  // No index file yet (nothing ever staged) is an empty index.
  await copyFile(realIndex, index).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  const touched = await presentPaths(repoRoot, [...new Set(series.flatMap((entry) => entry.files))], env);
  // The patches are checked against what the working tree holds, staged or not, for the files they touch.
  if (touched.length > 0) await git(["add", "--all", "--force", "--", ...touched.map(literal)], repoRoot, env);
  const before = (await git(["write-tree"], repoRoot, env)).trim();
  const overlaps = findOverlaps(series);
  const applied = new Map<string, Applied>();
  for (const [at, entry] of series.entries()) {
    const how = await applyToIndex(repoRoot, entry.path, env);
    if (typeof how === "string") {
      applied.set(entry.id, how);
      continue;
    }
    const hint = options.staged
      ? "\nWith --staged the patches are made against the staged files: the working tree must hold the same (stash unstaged changes with git stash --keep-index, as pre-commit does, or stage them)."
      : "";
    const sharing = series.slice(0, at).filter((other) => other.files.some((file) => entry.files.includes(file)));
    const near = describeNearbyChanges(await readPatch(entry), await Promise.all(sharing.map(readPatch)));
    const earlier = describeEarlierOverlaps(entry.id, overlaps);
    const shared = near
      ? `\nThe patches before it change the same lines or lines next to them: ${near}.`
      : earlier
        ? `\nIt changes files the patches before it change too: ${earlier}.`
        : "";
    throw new UserError(`--apply: the patch of ${entry.id} does not apply to the working tree${at > 0 ? " after the tasks before it" : ""}; nothing was applied.${shared}\n${how.failure}${hint}`, "E_APPLY_CONFLICT");
  }
  const after = (await git(["write-tree"], repoRoot, env)).trim();
  const combined = join(scratch, "series.diff");
  const diff = ["diff", "--binary", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", before, after];
  await gitScript(`${gitCommand(diff)} > ${shellQuote(combined)}`, repoRoot, "writing the series of patches as one");
  return { combined, overlaps: describeOverlaps(overlaps, applied, []) };
}

async function readPatch({ id, path }: SeriesPatch): Promise<PatchText> {
  return { id, text: await readFile(path, "latin1") };
}

/** The paths that are in the working tree or in the index: `git add` refuses a path that is in neither. */
async function presentPaths(repoRoot: string, paths: readonly string[], env: Record<string, string>): Promise<string[]> {
  if (paths.length === 0) return [];
  const indexed = new Set((await git(["ls-files", "-z", "--", ...paths.map(literal)], repoRoot, env)).split("\0"));
  const present: string[] = [];
  for (const path of paths) {
    if (indexed.has(path) || (await lstat(join(repoRoot, path)).then(() => true, () => false))) present.push(path);
  }
  return present;
}

function literal(path: string): string {
  return `:(literal)${path}`;
}
