import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { findConfigFile, loadConfig, resolveProvider, type LoadedConfig } from "../config/load.ts";
import { loadPolicy } from "../policy/load.ts";
import { narrowPolicy } from "../policy/narrow.ts";
import type { Policy } from "../policy/types.ts";
import { collectSecrets } from "../report/redact.ts";
import { taskKeyLocation, taskKeySource } from "../task/load.ts";
import type { Task } from "../task/schema.ts";
import type { TaskSelection } from "../report/types.ts";
import { UserError, UserErrors } from "../shared/errors.ts";
import { commitIndex, findRepoRoot, findRepoRootAndCommit, git, resolveCommit } from "../workspace/git.ts";
import { resolveSandbox, type Sandbox } from "../sandbox/index.ts";
import { setupNetworkWarning } from "./setup.ts";
import { describeMissingInstall, findDependencies, inDependencyFolder, missingInstalls, type FoundDependencies } from "../workspace/dependencies.ts";
import { resolveLimits } from "./limits.ts";
import { loadMcpServers, serverSecrets, type McpServerConfig } from "../mcp/config.ts";
import { changedSinceRun, readRunFolder, removeStaleWorktrees, tasksToResume, type ResumeState } from "./manifest.ts";
import { createRunId } from "./run-id.ts";
import { inShard, type Shard } from "./shard.ts";
import { requirePrices } from "./require-prices.ts";
import type { PlannedTask } from "./task.ts";

export const DEFAULT_RUNS_DIR = join(".nanocoder", "runs");

/** What the user asked for, from flags or Action inputs. Undefined means "not given". */
export interface RunRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  home: string;
  config?: string;
  policy?: string;
  provider?: string;
  model?: string;
  baseUrl?: string;
  out?: string;
  base?: string;
  /** Start from a commit of the staged changes (the index, or GIT_INDEX_FILE in a git hook) instead of HEAD (--staged). */
  staged?: boolean;
  /** USD the whole run may spend. */
  maxCostUsd?: number;
  /** Model turns each task may take, in place of its own limits.max_turns (--max-turns). */
  maxTurns?: number;
  /** Run cost budgets even with models of unknown price, counting their cost as 0. */
  allowUnpriced?: boolean;
  /** Run only the tasks of this shard (`--shard i/n`). */
  shard?: Shard;
  /** Run folder of an earlier run to go on with (--resume). */
  resume?: string;
  /** With resume: run the tasks that failed again too, keeping only the succeeded ones (--retry-failed). */
  retryFailed?: boolean;
  /** Folder to write each task's model exchanges to, one cassette per task (--record). */
  record?: string;
  /** Folder of cassettes to serve the model's side from, without network (--replay). */
  replay?: string;
}

/** Everything checked and resolved that a run needs, before any task starts. */
export interface RunPlan {
  repoRoot: string;
  base: string;
  runId: string;
  outDir: string;
  policy: Policy;
  tasks: PlannedTask[];
  secrets: string[];
  /** True for the default run folder inside the repository, which is kept out of git. */
  ignoreOutput: boolean;
  /** Every task id given, in order; `tasks` holds only the shard's share of them. */
  plannedTasks: string[];
  shard?: Shard;
  /** What chose the tasks among those of their task files: the command knows, the plan carries it to summary.json. */
  selection?: TaskSelection;
  /** The earlier run this one goes on with (--resume). */
  resume?: ResumeState;
  /** The OS sandbox commands run in, as this machine gives it. */
  sandbox: Sandbox;
  /** The repository's installed dependency folders every worktree shows its commands. */
  dependencies: FoundDependencies;
  /** Said once on stderr before the tasks: installs the checks will miss, named paths that cannot be shared. */
  environmentWarnings: string[];
  /** The MCP servers of .mcp.json (the project's, then the config folder's). */
  mcpServers: McpServerConfig[];
}

export interface RunInputs {
  policy: Policy;
  tasks: PlannedTask[];
  config: LoadedConfig | undefined;
}

/** The config, the policy and each task's provider, model and limits: everything but the repository. */
export async function resolveInputs(tasks: Task[], request: RunRequest, repoRoot?: string): Promise<RunInputs> {
  const configPath = findConfigFile({ explicitPath: request.config, cwd: request.cwd, home: request.home, env: request.env });
  const config = configPath ? await loadConfig(configPath, request.env, { cwd: request.cwd }) : undefined;
  const policy = await loadPolicy({ explicitPath: request.policy, cwd: request.cwd, repoRoot });
  const planned = tasks.map((task) => {
    const { provider, model, fixAt } = resolveProvider({
      config,
      task: { ...task, source: taskKeySource(task.source, ["provider"]) },
      flags: { provider: request.provider, model: request.model, baseUrl: request.baseUrl },
      env: request.env,
    });
    const taskPolicy = narrowPolicy(policy, task.policy, task.source.file, (path) => taskKeyLocation(task.source, path));
    return { task, provider, model, fixAt, limits: resolveLimits(task, policy, request.maxTurns), policy: taskPolicy };
  });
  await requirePrices(planned, request);
  return { policy, tasks: planned, config };
}

