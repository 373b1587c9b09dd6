import { isAbsolute, join, relative, resolve } from "node:path";
import { findConfigFile, loadConfig, resolveProvider, type LoadedConfig } from "../config/load.ts";
import { loadPolicy } from "../policy/load.ts";
import { narrowPolicy } from "../policy/narrow.ts";
import type { Policy } from "../policy/types.ts";
import { collectSecrets } from "../report/redact.ts";
import type { Task } from "../task/schema.ts";
import { findRepoRoot, resolveCommit } from "../workspace/git.ts";
import { resolveLimits } from "./limits.ts";
import { createRunId } from "./run-id.ts";
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
  /** USD the whole run may spend. */
  maxCostUsd?: number;
  /** Run cost budgets even with models of unknown price, counting their cost as 0. */
  allowUnpriced?: boolean;
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
    const { provider, model } = resolveProvider({
      config,
      task,
      flags: { provider: request.provider, model: request.model, baseUrl: request.baseUrl },
      env: request.env,
    });
    const taskPolicy = narrowPolicy(policy, task.policy, `${task.source.file}:${task.source.line}`);
    return { task, provider, model, limits: resolveLimits(task, policy), policy: taskPolicy };
  });
  requirePrices(planned, request);
  return { policy, tasks: planned, config };
}

export async function planRun(tasks: Task[], request: RunRequest): Promise<RunPlan> {
  const repoRoot = await findRepoRoot(request.cwd);
  const inputs = await resolveInputs(tasks, request, repoRoot);
  const base = await resolveCommit(repoRoot, request.base ?? "HEAD");
  const runId = createRunId();
  const outDir = request.out ? resolve(request.cwd, request.out) : join(repoRoot, DEFAULT_RUNS_DIR, runId);
  const apiKeys = inputs.tasks.map((planned) => planned.provider.apiKey);
  const policy = protectOutput(inputs.policy, repoRoot, outDir);
  const planned = inputs.tasks.map((entry) => ({ ...entry, policy: protectOutput(entry.policy, repoRoot, outDir) }));
  return { repoRoot, base, runId, outDir, policy, tasks: planned, secrets: collectSecrets(request.env, apiKeys), ignoreOutput: !request.out };
}

/** A run folder inside the repository is never writable by tasks, whatever the policy allows. */
function protectOutput(policy: Policy, repoRoot: string, outDir: string): Policy {
  const inside = relative(repoRoot, outDir);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return policy;
  return { ...policy, protect: [...policy.protect, inside, `${inside}/**`] };
}

export function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
