import type { Stats } from "node:fs";
import { readdir, readFile, readlink } from "node:fs/promises";
import { posix } from "node:path";
import { minimatch } from "minimatch";
import { commandOutputs } from "../policy/commands.ts";
import { loadShellParser } from "../policy/shell/parser.ts";
import type { ParsedCommand } from "../policy/shell/types.ts";
import { isAlwaysWritable, uncheckableReason } from "../policy/special-paths.ts";
import type { Access, FileAccess } from "../policy/types.ts";
import { createIgnoreFilter } from "./gitignore.ts";
import { commandPaths, type CommandPaths, type Filter, type FolderRead } from "./command-paths/index.ts";
import { lstatIfExists, normalizeRelativePath, realWorkspace, resolveWorkspacePath } from "./paths.ts";

/**
 * Facts the decision needs, gathered here so the decision itself stays pure: a path outside the workspace
 * is refused outright; a path through a symlink is checked both as written and as resolved; a command is parsed.
 */
export async function resolveAccesses(accesses: Access[], workspace: string): Promise<Access[]> {
  const resolved: Access[] = [];
  for (const access of accesses) {
    if (access.kind === "read" || access.kind === "write") {
      const { absolute, relative } = await resolveWorkspacePath(workspace, access.path);
      const written = normalizeRelativePath(access.path);
      if (written !== relative) resolved.push({ kind: access.kind, path: written });
      resolved.push({ kind: access.kind, path: relative });
      resolved.push(...(await expandFolders(access, workspace, absolute, relative)));
    } else if (access.kind === "command") {
      const parser = await loadShellParser();
      const parsed = parser.parse(access.command);
      resolved.push({ ...access, parsed, ...(parsed.ok ? await commandFacts(parsed, workspace) : {}) });
    } else {
      resolved.push(access);
    }
  }
  return resolved;
}

/** The accesses a folder operation makes inside folders: `within` a folder, or the files of `contentsOf`. */
async function expandFolders(access: FileAccess, workspace: string, absolute: string, relative: string): Promise<Access[]> {
  const expanded: Access[] = [];
  if (access.within && (await lstatIfExists(absolute))?.isDirectory()) {
    for (const inside of await filesUnder(absolute)) expanded.push({ kind: access.kind, path: posix.join(relative, inside) });
  }
  if (access.contentsOf !== undefined) {
    const source = await resolveWorkspacePath(workspace, access.contentsOf).catch(() => undefined);
    if (source && (await lstatIfExists(source.absolute))?.isDirectory()) {
      for (const inside of await filesUnder(source.absolute)) expanded.push({ kind: access.kind, path: posix.join(relative, inside) });
    }
  }
  return expanded;
}

/** Paths looked up for one command line; a larger folder is checked this far. */
const MAX_LOOKUPS = 5_000;

/** Hops through symbolic links before a path counts as a loop, like the kernel's own limit. */
const MAX_LINK_HOPS = 40;

type CommandFacts = Required<
  Pick<
    Extract<Access, { kind: "command" }>,
    "redirectTargets" | "argumentFiles" | "argumentWrites" | "outsideTargets" | "outsideReads" | "outsideWrites" | "uncheckablePaths" | "uncheckableCommands" | "linkMakers" | "folderReads" | "folderWrites"
  >
>;

/** What a parsed command line names, looked up in the workspace. */
async function commandFacts(parsed: ParsedCommand & { ok: true }, workspace: string): Promise<CommandFacts> {
  const root = await realWorkspace(workspace);
  const facts: CommandFacts = {
    redirectTargets: {},
    argumentFiles: {},
    argumentWrites: {},
    outsideTargets: {},
    outsideReads: {},
    outsideWrites: {},
    uncheckablePaths: {},
    uncheckableCommands: [],
    linkMakers: [],
    folderReads: [],
    folderWrites: [],
  };
  const paths = commandPaths(parsed.commands);
  const outputs = commandOutputs(parsed.commands);
  paths.trees.push(...outputs.flatMap((output) => (output.folder && output.value.literal && !output.value.value.startsWith("/") ? [output.value.value] : [])));
  const targets = [...parsed.redirects.map((redirect) => redirect.target), ...outputs.map((output) => output.value)];
  for (const target of targets) if (target.literal) await noteTarget(root, target.value, facts);
  const folders = await workingFolders(root, paths);
  for (const { path, after } of paths.unanchored) {
    facts.uncheckablePaths[path] ??= `it comes after \`${after}\`, which moves to a folder the command does not name, so where it leads cannot be known; cd to a folder by its path instead`;
  }
  facts.uncheckableCommands.push(...paths.uncheckable);
  facts.linkMakers.push(...paths.linkMakers);
  await noteReads(root, folders, paths, facts);
  await noteWrites(root, folders, paths, facts);
  await noteFolderReads(root, folders, paths.folderReads, facts);
  await noteLinkCopies(root, folders, paths, facts);
  const lineWrites = [...paths.writes, ...targets.flatMap((target) => (target.literal ? [target.value] : []))];
  await noteRecursiveCopies(root, folders, paths, lineWrites, facts);
  await noteFolderWrites(root, folders, paths, facts);
  facts.linkMakers = [...new Set(facts.linkMakers)];
  return facts;
}

