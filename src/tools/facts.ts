import { loadShellParser } from "../policy/shell/parser.ts";
import type { ParsedCommand } from "../policy/shell/types.ts";
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
      const parsed = parser.parse(access.command);
      resolved.push({ ...access, parsed, redirectTargets: await resolveRedirects(parsed, workspace) });
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
