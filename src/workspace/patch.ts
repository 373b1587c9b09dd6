import { copyFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { undoChanges, type WorktreeChange } from "./changes.ts";
import { git, gitScript, gitScriptThen } from "./git.ts";
import { ownGit, ownGitArgs, rebuildGitFolder, resetScript, type Worktree } from "./worktree.ts";

/**
 * Everything the task changed against `base`, as `git diff --binary`: new, deleted and binary files
 * included, ignored files excluded, commits the task made in the worktree included. `git apply`
 * reproduces it on a clean checkout of the base. One process: the changed files come from the raw
 * listing git prints before the patch (`--raw -z`: NUL-separated, names as they are). Folders holding a
 * repository of their own (a `git init` or a clone inside the worktree) are left out: a patch cannot
 * carry them.
 */
export async function diffWorktree(worktree: Worktree, base: string, leaveOut: readonly string[] = []): Promise<WorktreeDiff> {
  try {
    return splitRawAndPatch(await gitScript(diffScript(worktree, base, leaveOut), worktree.dir, DIFF_WORK));
  } catch (error) {
    if (!isNestedRepositoryWithoutCommit(error)) throw error;
    const nested = await nestedRepositories(worktree);
    return withNested(splitRawAndPatch(await gitScript(diffScript(worktree, base, leaveOut, nested), worktree.dir, DIFF_WORK)), nested);
  }
}

/** A patch, the files it changes, and the folders it leaves out for holding a repository of their own. */
export interface WorktreeDiff {
  patch: Buffer;
  files: string[];
  /** Present when there are any: a task should say that their files are in no patch. */
  nested?: string[];
}

function withNested(diff: WorktreeDiff, more: readonly string[]): WorktreeDiff {
  const nested = [...new Set([...(diff.nested ?? []), ...more])].sort();
  return nested.length > 0 ? { ...diff, nested } : diff;
}

/**
 * The patch as diffWorktree makes it, then, in the same process, the worktree reset to `base` for the next
 * task. `leaveOut` is neither in the patch nor removed by the reset. `reset` is false when the worktree was
 * not or could not be reset: it must not be used again.
 */
export async function diffAndReset(worktree: Worktree, base: string, leaveOut: readonly string[] = []): Promise<WorktreeDiff & { reset: boolean }> {
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
  const diff = ["diff", "--cached", "--raw", "-z", "-p", "--binary", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", base];
  return `${addScript(worktree, linked, nested)} && ${ownGit(worktree, diff)}`;
}

/**
 * Caches that running Python writes beside the code, whatever the repository ignores: a task that only ran
 * its tests, or a model that imported a module to look at it, has changed nothing. Never source, so never
 * in a patch.
 */
const TOOL_CACHE_NAMES = ["__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"];
const TOOL_CACHES = TOOL_CACHE_NAMES.map((name) => `:(exclude,glob)**/${name}/**`);

/**
 * `git add --all` into `index`: the worktree's files as a patch takes them. New files in the caches are
 * left out; a file the repository tracks there is taken as any tracked file (`add -u`).
 */
function addScript(worktree: Worktree, linked: readonly string[], nested: readonly string[], index = worktree.index): string {
  const notNested = nested.map((path) => `:(exclude,literal)${path}`);
  const add = ["add", "--all", "--", ".", ...TOOL_CACHES, ...notNested];
  const tracked = ["add", "-u", "--", ".", ...notNested];
  // Linked dependency folders are ignored, so `git add` takes nothing of them, unless the task changed
  // .gitignore: then what it took goes out of the index again. (An exclude pathspec naming an ignored path
  // would make `git add` fail.)
  const drop = linked.length > 0 ? ` && ${ownGit(worktree, ["rm", "--cached", "-r", "-q", "--ignore-unmatch", "--", ...linked.map((path) => `:(literal)${path}`)], index)}` : "";
  return `${ownGit(worktree, add, index)} && ${ownGit(worktree, tracked, index)}${drop}`;
}

/** What `holdWorktreeState` gives: put the held state back, and let go of the indexes it used. */
export interface HeldWorktreeState {
  /** Undoes every change made since the state was held that a patch would carry; returns the paths undone. */
  putBack(): Promise<string[]>;
  release(): Promise<void>;
}

/**
 * Holds the worktree's state when the checks start, to put it back once they end: checks verify the task's
 * work and are no part of it. What a check writes that a patch would carry (a `__pycache__` the repository
 * does not ignore, a regenerated snapshot, a formatter's rewrite) would otherwise make a task that changed
 * nothing succeed, fail one that expects no change, and reach `--apply` and pull requests. The state is a
 * tree object written through an index of its own: nanocoder's index holds the base, which the change
 * tracker compares against, and must keep it. That index starts as a copy of nanocoder's, whose stat data
 * spares git reading the files the task did not change.
 */
export async function holdWorktreeState(worktree: Worktree, leaveOut: readonly string[] = []): Promise<HeldWorktreeState> {
  const index = `${worktree.index}.held`;
  // The held tree, read into an index of its own, is where put-back files are written from.
  const source = `${worktree.index}.put`;
  const released = async () => {
    await rm(index, { force: true });
    await rm(source, { force: true });
  };
  const stateNow = async (): Promise<{ tree: string; nested: readonly string[] }> => {
    // From nanocoder's index each time: an index once given a file a check had un-ignored would keep it.
    await copyFile(worktree.index, index);
    const script = (nested: readonly string[]) => `${addScript(worktree, leaveOut, nested, index)} && ${ownGit(worktree, ["write-tree"], index)}`;
    const tree = async (nested: readonly string[]) => (await gitScript(script(nested), worktree.dir, HOLD_WORK)).toString("utf8").trim();
    try {
      return { tree: await tree([]), nested: [] };
    } catch (error) {
      if (!isNestedRepositoryWithoutCommit(error)) throw error;
      const nested = await nestedRepositories(worktree);
      return { tree: await tree(nested), nested };
    }
  };
  const held = await stateNow().catch(async (error: unknown) => {
    await released();
    throw error;
  });
  // Repositories of their own the worktree holds now: one a check makes (`git init`) goes, even in a folder
  // of the model's, whose files the held tree then brings back.
  const nestedAtHold = new Set(await nestedRepositories(worktree).catch(async (error: unknown) => {
    await released();
    throw error;
  }));
  let sourceRead = false;
  let heldFolders: Set<string> | undefined;
  return {
    async putBack() {
      const undone = new Set<string>();
      for (let round = 0; round < PUT_BACK_ROUNDS; round++) {
        const made = (await nestedRepositories(worktree)).filter((path) => !nestedAtHold.has(path));
        for (const path of made) await rm(join(worktree.dir, path, ".git"), { recursive: true, force: true });
        const now = await stateNow();
        const changes: WorktreeChange[] = [];
        if (now.tree !== held.tree) {
          const listing = await gitScript(ownGit(worktree, ["diff-tree", "-r", "-z", "--no-renames", "--name-status", held.tree, now.tree], index), worktree.dir, HOLD_WORK);
          const fields = listing.toString("utf8").split("\0");
          for (let at = 0; at + 1 < fields.length; at += 2) changes.push({ path: fields[at + 1] ?? "", tracked: fields[at] !== "A" });
        }
        for (const path of made) undone.add(path);
        if (changes.length === 0) break;
        if (!sourceRead) {
          await gitScript(ownGit(worktree, ["read-tree", held.tree], source), worktree.dir, HOLD_WORK);
          sourceRead = true;
        }
        // A .gitignore a check changed goes back first, alone: what it un-ignored (a setup step's files) is then
        // ignored again, and what it hid shows, in the next round.
        const ignoreFiles = changes.filter((change) => change.path === ".gitignore" || change.path.endsWith("/.gitignore"));
        const thisRound = ignoreFiles.length > 0 && ignoreFiles.length < changes.length ? ignoreFiles : changes;
        // New files under a folder the held tree lacks go as that folder, in one removal and one line.
        heldFolders ??= new Set((await gitScript(ownGit(worktree, ["ls-tree", "-r", "-d", "-z", "--name-only", held.tree], index), worktree.dir, HOLD_WORK)).toString("utf8").split("\0").filter(Boolean));
        const folded = await foldKeepingIgnored(worktree, thisRound, heldFolders);
        await undoChanges(worktree, folded, source);
        for (const change of folded) undone.add(change.path);
      }
      return [...undone];
    },
    release: released,
  };
}

/**
 * foldNewFolders, but never over a folder holding a file git ignores: the tree knows nothing of those, and
 * one there before the checks (a build's `*.map`, a log) is no check's to remove. Such a folder's new files
 * go one by one, and its subfolders are looked at in turn.
 */
async function foldKeepingIgnored(worktree: Worktree, changes: readonly WorktreeChange[], heldFolders: ReadonlySet<string>): Promise<WorktreeChange[]> {
  const listed = new Set(changes.map((change) => change.path));
  const whole = new Set(heldFolders);
  for (;;) {
    const folded = foldNewFolders(changes, whole);
    const folders = folded.filter((change) => !change.tracked && !listed.has(change.path)).map((change) => change.path);
    if (folders.length === 0) return folded;
    const { args, env } = ownGitArgs(worktree, ["ls-files", "--others", "--ignored", "--exclude-standard", "-z", "--", ...folders.map((path) => `:(literal)${path}`)]);
    const ignored = (await git(args, worktree.dir, env)).split("\0").filter(Boolean);
    const holding = folders.filter((folder) => ignored.some((path) => path.startsWith(`${folder}/`)));
    if (holding.length === 0) return folded;
    for (const folder of holding) whole.add(folder);
  }
}

/**
 * Changes with every new file under a folder the held tree does not have replaced by the highest such
 * folder: 20,000 files a check generated into `gen/` are one removal of `gen`. Pure.
 */
export function foldNewFolders(changes: readonly WorktreeChange[], heldFolders: ReadonlySet<string>): WorktreeChange[] {
  const folded: WorktreeChange[] = [];
  const newFolders = new Set<string>();
  for (const change of changes) {
    if (change.tracked) {
      folded.push(change);
      continue;
    }
    const parts = change.path.split("/");
    let top: string | undefined;
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join("/");
      if (!heldFolders.has(folder)) {
        top = folder;
        break;
      }
    }
    if (top === undefined) folded.push(change);
    else if (!newFolders.has(top)) {
      newFolders.add(top);
      folded.push({ path: top, tracked: false });
    }
  }
  return folded;
}

/** Rounds of putting back: one, and more when a check changed a .gitignore (rare). */
const PUT_BACK_ROUNDS = 4;

const HOLD_WORK = "holding the worktree's files while the checks run (git add --all && git write-tree)";

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
export function splitRawAndPatch(output: Buffer): WorktreeDiff {
  const files: string[] = [];
  const nested: string[] = [];
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
      nested.push(path);
      // A file replaced by a nested repository: the patch still deletes the file.
      if (oldMode !== ABSENT) files.push(path);
    } else files.push(path);
    at = pathEnd + 1;
  }
  if (at > 0 && output[at] === 0) at++;
  const patch = output.subarray(at);
  return withNested({ patch: gitlinks ? withoutNewGitlinks(patch) : patch, files }, nested);
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
