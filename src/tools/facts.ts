import { readdir } from "node:fs/promises";
import { posix } from "node:path";
import { loadShellParser } from "../policy/shell/parser.ts";
import type { ParsedCommand } from "../policy/shell/types.ts";
import { commandPaths, type CommandPaths } from "./command-paths.ts";
import type { Access, FileAccess } from "../policy/types.ts";
import { lstatIfExists, normalizeRelativePath, resolveWorkspacePath, type WorkspacePath } from "./paths.ts";

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
      resolved.push({
        ...access,
        parsed,
        redirectTargets: await resolveRedirects(parsed, workspace),
        ...(parsed.ok ? await resolveArgumentPaths(commandPaths(parsed.commands), workspace) : {}),
      });
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

async function resolveArgumentPaths(paths: CommandPaths, workspace: string): Promise<{ argumentFiles: Record<string, string | null>; argumentWrites: Record<string, string | null> }> {
  return { argumentFiles: await resolveArgumentFiles(paths, workspace), argumentWrites: await resolveArgumentWrites(paths, workspace) };
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

/** Paths looked up for one command line; a larger folder is checked this far. */
const MAX_LOOKUPS = 5_000;

/**
 * The files a command's literal arguments name (`cat .env`, `cp a/.env b`, `--file=.env`), so the decision
 * can check them as reads. Relative arguments are looked up from every folder the command line may run in
 * (command-paths.ts). Folders are left out: a folder argument would refuse `ls .` and `git add .` whenever
 * some file inside is unreadable.
 */
async function resolveArgumentFiles(paths: CommandPaths, workspace: string): Promise<Record<string, string | null>> {
  const files: Record<string, string | null> = {};
  for (const candidate of paths.reads.slice(0, MAX_LOOKUPS)) {
    for (const written of placesOf(workspace, paths.folders, candidate)) {
      if (written in files) continue;
      const stats = await lstatIfExists(posix.join(workspace, written)).catch(() => undefined);
      if (!stats || stats.isDirectory()) continue;
      const target = await resolveWorkspacePath(workspace, written).catch(() => undefined);
      if (target === undefined) files[written] = null;
      else if (!(await lstatIfExists(target.absolute))?.isDirectory()) files[written] = target.relative;
    }
  }
  return files;
}

/**
 * The paths file-changing programs are given (`cp x .github/workflows/ci.yml`, `rm .git/config`,
 * `sed -i s/a/b/ src/x.ts`), what recursive ones reach inside folders, and where copied folders' files land
 * (in the destination folder under the source's name, or, as with `cp -T`, `cp src/.` or a destination
 * that does not exist yet, right in it), so the decision can check them as writes. Paths outside the
 * workspace are left to the sandbox.
 */
async function resolveArgumentWrites(paths: CommandPaths, workspace: string): Promise<Record<string, string | null>> {
  const writes: Record<string, string | null> = {};
  const add = (written: string, resolved: string | null) => {
    if (Object.keys(writes).length < MAX_LOOKUPS) writes[written] ??= resolved;
  };
  const located = async (given: string, root = true) => {
    const found: { written: string; target: WorkspacePath | undefined }[] = [];
    for (const written of placesOf(workspace, paths.folders, given, root)) {
      found.push({ written, target: await resolveWorkspacePath(workspace, written, { keepFinalLink: true }).catch(() => undefined) });
    }
    return found;
  };
  for (const given of paths.writes) for (const { written, target } of await located(given)) add(written, target?.relative ?? null);
  for (const given of paths.trees) {
    for (const { target } of await located(given)) {
      if (target) for (const inside of await filesUnder(target.absolute)) add(posix.join(target.relative, inside), posix.join(target.relative, inside));
    }
  }
  for (const { source, folder } of paths.copies) {
    for (const { target } of await located(source)) {
      if (!target) continue;
      const inside = await filesUnder(target.absolute);
      for (const into of [posix.join(folder, posix.basename(target.relative)), folder]) {
        for (const path of inside) for (const { written, target: to } of await located(posix.join(into, path), false)) add(written, to?.relative ?? null);
      }
    }
  }
  return writes;
}

/** Paths (relative to `folder`) of what it holds, breadth first, at most MAX_LOOKUPS; symlinks are not followed. */
async function filesUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  const queue = [""];
  while (queue.length > 0 && found.length < MAX_LOOKUPS) {
    const relative = queue.shift() ?? "";
    const entries = await readdir(posix.join(folder, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.slice(0, MAX_LOOKUPS - found.length)) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      found.push(path);
      if (entry.isDirectory()) queue.push(path);
    }
  }
  return found;
}

/** `candidate` as normalised workspace-relative paths, from each folder; none outside the workspace. */
function placesOf(workspace: string, folders: string[], candidate: string, root = false): string[] {
  const places = new Set<string>();
  for (const folder of candidate.startsWith("/") ? ["."] : folders) {
    const relative = candidate.startsWith("/") ? posix.relative(workspace, candidate) : posix.join(folder, candidate);
    const normalized = normalizeRelativePath(relative);
    if ((normalized === "." && !root) || normalized === ".." || normalized.startsWith("../") || posix.isAbsolute(normalized)) continue;
    places.add(normalized);
  }
  return [...places];
}
