import type { BigIntStats, Dirent } from "node:fs";
import { lstat, readdir, rm, writeFile } from "node:fs/promises";
import { join, posix } from "node:path";

/**
 * A cheap look at a worktree, taken before git's own: every folder's entries (names and types, no stat of
 * the files in it) and the stat data of a few watched files. Between two snapshots that agree on a folder,
 * git's view of that folder cannot have changed, except for files that are neither watched nor new: what
 * git lists as untracked or ignored there depends on the names alone (and on the ignore files, which are
 * watched), and a tracked file that is not watched was changed by nothing git would then report differently
 * about a watched one. Listing the 200 folders of a 20,000-file repository costs a fraction of an lstat of
 * each file, which is what git's own view costs.
 */
export interface Snapshot {
  folders: ReadonlyMap<string, Folder>;
  /** Watched file, worktree-relative → its stat data (statKey), `""` when it could not be read. */
  stats: ReadonlyMap<string, string>;
  /** Folders whose state this snapshot cannot vouch for: git is asked about them whatever the next snapshot says. */
  unsure: ReadonlySet<string>;
  /** The file system's clock when the snapshot was started (nanoseconds, as its files' times). */
  time: bigint;
}

/** A folder as listed: worktree-relative, `""` for the top. */
interface Folder {
  /** Its entries, one `<type><name>\0` each, in the order the system listed them. */
  listing: string;
  /** Its watched files, worktree-relative. */
  watched: string[];
}

export interface SnapshotOptions {
  /** Worktree-relative paths never entered (linked dependency folders); their names are still listed. */
  leaveOut: ReadonlySet<string>;
  /** Files whose stat data is kept (worktree-relative, never a folder). */
  watch(path: string): boolean;
  /** A path beside the worktree, on its file system, written and removed to learn that file system's time. */
  stamp: string;
  /** More watched files than this and the snapshot is not taken (undefined): their lstat costs what git's view does. */
  watchedAtMost: number;
  /** The last snapshot: a folder listed as it was keeps its watched files without asking `watch` again. */
  previous?: Snapshot;
}

export async function takeSnapshot(top: string, options: SnapshotOptions): Promise<Snapshot | undefined> {
  const { leaveOut, watch, stamp, watchedAtMost, previous } = options;
  // The file system's clock now. A watched file changed at or after it may change again within the same
  // tick of that clock, after this snapshot, and keep the same stat data: git's "racy" case, handled the
  // same way (its folder is asked about at the next look).
  await writeFile(stamp, "");
  const now = (await lstat(stamp, { bigint: true })).mtimeNs;
  await rm(stamp, { force: true });

  const folders = new Map<string, Folder>();
  const unsure = new Set<string>();
  let watchedCount = 0;
  // Level by level, each level's folders listed at once: as fast as a synchronous walk here, without
  // holding up the other tasks of the run.
  for (let level = [""]; level.length > 0; ) {
    const listed = await Promise.all(level.map((folder) => readdir(join(top, folder), { withFileTypes: true }).catch(() => undefined)));
    const next: string[] = [];
    level.forEach((folder, index) => {
      const entries = listed[index];
      if (entries === undefined) {
        // Gone, or made unreadable, since its parent was listed: git says what is there.
        folders.set(folder, { listing: "", watched: [] });
        unsure.add(folder);
        return;
      }
      const listing = entries.map((entry) => `${typeOf(entry)}${entry.name}\0`).join("");
      const at = (name: string) => (folder === "" ? name : `${folder}/${name}`);
      // A `.git` below the top makes the folder a repository of its own, whose state (not its names)
      // decides what git lists there: git is asked about it at every look, and it is not entered.
      if (folder !== "" && entries.some((entry) => entry.name.toLowerCase() === ".git")) {
        folders.set(folder, { listing, watched: [] });
        unsure.add(folder);
        return;
      }
      const before = previous?.folders.get(folder);
      const watched = before?.listing === listing ? before.watched : entries.filter((entry) => !entry.isDirectory() && !leaveOut.has(at(entry.name)) && watch(at(entry.name))).map((entry) => at(entry.name));
      watchedCount += watched.length;
      folders.set(folder, { listing, watched });
      // Links are never followed: readdir's types are the entries' own. The top's `.git` is the worktree's
      // pointer to its git folder, which git never lists.
      for (const entry of entries) {
        const path = at(entry.name);
        if (entry.isDirectory() && !leaveOut.has(path) && !(folder === "" && entry.name === ".git")) next.push(path);
      }
    });
    if (watchedCount > watchedAtMost) return undefined;
    level = next;
  }

  const watchedPaths = [...folders.values()].flatMap((folder) => folder.watched);
  const stats = new Map<string, string>();
  await Promise.all(watchedPaths.map(async (path) => {
    const stat = await lstat(join(top, path), { bigint: true }).catch(() => undefined);
    stats.set(path, stat ? statKey(stat) : "");
    if (stat && (stat.mtimeNs >= now || stat.ctimeNs >= now)) unsure.add(parentOf(path));
  }));
  return { folders, stats, unsure, time: now };
}