export async function planRun(tasks: Task[], request: RunRequest): Promise<RunPlan> {
  if (request.staged) requireStagedAlone(request);
  if (request.retryFailed && request.resume === undefined) {
    throw new UserError("--retry-failed reruns the failed tasks of an earlier run: give the run's folder with --resume DIR", "E_USAGE");
  }
  // The base is resolved with the repository's top, in one git process, when it is known now: not from the
  // index (--staged), nor from the earlier run's folder (--resume).
  const baseRef = request.staged || request.resume !== undefined ? undefined : (request.base ?? "HEAD");
  const located = baseRef === undefined ? { root: await findRepoRoot(request.cwd), commit: undefined } : await findRepoRootAndCommit(request.cwd, baseRef);
  const repoRoot = located.root;
  const inputs = await resolveInputs(tasks, request, repoRoot);
  const resume = request.resume === undefined ? undefined : await readResume(request);
  const base = request.staged ? await commitStaged(repoRoot, request.env) : (located.commit ?? (await resolveCommit(repoRoot, resume ? resume.base : (request.base ?? "HEAD"), resume !== undefined || request.base !== undefined)));
  const runId = resume ? resume.runId : createRunId();
  const outDir = resume ? resolve(request.cwd, request.resume ?? "") : request.out ? resolve(request.cwd, request.out) : join(repoRoot, DEFAULT_RUNS_DIR, runId);
  if (!resume && request.out) await requireUsableOut(outDir, request.out, repoRoot);
  if (request.replay !== undefined && !(await isFolder(resolve(request.cwd, request.replay)))) {
    throw new UserError(`--replay ${request.replay}: no such folder of cassettes; give the folder --record wrote`, "E_USAGE");
  }
  const apiKeys = inputs.tasks.map((planned) => planned.provider.apiKey);
  const policy = protectOutput(inputs.policy, repoRoot, outDir);
  const inShardNow = inputs.tasks
    .filter((entry) => inShard(entry.task.id, request.shard))
    .map((entry) => ({ ...entry, policy: protectOutput(entry.policy, repoRoot, outDir) }));
  // A resumed run goes on with the run's own tasks: those the earlier selection left out stay out.
  const resumed = resume ? tasksToResume(resume, inShardNow.map((entry) => entry.task.id), request.resume ?? "") : undefined;
  const planned = resumed ? inShardNow.filter((entry) => resumed.has(entry.task.id)) : inShardNow;
  const leftOut = new Set(inShardNow.filter((entry) => !planned.includes(entry)).map((entry) => entry.task.id));
  if (resume) await removeStaleWorktrees(repoRoot, resume.runId);
  const environment = await environmentOf(repoRoot, inputs.policy, planned.map((entry) => entry.task));
  const mcpServers = await loadMcpServers({ projectRoot: repoRoot, home: request.home, env: request.env, cwd: request.cwd });
  requireKnownServers(planned.map((entry) => entry.task), mcpServers);
  const unseen = resume
    ? [...changedSinceRun(resume, planned.map((entry) => entry.task)), ...otherModelsSinceRun(resume, planned)]
    : request.base !== undefined ? [] : await unseenChanges(repoRoot, request);
  return {
    repoRoot, base, runId, outDir, policy, tasks: planned, secrets: collectSecrets(request.env, [...apiKeys, ...serverSecrets(mcpServers)]), ignoreOutput: !request.out && !resume,
    plannedTasks: tasks.map((task) => task.id).filter((id) => !leftOut.has(id)),
    sandbox: await resolveSandbox(inputs.policy.sandbox, request.env.PATH, { repoRoot, outDir, source: inputs.policy.source }),
    ...environment,
    environmentWarnings: [...unseen, ...writelessWarning(planned), ...environment.environmentWarnings],
    mcpServers,
    ...(request.shard ? { shard: request.shard } : {}),
    ...(resume ? { resume } : {}),
  };
}

/**
 * A warning when the tasks a resumed run runs now get another model than the kept ones ran with (a
 * `--model` or `--provider` given now, a config changed): one report would mix them, unsaid.
 */
