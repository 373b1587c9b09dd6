import { posix } from "node:path";
import { loadShellParser } from "../policy/shell/parser.ts";
import type { ParsedCommand, SimpleCommand } from "../policy/shell/types.ts";
import type { Access } from "../policy/types.ts";
import { lstatIfExists, normalizeRelativePath, resolveWorkspacePath } from "./paths.ts";

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

/** `candidate` as a normalised workspace-relative path, or undefined when it is outside the workspace. */
function workspacePath(workspace: string, folder: string, candidate: string): string | undefined {
  const relative = candidate.startsWith("/") ? posix.relative(workspace, candidate) : posix.join(folder, candidate);
  const normalized = normalizeRelativePath(relative);
  if (normalized === "." || normalized === ".." || normalized.startsWith("../") || posix.isAbsolute(normalized)) return undefined;
  return normalized;
}
