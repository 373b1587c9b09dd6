/** A system folder as it is on the host: bound read-only, or recreated as the symlink it is (merged /usr). */
export interface SystemPath {
  path: string;
  /** The symlink's target as written (`usr/bin` for `/bin`), when `path` is one. */
  link?: string;
}

/** What a sandboxed command sees: absolute paths, the same inside as outside. */
export interface BwrapLayout {
  /** The task's worktree: read-write, and where the command starts. */
  workspace: string;
  /** `/usr`, `/bin`, `/lib*`, `/etc`, `/sbin`, `/opt`: read-only. */
  system: SystemPath[];
  /** Further read-only folders: the repository's git common dir, the Node toolchain. */
  readOnly: string[];
  /** Further read-write folders: the worktree's own git dir, the policy's `sandbox.writable` outside the worktree. */
  writable: string[];
  /** Host folders inside a read-only one shown as empty instead (other worktrees' and submodules' git dirs). */
  hidden?: string[];
  /** Files shown read-only in place of others (the repository's git config without credentials). */
  files?: { source: string; target: string }[];
  /** An empty private home, inside the private /tmp. */
  home: string;
  /** The host's network (true) or a network namespace of its own with only loopback (false). */
  network: boolean;
}

/** Parts of /proc that change the host's kernel when written, shown read-only. */
const KERNEL_SETTINGS = ["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs", "/proc/acpi", "/proc/scsi"];

/**
 * bwrap's options for `layout`, up to and including `--`; the command follows. Pure.
 * Nothing of the host is visible but what the layout names: no `/` bind, a private /tmp and home,
 * new PID, IPC, UTS (and, without network, net) namespaces, no capabilities, a new session, and death
 * with the parent.
 */
export function buildBwrapArgs(layout: BwrapLayout): string[] {
  // No capabilities, even for root: with them a command could remount a read-only bind read-write.
  const args = ["--unshare-all", ...(layout.network ? ["--share-net"] : []), "--cap-drop", "ALL", "--die-with-parent", "--new-session"];
  for (const { path, link } of layout.system) {
    args.push(...(link === undefined ? ["--ro-bind", path, path] : ["--symlink", link, path]));
  }
  args.push("--proc", "/proc");
  // The kernel's settings under /proc are checked against the user id, not capabilities: as root, a command
  // could otherwise set kernel.core_pattern to a program the host kernel then runs as root.
  for (const path of KERNEL_SETTINGS) args.push("--ro-bind-try", path, path);
  args.push("--dev", "/dev", "--tmpfs", "/tmp", "--dir", layout.home);
  // Parents before children, so a read-write folder inside a read-only one (the worktree's git dir) stays writable.
  const mounts = [
    ...layout.readOnly.map((path) => ({ path, args: ["--ro-bind", path, path] })),
    ...(layout.hidden ?? []).map((path) => ({ path, args: ["--tmpfs", path] })),
    { path: layout.workspace, args: ["--bind", layout.workspace, layout.workspace] },
    ...layout.writable.map((path) => ({ path, args: ["--bind", path, path] })),
  ];
  const depth = (path: string) => path.split("/").filter(Boolean).length;
  for (const mount of mounts.sort((a, b) => depth(a.path) - depth(b.path))) args.push(...mount.args);
  for (const { source, target } of layout.files ?? []) args.push("--ro-bind", source, target);
  args.push("--chdir", layout.workspace, "--setenv", "HOME", layout.home, "--");
  return args;
}
