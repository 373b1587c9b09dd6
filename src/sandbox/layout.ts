import { existsSync } from "node:fs";
import { lstat, mkdir, readdir, readFile, readlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import type { SandboxSettings } from "../policy/types.ts";
import type { BwrapLayout, SystemPath } from "./bwrap.ts";

/** The empty home commands get, inside their private /tmp. */
export const SANDBOX_HOME = "/tmp/home";

const SYSTEM_FOLDERS = ["/usr", "/bin", "/sbin", "/etc", "/opt"];

/**
 * Parts of the repository's git folder a task's commands have no use for, shown empty: submodules' git
 * dirs (their configs hold the same checkout credentials as the repository's) and the other worktrees'
 * git dirs. The worktree's own git dir is bound back inside.
 */
const HIDDEN_GIT_FOLDERS = ["modules", "worktrees"];

/**
 * What a command in `workspace` needs of this machine: the system folders, the repository's git
 * common dir (read-only) and the worktree's own git dir (read-write), the Node toolchain running
 * nanocoder, the policy's extra writable paths (created when missing), and `shown`: further host paths
 * shown read-only at their own place (installed dependencies, the toolchains they need, the proxy's socket).
 */
export async function discoverLayout(
  workspace: string, settings: Omit<SandboxSettings, "network"> & { network: boolean }, execPath = process.execPath, shown: string[] = [],
): Promise<BwrapLayout> {
  const system = await systemPaths();
  const systemRoots = system.map((entry) => entry.path);
  const git = await worktreeGitDirs(workspace);
  const toolchain = toolchainFolder(execPath);
  const readOnly = [
    ...(git ? [git.common] : []),
    ...[toolchain, ...shown].filter((path) => !systemRoots.some((root) => isInside(path, root))),
    // /etc/resolv.conf often points there; without it a networked command resolves no names.
    ...(settings.network && existsSync("/run/systemd/resolve") ? ["/run/systemd/resolve"] : []),
  ];
  // Inside the worktree a path is writable already. Bound again, it would be looked up anew for every
  // command, and a command could put a symlink there that makes the next one bind a host folder.
  const outside = settings.writable.map((path) => resolve(workspace, path)).filter((path) => !isInside(path, workspace));
  for (const path of outside) await mkdir(path, { recursive: true });
  const files = git ? await sanitizedGitConfig(git.common, workspace) : [];
  const hidden = git ? await existingFolders(HIDDEN_GIT_FOLDERS.map((name) => join(git.common, name))) : [];
  return { workspace, system, readOnly, writable: [...(git ? [git.own] : []), ...outside], hidden, files, home: SANDBOX_HOME, network: settings.network };
}

/**
 * The repository's git config as commands see it: without the credentials a CI checkout leaves there
 * (actions/checkout stores the token as `http.<url>.extraheader`) or a remote URL carries. Written beside
 * the worktree and bound over the original, only when there is something to take out.
 */
async function sanitizedGitConfig(commonDir: string, workspace: string): Promise<{ source: string; target: string }[]> {
  const target = resolve(commonDir, "config");
  const text = await readFile(target, "utf8").catch(() => undefined);
  if (text === undefined) return [];
  const cleaned = text
    .split("\n")
    .filter((line) => !/^\s*extraheader\s*=/i.test(line))
    // A value may also follow its section header on the same line: `[http "…"] extraheader = …`.
    .map((line) => line.replace(/(\]\s*)extraheader\s*=.*$/i, "$1"))
    .map((line) => line.replace(/(:\/\/)[^\s/@]+@/g, "$1"))
    .join("\n");
  if (cleaned === text) return [];
  const source = `${workspace}.gitconfig`;
  await writeFile(source, cleaned, { mode: 0o600 });
  return [{ source, target }];
}

/** The folder of `execPath`, or its install prefix when that is a `bin` folder (so npm next to it comes too). */
export function toolchainFolder(execPath: string, { home = homedir(), isInstall = looksLikeNodeInstall } = {}): string {
  const folder = dirname(execPath);
  const prefix = dirname(folder);
  // Only a prefix that is a Node install, and never one holding the home: ~/bin/node must not show ~/.ssh.
  const holdsHome = prefix === "/" || isInside(home, prefix);
  return basename(folder) === "bin" && !holdsHome && isInstall(prefix) ? prefix : folder;
}

function looksLikeNodeInstall(prefix: string): boolean {
  return existsSync(join(prefix, "lib", "node_modules")) || existsSync(join(prefix, "include", "node"));
}

// --- internal ---

/** The host's system folders do not change during a run: looked up once per process. */
let systemPathsOnce: Promise<SystemPath[]> | undefined;

function systemPaths(): Promise<SystemPath[]> {
  systemPathsOnce ??= findSystemPaths();
  return systemPathsOnce;
}

async function findSystemPaths(): Promise<SystemPath[]> {
  const libs = (await readdir("/")).filter((name) => /^lib/.test(name)).map((name) => `/${name}`);
  const found: SystemPath[] = [];
  for (const path of [...SYSTEM_FOLDERS, ...libs]) {
    const stat = await lstat(path).catch(() => undefined);
    if (stat?.isSymbolicLink()) found.push({ path, link: await readlink(path) });
    else if (stat?.isDirectory()) found.push({ path });
  }
  return found;
}

async function existingFolders(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) if ((await lstat(path).catch(() => undefined))?.isDirectory()) found.push(path);
  return found;
}

/** A worktree's `.git` file says `gitdir: <repo>/.git/worktrees/<id>`, whose `commondir` leads to `<repo>/.git`. */
async function worktreeGitDirs(workspace: string): Promise<{ own: string; common: string } | undefined> {
  const dotGit = await readFile(resolve(workspace, ".git"), "utf8").catch(() => undefined);
  const own = /^gitdir: (.+)$/m.exec(dotGit ?? "")?.[1]?.trim();
  if (!own) return undefined;
  const ownDir = resolve(workspace, own);
  const common = await readFile(resolve(ownDir, "commondir"), "utf8").catch(() => undefined);
  return { own: ownDir, common: common ? resolve(ownDir, common.trim()) : ownDir };
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

