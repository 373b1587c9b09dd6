import { posix } from "node:path";
import { commandOutputs } from "../commands.ts";
import { commandPaths, type CommandPaths, type FolderRead } from "../programs/index.ts";
import type { ParsedCommand } from "../shell/types.ts";
import { isAlwaysWritable } from "../special-paths.ts";
import type { CommandFacts } from "../types.ts";
import { realWorkspace, normalizeRelativePath } from "../../workspace/paths.ts";
import { filesRead, filesUnder, holdsSymbolicLink, MAX_LOOKUPS } from "./listing.ts";
import { insideOf, isStandardInput, joinInside, locate } from "./locate.ts";

/** Facts of a line that names nothing; a command the parser refused gets these and is refused for that reason. */
export function emptyFacts(): CommandFacts {
  return {
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
    namesFromInput: [],
  };
}

/** What a parsed command line names, looked up in the workspace. */
export async function commandFacts(parsed: ParsedCommand & { ok: true }, workspace: string): Promise<CommandFacts> {
  const root = await realWorkspace(workspace);
  const facts = emptyFacts();
  const paths = commandPaths(parsed.commands);
  const outputs = commandOutputs(parsed.commands);
  paths.trees.push(...outputs.flatMap((output) => (output.folder && output.value.literal && !output.value.value.startsWith("/") ? [output.value.value] : [])));
  const targets = [...parsed.redirects.map((redirect) => redirect.target), ...outputs.map((output) => output.value)];
  for (const target of targets) if (target.literal) await noteTarget(root, target.value, facts);
  const folders = await workingFolders(root, paths);
  // A folder outside the workspace that the line surely moves to (`cd /root && cat .bashrc`, `cd /root && ls`)
  // is read by what runs there. One only guessed at (a `cd ..` taken from the root) is no evidence.
  for (const folder of folders) if (!folder.guessed && insideOf(root, folder.real) === undefined) facts.outsideReads[folder.lexical] ??= folder.real;
  for (const { path, after } of paths.unanchored) {
    facts.uncheckablePaths[path] ??= `it comes after \`${after}\`, which moves to a folder the command does not name, so where it leads cannot be known; cd to a folder by its path instead`;
  }
  facts.uncheckableCommands.push(...paths.uncheckable);
  facts.linkMakers.push(...paths.linkMakers);
  await noteReads(root, folders, paths, facts);
  await noteWrites(root, folders, paths, facts);
  await noteFolderReads(root, folders, paths.folderReads, facts);
  facts.namesFromInput.push(...paths.namesFromInput);
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
 * every folder the command line may run in (programs/working-folders.ts). Folders are left out here: a folder argument
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
      facts.folderReads.push({ folder: read.folder, command: read.command, files, complete, exclude: read.exclude, ...(read.why ? { why: read.why } : {}) });
    }
  }
}

/** The path as the shell spells it from `folder`, before any link is followed. */
function lexicalPath(folder: Folder, given: string): string {
  return given.startsWith("/") ? posix.normalize(given) : posix.join(folder.lexical, given);
}