/**
 * A folder a command may run in: as the shell names it (absolute, `..` kept lexical, like `cd`), and for real.
 * `guessed`: only possibly (a cd target taken from the root), so a write leading outside from it is no evidence.
 */
interface Folder {
  lexical: string;
  real: string;
  guessed: boolean;
}

async function workingFolders(root: string, paths: CommandPaths): Promise<Folder[]> {
  const found: Folder[] = [];
  for (const folder of paths.folders) {
    const lexical = folder.startsWith("/") ? posix.normalize(folder) : posix.join(root, folder);
    if (lexical === root) {
      found.push({ lexical, real: root, guessed: false });
      continue;
    }
    const located = await locate(root, "/", lexical);
    if (!("uncheckable" in located)) found.push({ lexical, real: located.real, guessed: paths.guessedFolders.includes(folder) });
  }
  return found;
}

/** `folder/sub`, for a symbolic link's target, which is read relative to the link's folder. */
async function enter(root: string, folder: Folder, sub: string): Promise<Folder | undefined> {
  const located = await locate(root, folder.real, sub);
  return "uncheckable" in located ? undefined : { lexical: posix.join(folder.lexical, sub), real: located.real, guessed: folder.guessed };
}

/** Redirect and output targets: where each really leads (a symlink cannot carry a write elsewhere). */
async function noteTarget(root: string, target: string, facts: CommandFacts): Promise<void> {
  if (target.startsWith("/")) {
    const key = posix.normalize(target);
    if (isAlwaysWritable(key) || isStandardInput(key)) return;
    const located = await locate(root, "/", target);
    if ("uncheckable" in located) facts.uncheckablePaths[key] = located.uncheckable;
    else if (located.inside !== undefined) facts.redirectTargets[key] = located.inside;
    else facts.outsideTargets[key] = located.real;
    return;
  }
  const key = normalizeRelativePath(target);
  if (key === ".." || key.startsWith("../")) return;
  const located = await locate(root, root, target);
  if ("uncheckable" in located) facts.uncheckablePaths[key] = located.uncheckable;
  else facts.redirectTargets[key] = located.inside ?? null;
}

/**
 * The files a command's literal arguments name (`cat .env`, `cp a/.env b`, `--file=.env`, `cat ../ws/.env`,
 * `cat /proc/self/cwd/.env`), so the decision can check them as reads. Relative arguments are looked up from
 * every folder the command line may run in (command-paths/working-folders.ts). Folders are left out here: a folder argument
 * would refuse `ls .` and `git add .` whenever some file inside is unreadable (recursive readers are
 * `folderReads`). Paths outside the workspace, named so or reached through a link, are `outsideReads`.
 */
async function noteReads(root: string, folders: Folder[], paths: CommandPaths, facts: CommandFacts): Promise<void> {
  for (const candidate of paths.reads.slice(0, MAX_LOOKUPS)) {
    for (const folder of folders) await noteRead(root, folder, candidate, facts);
  }
  for (const { target, linkFolder } of paths.symlinkTargets.slice(0, MAX_LOOKUPS)) {
    for (const folder of folders) {
      const inner = target.startsWith("/") ? folder : await enter(root, folder, linkFolder);
      if (inner) await noteRead(root, inner, target, facts);
    }
  }
  for (const path of paths.historyReads.slice(0, MAX_LOOKUPS)) {
    for (const folder of folders) {
      const inside = insideOf(root, posix.join(folder.lexical, path));
      if (inside !== undefined && inside !== ".") facts.argumentFiles[inside] ??= inside;
    }
  }
}