/**
 * Names that change what git lists in their whole folder: its ignore, attribute and submodule files (watched
 * wherever they are), and `.git`, which makes the folder a repository of its own.
 */
export const FOLDER_RULES = new Set([".gitignore", ".gitattributes", ".gitmodules", ".git"]);

/** Past this many changed names in one folder, git is asked about the folder rather than each name. */
const NAMES_AT_MOST = 20;

/**
 * Where git's view may differ between two snapshots: paths (files or folders, each with all it holds, as a
 * pathspec matches), outermost only, `""` for the whole worktree. A name new, gone or changed in type is
 * asked about alone; its whole folder when the name is one of FOLDER_RULES, and a folder new, gone or unsure
 * in either snapshot is asked about whole. A watched file whose stat data changed is asked about alone, or
 * its folder when it is one of FOLDER_RULES. `alsoAsk` adds paths known to have changed since `before`.
 */
export function whereChanged(before: Snapshot, after: Snapshot, alsoAsk: Iterable<string> = []): string[] {
  const changed = new Set<string>([...alsoAsk, ...before.unsure, ...after.unsure]);
  const rule = (name: string) => FOLDER_RULES.has(name.toLowerCase());
  for (const [folder, { listing }] of after.folders) {
    const was = before.folders.get(folder);
    if (was === undefined) changed.add(folder);
    else if (was.listing !== listing) {
      const names = changedNames(was.listing, listing);
      if (names.length > NAMES_AT_MOST || names.some(rule)) changed.add(folder);
      else for (const name of names) changed.add(folder === "" ? name : `${folder}/${name}`);
    }
  }
  for (const folder of before.folders.keys()) if (!after.folders.has(folder)) changed.add(folder);
  const watchedChange = (path: string) => changed.add(rule(posix.basename(path)) ? parentOf(path) : path);
  for (const [path, stat] of after.stats) if (before.stats.get(path) !== stat) watchedChange(path);
  for (const path of before.stats.keys()) if (!after.stats.has(path)) watchedChange(path);
  return outermost(changed);
}

/** Stat data that any write, chmod, chown, link, rename over or replacement changes (ctime, to the nanosecond). */
export function statKey(stat: BigIntStats): string {
  return `${stat.dev}:${stat.ino}:${stat.mode}:${stat.nlink}:${stat.uid}:${stat.gid}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/** `path` is `within` or inside it (`""` holds everything), as a pathspec matches. */
export function isWithin(path: string, within: string): boolean {
  return within === "" || path === within || path.startsWith(`${within}/`);
}

function typeOf(entry: Dirent): string {
  if (entry.isDirectory()) return "d";
  if (entry.isFile()) return "f";
  if (entry.isSymbolicLink()) return "l";
  return "o";
}

/** The names listed in one and not the other, or with another type: in whatever order each was listed. */
function changedNames(a: string, b: string): string[] {
  const entries = (listing: string) => new Map(listing.split("\0").filter(Boolean).map((entry) => [entry.slice(1), entry[0]]));
  const [was, now] = [entries(a), entries(b)];
  const names = new Set([...was.keys(), ...now.keys()]);
  return [...names].filter((name) => was.get(name) !== now.get(name));
}

/** The folder holding `path`, `""` for the top. */
export function parentOf(path: string): string {
  const parent = posix.dirname(path);
  return parent === "." ? "" : parent;
}

function outermost(paths: ReadonlySet<string>): string[] {
  if (paths.has("")) return [""];
  const inside = (path: string) => path.split("/").some((_, depth, parts) => depth > 0 && paths.has(parts.slice(0, depth).join("/")));
  return [...paths].filter((path) => !inside(path)).sort();
}
