import { posix } from "node:path";
import type { Redirect } from "./shell/types.ts";
import { isAlwaysWritable, uncheckableReason } from "./special-paths.ts";
import type { Decision } from "./types.ts";

/**
 * The caller's file-rule decision for a path a command opens: workspace-relative (POSIX), or absolute for a
 * path that may lie outside the workspace. `within`: a folder whose contents the command writes.
 */
export type FileCheck = (access: { kind: "read" | "write"; path: string; within?: boolean }) => Decision;

interface RedirectSegment {
  command: string;
  decision: "allow" | "deny";
  rule: string;
  reason: string;
}

/** Streams a command may always open: the null device and its own standard streams. */
const STANDARD_STREAMS = new Set(["/dev/stdin", "/dev/fd/0"]);

/**
 * A redirection is a file access, decided by `checkFile`, except: /dev/null and the standard streams (always
 * fine); network pseudo-files, per-process paths (/proc/self/cwd…), targets the shell expands at run time,
 * `..` targets and relative targets after a `cd` (denied); absolute writes outside /tmp (denied: outside the
 * workspace). Absolute reads and /tmp writes go to `checkFile`, which knows where they really lead.
 */
export function decideRedirect(redirect: Redirect, checkFile: FileCheck, changesDirectory: boolean): RedirectSegment {
  const command = `${redirect.operator} ${redirect.target.source}`;
  const verb = redirect.kind === "write" ? "writes to" : "reads from";
  const rule = "commands.redirect";
  const deny = (reason: string): RedirectSegment => ({ command, decision: "deny", rule, reason: `\`${command}\` ${verb} ${reason}` });
  if (!redirect.target.literal) return deny(`\`${redirect.target.source}\`, which the shell expands at run time`);
  return decideOpenedPath(redirect.kind, redirect.target.value, checkFile, changesDirectory, { command, verb, rule, deny });
}

interface Wording {
  command: string;
  verb: string;
  /** The rule named when no file rule decides, e.g. `commands.redirect`. */
  rule: string;
  deny: (reason: string) => RedirectSegment;
}

/** Shared by redirections and output options (`--outputFile=PATH`): a path the shell or a program opens. */
export function decideOpenedPath(
  kind: "read" | "write",
  target: string,
  checkFile: FileCheck,
  changesDirectory: boolean,
  { command, verb, rule, deny }: Wording,
  within = false,
): RedirectSegment {
  if (isAlwaysWritable(target) || STANDARD_STREAMS.has(posix.normalize(target))) {
    return { command, decision: "allow", rule, reason: `\`${command}\` ${verb} ${target}, which is always allowed` };
  }
  if (/^\/dev\/(tcp|udp)\//.test(posix.normalize(target))) return deny(`\`${target}\`, which opens a network connection`);
  if (target.startsWith("/")) {
    const uncheckable = uncheckableReason(target);
    if (uncheckable) return deny(`\`${target}\`: ${uncheckable}; name the file by its path in the workspace`);
    if (kind === "write" && !posix.normalize(target).startsWith("/tmp/")) {
      return deny(`the absolute path \`${target}\`, outside the workspace (only /tmp, /dev/null and the output streams may be written there; name workspace files by their relative path)`);
    }
  } else {
    const path = posix.normalize(target).replace(/\/+$/, "") || ".";
    if (path === ".." || path.startsWith("../")) return deny(`\`${target}\`, outside the workspace`);
    if (changesDirectory) return deny(`\`${target}\` after a change of directory (cd), so where it points cannot be known`);
  }
  const path = target.startsWith("/") ? posix.normalize(target) : posix.normalize(target).replace(/\/+$/, "") || ".";
  const decision = checkFile({ kind, path, ...(within ? { within } : {}) });
  return { command, decision: decision.decision, rule: decision.rule, reason: `\`${command}\`: ${decision.reason}` };
}
