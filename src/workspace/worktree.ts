import { readdir, readFile, rm, stat } from "node:fs/promises";
import { isAbsolute, join, resolve, sep } from "node:path";
import { git, gitCommand, gitScript, gitScriptThen } from "./git.ts";

/** A detached worktree of the user's repository: its folder and git's administrative folder for it. */
export interface Worktree {
  dir: string;
  /** `<repository>/.git/worktrees/<name>`, read once when the worktree is made, before any task runs in it. */
  gitDir: string;
}

/**
 * Adds a detached worktree of `commit` at `dir`. The user's working tree, index and branches are untouched;
 * only git's own worktree list gains an entry until `removeWorktree`. The entry is added without a checkout,
 * one at a time per repository; the files are then written outside that queue, in parallel with other tasks.
 */
export async function addWorktree(repoRoot: string, commit: string, dir: string): Promise<Worktree> {
  await serialized(repoRoot, () => withRetries(() => git(["worktree", "add", "--detach", "--no-checkout", "--quiet", dir, commit], repoRoot)));
  const worktree = { dir, gitDir: await readGitDir(dir) };
  try {
    await git(worktreeArgs(worktree, ["-c", "checkout.workers=0", "reset", "--hard", "--quiet", commit]), dir);
  } catch (error) {
    await removeWorktree(worktree);
    throw error;
  }
  return worktree;
}

async function readGitDir(dir: string): Promise<string> {
  const text = await readFile(join(dir, ".git"), "utf8");
  const path = /^gitdir: (.+)$/m.exec(text)?.[1]?.trim();
  if (!path) throw new Error(`${dir}/.git does not name the worktree's git folder`);
  return isAbsolute(path) ? path : resolve(dir, path);
}

/**
 * Git on a worktree is given its folders explicitly: a task can rewrite the `.git` file of its worktree,
 * and git must not follow that file to another repository (the user's own index, say).
 */
function worktreeArgs(worktree: Worktree, args: string[]): string[] {
  return [`--git-dir=${worktree.gitDir}`, `--work-tree=${worktree.dir}`, ...args];
}

/** Signs of a git operation left half-way (merge, rebase, cherry-pick, bisect) in a worktree's git folder. */
const UNFINISHED_OPERATIONS = ["MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG", "rebase-merge", "rebase-apply", "sequencer"];

/**
 * True when a reset brings the worktree back to a clean checkout; false when it is in a state a reset may
 * not undo (its `.git` file changed, a git operation left half-way): the pool replaces it then.
 */
async function resettable(worktree: Worktree): Promise<boolean> {
  try {
    if ((await readGitDir(worktree.dir)) !== worktree.gitDir) return false;
    const entries = await readdir(worktree.gitDir);
    return !entries.some((name) => UNFINISHED_OPERATIONS.includes(name));
  } catch {
    return false;
  }
}

/**
 * A script that brings a used worktree back to a clean checkout of `commit`: HEAD detached at it, every
 * tracked file as committed, untracked and ignored files (nested repositories too) gone. Only the files a
 * task touched are written, which is what makes reuse cheap on a large repository.
 */
function resetScript(worktree: Worktree, commit: string): string {
  const git = onWorktree(worktree);
  const checkout = git(["-c", "checkout.workers=0", "-c", "advice.detachedHead=false", "checkout", "--quiet", "--force", "--detach", commit]);
  // The patch was made just before, in the same script, and cleared any index flags (clearIndexFlags).
  return `${checkout} && ${git(["clean", "-ffdxq"])}`;
}

/**
 * Clears the index flags a task can set to hide a file from git (`update-index --skip-worktree` or
 * `--assume-unchanged`): `git add` would leave its changes out of the patch, and a checkout would leave a
 * skip-worktree file as the task left it. A quick look first; the clearing runs only when a flag is set.
 */
function clearIndexFlags(worktree: Worktree): string {
  const git = onWorktree(worktree);
  // update-index applies one such flag per run when reading paths from stdin.
  const clear = (flag: string) => `${git(["ls-files", "-z"])} | ${git(["update-index", "-z", flag, "--stdin"])}`;
  return `{ if ${git(["ls-files", "-v"])} | grep -q '^[a-zS]'; then ${clear("--no-skip-worktree")} && ${clear("--no-assume-unchanged")}; fi; }`;
}

