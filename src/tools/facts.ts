import { readdir } from "node:fs/promises";
import { posix } from "node:path";
import { loadShellParser } from "../policy/shell/parser.ts";
import { programName, type ParsedCommand, type SimpleCommand, type Word } from "../policy/shell/types.ts";
import { unwrapLayers } from "../policy/shell/wrappers.ts";
import type { Access } from "../policy/types.ts";
import { lstatIfExists, normalizeRelativePath, resolveWorkspacePath, type WorkspacePath } from "./paths.ts";

/**
 * Facts the decision needs, gathered here so the decision itself stays pure: a path outside the workspace
 * is refused outright; a path through a symlink is checked both as written and as resolved; a command is parsed.
 */
export async function resolveAccesses(accesses: Access[], workspace: string): Promise<Access[]> {
  const resolved: Access[] = [];
  for (const access of accesses) {
    if (access.kind === "read" || access.kind === "write") {
      const { relative } = await resolveWorkspacePath(workspace, access.path);
      const written = normalizeRelativePath(access.path);
      if (written !== relative) resolved.push({ kind: access.kind, path: written });
      resolved.push({ kind: access.kind, path: relative });
    } else if (access.kind === "command") {
      const parser = await loadShellParser();
      const parsed = parser.parse(access.command);
      resolved.push({
        ...access,
        parsed,
        redirectTargets: await resolveRedirects(parsed, workspace),
        argumentFiles: await resolveArgumentFiles(parsed, workspace),
        argumentWrites: await resolveArgumentWrites(parsed, workspace),
      });
    } else {
      resolved.push(access);
    }
  }
  return resolved;
}

/** Where each literal, relative redirect target really points, so a symlink cannot carry a write elsewhere. */
async function resolveRedirects(parsed: ParsedCommand, workspace: string): Promise<Record<string, string | null>> {
  const targets: Record<string, string | null> = {};
  if (!parsed.ok) return targets;
  for (const { target } of parsed.redirects) {
    if (!target.literal || target.value.startsWith("/")) continue;
    const written = normalizeRelativePath(target.value);
    targets[written] = await resolveWorkspacePath(workspace, target.value).then(
      ({ relative }) => relative,
      () => null,
    );
  }
  return targets;
}

/** More argument words than this are not looked up (a command line of thousands of file names). */
const MAX_ARGUMENT_LOOKUPS = 500;

/**
 * The files a command's literal arguments name (`cat .env`, `cp a/.env b`, `--file=.env`), so the decision
 * can check them as reads. Relative arguments are looked up from the workspace root and from every literal
 * `cd`/`pushd` folder of the command line. Folders are left out: a folder argument would refuse `ls .` and
 * `git add .` whenever some file inside is unreadable.
 */
async function resolveArgumentFiles(parsed: ParsedCommand, workspace: string): Promise<Record<string, string | null>> {
  const files: Record<string, string | null> = {};
  if (!parsed.ok) return files;
  const folders = [".", ...parsed.commands.flatMap(directoryChange)];
  const candidates = parsed.commands.flatMap(argumentPaths).slice(0, MAX_ARGUMENT_LOOKUPS);
  for (const candidate of candidates) {
    for (const folder of candidate.startsWith("/") ? ["."] : folders) {
      const written = workspacePath(workspace, folder, candidate);
      if (written === undefined || written in files) continue;
      const stats = await lstatIfExists(posix.join(workspace, written)).catch(() => undefined);
      if (!stats || stats.isDirectory()) continue;
      const target = await resolveWorkspacePath(workspace, written).catch(() => undefined);
      if (target === undefined) files[written] = null;
      else if (!(await lstatIfExists(target.absolute))?.isDirectory()) files[written] = target.relative;
    }
  }
  return files;
}

/** Literal argument words, and the value of `--option=value` words. */
function argumentPaths(command: SimpleCommand): string[] {
  return command.args.flatMap((word) => {
    if (!word.literal || word.value === "") return [];
    if (!word.value.startsWith("-")) return [word.value];
    const value = /^--?[^=]+=(.+)$/.exec(word.value)?.[1];
    return value ? [value] : [];
  });
}

function directoryChange(command: SimpleCommand): string[] {
  const target = command.args.find((word) => !word.value.startsWith("-"));
  const changes = command.program?.literal && (command.program.value === "cd" || command.program.value === "pushd");
  return changes && target?.literal ? [target.value] : [];
}

/**
 * `candidate` as a normalised workspace-relative path, or undefined when it is outside the workspace (or is
 * the workspace root itself, unless `root`).
 */
function workspacePath(workspace: string, folder: string, candidate: string, { root = false } = {}): string | undefined {
  const relative = candidate.startsWith("/") ? posix.relative(workspace, candidate) : posix.join(folder, candidate);
  const normalized = normalizeRelativePath(relative);
  if ((normalized === "." && !root) || normalized === ".." || normalized.startsWith("../") || posix.isAbsolute(normalized)) return undefined;
  return normalized;
}

/**
 * Programs that change the files they are given, and which of their arguments those are: every path
 * argument (the sources of `cp` too, to stay simple and on the safe side), `of=` for dd, and the files of
 * `sed` only with `-i`.
 */
const FILE_CHANGERS = new Set(["cp", "mv", "rm", "rmdir", "mkdir", "touch", "tee", "ln", "truncate", "chmod", "chown", "install", "shred", "unlink"]);

/** Programs that put their sources into a folder when the destination is one (or is given with `-t`). */
const COPIERS = new Set(["cp", "mv", "ln", "install"]);

