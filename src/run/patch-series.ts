import { git } from "../workspace/git.ts";

/**
 * Several tasks' patches put one after the other, as `--apply` and a combined pull request do. Tasks made
 * from one task file (one per module, say) often touch a shared file: an index, a changelog, the same test
 * helper. Which tasks overlap is known from their results before any patch is applied, so it is said first;
 * how each overlapping patch then went on is said beside it.
 */

/** A patch of the series: its task, its file, and the files it changes. */
export interface SeriesPatch {
  id: string;
  path: string;
  files: readonly string[];
}

/** A file more than one task of the series changes, and those tasks, in series order. */
export interface Overlap {
  file: string;
  tasks: string[];
}

/** How a patch went on top of the ones before it: as it is, or through git's three-way merge. */
export type Applied = "clean" | "merged";

/** A patch that could not go on top of the ones before it, and why ("does not apply after …: git's words"). */
export interface LeftOut {
  id: string;
  reason: string;
}

/** The files changed by more than one task, in the order first seen. */
export function findOverlaps(patches: readonly Pick<SeriesPatch, "id" | "files">[]): Overlap[] {
  const byFile = new Map<string, string[]>();
  for (const patch of patches) {
    for (const file of new Set(patch.files)) byFile.set(file, [...(byFile.get(file) ?? []), patch.id]);
  }
  return [...byFile].filter(([, tasks]) => tasks.length > 1).map(([file, tasks]) => ({ file, tasks }));
}

/** The tasks before `id` in the series that change a file it changes, with those files: "a (src/x.ts), b (src/y.ts)". */
export function describeEarlierOverlaps(id: string, overlaps: readonly Overlap[]): string {
  const earlier = new Map<string, string[]>();
  for (const { file, tasks } of overlaps) {
    const at = tasks.indexOf(id);
    for (const task of at > 0 ? tasks.slice(0, at) : []) earlier.set(task, [...(earlier.get(task) ?? []), file]);
  }
  return [...earlier].map(([task, files]) => `${task} (${shortList(files, 3)})`).join(", ");
}

/**
 * One line per overlapping file: which tasks change it and what became of each patch. Bounded: a series of
 * hundreds of patches on one shared file still reads in a few lines.
 */
export function describeOverlaps(overlaps: readonly Overlap[], how: ReadonlyMap<string, Applied>, leftOut: readonly LeftOut[], limit = OVERLAPS_SHOWN): string[] {
  const out = new Set(leftOut.map((entry) => entry.id));
  const lines = overlaps.slice(0, limit).map(({ file, tasks }) => {
    const dropped = tasks.filter((task) => out.has(task));
    const merged = tasks.filter((task) => how.get(task) === "merged");
    const fate = [
      dropped.length === 0 && merged.length === 0 ? `${tasks.length === 2 ? "both" : "all"} applied cleanly` : "",
      merged.length > 0 ? `${shortList(merged, 5)} joined by git's three-way merge` : "",
      dropped.length > 0 ? `${shortList(dropped, 5)} left out: ${dropped.length === 1 ? "its patch conflicts" : "their patches conflict"} with the ones before` : "",
    ].filter(Boolean).join("; ");
    return `\`${file}\` is changed by ${shortList(tasks, 5)}: ${fate}`;
  });
  if (overlaps.length > limit) lines.push(`and ${overlaps.length - limit} more files changed by more than one task`);
  return lines;
}

/** A patch's text, by task. */
export interface PatchText {
  id: string;
  text: string;
}

/**
 * The earlier tasks that change the same lines of the base as the patch, or the lines next to them, with the
 * files: "a (index.js)". Those are the changes git cannot join; empty when none are (the conflict is elsewhere).
 */
export function describeNearbyChanges(patch: PatchText, earlier: readonly PatchText[]): string {
  const own = changedLines(patch.text);
  const near = earlier.flatMap(({ id, text }) => {
    const files = [...changedLines(text)]
      .filter(([file, lines]) => lines.some((line) => (own.get(file) ?? []).some((mine) => Math.abs(line - mine) <= 1)))
      .map(([file]) => file);
    return files.length > 0 ? [`${id} (${shortList(files, 3)})`] : [];
  });
  return near.join(", ");
}

/**
 * Where each file of a patch changes the base: the number of each line it removes or replaces, and n - 0.5 for
 * lines it adds before line n, read from the hunks.
 */
export function changedLines(patch: string): Map<string, number[]> {
  const changed = new Map<string, number[]>();
  let file = "";
  let line = 0;
  for (const text of patch.split("\n")) {
    const header = /^diff --git a\/(.*) b\/(.*)$/.exec(text);
    if (header) {
      file = header[1] ?? "";
      // The file's header lines (---, +++) until its first hunk.
      line = 0;
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+/.exec(text);
    if (hunk) {
      // An empty old side ("-3,0") adds after line 3.
      line = Number(hunk[1]) + (hunk[2] === "0" ? 1 : 0);
      continue;
    }
    if (line === 0) continue;
    if (text.startsWith("-")) changed.set(file, [...(changed.get(file) ?? []), line++]);
    else if (text.startsWith("+")) changed.set(file, [...(changed.get(file) ?? []), line - 0.5]);
    else if (text.startsWith(" ")) line++;
  }
  return changed;
}

/** Overlapping files named one by one; past that, counted. */
const OVERLAPS_SHOWN = 20;

/**
 * Applies a patch to the index `env` names, on top of what it holds: as it is, else with git's three-way
 * merge, which joins changes to nearby lines of one file that a plain apply refuses (the lines around the
 * change moved). On a conflict the index is put back as it was, and git's message is returned.
 */
export async function applyToIndex(repoRoot: string, patch: string, env: Record<string, string>): Promise<Applied | { failure: string }> {
  const before = (await git(["write-tree"], repoRoot, env)).trim();
  const plain = await git(["apply", "--cached", "--binary", patch], repoRoot, env).then(() => undefined, messageOf);
  if (plain === undefined) return "clean";
  const merged = await git(["apply", "--cached", "--binary", "--3way", patch], repoRoot, env).then(() => undefined, messageOf);
  if (merged === undefined) return "merged";
  // A conflicted three-way apply leaves the file unmerged in the index: back to the tree before it.
  await git(["read-tree", before], repoRoot, env);
  return { failure: plain };
}

function shortList(items: readonly string[], shown: number): string {
  return items.length <= shown ? items.join(", ") : `${items.slice(0, shown).join(", ")} and ${items.length - shown} more`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
