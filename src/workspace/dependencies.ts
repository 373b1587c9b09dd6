import { lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, type BigIntStats, type Stats } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { glob } from "tinyglobby";
import { git } from "./git.ts";
import { makeRemovable } from "./remove.ts";

/**
 * A folder (or file) of installed dependencies that git ignores, so a worktree, being a checkout, lacks it:
 * `node_modules`, `.venv`... Tasks see it at the same relative path as the repository has it.
 */
export interface DependencyFolder {
  /** Relative to the repository and to every worktree, `/`-separated: `node_modules`, `packages/a/node_modules`. */
  path: string;
  /** The tree holding the installed copy: the user's repository, or a worktree's setup store. */
  root: string;
}

/** Folder names that hold installed dependencies, looked for at the root and beside every tracked manifest. */
const DEPENDENCY_NAMES = ["node_modules", ".venv", "venv", "vendor/bundle"];

/** Files that mark a project (a workspace package, a Python or Ruby project) whose folder may hold dependencies. */
const MANIFESTS = ["package.json", "pyproject.toml", "setup.py", "requirements.txt", "Gemfile"];

/**
 * Caches tools write inside `node_modules` (Vite and Vitest in `.vite`, Babel, ESLint and webpack loaders in
 * `.cache`): never shared, but made empty in every linked folder, so each task starts them empty and may write them.
 */
const CACHE_FOLDERS = [".cache", ".vite"];

/** Folders whose entries are linked one by one, so that the relative links they hold resolve inside the worktree. */
const LINKED_ONE_BY_ONE = (name: string) => name === ".bin" || name.startsWith("@");

export interface DependencySettings {
  /** Look for the usual folders (DEPENDENCY_NAMES) at the root and beside tracked manifests. */
  detect: boolean;
  /** More paths to share, relative to the repository; globs allowed. */
  paths: string[];
}

export interface FoundDependencies {
  folders: DependencyFolder[];
  /**
   * Paths that cannot be shared, with why: named ones (tracked by git, a symlink, leaving the repository),
   * and usual folders that are there but that git neither ignores nor tracks (`named` false).
   */
  skipped: { path: string; reason: string; named: boolean }[];
}

/**
 * The installed dependency folders of the repository at `repoRoot`: what git ignores of the usual names
 * beside each tracked manifest (the root, workspace packages), plus the policy's `paths`. Looked up once per
 * run; the folders themselves are only listed when a worktree links them.
 */
