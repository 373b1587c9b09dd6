import { stat } from "node:fs/promises";
import { join } from "node:path";
import { gitScript, gitScriptThen } from "./git.ts";
import { ownGit, rebuildGitFolder, resetScript, type Worktree } from "./worktree.ts";

/**
 * Everything the task changed against `base`, as `git diff --binary`: new, deleted and binary files
 * included, ignored files excluded, commits the task made in the worktree included. `git apply`
 * reproduces it on a clean checkout of the base. One process: the changed files come from the raw
 * listing git prints before the patch (`--raw -z`: NUL-separated, names as they are). Folders holding a
 * repository of their own (a `git init` or a clone inside the worktree) are left out: a patch cannot
 * carry them.
 */
export async function diffWorktree(worktree: Worktree, base: string, leaveOut: readonly string[] = []): Promise<{ patch: Buffer; files: string[] }> {
  try {
    return splitRawAndPatch(await gitScript(diffScript(worktree, base, leaveOut), worktree.dir, DIFF_WORK));
  } catch (error) {
    if (!isNestedRepositoryWithoutCommit(error)) throw error;
    const nested = await nestedRepositories(worktree);
    return splitRawAndPatch(await gitScript(diffScript(worktree, base, leaveOut, nested), worktree.dir, DIFF_WORK));
  }
}

/**
 * The patch as diffWorktree makes it, then, in the same process, the worktree reset to `base` for the next
 * task. `leaveOut` is neither in the patch nor removed by the reset. `reset` is false when the worktree was
 * not or could not be reset: it must not be used again.
 */
export async function diffAndReset(worktree: Worktree, base: string, leaveOut: readonly string[] = []): Promise<{ patch: Buffer; files: string[]; reset: boolean }> {
  try {
    const { output, laterSucceeded } = await gitScriptThen(diffScript(worktree, base, leaveOut), resetScript(worktree, base, leaveOut), worktree.dir, DIFF_WORK);
    const reset = laterSucceeded && (await rebuildGitFolder(worktree, base).then(() => true, () => false));
    return { ...splitRawAndPatch(output), reset };
  } catch (error) {
    if (!isNestedRepositoryWithoutCommit(error)) throw error;
    return { ...(await diffWorktree(worktree, base, leaveOut)), reset: false };
  }
}

const DIFF_WORK = "collecting the patch (git add --all && git diff --cached --binary)";

/** `git add --all` into nanocoder's index, then the difference between it and the base: what the files are. */
function diffScript(worktree: Worktree, base: string, linked: readonly string[] = [], nested: readonly string[] = []): string {
  const add = ["add", "--all", ...(nested.length > 0 ? ["--", ".", ...nested.map((path) => `:(exclude,literal)${path}`)] : [])];
  // Linked dependency folders are ignored, so `git add` takes nothing of them, unless the task changed
  // .gitignore: then what it took goes out of the index again. (An exclude pathspec naming an ignored path
  // would make `git add` fail.)
  const drop = linked.length > 0 ? ` && ${ownGit(worktree, ["rm", "--cached", "-r", "-q", "--ignore-unmatch", "--", ...linked.map((path) => `:(literal)${path}`)])}` : "";
  const diff = ["diff", "--cached", "--raw", "-z", "-p", "--binary", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", base];
  return `${ownGit(worktree, add)}${drop} && ${ownGit(worktree, diff)}`;
}

/** `git add` refuses a nested repository that has no commit yet; one with commits it adds as a gitlink. */
function isNestedRepositoryWithoutCommit(error: unknown): boolean {
  return error instanceof Error && error.message.includes("does not have a commit checked out");
}

/** Untracked folders that hold a repository of their own: git lists them as `folder/`, not their files. */
async function nestedRepositories(worktree: Worktree): Promise<string[]> {
  const listed = (await gitScript(ownGit(worktree, ["ls-files", "--others", "--exclude-standard", "-z"]), worktree.dir, "listing untracked files")).toString("utf8");
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
    const path = output.toString("utf8", fieldsEnd + 1, pathEnd);
    if (newMode === GITLINK && oldMode !== GITLINK) {
      gitlinks = true;
      // A file replaced by a nested repository: the patch still deletes the file.
      if (oldMode !== ABSENT) files.push(path);
    } else files.push(path);
    at = pathEnd + 1;
  }
  if (at > 0 && output[at] === 0) at++;
  const patch = output.subarray(at);
  return { patch: gitlinks ? withoutNewGitlinks(patch) : patch, files };
}

const COLON = 0x3a;
const GITLINK = "160000";
const ABSENT = "000000";

/** The patch without the sections that add a gitlink. A line starting "diff --git " always starts a section. */
function withoutNewGitlinks(patch: Buffer): Buffer {
  const text = patch.toString("latin1");
  const sections = text.split(/(?=^diff --git )/m);
  return Buffer.from(sections.filter((section) => !/^new file mode 160000$/m.test(section)).join(""), "latin1");
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
