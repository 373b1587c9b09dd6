import { lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, rmdirSync, symlinkSync, unlinkSync } from "node:fs";
import { lstat, readFile } from "node:fs/promises";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { glob } from "tinyglobby";
import { git } from "./git.ts";

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
 * `.cache`): never shared, so each worktree starts them empty and may write them.
 */
const PRIVATE_ENTRIES = new Set([".cache", ".vite", ".vitest", ".eslintcache", ".tmp"]);

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
  /** Named paths that cannot be shared, with why (tracked by git, a symlink, leaving the repository). */
  skipped: { path: string; reason: string }[];
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
    if (why) skipped.push({ path, reason: why === "missing" ? "no such file or folder in the repository" : why });
    else present.push(path);
  }
  const ignored = await ignoredPaths(repoRoot, present);
  for (const path of present) if (!ignored.has(path)) skipped.push({ path, reason: "git tracks it, so every worktree has it already" });
  // A folder inside another shared one comes with it.
  const shared = present.filter((path) => ignored.has(path)).sort();
  const outer = shared.filter((path) => !shared.some((other) => other !== path && path.startsWith(`${other}/`)));
  return { folders: outer.map((path) => ({ path, root: repoRoot })), skipped };
}

/**
 * The entries a worktree got from linkDependencies: removed again before its patch is made, so a task that
 * changes `.gitignore` never carries the links into the patch.
 */
export interface LinkedDependencies {
  links: string[];
  /** Folders made to hold links, deepest first. */
  folders: string[];
}

/**
 * Makes each dependency folder visible in `worktree` at its relative path: a real folder holding one symlink
 * per entry of the installed copy. Not a single link to the whole folder: new entries (the caches tools write
 * beside the packages, a package the model installs) then land in the worktree, never in the installed copy,
 * and the copy's own links (npm workspace packages as `../../packages/a`, `.bin` scripts) are copied as
 * written, so they resolve to the worktree's files. Entries the worktree has already (tracked ones) win.
 * Paths whose folders in the worktree are links leading out of it are left out: nothing is written outside.
 */
export function linkDependencies(worktree: string, folders: readonly DependencyFolder[]): LinkedDependencies {
  const linked: LinkedDependencies = { links: [], folders: [] };
  const realWorktree = realpathSync(worktree);
  for (const folder of folders) {
    const target = join(worktree, folder.path);
    if (!insideRealFolder(dirname(target), realWorktree)) continue;
    const source = join(folder.root, folder.path);
    const sourceStat = lstatOrUndefined(source);
    if (!sourceStat) continue;
    if (!sourceStat.isDirectory()) {
      if (!lstatOrUndefined(target)) link(source, target, linked);
      continue;
    }
    makeFolder(target, realWorktree, linked);
    linkEntries(source, target, linked, 0);
  }
  linked.folders.reverse();
  return linked;
}

/** Removes what linkDependencies made, if a task left it as it was made: links first, then emptied folders. */
export function unlinkDependencies(linked: LinkedDependencies): void {
  for (const path of linked.links) {
    if (lstatOrUndefined(path)?.isSymbolicLink()) unlinkSync(path);
  }
  for (const path of linked.folders) {
    try {
      rmdirSync(path);
    } catch {
      // Not empty: the task wrote there (a cache, an installed package); the worktree's reset removes it.
    }
  }
}

/**
 * Host folders the dependencies need and a sandbox must show read-only: each shared folder at its own path
 * (the links point there; a virtualenv's scripts name its interpreter by absolute path) and the interpreter a
 * virtualenv was made from, which pyenv, uv and asdf keep under the home folder (`pyvenv.cfg` says where).
 */
export async function foldersToShow(folders: readonly DependencyFolder[], home: string): Promise<string[]> {
  const shown = new Set<string>();
  for (const folder of folders) {
    shown.add(join(folder.root, folder.path));
    const interpreter = await virtualenvHome(join(folder.root, folder.path));
    const shownInterpreter = interpreter ? installPrefix(interpreter, home, isPythonInstall) : undefined;
    if (shownInterpreter) shown.add(shownInterpreter);
  }
  return [...shown];
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

function linkEntries(source: string, target: string, linked: LinkedDependencies, depth: number): void {
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (depth === 0 && PRIVATE_ENTRIES.has(entry.name)) continue;
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (lstatOrUndefined(to)) continue;
    if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
      linked.links.push(to);
    } else if (entry.isDirectory() && depth === 0 && LINKED_ONE_BY_ONE(entry.name)) {
      mkdirSync(to);
      linked.folders.push(to);
      linkEntries(from, to, linked, depth + 1);
    } else link(from, to, linked);
  }
}