export async function findDependencies(repoRoot: string, settings: DependencySettings): Promise<FoundDependencies> {
  const candidates = new Set<string>();
  if (settings.detect) {
    for (const folder of await manifestFolders(repoRoot)) {
      for (const name of DEPENDENCY_NAMES) candidates.add(folder === "" ? name : `${folder}/${name}`);
    }
  }
  const named = new Set<string>();
  for (const pattern of settings.paths) {
    const matches = /[*?[{]/.test(pattern)
      ? await glob(pattern, { cwd: repoRoot, onlyFiles: false, dot: true, expandDirectories: false, followSymbolicLinks: false, ignore: ["**/.git/**"] })
      : [pattern];
    for (const match of matches) named.add(posix.normalize(match.replace(/\/+$/, "")));
  }
  const skipped: FoundDependencies["skipped"] = [];
  const present: string[] = [];
  for (const path of [...candidates, ...named]) {
    if (present.includes(path)) continue;
    const why = await unshareable(repoRoot, path);
    if (why === "missing" && !named.has(path)) continue;
    if (why) skipped.push({ path, reason: why === "missing" ? "no such file or folder in the repository" : why, named: named.has(path) });
    else present.push(path);
  }
  const ignored = await ignoredPaths(repoRoot, present);
  // A detected folder git tracks is simply in every worktree; only a named one is worth a word. One git
  // neither ignores nor tracks (a project without a .gitignore, unpacked from a registry) is in no worktree,
  // and committing it is not the fix.
  const unignored = present.filter((path) => !ignored.has(path));
  const tracked = await trackedPaths(repoRoot, unignored);
  for (const path of unignored) {
    if (tracked.has(path)) {
      if (named.has(path)) skipped.push({ path, reason: "git tracks it, so every worktree has it already", named: true });
    } else {
      skipped.push({ path, reason: `git does not ignore it, so the tasks, which start from the commit, do not get it and commands and checks will not find what it holds; add ${path}/ to .gitignore: the tasks then share it, read-only`, named: named.has(path) });
    }
  }
  // A folder inside another shared one comes with it.
  const shared = present.filter((path) => ignored.has(path)).sort();
  const outer = shared.filter((path) => !shared.some((other) => other !== path && path.startsWith(`${other}/`)));
  return { folders: outer.map((path) => ({ path, root: repoRoot })), skipped };
}

/**
 * Makes each dependency folder visible in `worktree` at its relative path: a real folder holding one symlink
 * per entry of the installed copy. Not a single link to the whole folder: new entries (the caches tools write
 * beside the packages, a package the model installs) then land in the worktree, never in the installed copy,
 * and the copy's own links (npm workspace packages as `../../packages/a`, `.bin` scripts) are copied as
 * written, so they resolve to the worktree's files. Entries the worktree has already (tracked ones) win.
 * Paths whose folders in the worktree are links leading out of it are left out: nothing is written outside.
 * Returns what was made, for `stillLinked` to tell whether the next task can use it as it is.
 */
export function linkDependencies(worktree: string, folders: readonly DependencyFolder[]): LinkedFolder[] {
  const realWorktree = realpathSync(worktree);
  const linked: LinkedFolder[] = [];
  for (const folder of folders) {
    const target = join(worktree, folder.path);
    if (!insideRealFolder(dirname(target), realWorktree)) continue;
    const source = join(folder.root, folder.path);
    const sourceStat = lstatOrUndefined(source);
    if (!sourceStat) continue;
    const made: LinkedFolder = { path: folder.path, watched: [], caches: [] };
    if (!sourceStat.isDirectory()) linkOnce(source, target);
    else if (makeFolder(target, realWorktree)) {
      // The caches tools write here are folders of their own, so writing them leaves the folder as linked.
      for (const name of CACHE_FOLDERS) if (makeFolder(join(target, name), undefined)) made.caches.push(join(target, name));
      linkEntries(source, target, 0, made);
    }
    made.watched.unshift(signatureOf(target));
    linked.push(made);
  }
  return linked;
}

/**
 * What linkDependencies made for one folder: the folders (and file links) whose change time says whether a
 * command added, removed or replaced an entry, and the cache folders emptied before each task. A command
 * cannot set a change time back, so an unchanged one means an unchanged folder.
 */
export interface LinkedFolder {
  path: string;
  watched: { path: string; ino: bigint; ctimeNs: bigint }[];
  caches: string[];
}

/**
 * Whether a linked folder is as linkDependencies left it, so the worktree's next task can use it without
 * linking every entry again (the cost of linking is one system call per entry); its caches are emptied then.
 */
export function stillLinked(linked: LinkedFolder): boolean {
  const same = linked.watched.every(({ path, ino, ctimeNs }) => {
    const now = lstatOrUndefined(path, true);
    return now !== undefined && now.ino === ino && now.ctimeNs === ctimeNs;
  });
  if (!same) return false;
  try {
    for (const cache of linked.caches) {
      for (const name of readdirSync(cache)) rmSync(join(cache, name), { recursive: true, force: true });
    }
  } catch {
    // A cache a command made unreadable (chmod 000): the folder is removed and linked anew instead.
    return false;
  }
  return true;
}

/**
 * Paths of the worktree its patch leaves out: the shared folders, links and whatever commands wrote beside
 * them (caches), even when the task changed `.gitignore` so that git would no longer ignore them.
 */
export function patchExclusions(folders: readonly DependencyFolder[]): string[] {
  return folders.map((folder) => folder.path);
}

/**
 * Removes the worktree's copies of `paths` (the links and what was written beside them), for setup to tell
 * its own results from the shared folders. Each must still be a real folder (or a link) inside the worktree:
 * a command may have put a link in the place of a folder on the way, which must not lead nanocoder, running
 * outside the sandbox, to delete the folder it points to.
 */
export function removeLinked(worktree: string, paths: readonly string[]): void {
  const realWorktree = realpathSync(worktree);
  for (const path of paths) {
    const target = join(worktree, path);
    if (!lstatOrUndefined(target) || !insideRealFolder(dirname(target), realWorktree)) continue;
    if (realpathSync(dirname(target)) !== join(realWorktree, dirname(path) === "." ? "" : dirname(path)).replace(/\/$/, "")) continue;
    // Not recursive through links: rmSync removes a link itself, never what it points to.
    try {
      rmSync(target, { recursive: true, force: true });
    } catch {
      makeRemovable(target);
      rmSync(target, { recursive: true, force: true });
    }
  }
}

/**
 * Host folders the dependencies need and a sandbox must show read-only: each shared folder at its own path
 * (the links point there; a virtualenv's scripts name its interpreter by absolute path) and the Python
 * install a virtualenv was made from, which pyenv, uv and asdf keep under the home folder (`pyvenv.cfg`
 * says where). Never a link (bubblewrap would show what it points to), and for `pyvenv.cfg`, which setup or
 * a package's install script could write, only a real Python install: a prefix holding its standard library.
 */
export async function foldersToShow(folders: readonly DependencyFolder[], kept: KeptFolders): Promise<string[]> {
  const shown = new Set<string>();
  for (const folder of folders) {
    const path = join(folder.root, folder.path);
    // Bubblewrap shows what a path leads to: a folder whose path inside its tree takes a link is not shown.
    const root = realpathOrUndefined(folder.root);
    if (root === undefined || realpathOrUndefined(path) !== join(root, folder.path)) continue;
    shown.add(path);
    const interpreter = await virtualenvHome(path);
    const install = interpreter ? pythonInstall(interpreter, kept) : undefined;
    if (install) shown.add(install);
  }
  return [...shown];
}

/**
 * Folders no path shown to commands may hold, whatever a `pyvenv.cfg` says: the home folder, the
 * repository, the temporary folder holding the run's worktrees.
 */
export interface KeptFolders {
  home: string;
  others: readonly string[];
}

/** The virtualenv among the shared folders at the repository root, if any: commands run with it activated. */
export async function rootVirtualenv(folders: readonly DependencyFolder[]): Promise<string | undefined> {
  for (const folder of folders) {
    if (folder.path.includes("/")) continue;
    const path = join(folder.root, folder.path);
    if (await virtualenvHome(path)) return path;
  }
  return undefined;
}

// --- internal ---

/** Folders (relative, "" for the root) holding a manifest that git tracks; node_modules never holds tracked ones. */
async function manifestFolders(repoRoot: string): Promise<string[]> {
  const pathspecs = MANIFESTS.map((name) => `:(glob)**/${name}`);
  const listed = await git(["ls-files", "-z", "--", ...pathspecs], repoRoot);
  const folders = new Set([""]);
  for (const file of listed.split("\0")) if (file) folders.add(posix.dirname(file) === "." ? "" : posix.dirname(file));
  return [...folders];
}

/** Why `path` cannot be shared: "missing", or a reason; undefined when it can be. */
async function unshareable(repoRoot: string, path: string): Promise<string | undefined> {
  if (path === "" || path === "." || path.startsWith("../") || path === ".." || posix.isAbsolute(path)) return "it is not a path inside the repository";
  if (path === ".git" || path.startsWith(".git/")) return "it is git's own folder";
  const absolute = resolve(repoRoot, path);
  const stats = await lstat(absolute).catch(() => undefined);
  if (!stats) return "missing";
  if (stats.isSymbolicLink()) return "it is a symlink; name the folder it points to";
  if (!insideRealFolder(dirname(absolute), realpathSync(repoRoot))) return "a folder on its way is a symlink leading out of the repository";
  return undefined;
}

/** Which of `paths` git tracks something in, asked in one process. */
async function trackedPaths(repoRoot: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const listed = await git(["ls-files", "-z", "--", ...paths.map((path) => `:(literal)${path}`)], repoRoot);
  const files = listed.split("\0").filter(Boolean);
  return new Set(paths.filter((path) => files.some((file) => file === path || file.startsWith(`${path}/`))));
}

/** Whether a path lies in a folder of installed dependencies by its usual name (`node_modules`, `.venv`…). */
export function inDependencyFolder(path: string): boolean {
  return DEPENDENCY_NAMES.some((name) => path === name || path.startsWith(`${name}/`) || path.includes(`/${name}/`));
}

/** Which of `paths` git ignores, asked in one process. */
async function ignoredPaths(repoRoot: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  // check-ignore exits 1 when none is ignored; git() would throw then.
  const output = await git(["-c", "core.quotePath=false", "check-ignore", ...paths.map((path) => `${path}/`)], repoRoot).catch(() => "");
  const viaFolder = new Set(output.split("\n").filter(Boolean).map((path) => path.replace(/\/$/, "")));
  const files = paths.filter((path) => !viaFolder.has(path));
  if (files.length === 0) return viaFolder;
  const asFiles = await git(["-c", "core.quotePath=false", "check-ignore", ...files], repoRoot).catch(() => "");
  for (const path of asFiles.split("\n")) if (path) viaFolder.add(path);
  return viaFolder;
}

function linkEntries(source: string, target: string, depth: number, made: LinkedFolder): void {
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (depth === 0 && CACHE_FOLDERS.includes(entry.name)) continue;
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isSymbolicLink()) linkOnce(readlinkSync(from), to);
    else if (entry.isDirectory() && depth === 0 && LINKED_ONE_BY_ONE(entry.name)) {
      if (!makeFolder(to, undefined)) continue;
      linkEntries(from, to, depth + 1, made);
      made.watched.push(signatureOf(to));
    } else linkOnce(from, to);
  }
}

