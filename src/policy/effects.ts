import { Minimatch } from "minimatch";
import { decideWrite } from "./decide.ts";
import { SECRETS } from "./default.ts";
import type { Policy } from "./types.ts";

/** A path a command changed that the policy lets nothing write: the change is undone, the task records it. */
export interface Violation {
  path: string;
  /** The rule that refuses the write, e.g. `files.write.deny[0]` or `protect[1]`. */
  rule: string;
  reason: string;
}

/**
 * Of the paths a command changed (new, changed, deleted, in mode or type), those the policy does not let
 * anything write. Pure: the same decision as for the file tools, made on what happened instead of on what a
 * command line seemed to say. A file git ignores never leaves the worktree, so for it only a rule that
 * names it counts (a deny rule, a protected path), not `default: deny`: test runners and compilers fill
 * ignored caches (`__pycache__`, `dist/`) under read-only policies too.
 */
export function deniedWrites(policy: Policy, changes: readonly { path: string; ignored?: boolean }[]): Violation[] {
  return changes.flatMap(({ path, ignored }) => {
    const decision = decideWrite(policy, path);
    if (decision.decision === "allow" || (ignored && decision.rule === "default")) return [];
    return [{ path, rule: decision.rule, reason: decision.reason }];
  });
}

/** What the sandbox does to the worktree's files before a command starts (sandbox/layout.ts binds them). */
export interface SandboxMasks {
  /** Files the command sees empty: matches of `files.read.deny` and of the built-in secret patterns. */
  hide: string[];
  /** Files the command sees read-only: protected paths and matches of `files.write.deny`. */
  readOnly: string[];
}

/**
 * Of the worktree's files (workspace-relative), those a sandboxed command must not read, and those it must
 * not write. Pure. Reads are stopped here rather than after the fact: a test script run through an allowed
 * `npm test` then sees no secret, whatever its command line looked like. Writes refused by a deny rule or a
 * protected path fail at once; the effect check still catches every other refused write.
 */
export function sandboxMasks(policy: Policy, files: readonly string[]): SandboxMasks {
  // Deny rules and the secret patterns, not `default: deny`: under an allow-list policy that would be most
  // files of the repository, one bind each.
  const matchers = (patterns: readonly string[]) => patterns.map((pattern) => new Minimatch(pattern, { dot: true }));
  const unreadable = matchers([...SECRETS, ...policy.files.read.deny.map((rule) => rule.pattern)]);
  const unwritable = matchers([...policy.protect, ...policy.files.write.deny.map((rule) => rule.pattern)]);
  const hide: string[] = [];
  const readOnly: string[] = [];
  for (const path of files) {
    if (unreadable.some((matcher) => matcher.match(path))) hide.push(path);
    else if (unwritable.some((matcher) => matcher.match(path))) readOnly.push(path);
  }
  return { hide, readOnly };
}
