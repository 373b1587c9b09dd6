import { posix } from "node:path";
import { loadShellParser } from "../shell/parser.ts";
import type { Access, FileAccess, ResolvedAccess, ResolvedRequest, ToolAccess } from "../types.ts";
import { lstatIfExists, normalizeRelativePath, resolveWorkspacePath } from "../../workspace/paths.ts";
import { commandFacts, emptyFacts } from "./command-facts.ts";
import { filesUnder } from "./listing.ts";

/**
 * The only way to a request `decide` takes. Facts the decision needs are gathered here so the decision itself
 * stays pure: a path outside the workspace is refused outright (throws); a path through a symlink is checked
 * both as written and as resolved; a folder operation is expanded path by path; a command is parsed and what
 * it names is looked up in the workspace. `sandboxed`: whether commands run in the sandbox, which rules marked
 * so need (false decides as without one: stricter, never looser).
 */
export async function resolveAccesses(tool: string, accesses: readonly Access[], workspace: string, sandboxed = false): Promise<ResolvedRequest> {
  const resolved: ResolvedAccess[] = [];
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
      resolved.push({ kind: "command", command: access.command, parsed, ...(parsed.ok ? await commandFacts(parsed, workspace) : emptyFacts()) });
    } else {
      resolved.push(access);
    }
  }
  return seal(tool, resolved, sandboxed);
}

/**
 * Paths decided as written, with no workspace to look them up in: a context glob checked before any worktree
 * exists, a search hit the tool already found inside it. Only plain file paths and tools: a command, or a
 * folder operation, needs the workspace.
 */
export function resolvePathsAsWritten(tool: string, accesses: readonly ({ kind: "read" | "write"; path: string } | ToolAccess)[]): ResolvedRequest {
  return seal(
    tool,
    accesses.map((access) => (access.kind === "tool" ? access : { kind: access.kind, path: normalizeRelativePath(access.path) })),
  );
}

/** The one place a resolved request is made. */
function seal(tool: string, accesses: ResolvedAccess[], sandboxed = false): ResolvedRequest {
  return { tool, accesses, sandboxed } as unknown as ResolvedRequest;
}

/** The accesses a folder operation makes inside folders: `within` a folder, or the files of `contentsOf`. */
async function expandFolders(access: FileAccess, workspace: string, absolute: string, relative: string): Promise<ResolvedAccess[]> {
  const expanded: ResolvedAccess[] = [];
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
