import { posix } from "node:path";

/**
 * Why an absolute path a command may name cannot be checked, if so: per-process views under /proc
 * (`/proc/self/cwd` is the command's own folder, `/proc/1/root` is `/`, `/proc/self/fd/3` any open file)
 * and paths that go on past a file descriptor (`/dev/stdin/..`, `/dev/fd/3/x`, where the descriptor can be a
 * folder). They are refused wherever they appear, since they can lead back into the workspace unseen.
 */
export function uncheckableReason(absolute: string): string | undefined {
  const path = posix.normalize(absolute);
  if (path === "/proc" || (path.startsWith("/proc/") && !SAFE_PROC_FILES.has(path))) {
    return "it goes through /proc, whose per-process paths (/proc/self/cwd, /proc/<pid>/root, /proc/self/fd/N…) lead to places this check cannot see";
  }
  if (/^\/dev\/(fd|stdin|stdout|stderr)\/./.test(path) || path === "/dev/fd") {
    return "it goes through a file descriptor, which can be a folder (the workspace itself) this check cannot see";
  }
  return undefined;
}

/** System-wide /proc files that are plain information, not a way to another process or folder. */
const SAFE_PROC_FILES = new Set(["/proc/cpuinfo", "/proc/meminfo", "/proc/version", "/proc/loadavg", "/proc/uptime", "/proc/stat", "/proc/filesystems"]);

/** Pseudo-files a command may always write: the null device and its own output streams. */
const ALWAYS_WRITABLE = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2"]);

/**
 * Whether a command may write `real`, an absolute path outside the workspace: the null device, its own
 * output, or /tmp (private to each command in the sandbox), except nanocoder's own folders there (other
 * tasks' worktrees, the scratch index its git commands use), which an unsandboxed command could reach.
 */
export function writableOutside(real: string): boolean {
  const path = posix.normalize(real);
  return ALWAYS_WRITABLE.has(path) || (path.startsWith("/tmp/") && !/^\/tmp\/(.*\/)?nanocoder-/.test(path));
}

/** Output pseudo-files that need no check at all, whatever the workspace. */
export function isAlwaysWritable(path: string): boolean {
  return ALWAYS_WRITABLE.has(posix.normalize(path));
}

/** System folders every machine shares: the toolchain, libraries and their sources, nothing of a user's. */
const SYSTEM_FOLDERS = ["/usr/", "/opt/", "/lib/", "/lib64/", "/bin/", "/sbin/", "/etc/os-release", "/etc/alpine-release", "/etc/debian_version"];

/** A folder of installed packages somewhere on the path: a project's dependencies, a virtualenv's libraries. */
const INSTALLED_PACKAGES = /\/(node_modules|site-packages|dist-packages|vendor)\//;

/**
 * Whether a command run without a sandbox may read `real`, an absolute path outside the workspace: system
 * folders, installed packages (a worktree's node_modules leads to the checkout's), /tmp but for nanocoder's
 * own folders there, and the system's plain /proc files. Elsewhere (the home folder, other checkouts) only
 * the sandbox, which shows nothing of them, makes reads safe.
 */
export function readableOutside(real: string): boolean {
  const path = posix.normalize(real);
  if (SAFE_PROC_FILES.has(path) || ALWAYS_WRITABLE.has(path)) return true;
  if (SYSTEM_FOLDERS.some((folder) => path === folder.replace(/\/$/, "") || path.startsWith(folder))) return true;
  if (INSTALLED_PACKAGES.test(`${path}/`)) return true;
  return path.startsWith("/tmp/") && !/^\/tmp\/(.*\/)?nanocoder-/.test(path);
}
