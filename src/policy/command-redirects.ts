import { posix } from "node:path";
import type { Redirect } from "./shell/types.ts";
import type { Decision } from "./types.ts";

/** The caller's file-rule decision for a path (workspace-relative, POSIX). */
export type FileCheck = (access: { kind: "read" | "write"; path: string }) => Decision;

interface RedirectSegment {
  command: string;
  decision: "allow" | "deny";
  rule: string;
  reason: string;
}

/**
 * A redirection is a file access: decided by `checkFile`, except /dev/null (always fine), network pseudo-files
 * and targets that are expanded at run time, absolute, outside the workspace, or relative after a `cd` (denied).
 */
export function decideRedirect(redirect: Redirect, checkFile: FileCheck, changesDirectory: boolean): RedirectSegment {
  const command = `${redirect.operator} ${redirect.target.source}`;
  const verb = redirect.kind === "write" ? "writes to" : "reads from";
  const deny = (reason: string): RedirectSegment => ({ command, decision: "deny", rule: "commands.redirect", reason: `\`${command}\` ${verb} ${reason}` });
  if (!redirect.target.literal) return deny(`\`${redirect.target.source}\`, which the shell expands at run time`);
  const target = redirect.target.value;
  if (target === "/dev/null") {
    return { command, decision: "allow", rule: "commands.redirect", reason: `\`${command}\` ${verb} /dev/null, which is always allowed` };
  }
  if (/^\/dev\/(tcp|udp)\//.test(target)) return deny(`\`${target}\`, which opens a network connection`);
  if (target.startsWith("/")) return deny(`the absolute path \`${target}\`, outside the workspace`);
  const path = posix.normalize(target).replace(/\/+$/, "") || ".";
  if (path === ".." || path.startsWith("../")) return deny(`\`${target}\`, outside the workspace`);
  if (changesDirectory) return deny(`\`${target}\` after a change of directory (cd), so where it points cannot be known`);
  const decision = checkFile({ kind: redirect.kind, path });
  return { command, decision: decision.decision, rule: decision.rule, reason: `\`${command}\`: ${decision.reason}` };
}