function signatureOf(path: string): LinkedFolder["watched"][number] {
  const stats = lstatSync(path, { bigint: true });
  return { path, ino: stats.ino, ctimeNs: stats.ctimeNs };
}

/** A symlink at `target`, unless something is there already: one system call per entry, the cost that counts. */
function linkOnce(pointsTo: string, target: string): void {
  try {
    symlinkSync(pointsTo, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/**
 * Makes `folder` and its missing parents; false when a real folder cannot be had there (a file or a link is
 * in the way). With `realWorktree`, also false when the folder would end up outside it.
 */
function makeFolder(folder: string, realWorktree: string | undefined): boolean {
  try {
    mkdirSync(folder, { recursive: true });
  } catch {
    return false;
  }
  if (!lstatSync(folder).isDirectory()) return false;
  return realWorktree === undefined || insideRealFolder(folder, realWorktree);
}

/** Whether `folder`, with every link on its way followed, is `root` or inside it. */
function insideRealFolder(folder: string, realRoot: string): boolean {
  let real: string;
  try {
    real = realpathSync(folder);
  } catch {
    // Not there yet: its nearest existing parent decides.
    return dirname(folder) !== folder && insideRealFolder(dirname(folder), realRoot);
  }
  return real === realRoot || real.startsWith(`${realRoot}${sep}`);
}

function lstatOrUndefined(path: string): Stats | undefined;
function lstatOrUndefined(path: string, bigint: true): BigIntStats | undefined;
function lstatOrUndefined(path: string, bigint = false): Stats | BigIntStats | undefined {
  try {
    return bigint ? lstatSync(path, { bigint: true }) : lstatSync(path);
  } catch {
    return undefined;
  }
}

/** A virtualenv's `pyvenv.cfg` names the folder of the interpreter it was made from (`home = …/bin`). */
async function virtualenvHome(folder: string): Promise<string | undefined> {
  const config = await readFile(join(folder, "pyvenv.cfg"), "utf8").catch(() => undefined);
  return config ? /^\s*home\s*=\s*(.+?)\s*$/m.exec(config)?.[1] : undefined;
}

/**
 * The Python install whose `bin` folder `binFolder` is (`~/.pyenv/versions/3.11.7` for its `bin`): a prefix
 * with the standard library (`lib/python3.X/os.py`), and never one holding the home folder, which would show
 * `~/.ssh` and the like. Undefined for anything else.
 */
export function pythonInstall(binFolder: string, kept: KeptFolders): string | undefined {
  const folder = resolve(binFolder);
  if (posix.basename(folder) !== "bin") return undefined;
  // Where the prefix really is: a link to `/` would otherwise pass for an install holding `lib/python3/os.py`.
  const prefix = realpathOrUndefined(dirname(folder));
  if (prefix === undefined || prefix === "/") return undefined;
  const holds = (inner: string) => relative(prefix, inner) === "" || !relative(prefix, inner).startsWith("..");
  if ([kept.home, ...kept.others].some(holds)) return undefined;
  return isPythonInstall(prefix) ? prefix : undefined;
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** A Python installation prefix has its standard library: `lib/python3.X/os.py`. */
function isPythonInstall(prefix: string): boolean {
  try {
    return readdirSync(join(prefix, "lib")).some((name) => /^python\d/.test(name) && lstatOrUndefined(join(prefix, "lib", name, "os.py"))?.isFile() === true);
  } catch {
    return false;
  }
}

/**
 * Folders of the repository an editable install (`pip install -e .`) put on a virtualenv's `sys.path`, relative
 * to the repository (`src`): a `.pth` file's path lines, and the parents of the package folders setuptools'
 * editable finder maps. Commands get the worktree's copies first on PYTHONPATH, so they import the task's
 * code, not the user's (which the sandbox hides anyway).
 */
export async function editablePaths(venv: string, repoRoot: string): Promise<string[]> {
  const found = new Set<string>();
  // The repository itself counts ("."): a package at its root is the usual flat layout.
  const inside = (path: string) => {
    const rel = relative(repoRoot, path);
    if (rel === "") return ".";
    return !rel.startsWith("..") && !posix.isAbsolute(rel) ? rel : undefined;
  };
  for (const sitePackages of await sitePackagesOf(venv)) {
    for (const name of await readdir(sitePackages).catch(() => [] as string[])) {
      const text = name.endsWith(".pth") || /^__editable__.*finder\.py$/.test(name) ? await readFile(join(sitePackages, name), "utf8").catch(() => "") : "";
      if (name.endsWith(".pth")) {
        for (const line of text.split("\n").map((each) => each.trim())) {
          const rel = line.startsWith("/") ? inside(line) : undefined;
          if (rel) found.add(rel);
        }
      } else if (text) {
        const mapping = /^MAPPING\s*(?::[^=]*)?=\s*(\{[^}]*\})/m.exec(text)?.[1] ?? "";
        for (const [, path] of mapping.matchAll(/:\s*'([^']+)'/g)) {
          const rel = path ? inside(dirname(path)) : undefined;
          if (rel) found.add(rel);
        }
      }
    }
  }
  return [...found];
}

async function sitePackagesOf(venv: string): Promise<string[]> {
  const lib = join(venv, "lib");
  const versions = await readdir(lib).catch(() => [] as string[]);
  return versions.filter((name) => /^python\d/.test(name)).map((name) => join(lib, name, "site-packages"));
}

/**
 * The shared folders setup left as they were linked: the worktree's copy is still a folder whose entries are
 * links to the installed copy. An install (`npm ci`) replaces the folder with one of its own.
 */
export function untouchedFolders(worktree: string, folders: readonly DependencyFolder[]): DependencyFolder[] {
  return folders.filter((folder) => {
    const target = join(worktree, folder.path);
    const stats = lstatOrUndefined(target);
    if (!stats?.isDirectory()) return stats?.isSymbolicLink() === true && readlinkSync(target) === join(folder.root, folder.path);
    const source = join(folder.root, folder.path);
    return readdirSync(source).every((name) => CACHE_FOLDERS.includes(name) || lstatOrUndefined(join(target, name)) !== undefined)
      && readdirSync(target, { withFileTypes: true }).some((entry) => entry.isSymbolicLink() && readlinkSync(join(target, entry.name)).startsWith(source));
  });
}

/** Lockfiles at the root whose dependencies live in a folder of the repository, with the command that installs them. */
const INSTALLS: MissingInstall[] = [
  { lockfile: "package-lock.json", folder: "node_modules", install: "npm ci", hosts: ["registry.npmjs.org"] },
  { lockfile: "npm-shrinkwrap.json", folder: "node_modules", install: "npm ci", hosts: ["registry.npmjs.org"] },
  { lockfile: "pnpm-lock.yaml", folder: "node_modules", install: "pnpm install --frozen-lockfile", hosts: ["registry.npmjs.org"] },
  { lockfile: "yarn.lock", folder: "node_modules", install: "yarn install --frozen-lockfile", hosts: ["registry.yarnpkg.com", "registry.npmjs.org"] },
  { lockfile: "bun.lock", folder: "node_modules", install: "bun install --frozen-lockfile", hosts: ["registry.npmjs.org"] },
  { lockfile: "bun.lockb", folder: "node_modules", install: "bun install --frozen-lockfile", hosts: ["registry.npmjs.org"] },
  { lockfile: "uv.lock", folder: ".venv", install: "uv sync --frozen", hosts: ["pypi.org", "files.pythonhosted.org"] },
];

/** A lockfile without the folder it installs into, the command that installs it, and the hosts that command downloads from. */
export interface MissingInstall {
  lockfile: string;
  folder: string;
  install: string;
  hosts: string[];
}

/**
 * Installs the repository needs and does not have: a lockfile at the root without the folder it installs
 * into, shared or made by setup. Checks such as `npm test` then fail with "Cannot find package" or
 * "command not found", so `validate`, `doctor` and `batch` say so beforehand, with the fix.
 */
export async function missingInstalls(repoRoot: string, shared: readonly DependencyFolder[]): Promise<MissingInstall[]> {
  const missing: MissingInstall[] = [];
  for (const entry of INSTALLS) {
    if (missing.some((found) => found.folder === entry.folder) || shared.some((folder) => folder.path === entry.folder)) continue;
    if (!(await lstat(join(repoRoot, entry.lockfile)).catch(() => undefined))?.isFile()) continue;
    // A folder that is there is shared, committed (in every task's checkout), or neither, which
    // findDependencies says, with the fix (ignore it), whatever the lockfile.
    if ((await lstat(join(repoRoot, entry.folder)).catch(() => undefined))?.isDirectory() !== true) missing.push(entry);
  }
  return missing;
}

/** The warning for one missing install, and its fix: install first, or a setup step. */
export function describeMissingInstall({ lockfile, folder, install, hosts }: MissingInstall, policySource: string): { problem: string; fix: string } {
  const where = policySource === "built-in" ? ".nanocoder/policy.yaml" : policySource;
  return {
    problem: `the repository has ${lockfile} but no ${folder}, so commands and checks will not find its dependencies`,
    fix: `run \`${install}\` before nanocoder, or add a setup step to ${where}: \`setup: {run: ["${install}"], network: [${hosts.join(", ")}]}\` (docs/environment.md)`,
  };
}
