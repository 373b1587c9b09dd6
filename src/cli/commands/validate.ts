import { defineCommand } from "citty";
import { join } from "node:path";
import { DEFAULT_RUNS_DIR, environmentOf, requireKnownServers, resolveInputs, writelessWarning } from "../../run/plan.ts";
import { loadMcpServers } from "../../mcp/config.ts";
import { homedir } from "node:os";
import { requireSafeWritable } from "../../sandbox/index.ts";
import { plural } from "../../report/format.ts";
import { loadTasks } from "../../task/load.ts";
import type { Task } from "../../task/schema.ts";
import { describeCombination } from "../../task/expand.ts";
import { repositoryFiles } from "../../task/tree.ts";
import { chooseTasks, parseLimit, selectByChanges, someTasks } from "../../run/select.ts";
import { inShard, parseShard } from "../../run/shard.ts";
import { UserError, UserErrors } from "../../shared/errors.ts";
import type { Outcome } from "../../shared/outcome.ts";
import { checkContext } from "../../run/context-check.ts";
import { findRepoRoot } from "../../workspace/git.ts";
import { batchOnlyArgs, rejectUnknownFlags, repeatedValues, runArgs, selectionArgs, splitFileNames, toRunRequest } from "../args.ts";

const validateArgs = {
  config: runArgs.config,
  policy: runArgs.policy,
  provider: runArgs.provider,
  model: runArgs.model,
  "base-url": runArgs["base-url"],
  "max-turns": runArgs["max-turns"],
  "max-cost-usd": runArgs["max-cost-usd"],
  "allow-unpriced": runArgs["allow-unpriced"],
  base: { type: "string", description: "Commit whose files for_each globs match (default HEAD)", valueHint: "REF" },
  staged: { type: "boolean", description: "As batch --staged chooses: for_each globs match the staged files, and a -- with no names after it stands for the staged files (what a pre-commit hook would run)" },
  ...selectionArgs,
  shard: batchOnlyArgs.shard,
  changed: { type: "string", description: "Only the tasks whose files match a file changed since REF, as batch --changed chooses them (file names after -- work the same way)", valueHint: "REF" },
  list: { type: "boolean", description: "Print the tasks the files expand to (id and values), one a line, without checking providers or the policy" },
  json: { type: "boolean", description: "With --list (implied): the tasks as JSON" },
} as const;

export default defineCommand({
  meta: { name: "validate", description: "Check task files, the policy and the config without calling a model" },
  args: {
    tasks: { type: "positional", description: "Task files or globs", required: false },
    ...validateArgs,
  },
  async run({ args, rawArgs }): Promise<Outcome> {
    rejectUnknownFlags(rawArgs, validateArgs);
    const { patterns, files } = splitFileNames(args._, rawArgs);
    if (patterns.length === 0) throw new UserError("validate: give one or more task files or globs, e.g. nanocoder validate tasks/*.yaml (file names after `--` are changed files)", "E_USAGE");
    if (args.staged && args.base !== undefined) throw new UserError("--staged expands the tasks from the staged files, so it cannot be combined with --base; drop one of them", "E_USAGE");
    const limit = parseLimit(args.limit);
    // The files for_each globs match, as batch reads them: the index with --staged (GIT_INDEX_FILE in a hook).
    const expandFrom = args.staged ? repositoryFiles(process.cwd(), undefined, process.env) : repositoryFiles(process.cwd(), args.base ?? "HEAD");
    // Files that expand to no task are refused as batch refuses them: validate says what batch would do.
    const loaded = someTasks(await loadTasks(patterns, process.cwd(), { files: expandFrom }), patterns);
    const chosen = chooseTasks(loaded, { labels: repeatedValues(rawArgs, "label"), only: repeatedValues(rawArgs, "only") });
    // The same choice as batch makes: changed files, then --limit, then --shard, so a selection can be previewed.
    const changed = await selectByChanges(chosen, { files, changedRef: args.changed, staged: args.staged === true });
    const shard = parseShard(args.shard);
    const tasks = (limit === undefined ? changed : changed.slice(0, limit)).filter((task) => inShard(task.id, shard));
    if (args.list || args.json) {
      printList(tasks, args.json === true);
      return "succeeded";
    }
    const repoRoot = await findRepoRoot(process.cwd()).catch(() => undefined);
    const inputs = await resolveInputs(tasks, toRunRequest(args), repoRoot);
    for (const warning of writelessWarning(inputs.tasks)) process.stderr.write(`${warning}\n`);
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
    // One write: a for_each can make thousands of lines.
    const lines = inputs.tasks.map(({ task, provider, model, limits }) => `ok ${task.id} (${provider.name}/${model}, ${plural(limits.max_turns, "turn")}, ${limits.timeout_ms / 1000}s)\n`);
    process.stdout.write(lines.join(""));
    for (const warning of inputs.policy.warnings ?? []) process.stderr.write(`${warning}\n`);
    process.stdout.write(`${inputs.tasks.length} task(s) valid; policy ${inputs.policy.source}\n`);
    return "succeeded";
  },
});

/** `validate --list`: each task's id and values, aligned; `--json`: the tasks as JSON, for scripts. */
function printList(tasks: readonly Task[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ tasks: tasks.map(listedTask) }, null, 2)}\n`);
    return;
  }
  const width = Math.min(60, Math.max(0, ...tasks.map((task) => task.id.length)));
  const lines = tasks.map((task) => {
    const values = task.values ? describeCombination(task.values) : "";
    return values === "" ? task.id : `${task.id.padEnd(width)}  ${values}`;
  });
  process.stdout.write(lines.length > 0 ? `${lines.join("\n")}\n` : "");
  process.stderr.write(`${plural(tasks.length, "task")}\n`);
}

/** One task of `validate --list --json`: what the expansion filled in, as it will run. */
export function listedTask(task: Task) {
  return {
    id: task.id,
    source: `${task.source.file}:${task.source.line}:${task.source.column}`,
    ...(task.title === undefined ? {} : { title: task.title }),
    labels: task.labels,
    values: task.values ?? {},
    ...(task.provider === undefined ? {} : { provider: task.provider }),
    ...(task.model === undefined ? {} : { model: task.model }),
    ...(task.files ? { files: task.files } : {}),
    prompt: task.prompt,
    context: task.context,
    checks: task.checks.map(({ name, run }) => ({ name, run })),
    ...(task.output ? { output: task.output.schema } : {}),
  };
}