function onWorktree(worktree: Worktree): (args: string[]) => string {
  return (args) => gitCommand(worktreeArgs(worktree, args));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Removes the worktree's folder and git's entry for it, whatever state the task left it in. Deleting the
 * entry is what `git worktree prune` does for a worktree whose folder is gone, limited to this one. Never throws.
 */
export async function removeWorktree(worktree: Worktree): Promise<void> {
  await rm(worktree.dir, { recursive: true, force: true }).catch(() => undefined);
  if (isWorktreeEntry(worktree.gitDir)) await rm(worktree.gitDir, { recursive: true, force: true }).catch(() => undefined);
}

function isWorktreeEntry(gitDir: string): boolean {
  return gitDir.split(sep).at(-2) === "worktrees";
}

/**
 * Another process (a second run on the same repository) can still be half-way through its own
 * worktree command; git then fails reading that worktree's metadata. Such failures pass on a retry.
 */
async function withRetries<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !/worktrees\/|index\.lock|could not lock/i.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

/**
 * git's worktree commands read every other worktree's metadata and fail on one that is half
 * written ("failed to read .git/worktrees/x/commondir"), so they run one at a time per repository.
 */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(repoRoot: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(repoRoot) ?? Promise.resolve();
  const next = previous.then(work, work);
  queues.set(repoRoot, next.catch(() => undefined));
  return next;
}

/**
 * Everything the task changed against `base`, as `git diff --binary`: new, deleted and binary files
 * included, ignored files excluded, commits the task made in the worktree included. `git apply`
 * reproduces it on a clean checkout of the base. One process: the changed files come from the raw
 * listing git prints before the patch (`--raw -z`: NUL-separated, names as they are). Folders holding a
 * repository of their own (a `git init` or a clone inside the worktree) are left out: a patch cannot
 * carry them.
 */
export async function diffWorktree(worktree: Worktree, base: string): Promise<{ patch: Buffer; files: string[] }> {
  try {
    return splitRawAndPatch(await gitScript(diffScript(worktree, base), worktree.dir, DIFF_WORK));
  } catch (error) {
    if (!isNestedRepositoryWithoutCommit(error)) throw error;
    const nested = await nestedRepositories(worktree);
    return splitRawAndPatch(await gitScript(diffScript(worktree, base, nested), worktree.dir, DIFF_WORK));
  }
}

/**
 * The patch as diffWorktree makes it, then, in the same process, the worktree reset to `base` for the next
 * task. `reset` is false when the worktree was not or could not be reset: it must not be used again.
 */
export async function diffAndReset(worktree: Worktree, base: string): Promise<{ patch: Buffer; files: string[]; reset: boolean }> {
  if (!(await resettable(worktree))) return { ...(await diffWorktree(worktree, base)), reset: false };
  try {
    const { output, laterSucceeded } = await gitScriptThen(diffScript(worktree, base), resetScript(worktree, base), worktree.dir, DIFF_WORK);
    return { ...splitRawAndPatch(output), reset: laterSucceeded };
  } catch (error) {
    if (!isNestedRepositoryWithoutCommit(error)) throw error;
    return { ...(await diffWorktree(worktree, base)), reset: false };
  }
}

const DIFF_WORK = "collecting the patch (git add --all && git diff --cached --binary)";

function diffScript(worktree: Worktree, base: string, leaveOut: string[] = []): string {
  const git = onWorktree(worktree);
  const add = ["add", "--all", ...(leaveOut.length > 0 ? ["--", ".", ...leaveOut.map((path) => `:(exclude,literal)${path}`)] : [])];
  const diff = ["diff", "--cached", "--raw", "-z", "-p", "--binary", "--no-renames", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", base];
  return `${clearIndexFlags(worktree)} && ${git(add)} && ${git(diff)}`;
}

/** `git add` refuses a nested repository that has no commit yet; one with commits it adds as a gitlink. */
function isNestedRepositoryWithoutCommit(error: unknown): boolean {
  return error instanceof Error && error.message.includes("does not have a commit checked out");
}

/** Untracked folders that hold a repository of their own: git lists them as `folder/`, not their files. */
async function nestedRepositories(worktree: Worktree): Promise<string[]> {
  const listed = await git(worktreeArgs(worktree, ["ls-files", "--others", "--exclude-standard", "-z"]), worktree.dir);
  const folders = listed.split("\0").filter((path) => path.endsWith("/"));
  const nested: string[] = [];
  for (const folder of folders) {
    if (await exists(join(worktree.dir, folder, ".git"))) nested.push(folder.slice(0, -1));
  }
  return nested;
}

/**
 * Splits `git diff --raw -z -p` output: `:<modes> <ids> <status>\0<path>\0` per file, a NUL, then the
 * patch. Nested repositories the index took as gitlinks (new mode 160000) are dropped from both.
 */
export function splitRawAndPatch(output: Buffer): { patch: Buffer; files: string[] } {
  const files: string[] = [];
  let at = 0;
  let gitlinks = false;
  while (output[at] === COLON) {
    const fieldsEnd = output.indexOf(0, at);
    const pathEnd = output.indexOf(0, fieldsEnd + 1);
    if (fieldsEnd < 0 || pathEnd < 0) throw new Error("git diff --raw: a file entry is cut short");
    const [oldMode, newMode] = output.toString("utf8", at + 1, fieldsEnd).split(" ");
    if (newMode === GITLINK && oldMode !== GITLINK) gitlinks = true;
    else files.push(output.toString("utf8", fieldsEnd + 1, pathEnd));
    at = pathEnd + 1;
  }
  if (at > 0 && output[at] === 0) at++;
  const patch = output.subarray(at);
  return { patch: gitlinks ? withoutNewGitlinks(patch) : patch, files };
}

const COLON = 0x3a;
const GITLINK = "160000";

/** The patch without the sections that add a gitlink. A line starting "diff --git " always starts a section. */
function withoutNewGitlinks(patch: Buffer): Buffer {
  const text = patch.toString("latin1");
  const sections = text.split(/(?=^diff --git )/m);
  return Buffer.from(sections.filter((section) => !/^new file mode 160000$/m.test(section)).join(""), "latin1");
}