export function otherModelsSinceRun(state: ResumeState, planned: readonly Pick<PlannedTask, "task" | "provider" | "model">[]): string[] {
  const kept = new Set([...state.finished.values()].map((result) => `${result.provider}/${result.model}`));
  if (kept.size === 0) return [];
  const now = new Set(planned.filter(({ task }) => !state.finished.has(task.id)).map(({ provider, model }) => `${provider.name}/${model}`));
  const other = [...now].filter((pair) => !kept.has(pair));
  if (other.length === 0) return [];
  return [`warning: --resume runs the tasks left with ${other.join(", ")}, but the kept ones ran with ${[...kept].join(", ")}: one report will hold both; give the run's own --model/--provider to keep them alike`];
}

/** A task's `mcp:` names only servers .mcp.json has. */
export function requireKnownServers(tasks: Task[], servers: McpServerConfig[]): void {
  const known = servers.map((server) => server.name);
  const problems = tasks.flatMap((task) => (task.mcp ?? []).flatMap((name, index) => {
    if (known.includes(name)) return [];
    const has = known.length > 0 ? `.mcp.json has ${known.join(", ")}` : "no .mcp.json names a server";
    return [new UserError(`${taskKeyLocation(task.source, ["mcp", index])}: mcp: no MCP server "${name}" (${has}); fix the name or add the server to .mcp.json`, "E_INVALID")];
  }));
  if (problems.length > 0) throw new UserErrors(problems);
}

/**
 * A warning when tasks that expect changes run under a policy that lets nothing be written: no
 * `files.write.allow` rule and `default: deny`, as a policy file holding only deny rules reads. Every write
 * would be refused, and each such task fail, after its turns were paid for.
 */
export function writelessWarning(planned: readonly Pick<PlannedTask, "task" | "policy">[]): string[] {
  const stuck = planned.filter(({ task, policy }) => task.expect === "changes" && policy.default === "deny" && policy.files.write.allow.length === 0);
  if (stuck.length === 0) return [];
  const sources = [...new Set(stuck.map(({ policy }) => policy.source))].join(", ");
  const ids = stuck.slice(0, 3).map(({ task }) => task.id).join(", ") + (stuck.length > 3 ? ` and ${stuck.length - 3} more` : "");
  return [`warning: the policy (${sources}) lets no file be written (no files.write.allow rule, and default: deny), so ${stuck.length} task(s) that expect changes cannot succeed: ${ids}; add files.write.allow: ["**"] and keep files.write.deny for what to protect, or give review tasks expect: none`];
}

/** The installed dependencies found, and what a user should hear about them before the tasks start. */
export async function environmentOf(repoRoot: string, policy: Policy, tasks: Task[]): Promise<Pick<RunPlan, "dependencies" | "environmentWarnings">> {
  const dependencies = await findDependencies(repoRoot, policy.dependencies ?? { detect: true, paths: [] });
  const warnings = dependencies.skipped.map(({ path, reason, named }) => `warning: ${named ? "dependencies.paths: " : ""}${path} is not shared with tasks: ${reason}`);
  const checked = tasks.filter((task) => task.checks.length > 0);
  if (checked.length > 0 && (policy.setup?.run.length ?? 0) === 0) {
    const which = checked.length === 1 ? `task ${checked[0]?.id ?? ""} has checks` : `${checked.length} tasks have checks`;
    for (const missing of await missingInstalls(repoRoot, dependencies.folders)) {
      const { problem, fix } = describeMissingInstall(missing, policy.source);
      warnings.push(`warning: ${which}, and ${problem}; ${fix}`);
    }
  }
  const setupWithoutNetwork = setupNetworkWarning(policy.setup, policy.sandbox, policy.source);
  if (setupWithoutNetwork) warnings.push(setupWithoutNetwork);
  return { dependencies, environmentWarnings: warnings };
}

/** `--out DIR` must be a folder to write a new run into: not a file, not inside git's own folder, not an earlier run. */
async function requireUsableOut(outDir: string, shown: string, repoRoot: string): Promise<void> {
  const stats = await stat(outDir).catch(() => undefined);
  if (stats && !stats.isDirectory()) throw new UserError(`--out ${shown}: is a file; give a folder for the run's results`, "E_USAGE");
  await requireCreatable(outDir, shown);
  const inGit = relative(join(repoRoot, ".git"), outDir);
  if (inGit === "" || (!inGit.startsWith("..") && !isAbsolute(inGit))) {
    throw new UserError(`--out ${shown}: is inside the repository's .git folder; give a folder elsewhere, e.g. .nanocoder/runs/mine`, "E_USAGE");
  }
  if (await isFile(join(outDir, "manifest.jsonl"))) {
    throw new UserError(`--out ${shown}: holds an earlier run; continue it with --resume ${shown}, or give another folder`, "E_USAGE");
  }
}

