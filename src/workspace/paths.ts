import type { Stats } from "node:fs";
import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { ToolError } from "../shared/errors.ts";

export interface WorkspacePath {
  /** Real absolute path (symlinks resolved), inside the workspace. */
  absolute: string;
  /** POSIX path of the real target relative to the real workspace root; "." for the root. */
  relative: string;
}

export interface ResolveOptions {
  /**
   * Resolve the parent folder only and keep the last component as named, so a symlink there is the
   * link itself (delete or move the link, not what it points to). The parent must still be inside.
   */
  keepFinalLink?: boolean;
}

/** Hops through dangling symlinks before we give up, like the kernel's own ELOOP limit. */
const MAX_LINK_HOPS = 40;

/**
 * Maps a path the model gave to a real path inside the workspace, or throws a ToolError.
 * Refuses absolute paths, `..` escapes and symlinks (anywhere along the path, dangling ones too)
 * that lead outside.
 */
export async function resolveWorkspacePath(workspace: string, given: string, options: ResolveOptions = {}): Promise<WorkspacePath> {
  if (path.isAbsolute(given) || path.win32.isAbsolute(given)) {
    throw new ToolError(`"${given}" is an absolute path; give a path relative to the workspace root, e.g. "src/index.ts".`);
  }
  const root = await realWorkspace(workspace);
  const lexical = path.resolve(root, given);
  if (!isInside(root, lexical)) {
    throw new ToolError(`"${given}" is outside the workspace; only paths inside it can be used.`);
  }
  const absolute = options.keepFinalLink && lexical !== root
    ? path.join(await realTarget(path.dirname(lexical)), path.basename(lexical))
    : await realTarget(lexical);
  if (!isInside(root, absolute)) {
    throw new ToolError(`"${given}" leads outside the workspace through a symbolic link; only paths inside it can be used.`);
  }
  return { absolute, relative: toPosixRelative(root, absolute) };
}

/** Pure, for accesses(): no "./", no trailing "/", "." for the root. Keeps ".." as is. */
export function normalizeRelativePath(given: string): string {
  const normalized = path.posix.normalize(given);
  if (normalized === "/") return normalized;
  return normalized.replace(/\/+$/, "").replace(/^(\.\/)+/, "") || ".";
}

/** lstat, or undefined when nothing is there. */
export async function lstatIfExists(absolute: string): Promise<Stats | undefined> {
  try {
    return await lstat(absolute);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** A workspace folder stays where it is while tasks use it: its real path is looked up once. */
const realWorkspaces = new Map<string, string>();

export async function realWorkspace(workspace: string): Promise<string> {
  let real = realWorkspaces.get(workspace);
  if (real === undefined) {
    real = await realpath(workspace);
    realWorkspaces.set(workspace, real);
  }
  return real;
}

// --- internal ---

/** realpath for a path that may not exist yet: resolve the longest existing prefix, keep the rest. */
async function realTarget(absolute: string, hops = 0): Promise<string> {
  const { existing, rest } = await splitExisting(absolute);
  try {
    return path.join(await realpath(existing), ...rest);
  } catch (error) {
    if (!isNotFound(error) || hops >= MAX_LINK_HOPS) throw error;
    // `existing` is a dangling symlink: a write would create its target, so follow it by hand.
    const target = await readlink(existing);
    const parent = await realpath(path.dirname(existing));
    return realTarget(path.join(path.resolve(parent, target), ...rest), hops + 1);
  }
}

async function splitExisting(absolute: string): Promise<{ existing: string; rest: string[] }> {
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      await lstat(current);
      return { existing: current, rest };
    } catch (error) {
      const parent = path.dirname(current);
      if (!isMissing(error) || parent === current) throw error;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  return candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function toPosixRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join("/") || ".";
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

/** ENOTDIR: a file stands where a folder is expected; the path does not exist either way. */
function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ENOTDIR");
}
