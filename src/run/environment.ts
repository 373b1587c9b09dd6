import { lstatSync, readdirSync } from "node:fs";
import { access, constants, mkdtemp, realpath, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";
import type { Emit } from "../agent/events.ts";
import { sandboxMasks, type SandboxMasks } from "../policy/effects.ts";
import type { Policy, SetupSettings } from "../policy/types.ts";
import { changedPaths } from "../workspace/changes.ts";
import { git } from "../workspace/git.ts";
import type { Redact } from "../report/redact.ts";
import type { Sandbox, WorktreeMasks } from "../sandbox/index.ts";
import { toolchainFolder } from "../sandbox/layout.ts";
import { startNetworkProxy, type NetworkProxy } from "../sandbox/network-proxy.ts";
import type { WrapCommand } from "../tools/types.ts";
import {
  editablePaths, foldersToShow, linkDependencies, patchExclusions, removeLinked, rootVirtualenv, untouchedFolders,
  stillLinked, type DependencyFolder, type FoundDependencies, type LinkedFolder,
} from "../workspace/dependencies.ts";
import type { Worktree } from "../workspace/worktree.ts";
import { keepSetupResults, LOCKFILES, runSetupCommands, SetupFailed, setupKey, undoTrackedChanges } from "./setup.ts";

const DEFAULT_SETUP_TIMEOUT_MS = 600_000;

export interface EnvironmentOptions {
  repoRoot: string;
  base: string;
  outDir: string;
  /** Where the policy came from, for messages that name its settings. */
  policySource: string;
  /** The repository's installed dependency folders, found once by planRun. */
  found: FoundDependencies;
  setup?: SetupSettings;
  /** The policy's `sandbox.network`: a host list starts the filtering proxy. */
  network: boolean | string[];
  sandbox?: Sandbox;
  commandEnv: Record<string, string>;
  redact: Redact;
  /** Where the run keeps its worktrees; setup stores and the proxy's socket go there too. */
  worktreeRoot: string;
}

/**
 * What the commands of a run see besides the worktree: the repository's installed dependencies, the setup
 * step's results, the toolchains both need, and the network through the filtering proxy. Built once per
 * run; each task enters its worktree before its first command.
 */
export interface RunEnvironment {
  /** The shared dependency folders found, and the named ones that could not be shared. */
  found: FoundDependencies;
  /**
   * Links the worktree's dependencies, runs setup when the worktree has no current results, then the task's
   * own setup commands. Gives the command wrapper, and the paths the task's patch leaves out (the linked
   * folders). Throws SetupFailed.
   */
  enter(worktree: Worktree, task: TaskSetup, emit: Emit, signal: AbortSignal): Promise<EnteredWorktree>;
  /**
   * Every path of the base commit (files, links, submodules), listed once per run: what nanocoder's index
   * holds at the start of every task, since each worktree starts from the base.
   */
  basePaths(): Promise<string[]>;
  /** Stops the proxy. */
  close(): Promise<void>;
}

export interface EnteredWorktree {
  wrapCommand?: WrapCommand;
  /** Paths the task's patch leaves out: the linked dependency folders. */
  leaveOut: string[];
  /** Files commands made or moved (new to git), for the sandbox to hide or protect from the next command on. */
  noteFiles(paths: string[]): void;
  /** The same sandbox with another network (an MCP server's, from the policy's mcp.servers). */
  wrapFor(network: boolean | string[], setting: string, readOnly?: string[]): Promise<WrapCommand | undefined>;
}

/** The masks of one task's commands, growing as commands make files. */
interface TaskMasks {
  current(): WorktreeMasks;
  add(paths: string[]): void;
}

/** Files of a setup result looked at for masks; a larger result (an installed node_modules) holds no secret of the repository's. */
const SETUP_FILES_LOOKED_AT = 2_000;

/** A task's own setup commands (its `setup:`), run every time before it, with their log, and its policy. */
export interface TaskSetup {
  /** The task's policy (the run's, narrowed by the task): what its commands may not read or write. */
  policy: Policy;
  commands: readonly string[];
  /** Absolute path of the log, and its name relative to the run folder for messages. */
  logPath: string;
  logName: string;
}

interface WorktreeState {
  setupKey?: string;
  /** The folders this worktree's tasks see: shared ones and the setup's results. */
  folders: DependencyFolder[];
  /** Those folders as linked into the worktree; the reset keeps them, the next task checks them. */
  linked: LinkedFolder[];
  /** The files of the setup's results, listed once: they do not change while the worktree keeps them. */
  setupFiles?: { root: string; files: string[] }[];
}

export async function createRunEnvironment(options: EnvironmentOptions): Promise<RunEnvironment> {
  const { found } = options;
  const kept = { home: homedir(), others: [options.repoRoot, tmpdir()] };
  const toolchains = await nodeToolchains(options.commandEnv.PATH ?? "");
  const setupCommands = options.setup?.run ?? [];
  const setupInputs = options.setup?.inputs.length ? options.setup.inputs : LOCKFILES;
  const states = new Map<string, WorktreeState>();
  /** Setup that failed for a key fails the later tasks at once: every worktree starts from the same base. */
  const failures = new Map<string, string>();
  const proxies = new Map<string, Promise<NetworkProxy>>();
  let proxyFolder: Promise<string> | undefined;

  /** The sandbox's view of the network for commands or setup: a host list becomes the proxy's socket. */
  const networkFor = async (network: boolean | string[], setting: string): Promise<boolean | { proxySocket: string }> => {
    if (!Array.isArray(network)) return network;
    const key = JSON.stringify([setting, network]);
    let proxy = proxies.get(key);
    if (!proxy) {
      proxyFolder ??= mkdtemp(join(options.worktreeRoot, "proxy-"));
      const socketPath = join(await proxyFolder, `${proxies.size + 1}.sock`);
      proxy = startNetworkProxy({ allow: network, socketPath, setting: `${setting} in ${options.policySource}` });
      proxies.set(key, proxy);
    }
    return { proxySocket: (await proxy).socketPath };
  };

  /** The repository's editable installs, looked up once per virtualenv. */
  const editable = new Map<string, Promise<string[]>>();

  /**
   * A root virtualenv activated as `source .venv/bin/activate` would: its `bin` first on PATH (the installed
   * copy's, which commands cannot write), VIRTUAL_ENV, and the worktree's copies of the folders an editable
   * install points at first on PYTHONPATH.
   */
  const activation = async (dir: string, folders: DependencyFolder[]): Promise<WrapCommand | undefined> => {
    const venv = await rootVirtualenv(folders);
    if (!venv) return undefined;
    if (!editable.has(venv)) editable.set(venv, editablePaths(venv, options.repoRoot));
    const sources = (await editable.get(venv) ?? []).map((path) => join(dir, path));
    return (spec) => {
      const env: Record<string, string> = { ...spec.env, VIRTUAL_ENV: venv, PATH: [join(venv, "bin"), spec.env.PATH].filter(Boolean).join(delimiter) };
      if (sources.length > 0) env.PYTHONPATH = [...sources, spec.env.PYTHONPATH].filter(Boolean).join(delimiter);
      return { ...spec, env };
    };
  };

  const wrapperFor = async (
    dir: string, folders: DependencyFolder[], network: boolean | string[], setting: string, masks?: TaskMasks, readOnly: string[] = [],
  ): Promise<WrapCommand | undefined> => {
    const activate = await activation(dir, folders);
    const sandboxed = options.sandbox?.status.active
      ? await options.sandbox.wrapperFor(dir, {
        readOnly: [...(await foldersToShow(folders, kept)), ...toolchains, ...readOnly],
        network: await networkFor(network, setting),
        ...(masks ? { masks: () => masks.current() } : {}),
      })
      : undefined;
    if (!activate) return sandboxed;
    return sandboxed ? (spec) => sandboxed(activate(spec)) : activate;
  };

  /** Setup commands run with setup's own network, when the policy gives one, else the commands'. */
  const setupWrapper = (dir: string, folders: DependencyFolder[]) => {
    const network = options.setup?.network;
    return network === undefined ? wrapperFor(dir, folders, options.network, "sandbox.network") : wrapperFor(dir, folders, network, "setup.network");
  };

  /** Runs setup commands in the worktree with their log and events; throws SetupFailed. */
  const runLogged = async (commands: readonly string[], worktree: Worktree, folders: DependencyFolder[], log: { path: string; name: string }, emit: Emit, signal: AbortSignal) => {
    emit({ type: "setup_start", commands: [...commands], log: log.name });
    const started = Date.now();
    const wrapCommand = await setupWrapper(worktree.dir, folders);
    try {
      await runSetupCommands({
        commands, worktree, env: options.commandEnv, signal, timeoutMs: options.setup?.timeout ?? DEFAULT_SETUP_TIMEOUT_MS,
        logPath: log.path, logName: log.name, redact: options.redact, ...(wrapCommand ? { wrapCommand } : {}),
      });
    } catch (error) {
      emit({ type: "setup_end", ok: false, duration_ms: Date.now() - started, log: log.name });
      throw error;
    }
    return started;
  };

  /**
   * The policy's setup in a worktree without current results: run with the shared folders linked, then what
   * it made that git ignores moved to the worktree's store. Returns the folders the worktree's tasks see.
   */
  const runPolicySetup = async (worktree: Worktree, key: string, emit: Emit, signal: AbortSignal): Promise<DependencyFolder[]> => {
    const earlier = failures.get(key);
    if (earlier) throw new SetupFailed(earlier);
    const store = `${worktree.dir}.setup`;
    await rm(store, { recursive: true, force: true });
    linkDependencies(worktree.dir, found.folders);
    const log = setupLog(worktree);
    let started: number;
    try {
      started = await runLogged(setupCommands, worktree, found.folders, log, emit, signal);
    } catch (error) {
      // The worktree goes back to clean; its next task (if the run goes on) fails the same way at once.
      removeLinked(worktree.dir, found.folders.map((folder) => folder.path));
      await keepSetupResults(worktree, options.base, store, []).catch(() => undefined);
      await rm(store, { recursive: true, force: true });
      const message = error instanceof Error ? error.message : String(error);
      if (!signal.aborted) failures.set(key, message);
      throw error instanceof SetupFailed ? error : new SetupFailed(`setup failed: ${message}`);
    }
    const untouched = untouchedFolders(worktree.dir, found.folders).map((folder) => folder.path);
    removeLinked(worktree.dir, untouched);
    const { kept, undone } = await keepSetupResults(worktree, options.base, store, untouched);
    emit({ type: "setup_end", ok: true, duration_ms: Date.now() - started, log: log.name, results: kept, ...(undone.length ? { undone } : {}) });
    const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
    return [
      ...found.folders.filter((folder) => !kept.some((path) => overlaps(path, folder.path))),
      ...kept.map((path) => ({ path, root: store })),
    ];
  };

  /**
   * The worktree's dependency folders for its next task: those the last task left as they were linked are
   * used as they are (their caches emptied); any other is removed and linked anew.
   */
  const relink = (worktree: Worktree, state: WorktreeState): LinkedFolder[] => {
    const kept = state.linked.filter((linked) => state.folders.some((folder) => folder.path === linked.path) && stillLinked(linked));
    const stale = state.folders.filter((folder) => !kept.some((linked) => linked.path === folder.path));
    removeLinked(worktree.dir, stale.map((folder) => folder.path));
    return [...kept, ...linkDependencies(worktree.dir, stale)];
  };

  /** The base commit's entries, listed once: every worktree of the run starts from them. */
  let baseEntries: Promise<TreeEntry[]> | undefined;
  const listBase = () => (baseEntries ??= entriesAt(options.repoRoot, options.base));
  /** Its regular files. */
  let baseFiles: Promise<string[]> | undefined;
  /** Masks per set of rules: tasks under the same policy share them. */
  const masksByRules = new Map<string, SandboxMasks>();

  /**
   * The files the task's commands see empty or read-only (policy/effects.ts): the base commit's, what the
   * task's setup made beside them, what the policy's setup made (in the worktree's store), and, as the task
   * goes on, every file a command makes or moves (the effect check tells, after each command).
   */
  const masksFor = async (worktree: Worktree, task: TaskSetup, state: WorktreeState): Promise<TaskMasks> => {
    baseFiles ??= listBase().then(regularFiles);
    const rules = JSON.stringify([task.policy.files.read, task.policy.files.write.deny, task.policy.protect]);
    let base = masksByRules.get(rules);
    if (!base) {
      base = sandboxMasks(task.policy, await baseFiles);
      masksByRules.set(rules, base);
    }
    const inWorktree = (masks: SandboxMasks, root: string) => ({
      hideFiles: masks.hideFiles.map((path) => join(root, path)),
      hideFolders: masks.hideFolders.map((path) => join(root, path)),
      readOnly: masks.readOnly.map((path) => join(root, path)),
    });
    const parts = [inWorktree(base, worktree.dir)];
    state.setupFiles ??= state.folders.filter((each) => each.root !== options.repoRoot)
      .map((folder) => ({ root: folder.root, files: filesOf(folder.root, folder.path, SETUP_FILES_LOOKED_AT) }));
    for (const { root, files } of state.setupFiles) parts.push(inWorktree(sandboxMasks(task.policy, files), root));
    if (task.commands.length > 0) {
      const made = (await changedPaths(worktree, patchExclusions(state.folders))).filter((change) => !change.tracked).map((change) => change.path);
      parts.push(inWorktree(sandboxMasks(task.policy, made), worktree.dir));
    }
    const merged: WorktreeMasks = { hideFiles: parts.flatMap((part) => part.hideFiles), hideFolders: parts.flatMap((part) => part.hideFolders), readOnly: parts.flatMap((part) => part.readOnly) };
    // A hidden file moved to a name no rule names (`mv config config.bak`) is still the same file: known by
    // its inode, it stays hidden under the new name.
    const hiddenFiles = [...merged.hideFiles, ...(await baseFiles).filter((path) => base.hideFolders.some((folder) => path.startsWith(`${folder}/`))).map((path) => join(worktree.dir, path))];
    const hiddenInodes = new Set(hiddenFiles.flatMap((path) => inodeOf(path) ?? []));
    return {
      current: () => merged,
      add(paths) {
        const more = inWorktree(sandboxMasks(task.policy, paths), worktree.dir);
        const moved = paths.map((path) => join(worktree.dir, path)).filter((path) => hiddenInodes.has(inodeOf(path) ?? -1));
        for (const path of [...more.hideFiles, ...moved]) if (!merged.hideFiles.includes(path)) merged.hideFiles.push(path);
        for (const path of more.readOnly) if (!merged.readOnly.includes(path)) merged.readOnly.push(path);
      },
    };
  };

  /** `setup/worktree-<n>.log`: one log per worktree, named by its number in the run. */
  const setupLog = (worktree: Worktree) => {
    const name = `setup/${basename(worktree.dir).replace(/^.*-/, "worktree-")}.log`;
    return { name, path: join(options.outDir, name) };
  };

  return {
    found,
    basePaths: async () => (await listBase()).map((entry) => entry.path),
    async enter(worktree, task, emit, signal) {
      let state = states.get(worktree.dir);
      if (setupCommands.length > 0) {
        const key = await setupKey(setupCommands, setupInputs, worktree.dir);
        if (state?.setupKey !== key) {
          if (state) removeLinked(worktree.dir, state.linked.map((linked) => linked.path));
          state = { setupKey: key, folders: await runPolicySetup(worktree, key, emit, signal), linked: [] };
        } else emit({ type: "setup_reused", log: setupLog(worktree).name });
      }
      state ??= { folders: found.folders, linked: [] };
      states.set(worktree.dir, state);
      state.linked = relink(worktree, state);
      if (task.commands.length > 0) {
        // What a failing command changed is put back too: the task's patch never carries setup's changes.
        const started = await runLogged(task.commands, worktree, state.folders, { path: task.logPath, name: task.logName }, emit, signal)
          .catch(async (error: unknown) => {
            await undoTrackedChanges(worktree, options.base).catch(() => undefined);
            throw error;
          });
        const undone = await undoTrackedChanges(worktree, options.base);
        emit({ type: "setup_end", ok: true, duration_ms: Date.now() - started, log: task.logName, ...(undone.length ? { undone } : {}) });
      }
      const masks = options.sandbox?.status.active ? await masksFor(worktree, task, state) : undefined;
      const wrapCommand = await wrapperFor(worktree.dir, state.folders, options.network, "sandbox.network", masks);
      const leaveOut = patchExclusions(state.folders);
      const noteFiles = (paths: string[]) => masks?.add(paths);
      const folders = state.folders;
      const wrapFor = (network: boolean | string[], setting: string, readOnly: string[] = []) => wrapperFor(worktree.dir, folders, network, setting, masks, readOnly);
      return wrapCommand ? { wrapCommand, leaveOut, noteFiles, wrapFor } : { leaveOut, noteFiles, wrapFor };
    },
    async close() {
      const started = [...proxies.values()];
      proxies.clear();
      await Promise.all(started.map(async (proxy) => (await proxy.catch(() => undefined))?.close()));
    },
  };
}

/**
 * The Node install the commands' `node` comes from, when it is outside the system folders: a version manager's
 * (nvm, fnm, asdf, volta) under the home folder, which the sandbox otherwise hides.
 */
async function nodeToolchains(searchPath: string): Promise<string[]> {
  for (const folder of searchPath.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, "node");
    if (!(await access(candidate, constants.X_OK).then(() => true, () => false))) continue;
    const real = await realpath(candidate).catch(() => undefined);
    return real ? [toolchainFolder(real)] : [];
  }
  return [];
}

