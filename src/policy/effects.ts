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

/** What the sandbox does to the worktree's files before a command starts (sandbox/index.ts binds them). */
export interface SandboxMasks {
  /** Files shown empty: matches of `files.read.deny`, and of the built-in secret patterns unless an allow rule names them. */
  hideFiles: string[];
  /** Folders shown empty: every file in them is hidden, and so would be any new one. */
  hideFolders: string[];
  /** Files and folders shown read-only: protected paths and matches of `files.write.deny`. */
  readOnly: string[];
}

/**
 * Of the worktree's files (workspace-relative), those a sandboxed command must not read, and those it must
 * not write. Pure. Reads are stopped here rather than after the fact: a test script run through an allowed
 * `npm test` then sees no secret, whatever its command line looked like. Writes refused by a deny rule or a
 * protected path fail at once; the effect check still catches every other refused write. A folder whose
 * every file is masked, and whose rule covers any file put there, is masked whole: one bind, not thousands.
 */
export function sandboxMasks(policy: Policy, files: readonly string[]): SandboxMasks {
  // Deny rules and the secret patterns, not `default: deny`: under an allow-list policy that would be most
  // files of the repository, one bind each.
  const matchers = (patterns: readonly string[]) => patterns.map((pattern) => new Minimatch(pattern, { dot: true }));
  const denied = matchers(policy.files.read.deny.map((rule) => rule.pattern));
  const secrets = matchers(SECRETS);
  // A secret pattern yields to an allow rule that names such files (`config/*.pem`), not to a catch-all (`**`).
  const named = matchers(policy.files.read.allow.map((rule) => rule.pattern).filter((pattern) => !/^[*/]+$/.test(pattern)));
  const unwritable = matchers([...policy.protect, ...policy.files.write.deny.map((rule) => rule.pattern)]);
  const hidden = (path: string) => denied.some((matcher) => matcher.match(path))
    || (secrets.some((matcher) => matcher.match(path)) && !named.some((matcher) => matcher.match(path)));
  const fixed = (path: string) => unwritable.some((matcher) => matcher.match(path));
  const hide = files.filter(hidden);
  const readOnly = files.filter((path) => !hidden(path) && fixed(path));
  const hideFolders = wholeFolders(files, new Set(hide), hidden);
  const readOnlyFolders = wholeFolders(files, new Set(readOnly), fixed);
  const under = (folders: string[]) => (path: string) => folders.some((folder) => path.startsWith(`${folder}/`));
  return {
    hideFiles: hide.filter((path) => !under(hideFolders)(path)),
    hideFolders,
    readOnly: [...readOnlyFolders, ...readOnly.filter((path) => !under(readOnlyFolders)(path))],
  };
}

/** The outermost folders all of whose files are in `marked`, and whose rule would mark a new file there too. */
function wholeFolders(files: readonly string[], marked: ReadonlySet<string>, rule: (path: string) => boolean): string[] {
  if (marked.size === 0) return [];
  const total = new Map<string, number>();
  const hits = new Map<string, number>();
  for (const path of files) {
    const parts = path.split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join("/");
      total.set(folder, (total.get(folder) ?? 0) + 1);
      if (marked.has(path)) hits.set(folder, (hits.get(folder) ?? 0) + 1);
    }
  }
  const whole = [...hits].filter(([folder, count]) => count === total.get(folder) && rule(`${folder}/new-file`)).map(([folder]) => folder);
  return whole.filter((folder) => !whole.some((other) => folder.startsWith(`${other}/`))).sort();
}
