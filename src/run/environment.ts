import { access, constants, mkdtemp, realpath, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, delimiter, join } from "node:path";
import type { Emit } from "../agent/events.ts";
import type { SetupSettings } from "../policy/types.ts";
import type { Redact } from "../report/redact.ts";
import type { Sandbox } from "../sandbox/index.ts";
import { toolchainFolder } from "../sandbox/layout.ts";
import { startNetworkProxy, type NetworkProxy } from "../sandbox/network-proxy.ts";
import type { WrapCommand } from "../tools/types.ts";
import {
  foldersToShow, linkDependencies, rootVirtualenv, unlinkDependencies, untouchedFolders,
  type DependencyFolder, type FoundDependencies, type LinkedDependencies,
} from "../workspace/dependencies.ts";
import type { Worktree } from "../workspace/worktree.ts";
import { keepSetupResults, LOCKFILES, runSetupCommands, SetupFailed, setupKey, undoTrackedChanges } from "./setup.ts";

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
 * run; each task enters its worktree before its first command and leaves it before its patch is made.
 */
export interface RunEnvironment {
  /** The shared dependency folders found, and the named ones that could not be shared. */
  found: FoundDependencies;
  /**
   * Links the worktree's dependencies, runs setup when the worktree has no current results, then the task's
   * own setup commands, and gives the command wrapper. Throws SetupFailed.
   */
  enter(worktree: Worktree, task: TaskSetup, emit: Emit, signal: AbortSignal): Promise<{ wrapCommand?: WrapCommand }>;
  /** Removes the links again, so the patch never carries them. */
  leave(worktree: Worktree): void;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/** A task's own setup commands (its `setup:`), run every time before it, with their log. */
export interface TaskSetup {
  commands: readonly string[];
  /** Absolute path of the log, and its name relative to the run folder for messages. */
  logPath: string;
  logName: string;
}

interface WorktreeState {
  setupKey?: string;
  /** The folders this worktree's tasks see: shared ones and the setup's results. */
  folders: DependencyFolder[];
  linked?: LinkedDependencies;
}

export async function createRunEnvironment(options: EnvironmentOptions): Promise<RunEnvironment> {
  const { found } = options;
  const home = homedir();
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

  const wrapperFor = async (dir: string, folders: DependencyFolder[], network: boolean | string[], setting: string): Promise<WrapCommand | undefined> => {
    const venv = await rootVirtualenv(folders);
    const activate: WrapCommand | undefined = venv
      ? (spec) => ({ ...spec, env: { ...spec.env, VIRTUAL_ENV: venv, PATH: [join(venv, "bin"), spec.env.PATH].filter(Boolean).join(delimiter) } })
      : undefined;
    const sandboxed = options.sandbox?.status.active
      ? await options.sandbox.wrapperFor(dir, { readOnly: [...(await foldersToShow(folders, home)), ...toolchains], network: await networkFor(network, setting) })
      : undefined;
    if (!activate) return sandboxed;
    return sandboxed ? (spec) => sandboxed(activate(spec)) : activate;
  };

  const runSetup = async (worktree: Worktree, key: string, emit: Emit, signal: AbortSignal): Promise<DependencyFolder[]> => {
    const earlier = failures.get(key);
    if (earlier) throw new SetupFailed(earlier);
    const started = Date.now();
    const store = `${worktree.dir}.setup`;
    await rm(store, { recursive: true, force: true });
    const linked = linkDependencies(worktree.dir, found.folders);
    const name = `setup/${basename(worktree.dir).replace(/^.*-/, "worktree-")}.log`;
    emit({ type: "setup_start", commands: setupCommands, log: name });
    try {
      const setupNetwork = options.setup?.network;
      const wrapCommand = await wrapperFor(worktree.dir, found.folders, setupNetwork ?? options.network, setupNetwork === undefined ? "sandbox.network" : "setup.network");
      await runSetupCommands({
        commands: setupCommands, worktree, env: options.commandEnv, signal, timeoutMs: options.setup?.timeout ?? 600_000,
        logPath: join(options.outDir, name), logName: name, redact: options.redact, ...(wrapCommand ? { wrapCommand } : {}),
      });
    } catch (error) {
      unlinkDependencies(linked);
      await keepSetupResults(worktree, options.base, store, []).catch(() => undefined);
      await rm(store, { recursive: true, force: true });
      const message = error instanceof Error ? error.message : String(error);
      if (!signal.aborted) failures.set(key, message);
      emit({ type: "setup_end", ok: false, duration_ms: Date.now() - started, log: name });
      throw error instanceof SetupFailed ? error : new SetupFailed(`setup failed: ${message}`);
    }
    const untouched = untouchedFolders(worktree.dir, found.folders, linked);
    unlinkDependencies(linked);
    const { kept, undone } = await keepSetupResults(worktree, options.base, store, untouched.map((folder) => folder.path));
    emit({ type: "setup_end", ok: true, duration_ms: Date.now() - started, log: name, results: kept, ...(undone.length ? { undone } : {}) });
    const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
    return [
      ...found.folders.filter((folder) => !kept.some((path) => overlaps(path, folder.path))),
      ...kept.map((path) => ({ path, root: store })),
    ];
  };

  return {
    found,
    async enter(worktree, task, emit, signal) {
      let state = states.get(worktree.dir);
      if (setupCommands.length > 0) {
        const key = await setupKey(setupCommands, setupInputs, worktree.dir);
        if (state?.setupKey !== key) {
          state = { setupKey: key, folders: await runSetup(worktree, key, emit, signal) };
          states.set(worktree.dir, state);
        } else emit({ type: "setup_reused", log: `setup/${basename(worktree.dir).replace(/^.*-/, "worktree-")}.log` });
      }
      state ??= { folders: found.folders };
      states.set(worktree.dir, state);
      state.linked = linkDependencies(worktree.dir, state.folders);
      if (task.commands.length > 0) {
        const setupNetwork = options.setup?.network;
        const wrapCommand = await wrapperFor(worktree.dir, state.folders, setupNetwork ?? options.network, setupNetwork === undefined ? "sandbox.network" : "setup.network");
        emit({ type: "setup_start", commands: [...task.commands], log: task.logName });
        const started = Date.now();
        try {
          await runSetupCommands({
            commands: task.commands, worktree, env: options.commandEnv, signal, timeoutMs: options.setup?.timeout ?? 600_000,
            logPath: task.logPath, logName: task.logName, redact: options.redact, ...(wrapCommand ? { wrapCommand } : {}),
          });
        } catch (error) {
          emit({ type: "setup_end", ok: false, duration_ms: Date.now() - started, log: task.logName });
          throw error;
        }
        const undone = await undoTrackedChanges(worktree, options.base);
        emit({ type: "setup_end", ok: true, duration_ms: Date.now() - started, log: task.logName, ...(undone.length ? { undone } : {}) });
      }
      const wrapCommand = await wrapperFor(worktree.dir, state.folders, options.network, "sandbox.network");
      return wrapCommand ? { wrapCommand } : {};
    },
    leave(worktree) {
      const state = states.get(worktree.dir);
      if (state?.linked) unlinkDependencies(state.linked);
      if (state) delete state.linked;
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