/** A path of a commit, and whether it is a regular file (not a link or a submodule). */
interface TreeEntry {
  path: string;
  regular: boolean;
}

/** Every entry of `commit`, workspace-relative: files, links and submodules. */
async function entriesAt(repoRoot: string, commit: string): Promise<TreeEntry[]> {
  const listing = await git(["ls-tree", "-r", "-z", commit], repoRoot);
  return listing.split("\0").flatMap((entry) => {
    const tab = entry.indexOf("\t");
    return tab > 0 ? [{ path: entry.slice(tab + 1), regular: /^100(644|755) blob /.test(entry) }] : [];
  });
}

/** The regular files among the entries (no links, no submodules). */
function regularFiles(entries: readonly TreeEntry[]): string[] {
  return entries.flatMap((entry) => (entry.regular ? [entry.path] : []));
}

/** The files under `root/path` (or the file itself), relative to `root`, up to `limit`; links are not followed. */
function filesOf(root: string, path: string, limit: number): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    if (found.length >= limit) return;
    let stats;
    try {
      stats = lstatSync(join(root, relative));
    } catch {
      return;
    }
    if (stats.isFile()) found.push(relative);
    else if (stats.isDirectory()) for (const name of readdirSync(join(root, relative))) walk(`${relative}/${name}`);
  };
  walk(path);
  return found;
}

function inodeOf(path: string): number | undefined {
  try {
    const stats = lstatSync(path);
    return stats.isFile() ? stats.ino : undefined;
  } catch {
    return undefined;
  }
}