function link(source: string, target: string, linked: LinkedDependencies): void {
  symlinkSync(source, target);
  linked.links.push(target);
}

/** Makes `folder` and its missing parents inside the worktree, recording the ones made. */
function makeFolder(folder: string, realWorktree: string, linked: LinkedDependencies): void {
  const missing: string[] = [];
  for (let path = folder; !lstatOrUndefined(path); path = dirname(path)) missing.unshift(path);
  for (const path of missing) {
    mkdirSync(path);
    linked.folders.push(path);
  }
  if (!insideRealFolder(folder, realWorktree)) throw new Error(`${folder} leads out of the worktree`);
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

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
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
 * The install a `bin` folder belongs to (`~/.pyenv/versions/3.11.7` for its `bin`) when `isInstall` says the
 * parent is one, else the folder itself; never a folder holding the home folder, which would show `~/.ssh`
 * and the like. Not `~/.local` for `~/.local/bin`: it holds user data besides programs.
 */
export function installPrefix(binFolder: string, home: string, isInstall: (prefix: string) => boolean): string | undefined {
  const folder = resolve(binFolder);
  const holds = (outer: string) => relative(outer, home) === "" || !relative(outer, home).startsWith("..");
  const prefix = dirname(folder);
  if (posix.basename(folder) === "bin" && !holds(prefix) && isInstall(prefix)) return prefix;
  return holds(folder) ? undefined : folder;
}

/** A Python installation prefix has its standard library: `lib/python3.X/os.py`. */
function isPythonInstall(prefix: string): boolean {
  try {
    return readdirSync(join(prefix, "lib")).some((name) => /^python\d/.test(name) && lstatOrUndefined(join(prefix, "lib", name, "os.py")) !== undefined);
  } catch {
    return false;
  }
}

/** The shared folders of which every link the worktree got is still in place: setup did not replace them. */
export function untouchedFolders(worktree: string, folders: readonly DependencyFolder[], linked: LinkedDependencies): DependencyFolder[] {
  return folders.filter((folder) => {
    const inside = `${join(worktree, folder.path)}${sep}`;
    const target = join(worktree, folder.path);
    return linked.links.every((path) => (path !== target && !path.startsWith(inside)) || lstatOrUndefined(path)?.isSymbolicLink());
  });
}

/** Lockfiles at the root whose dependencies live in a folder of the repository, with the command that installs them. */
const INSTALLS: { lockfile: string; folder: string; install: string }[] = [
  { lockfile: "package-lock.json", folder: "node_modules", install: "npm ci" },
  { lockfile: "npm-shrinkwrap.json", folder: "node_modules", install: "npm ci" },
  { lockfile: "pnpm-lock.yaml", folder: "node_modules", install: "pnpm install --frozen-lockfile" },
  { lockfile: "yarn.lock", folder: "node_modules", install: "yarn install --frozen-lockfile" },
  { lockfile: "bun.lock", folder: "node_modules", install: "bun install --frozen-lockfile" },
  { lockfile: "bun.lockb", folder: "node_modules", install: "bun install --frozen-lockfile" },
  { lockfile: "uv.lock", folder: ".venv", install: "uv sync --frozen" },
];

/**
 * Installs the repository needs and does not have: a lockfile at the root without the folder it installs
 * into, shared or made by setup. Checks such as `npm test` then fail with "Cannot find package" or
 * "command not found", so `validate`, `doctor` and `batch` say so beforehand, with the fix.
 */
export async function missingInstalls(repoRoot: string, shared: readonly DependencyFolder[]): Promise<{ lockfile: string; folder: string; install: string }[]> {
  const missing: { lockfile: string; folder: string; install: string }[] = [];
  for (const entry of INSTALLS) {
    if (missing.some((found) => found.folder === entry.folder) || shared.some((folder) => folder.path === entry.folder)) continue;
    if ((await lstat(join(repoRoot, entry.lockfile)).catch(() => undefined))?.isFile()) missing.push(entry);
  }
  return missing;
}

/** The warning for one missing install, naming the fix: install first, or a setup step. */
export function describeMissingInstall({ lockfile, folder, install }: { lockfile: string; folder: string; install: string }, policySource: string): string {
  const where = policySource === "built-in" ? ".nanocoder/policy.yaml" : policySource;
  return `the repository has ${lockfile} but no ${folder}, so commands and checks will not find its dependencies; ` +
    `run \`${install}\` before nanocoder, or add a setup step to ${where}: \`setup: {run: ["${install}"]}\` (docs/environment.md)`;
}