/** The nearest existing folder above `path` must be a folder this process can write into. */
async function requireCreatable(path: string, shown: string): Promise<void> {
  let existing = path;
  let stats = await stat(existing).catch(() => undefined);
  while (!stats && dirname(existing) !== existing) {
    existing = dirname(existing);
    stats = await stat(existing).catch(() => undefined);
  }
  if (stats && !stats.isDirectory()) throw new UserError(`--out ${shown}: ${existing} is a file, so no folder can be made under it; give another folder`, "E_USAGE");
  if (!(await access(existing, constants.W_OK).then(() => true, () => false))) {
    throw new UserError(`--out ${shown}: cannot write into ${existing} (permission denied); give a folder you can write to`, "E_USAGE");
  }
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** `--resume DIR`: the earlier run's id, base commit and finished tasks. It keeps its folder and base. */
async function readResume(request: RunRequest): Promise<ResumeState> {
  const shown = request.resume ?? "";
  if (request.out !== undefined || request.base !== undefined) {
    throw new UserError(`--resume ${shown}: leave out --out and --base; a resumed run keeps its folder and base commit`, "E_USAGE");
  }
  return readRunFolder(resolve(request.cwd, shown), shown, { retryFailed: request.retryFailed === true });
}

/** --staged chooses the base commit itself: with --base or --resume one of the two would be ignored. */
function requireStagedAlone(request: RunRequest): void {
  const other = request.base !== undefined ? "--base" : request.resume !== undefined ? "--resume" : undefined;
  if (other) throw new UserError(`--staged starts the tasks from the staged changes, so it cannot be combined with ${other}; drop one of them`, "E_USAGE");
}

/**
 * The commit the tasks start from with --staged: the index as a commit on top of HEAD. In a git hook,
 * GIT_INDEX_FILE names the index being committed (a temporary one for `git commit -a` or `git commit <path>`),
 * relative to the top of the repository, where git runs hooks.
 */
async function commitStaged(repoRoot: string, env: NodeJS.ProcessEnv): Promise<string> {
  const indexFile = env.GIT_INDEX_FILE ? resolve(repoRoot, env.GIT_INDEX_FILE) : undefined;
  try {
    return await commitIndex(repoRoot, indexFile);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`--staged: the staged changes cannot be made into a commit (resolve any merge conflict and stage the result): ${reason}`, "E_STAGED");
  }
}

/**
 * A warning when the working tree holds changes the tasks will not see: they start from HEAD, or with
 * --staged from the index (in a git hook, the one being committed), never from the working tree.
 */
async function unseenChanges(repoRoot: string, request: RunRequest): Promise<string[]> {
  const indexFile: Record<string, string> = request.staged && request.env.GIT_INDEX_FILE ? { GIT_INDEX_FILE: resolve(repoRoot, request.env.GIT_INDEX_FILE) } : {};
  const status = await git(["status", "--porcelain=v1", "-z", "--untracked-files=all"], repoRoot, indexFile).catch(() => "");
  // An installed dependency folder git does not ignore is no change to commit: the dependencies' own
  // warning says what to do with it.
  const entries = status.split("\0").filter((entry) => /^..\s/.test(entry) && !inDependencyFolder(entry.slice(3)));
  // With --staged, only what is not staged is unseen: the second column, or an untracked file.
  const unseen = request.staged ? entries.filter((entry) => entry[1] !== " ") : entries;
  if (unseen.length === 0) return [];
  const paths = unseen.map((entry) => entry.slice(3));
  const shown = `${paths.slice(0, 3).join(", ")}${paths.length > 3 ? `, and ${paths.length - 3} more` : ""}`;
  const allStaged = unseen.every((entry) => entry[1] === " ");
  return [
    request.staged
      ? `warning: ${paths.length} file(s) have changes that are not staged, which the tasks will not see (they start from the staged files): ${shown}; stage them (git add) to include them`
      : `warning: ${paths.length} file(s) have uncommitted changes, which the tasks will not see (they start from HEAD): ${shown}; commit them, or ${allStaged ? "" : "stage them and "}pass --staged`,
  ];
}

/** A run folder inside the repository is never writable by tasks, whatever the policy allows. */
function protectOutput(policy: Policy, repoRoot: string, outDir: string): Policy {
  const inside = relative(repoRoot, outDir);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return policy;
  return { ...policy, protect: [...policy.protect, inside, `${inside}/**`] };
}

/** Where planRun put the run folder of `summary`: `out` (--out, relative to `cwd`), else under the repository's runs folder. */
export function runFolder(summary: { run_id: string }, out: string | undefined, repoRoot: string, cwd = process.cwd()): string {
  return out ? resolve(cwd, out) : join(repoRoot, DEFAULT_RUNS_DIR, summary.run_id);
}

export function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
