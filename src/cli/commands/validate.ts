import { defineCommand } from "citty";
import { join } from "node:path";
import { DEFAULT_RUNS_DIR, environmentOf, requireKnownServers, resolveInputs } from "../../run/plan.ts";
import { loadMcpServers } from "../../mcp/config.ts";
import { homedir } from "node:os";
import { requireSafeWritable } from "../../sandbox/index.ts";
import { plural } from "../../report/format.ts";
import { loadTasks } from "../../task/load.ts";
import { UserError, UserErrors } from "../../shared/errors.ts";
import type { Outcome } from "../../shared/outcome.ts";
import { checkContext } from "../../run/context-check.ts";
import { findRepoRoot } from "../../workspace/git.ts";
import { rejectUnknownFlags, runArgs, toRunRequest } from "../args.ts";

const validateArgs = {
  config: runArgs.config,
  policy: runArgs.policy,
  provider: runArgs.provider,
  model: runArgs.model,
  "base-url": runArgs["base-url"],
  "max-turns": runArgs["max-turns"],
  "max-cost-usd": runArgs["max-cost-usd"],
  "allow-unpriced": runArgs["allow-unpriced"],
};

export default defineCommand({
  meta: { name: "validate", description: "Check task files, the policy and the config without calling a model" },
  args: {
    tasks: { type: "positional", description: "Task files or globs", required: false },
    ...validateArgs,
  },
  async run({ args, rawArgs }): Promise<Outcome> {
    rejectUnknownFlags(rawArgs, validateArgs);
    if (args._.length === 0) throw new UserError("validate: give one or more task files or globs, e.g. nanocoder validate tasks/*.yaml", "E_USAGE");
    const tasks = await loadTasks(args._, process.cwd());
    const repoRoot = await findRepoRoot(process.cwd()).catch(() => undefined);
    const inputs = await resolveInputs(tasks, toRunRequest(args), repoRoot);
    if (repoRoot) {
      requireSafeWritable(inputs.policy.sandbox?.writable ?? [], { repoRoot, outDir: join(repoRoot, DEFAULT_RUNS_DIR), source: inputs.policy.source });
      // .mcp.json as a run reads it: its errors, and tasks naming servers it lacks.
      requireKnownServers(tasks, await loadMcpServers({ projectRoot: repoRoot, home: homedir(), env: process.env, cwd: process.cwd() }));
      const context = await checkContext(inputs.tasks, repoRoot);
      if (context.errors.length > 0) throw new UserErrors(context.errors);
      for (const warning of context.warnings) process.stderr.write(`warning: ${warning}\n`);
      const { environmentWarnings } = await environmentOf(repoRoot, inputs.policy, inputs.tasks.map(({ task }) => task));
      for (const warning of environmentWarnings) process.stderr.write(`${warning}\n`);
    }
    for (const { task, provider, model, limits } of inputs.tasks) {
      process.stdout.write(`ok ${task.id} (${provider.name}/${model}, ${plural(limits.max_turns, "turn")}, ${limits.timeout_ms / 1000}s)\n`);
    }
    for (const warning of inputs.policy.warnings ?? []) process.stderr.write(`${warning}\n`);
    process.stdout.write(`${inputs.tasks.length} task(s) valid; policy ${inputs.policy.source}\n`);
    return "succeeded";
  },
});
