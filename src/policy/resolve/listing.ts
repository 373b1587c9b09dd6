import { readdir, readFile } from "node:fs/promises";
import { posix } from "node:path";
import { minimatch } from "minimatch";
import { createIgnoreFilter } from "../../workspace/gitignore.ts";
import type { Filter, FolderRead } from "../programs/types.ts";
import { insideOf, locate } from "./locate.ts";

/** Paths looked up for one command line; a larger folder is checked this far. */
export const MAX_LOOKUPS = 5_000;

export async function holdsSymbolicLink(folder: string): Promise<boolean> {
  let seen = 0;
  const queue = [folder];
  while (queue.length > 0) {
    const current = queue.shift() ?? "";
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      if (++seen > MAX_LOOKUPS || entry.isSymbolicLink()) return true;
      if (entry.isDirectory()) queue.push(posix.join(current, entry.name));
    }
  }
  return false;
}

/**
 * What a recursive reader reads under `folder`, breadth first: its filters applied (on base names), hidden
 * entries skipped for ripgrep unless an ignore file whitelists something, and symbolic links, for a program
 * that follows them, counted with their targets (a folder target is read too).
 */
export async function filesRead(root: string, folder: string, read: FolderRead): Promise<{ files: string[]; complete: boolean }> {
  const skipsHidden = read.skipsHidden && !(await whitelistsAnything(root, folder));
  const ignored = read.gitignore ? createIgnoreFilter(root) : undefined;
  const files: string[] = [];
  const visited = new Set([folder]);
  let level = [folder];
  let seen = 0;
  // A level's folders are listed together: one waits for the slowest listing, not for each in turn.
  while (level.length > 0) {
    const listings = await Promise.all(level.map((current) => readdir(current, { withFileTypes: true }).catch(() => [])));
    const queue: string[] = [];
    for (const [index, entries] of listings.entries()) {
      const current = level[index] ?? "";
      for (const entry of entries) {
        if (++seen > MAX_LOOKUPS) return { files, complete: false };
        if (skipsHidden && entry.name.startsWith(".")) continue;
        const path = posix.join(current, entry.name);
        if (ignored?.(insideOf(root, path) ?? path, entry.isDirectory())) continue;
        if (entry.isDirectory()) {
          if (passes(entry.name, read.folders, true)) queue.push(path);
          continue;
        }
        if (!passes(entry.name, read.files, read.readsUnmatched)) continue;
        if (entry.isSymbolicLink() && !read.followsLinks) continue;
        files.push(insideOf(root, path) ?? path);
        if (!entry.isSymbolicLink()) continue;
        const target = await locate(root, current, entry.name);
        if ("uncheckable" in target || target.inside === undefined || !target.stats) continue;
        if (target.stats.isDirectory() && !visited.has(target.real)) {
          visited.add(target.real);
          queue.push(target.real);
        } else if (!target.stats.isDirectory()) files.push(target.inside);
      }
    }
    level = queue;
  }
  return { files, complete: true };
}

const IGNORE_FILES = [".gitignore", ".ignore", ".rgignore"];

/** An ignore file with a `!` line, in `folder`, its parents in the workspace or below it: ripgrep then reads hidden files it names. */
async function whitelistsAnything(root: string, folder: string): Promise<boolean> {
  const folders: string[] = [];
  for (let current = folder; insideOf(root, current) !== undefined; current = posix.dirname(current)) {
    folders.push(current);
    if (current === root) break;
  }
  const queue = [...folders];
  let seen = 0;
  while (queue.length > 0) {
    const current = queue.shift() ?? "";
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      if (++seen > MAX_LOOKUPS) return true;
      const path = posix.join(current, entry.name);
      if (IGNORE_FILES.includes(entry.name) && /^\s*!/m.test(await readFile(path, "utf8").catch(() => ""))) return true;
      if (entry.isDirectory() && current.startsWith(folder) && !entry.name.startsWith(".")) queue.push(path);
    }
  }
  return false;
}

/** The last filter matching `name` decides; `unmatched` when none does. */
function passes(name: string, filters: Filter[], unmatched: boolean): boolean {
  const last = filters.findLast((filter) => minimatch(name, filter.glob, { dot: true, nocase: filter.nocase === true }));
  return last ? last.include : unmatched;
}

/** Paths (relative to `folder`) of what it holds, breadth first, at most MAX_LOOKUPS; symlinks are not followed. */
export async function filesUnder(folder: string, skipGit = false): Promise<string[]> {
  const found: string[] = [];
  const queue = [""];
  while (queue.length > 0 && found.length < MAX_LOOKUPS) {
    const relative = queue.shift() ?? "";
    const entries = await readdir(posix.join(folder, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.slice(0, MAX_LOOKUPS - found.length)) {
      if (skipGit && entry.name === ".git") continue;
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      found.push(path);
      if (entry.isDirectory()) queue.push(path);
    }
  }
  return found;
}