/** Programs whose `-r`/`-R`/`--recursive` change what a folder holds. */
const RECURSIVE = new Set(["rm", "chmod", "chown"]);

/** What a command changes: paths as given, folders whose contents it changes, sources it copies into a folder. */
interface WrittenPaths {
  paths: string[];
  trees: string[];
  copies: { source: string; folder: string }[];
}

/**
 * The paths file-changing programs are given (`cp x .github/workflows/ci.yml`, `rm .git/config`,
 * `sed -i s/a/b/ src/x.ts`, `rm -r .github`), so the decision can check them as writes. Looked up like
 * resolveArgumentFiles; paths outside the workspace are left to the sandbox.
 */
async function resolveArgumentWrites(parsed: ParsedCommand, workspace: string): Promise<Record<string, string | null>> {
  const writes: Record<string, string | null> = {};
  if (!parsed.ok) return writes;
  const folders = [".", ...parsed.commands.flatMap(directoryChange)];
  const locate = async (given: string): Promise<{ written: string; target: WorkspacePath | undefined }[]> => {
    const found = [];
    for (const folder of given.startsWith("/") ? ["."] : folders) {
      const written = workspacePath(workspace, folder, given, { root: true });
      if (written !== undefined) found.push({ written, target: await resolveWorkspacePath(workspace, written, { keepFinalLink: true }).catch(() => undefined) });
    }
    return found;
  };
  const add = (written: string, resolved: string | null) => {
    if (Object.keys(writes).length < MAX_WRITES) writes[written] ??= resolved;
  };
  const changed = parsed.commands.map(writtenPaths);
  for (const { paths, trees, copies } of changed) {
    for (const given of paths) for (const { written, target } of await locate(given)) add(written, target?.relative ?? null);
    for (const given of trees) {
      for (const { target } of await locate(given)) {
        if (target) for (const inside of await filesUnder(target.absolute)) add(posix.join(target.relative, inside), posix.join(target.relative, inside));
      }
    }
    for (const { source, folder } of copies) {
      for (const { target } of await locate(source)) {
        if (!target) continue;
        const into = posix.join(folder, posix.basename(target.relative));
        for (const inside of await filesUnder(target.absolute)) for (const { written, target: to } of await locate(posix.join(into, inside))) add(written, to?.relative ?? null);
      }
    }
  }
  return writes;
}

/** Paths looked at for one command; a larger folder is checked this far. */
const MAX_WRITES = 5_000;

/** What a command changes, through wrappers too (`env cp …`, `sudo rm …`, `nice tee …`). */
function writtenPaths(command: SimpleCommand): WrittenPaths {
  const layers = command.program ? unwrapLayers([command.program, ...command.args]) : [];
  const each = layers.map(([program, ...args]) => layerWrites(program, args));
  return { paths: each.flatMap((part) => part.paths), trees: each.flatMap((part) => part.trees), copies: each.flatMap((part) => part.copies) };
}

function layerWrites(programWord: Word | undefined, args: Word[]): WrittenPaths {
  const none: WrittenPaths = { paths: [], trees: [], copies: [] };
  const program = programWord?.literal ? programName(programWord) : "";
  const words = args.filter((word) => word.literal).map((word) => word.value);
  if (program === "dd") return { ...none, paths: words.flatMap((word) => (word.startsWith("of=") ? [word.slice(3)] : [])) };
  if (program === "sed") return words.some((word) => /^(-i|--in-place)/.test(word) || /^-[a-zA-Z]*i/.test(word)) ? { ...none, paths: operands(words) } : none;
  if (!FILE_CHANGERS.has(program)) return none;
  const recursive = RECURSIVE.has(program) && words.some((word) => /^-[a-zA-Z]*[rR]/.test(word) || word === "--recursive");
  if (!COPIERS.has(program)) return { paths: operands(words), trees: recursive ? operands(words) : [], copies: [] };
  const { folder, sources } = copyDestination(words);
  return { paths: [...operands(words), ...sources.map((source) => posix.join(folder, posix.basename(source)))], trees: [], copies: sources.map((source) => ({ source, folder })) };
}

/** The destination (the last operand, or `-t`'s) and the sources of cp, mv, ln or install. */
function copyDestination(words: string[]): { folder: string; sources: string[] } {
  const flag = words.findIndex((word) => word === "-t" || word === "--target-directory");
  const attached = words.map((word) => /^(?:-t|--target-directory=)(.+)$/.exec(word)?.[1]).find((value) => value !== undefined);
  const given = attached ?? (flag >= 0 ? words[flag + 1] : undefined);
  const sources = operands(words).filter((word) => word !== given);
  const folder = given ?? sources.pop() ?? ".";
  return { folder, sources };
}

/** Words that are not options; after `--`, every word. */
function operands(words: string[]): string[] {
  const end = words.indexOf("--");
  const before = end === -1 ? words : words.slice(0, end);
  const after = end === -1 ? [] : words.slice(end + 1);
  return [...before.filter((word) => !word.startsWith("-") && word !== ""), ...after];
}

/** Paths (relative to `folder`) of what it holds, breadth first, at most MAX_WRITES; symlinks are not followed. */
async function filesUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  const queue = [""];
  while (queue.length > 0 && found.length < MAX_WRITES) {
    const relative = queue.shift() ?? "";
    const entries = await readdir(posix.join(folder, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.slice(0, MAX_WRITES - found.length)) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      found.push(path);
      if (entry.isDirectory()) queue.push(path);
    }
  }
  return found;
}
