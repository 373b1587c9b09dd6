import { homedir, tmpdir } from "node:os";
import { isAbsolute, posix } from "node:path";

/** Host folders a sandboxed command must never be able to write: the system and the kernel's views. */
const SYSTEM_ROOTS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/boot", "/proc", "/sys", "/dev", "/run"];

export interface WritableGuard {
  /** The user's repository: its working tree and `.git`. */
  repoRoot: string;
  /** The run's output folder. */
  outDir: string;
  home?: string;
  /** Where the run's worktrees live. */
  temp?: string;
}

/**
 * Why a `sandbox.writable` entry would open what the sandbox closes, or undefined when it is fine. Pure.
 * Relative entries are folders of the task's worktree; absolute ones are host folders bound read-write
 * into every command's sandbox, so they may not be (or hold) the system, the home, the repository, the
 * run's results or its worktrees.
 */
export function unsafeWritable(entry: string, guard: WritableGuard): string | undefined {
  if (entry.startsWith("~")) return "`~` is not expanded here; write the absolute path, e.g. /home/ci/.cache/npm";
  if (!isAbsolute(entry)) {
    const inside = posix.normalize(entry);
    return inside === ".." || inside.startsWith("../") ? "a relative path must stay inside the task's worktree; give a cache outside it as an absolute path" : undefined;
  }
  const path = posix.normalize(entry).replace(/(.)\/+$/, "$1");
  if (path === "/") return "the whole machine";
  const system = SYSTEM_ROOTS.find((root) => isWithin(path, root) || isWithin(root, path));
  if (system) return `${system} is a system folder; commands see it read-only`;
  const { home = homedir(), temp = tmpdir() } = guard;
  const holds: [string, string][] = [
    [home, "the home folder (~/.ssh, ~/.config and the like)"],
    [temp, "the temporary folder that holds the run's worktrees"],
  ];
  for (const [folder, what] of holds) if (isWithin(folder, path)) return `it holds ${what}`;
  if (isWithin(path, guard.repoRoot) || isWithin(guard.repoRoot, path)) {
    return "the repository (its working tree or .git); the task's own worktree is writable already: name a folder of it with a relative path";
  }
  if (isWithin(path, guard.outDir) || isWithin(guard.outDir, path)) return "the run's output folder";
  return undefined;
}

function isWithin(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith("/") ? folder : `${folder}/`);
}
