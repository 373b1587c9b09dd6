import { lstat, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { changedPaths, type WorktreeChange } from "./changes.ts";
import { git } from "./git.ts";
import { FOLDER_RULES, isWithin, statKey, takeSnapshot, whereChanged, type Snapshot } from "./snapshot.ts";
import { ownGitArgs, type Worktree } from "./worktree.ts";

/**
 * git's view of what differs from the base (changedPaths), kept between commands: before each look a
 * snapshot of the worktree (snapshot.ts) says where anything that matters may have changed, and git is
 * asked about those paths alone; where nothing did, the last answer stands. What matters: every name (new,
 * gone, changed in type: files, links, folders, ignored or not) and the stat data of the tracked files whose
 * change the caller cares about, of the files that say what git ignores, and of git's settings files. A
 * change to any other tracked file goes unseen until its folder is asked about again, so callers must not
 * care about those: the effect check ignores writes the policy allows.
 */
export interface ChangeTracker {
  /** What differs from the base now. */
  look(): Promise<WorktreeChange[]>;
  /** The same from git over the whole worktree, no snapshot trusted: for the check before the patch is made. */
  lookEverywhere(): Promise<WorktreeChange[]>;
  /** Paths put back as the base has them since the last look (undoChanges): git looks at them again next time. */
  undone(paths: readonly string[]): void;
}

export interface TrackerOptions {
  /** Paths never looked at: the linked dependency folders. */
  leaveOut: readonly string[];
  /** A change to this tracked file matters to the caller: its stat data is watched. Asked once per tracked file. */
  matters(path: string): boolean;
  /**
   * Every path of nanocoder's index, when the caller knows it without asking git: a run's worktrees all start
   * from the base, so the base's paths, listed once per run, are what each index holds. Else `git ls-files`.
   */
  trackedFiles?(): Promise<string[]>;
}

/**
 * Past this many watched files, every look is git's over the whole worktree: an lstat of each (about 4 µs
 * here) would cost what git's own view does. A policy that lets commands write little (`default: deny`)
 * gets there on a large repository.
 */
const WATCHED_AT_MOST = 2_000;

/** Past this many changed paths git looks at the whole worktree: a pathspec each would cost more than it saves. */
const PATHS_AT_MOST = 200;

export async function createChangeTracker(worktree: Worktree, { leaveOut, matters, trackedFiles: listed }: TrackerOptions): Promise<ChangeTracker> {
  const [tracked, settings] = await Promise.all([listed ? listed() : trackedFiles(worktree), settingsFiles(worktree)]);
  // Decided once, kept small: the tracked files that matter, not all of them (a task holds its tracker
  // throughout, and a run holds one per task at once).
  const watchedTracked = new Set(tracked.filter(matters));
  // Files whose content changes what git lists in their folder (ignored or not, submodules), wherever they are.
  const watch = (path: string) => FOLDER_RULES.has(basename(path)) || watchedTracked.has(path);
  const options = { leaveOut: new Set(leaveOut), watch, stamp: `${worktree.dir}.stamp`, watchedAtMost: WATCHED_AT_MOST };
  const everywhere = () => changedPaths(worktree, leaveOut);

  let last: { snapshot: Snapshot; changes: WorktreeChange[] } | undefined;
  let settingsSeen: string | undefined;
  /** Once snapshots cannot be used (too many watched files, git's settings changed), git looks everywhere every time. */
  let everywhereFromNowOn = watchedTracked.size > WATCHED_AT_MOST;
  const askAgain = new Set<string>();

  return {
    async look() {
      if (everywhereFromNowOn) return everywhere();
      // Taken before git looks, so that whatever changes while it does shows at the next look.
      const snapshot = await takeSnapshot(worktree.dir, { ...options, ...(last ? { previous: last.snapshot } : {}) }).catch(() => undefined);
      // After the snapshot's clock: a settings file changed in its tick is not trusted to show a later change.
      const state = snapshot && (await settingsState(settings, snapshot.time));
      if (settingsSeen === undefined && state !== undefined) settingsSeen = state;
      if (!snapshot || state === undefined || state !== settingsSeen) {
        everywhereFromNowOn = true;
        last = undefined;
        return everywhere();
      }
      const where = last ? whereChanged(last.snapshot, snapshot, askAgain) : [""];
      let changes: WorktreeChange[];
      if (last && where.length === 0) changes = last.changes;
      else if (!last || where.includes("") || where.length > PATHS_AT_MOST) changes = await everywhere();
      else {
        const kept = last.changes.filter((change) => !where.some((path) => isWithin(change.path, path)));
        changes = inGitsOrder([...kept, ...(await changedPaths(worktree, leaveOut, where))]);
      }
      last = { snapshot, changes };
      askAgain.clear();
      return changes;
    },
    lookEverywhere: everywhere,
    undone(paths) {
      for (const path of paths) askAgain.add(path);
    },
  };
}

/** Every path of nanocoder's index: the base's files. Which paths are tracked never changes during a task. */
async function trackedFiles(worktree: Worktree): Promise<string[]> {
  const { args, env } = ownGitArgs(worktree, ["ls-files", "-z"]);
  return (await git(args, worktree.dir, env)).split("\0").filter(Boolean);
}

/**
 * Files outside the worktree that change what git lists: the settings files git reads (includes too, as
 * `git config --show-origin` names them), where git would find new ones, and the ignore and attribute files
 * they name or git reads by default. A task's commands may write some of them when not sandboxed.
 */
async function settingsFiles(worktree: Worktree): Promise<string[]> {
  const { args, env } = ownGitArgs(worktree, ["config", "--list", "--show-origin", "-z"]);
  const fields = (await git(args, worktree.dir, env)).split("\0");
  const home = homedir();
  const xdg = process.env.XDG_CONFIG_HOME || join(home, ".config");
  const files = new Set([
    join(worktree.commonDir, "config"), join(worktree.commonDir, "info/exclude"), join(worktree.commonDir, "info/attributes"),
    "/etc/gitconfig", join(home, ".gitconfig"), join(xdg, "git/config"), join(xdg, "git/ignore"), join(xdg, "git/attributes"),
  ]);
  const path = (value: string, relativeTo: string) => resolve(relativeTo, value.replace(/^~(?=\/)/, home));
  // `-z --show-origin`: an origin, then `key\nvalue`, for each setting.
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const origin = (fields[i] ?? "").startsWith("file:") ? resolve(worktree.dir, (fields[i] ?? "").slice("file:".length)) : undefined;
    const [key = "", value = ""] = (fields[i + 1] ?? "").split("\n", 2);
    if (origin) files.add(origin);
    if ((key === "core.excludesfile" || key === "core.attributesfile") && value !== "") files.add(path(value, worktree.dir));
    // An included file that does not exist yet is no origin, but would be read once made.
    if (/^include(if\..*)?\.path$/.test(key) && value !== "" && origin) files.add(path(value, dirname(origin)));
  }
  return [...files].sort();
}

/**
 * The stat data of the settings files, one string; undefined when one changed at or after `since` (racy).
 * Each is looked at as a link and through it: git reads them through links (a home folder's dotfiles).
 */
async function settingsState(files: readonly string[], since: bigint): Promise<string | undefined> {
  const stats = (await Promise.all(files.map((file) => Promise.all([lstat, stat].map((look) => look(file, { bigint: true }).catch(() => undefined)))))).flat();
  if (stats.some((each) => each !== undefined && (each.mtimeNs >= since || each.ctimeNs >= since))) return undefined;
  return stats.map((each) => (each ? statKey(each) : "")).join("\n");
}

/** As `git status` lists them: changed tracked paths, then new ones, then ignored ones, each by path (bytes). */
function inGitsOrder(changes: WorktreeChange[]): WorktreeChange[] {
  const rank = (change: WorktreeChange) => (change.tracked ? 0 : change.ignored ? 2 : 1);
  return changes.sort((a, b) => rank(a) - rank(b) || Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}