async function noteRead(root: string, folder: Folder, given: string, facts: CommandFacts): Promise<void> {
  if (given === "" || (given.startsWith("/") && (isAlwaysWritable(given) || isStandardInput(given)))) return;
  const written = insideOf(root, lexicalPath(folder, given));
  if (written === ".") return;
  const located = await locate(root, folder.real, given);
  if ("uncheckable" in located) {
    facts.uncheckablePaths[given] = located.uncheckable;
    return;
  }
  if (!located.stats) return;
  // Outside the workspace, folders count too: a listing shows what is there. A folder only guessed at (a
  // `cd` target taken from the root) is no evidence of where the command goes.
  if (located.inside === undefined && !folder.guessed) facts.outsideReads[given] ??= located.real;
  if (located.stats.isDirectory()) return;
  // A name inside that leads outside (a dependency link) is still checked as the name it is.
  if (written !== undefined) facts.argumentFiles[written] ??= located.inside ?? written;
  else if (located.inside !== undefined) facts.argumentFiles[located.inside] ??= located.inside;
}

/**
 * The paths file-changing programs are given (`cp x .github/workflows/ci.yml`, `rm .git/config`,
 * `sed -i s/a/b/ src/x.ts`), what recursive ones reach inside folders, and where copied folders' files land
 * (in the destination folder under the source's name, or, as with `cp -T`, `cp src/.` or a destination
 * that does not exist yet, right in it), so the decision can check them as writes. A path is followed through
 * a final symbolic link (`tee LINK` writes what LINK points to) unless the program acts on the link itself
 * (`rm LINK`, what `mv` moves). Paths outside the workspace are noted as such.
 */
async function noteWrites(root: string, folders: Folder[], paths: CommandPaths, facts: CommandFacts): Promise<void> {
  const keepsLink = new Set(paths.linkWrites);
  const full = () => Object.keys(facts.argumentWrites).length >= MAX_LOOKUPS;
  for (const given of paths.writes) {
    if (full()) return;
    const keep = keepsLink.has(given) && !/(^|\/)\.?$/.test(given);
    for (const folder of folders) await noteWrite(root, folder, given, keep, facts);
  }
  const trees = [
    ...paths.trees.map((path) => ({ path, git: false, ifPresent: false })),
    ...paths.gitTrees.map((path) => ({ path, git: true, ifPresent: false })),
    ...paths.gitTreesIfPresent.map((path) => ({ path, git: true, ifPresent: true })),
  ];
  for (const { path, git, ifPresent } of trees) {
    for (const folder of folders) {
      const located = await locate(root, folder.real, path, !/\/\.?$/.test(path));
      if ("uncheckable" in located || (ifPresent && !located.stats)) continue;
      // git restores files, not folders: a folder counts by what it holds, anything else by its own path.
      if (git && !located.stats?.isDirectory()) await noteWrite(root, folder, path, false, facts);
      if (located.inside === undefined || !located.stats?.isDirectory()) continue;
      for (const inside of await filesUnder(located.real, git)) {
        if (full()) return;
        const written = joinInside(located.inside, inside);
        facts.argumentWrites[written] ??= written;
      }
    }
  }
  for (const { source, folder: destination } of paths.copies) {
    for (const folder of folders) {
      const located = await locate(root, folder.real, source, true);
      if ("uncheckable" in located || located.inside === undefined || !located.stats?.isDirectory()) continue;
      const inside = await filesUnder(located.real);
      for (const into of [posix.join(destination, posix.basename(located.real)), destination]) {
        for (const path of inside) {
          if (full()) return;
          await noteWrite(root, folder, posix.join(into, path), false, facts);
        }
      }
    }
  }
}

