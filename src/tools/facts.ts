import { loadShellParser } from "../policy/shell/parser.ts";
import type { Access } from "../policy/types.ts";
import { normalizeRelativePath, resolveWorkspacePath } from "./paths.ts";

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
      resolved.push({ ...access, parsed: parser.parse(access.command) });
    } else {
      resolved.push(access);
    }
  }
  return resolved;
}