async function noteWrite(root: string, folder: Folder, given: string, keepFinalLink: boolean, facts: CommandFacts): Promise<void> {
  if (given === "" || (given.startsWith("/") && isAlwaysWritable(given))) return;
  const located = await locate(root, folder.real, given, keepFinalLink);
  if ("uncheckable" in located) {
    facts.uncheckablePaths[given] = located.uncheckable;
    return;
  }
  // `cp --remove-destination a LINK` names LINK/a too, in case LINK is a folder; below a file it fails.
  if (located.belowFile) return;
  const written = insideOf(root, lexicalPath(folder, given));
  if (written !== undefined) facts.argumentWrites[written] ??= located.inside ?? null;
  else if (located.inside !== undefined) facts.argumentWrites[located.inside] ??= located.inside;
  else if (!folder.guessed || given.startsWith("/")) facts.outsideWrites[given] ??= located.real;
}

/**
 * A recursive copy, move or sync writes what its source holds, looked at before the line runs: a source that
 * does not exist yet, or that the line writes into before the copy (`mkdir -p g/workflows && cp x g/workflows/
 * && cp -r g .github`), would carry files nobody checked. Such a copy must run as a command of its own.
 */
async function noteRecursiveCopies(root: string, folders: Folder[], paths: CommandPaths, lineWrites: string[], facts: CommandFacts): Promise<void> {
  for (const { source, command, writtenBefore } of paths.recursiveCopies) {
    const written = new Set(writtenBefore);
    // After a cd the line's paths are relative to other folders: any earlier write may land in the source.
    const moved = paths.folders.length > 1 && writtenBefore.length > 0 ? writtenBefore[0] : undefined;
    const changed = moved ?? lineWrites.filter((path) => written.has(path) || !paths.writes.includes(path)).find((path) => isAtOrBelow(path, source));
    const advice = "run the copy as a command of its own, after the commands that prepare its source";
    if (changed !== undefined) {
      facts.uncheckableCommands.push({ command, why: `copies ${source}, which the same line changes first (${changed}), so what it would write cannot be checked; ${advice}` });
      continue;
    }
    for (const folder of folders.filter((candidate) => !candidate.guessed)) {
      const located = await locate(root, folder.real, source, true);
      if ("uncheckable" in located) continue;
      if (!located.stats) {
        facts.uncheckableCommands.push({ command, why: `copies ${source}, which does not exist when the line is checked, so what it would write cannot be checked; ${advice}` });
        break;
      }
    }
  }
}

/** `a/b` is at or below `a` (both as written, normalised). */
function isAtOrBelow(path: string, folder: string): boolean {
  const inner = posix.normalize(path).replace(/\/+$/, "");
  const outer = posix.normalize(folder).replace(/\/+$/, "");
  return outer === "." || inner === outer || inner.startsWith(`${outer}/`);
}

/** Folders a program fills: as written and resolved from each folder the line may run in; outside is refused. */
async function noteFolderWrites(root: string, folders: Folder[], paths: CommandPaths, facts: CommandFacts): Promise<void> {
  for (const given of paths.folderWrites) {
    for (const folder of folders) {
      if (given === "") continue;
      const located = await locate(root, folder.real, given);
      if ("uncheckable" in located) {
        facts.uncheckablePaths[given] = located.uncheckable;
        continue;
      }
      const written = insideOf(root, lexicalPath(folder, given));
      for (const inside of [written, located.inside]) if (inside !== undefined) facts.folderWrites.push(inside);
      if (written === undefined && located.inside === undefined && (!folder.guessed || given.startsWith("/"))) facts.outsideWrites[given] ??= located.real;
    }
  }
  facts.folderWrites = [...new Set(facts.folderWrites)];
}

/** A copy or move of a link makes a new link: such a command counts as one that makes links. */
async function noteLinkCopies(root: string, folders: Folder[], paths: CommandPaths, facts: CommandFacts): Promise<void> {
  for (const { source, command } of paths.linkCopies) {
    if (facts.linkMakers.includes(command)) continue;
    for (const folder of folders) {
      const located = await locate(root, folder.real, source, true);
      if ("uncheckable" in located || !located.stats) continue;
      const holdsLink = located.stats.isSymbolicLink() || (located.stats.isDirectory() && (await holdsSymbolicLink(located.real)));
      if (holdsLink) {
        facts.linkMakers.push(command);
        break;
      }
    }
  }
}

async function holdsSymbolicLink(folder: string): Promise<boolean> {
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

/** Folders read with everything in them: the files the program would read there, as far as MAX_LOOKUPS. */
async function noteFolderReads(root: string, folders: Folder[], reads: FolderRead[], facts: CommandFacts): Promise<void> {
  for (const read of reads) {
    for (const folder of folders) {
      const located = await locate(root, folder.real, read.folder);
      if ("uncheckable" in located) {
        facts.uncheckablePaths[read.folder] = located.uncheckable;
        continue;
      }
      if (located.inside === undefined || !located.stats?.isDirectory()) continue;
      const { files, complete } = await filesRead(root, located.real, read);
      facts.folderReads.push({ folder: read.folder, command: read.command, files, complete, exclude: read.exclude });
    }
  }
}

/**
 * What a recursive reader reads under `folder`, breadth first: its filters applied (on base names), hidden
 * entries skipped for ripgrep unless an ignore file whitelists something, and symbolic links, for a program
 * that follows them, counted with their targets (a folder target is read too).
 */
async function filesRead(root: string, folder: string, read: FolderRead): Promise<{ files: string[]; complete: boolean }> {
  const skipsHidden = read.skipsHidden && !(await whitelistsAnything(root, folder));
  const ignored = read.gitignore ? createIgnoreFilter(root) : undefined;
  const files: string[] = [];
  const visited = new Set([folder]);
  const queue = [folder];
  let seen = 0;
  while (queue.length > 0) {
    const current = queue.shift() ?? "";
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
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
async function filesUnder(folder: string, skipGit = false): Promise<string[]> {
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

/** Where a path leads for real: inside the workspace (relative), or elsewhere; what is there, if anything. */
interface Place {
  real: string;
  inside: string | undefined;
  stats: Stats | undefined;
  /** The path goes on below a file: nothing can be written there. */
  belowFile?: boolean;
}

/**
 * Resolves `given` from the real folder `start` the way the kernel does: component by component, following
 * symbolic links where they are (so `link/..` is the parent of the link's target, not of the link), a missing
 * tail kept as written. Per-process paths under /proc and paths through a descriptor are uncheckable.
 */
async function locate(root: string, start: string, given: string, keepFinalLink = false): Promise<Place | { uncheckable: string }> {
  const pending = parts(given);
  let current = given.startsWith("/") ? "/" : start;
  let known: Stats | undefined;
  let hops = 0;
  for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
    if (part === "..") {
      current = posix.dirname(current);
      known = undefined;
      continue;
    }
    const next = posix.join(current, part);
    const why = uncheckableReason(next);
    if (why) return { uncheckable: why };
    const stats = await lstatIfExists(next).catch(() => undefined);
    if (!stats) return place(root, posix.join(next, ...pending), undefined);
    // A path that goes on below a file cannot be opened or made (ENOTDIR).
    if (!stats.isDirectory() && !stats.isSymbolicLink() && pending.length > 0) return { ...place(root, posix.join(next, ...pending), undefined), belowFile: true };
    if (stats.isSymbolicLink() && !(keepFinalLink && pending.length === 0)) {
      if (++hops > MAX_LINK_HOPS) return { uncheckable: `it goes through more than ${MAX_LINK_HOPS} symbolic links` };
      const target = await readlink(next);
      if (target.startsWith("/")) current = "/";
      pending.unshift(...parts(target));
      known = undefined;
      continue;
    }
    current = next;
    known = stats;
  }
  return place(root, current, known ?? (await lstatIfExists(current).catch(() => undefined)));
}

function parts(path: string): string[] {
  return path.split("/").filter((part) => part !== "" && part !== ".");
}

function place(root: string, real: string, stats: Stats | undefined): Place {
  return { real, inside: insideOf(root, real), stats };
}

/** The path as the shell spells it from `folder`, before any link is followed. */
function lexicalPath(folder: Folder, given: string): string {
  return given.startsWith("/") ? posix.normalize(given) : posix.join(folder.lexical, given);
}

/** `absolute` relative to the workspace root ("." for the root), or undefined when outside. */
function insideOf(root: string, absolute: string): string | undefined {
  if (absolute === root) return ".";
  return absolute.startsWith(`${root}/`) ? absolute.slice(root.length + 1) : undefined;
}

function joinInside(inside: string, path: string): string {
  return inside === "." ? path : `${inside}/${path}`;
}

function isStandardInput(path: string): boolean {
  return path === "/dev/stdin" || path === "/dev/fd/0";
}

