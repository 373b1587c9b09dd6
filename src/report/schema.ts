import { z } from "zod";
import packageJson from "../../package.json" with { type: "json" };
import { expectSchema, stopReasonSchema, taskStatusSchema } from "../agent/outcome.ts";
import { lineSchema, namesSchema } from "../shared/json-lines.ts";

/**
 * The shapes of the run folder's JSON files: the single source of their types, of the JSON Schemas the
 * package ships in schemas/ (scripts/schemas.ts), and of the checks made when a file is read back.
 */

/**
 * Where the JSON Schema of an output is published: the file the package of this version ships, as a CDN
 * serving npm packages has it. Versioned, so a run folder names exactly the shape it was written in.
 */
export function schemaUrl(name: SchemaName): string {
  return `https://unpkg.com/${packageJson.name}@${packageJson.version}/schemas/${name}.json`;
}

export const tokenCountsSchema = z.object({
  input: z.number().int(),
  output: z.number().int(),
  /** Input tokens the server served from its prompt cache, part of `input`. */
  cached: z.number().int(),
  estimated: z.boolean().describe("True when any count had to be estimated because the server sent no usage."),
});
export type TokenCounts = z.output<typeof tokenCountsSchema>;

export const deniedCallSchema = z.object({
  tool: z.string(),
  subject: z.string().describe('What the call would have done, e.g. "run git push origin main".'),
  rule: z.string(),
  reason: z.string(),
});
export type DeniedCall = z.output<typeof deniedCallSchema>;

export const checkOutcomeSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  exit_code: z.number().int().nullable().describe("null when the check timed out or could not start."),
  timed_out: z.boolean(),
  duration_ms: z.number(),
  log: z.string().describe("The run's whole output, secrets hidden, relative to the run folder."),
  output_tail: z.string().optional().describe("Of a failed run: the last lines of its output (at most 20), secrets hidden, escape sequences taken out."),
});
/** One run of one check. */
export type CheckOutcome = z.output<typeof checkOutcomeSchema>;

/** How a run's commands ran, for summary.json, result.json and report.md. */
export const sandboxStatusSchema = z.object({
  mode: z.enum(["auto", "bwrap", "none"]),
  active: z.boolean().describe("Whether commands ran inside the sandbox."),
  network: z.union([z.boolean(), z.array(z.string())]).describe("What of the network commands could reach: the setting when active (a list: those hosts only), always true when not."),
  required: z.boolean().describe("The policy's `sandbox.required`."),
  writable: z.array(z.string()).describe("The policy's `sandbox.writable`, as written there."),
  reason: z.string().optional().describe("Why commands ran without a sandbox."),
});
export type SandboxStatus = z.output<typeof sandboxStatusSchema>;

/** One task's entry in summary.json, also written alone as tasks/<id>/result.json. */
export const taskResultSchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  task_file: z.string().optional().describe("The task file the task came from, as named when the run started; pull requests can be grouped by it (`--open-pr combined:file`)."),
  labels: z.array(z.string()).optional().describe("The task's `labels`, when it has any; pull requests can be grouped by the first (`--open-pr combined:label`)."),
  status: taskStatusSchema,
  stop_reason: stopReasonSchema.describe("Why the task stopped; each stop reason belongs to one status."),
  expect: expectSchema.describe("What the task file said it should leave behind (`expect`)."),
  provider: z.string(),
  model: z.string(),
  turns: z.number().int(),
  requests: z.number().int().describe("Model requests made, each priced in `cost_usd`: the turns and any made to fit the context window."),
  tokens: tokenCountsSchema,
  cost_usd: z.number().nullable().describe("USD; null while no price is known for the model."),
  duration_ms: z.number(),
  denials: z.number().int(),
  denied_calls: z.array(deniedCallSchema).describe("The calls the policy refused (the first 50), so a maintainer can widen the policy on purpose."),
  attempts: z.number().int().describe("Times the agent ran: 1, plus one per retry after a failed check; 0 when the task never started."),
  checks: z.array(checkOutcomeSchema).describe("The last attempt's checks, in order, up to the first that failed; empty when none ran."),
  earlier_checks: z.array(checkOutcomeSchema.extend({ attempt: z.number().int() })).optional()
    .describe("The checks of the attempts before the last, each with its attempt number; only after a retry."),
  files_changed: z.array(z.string()),
  patch: z.string().describe("Path of the patch, relative to the run folder."),
  patch_has_secret: z.literal(true).optional()
    .describe("Present when the model wrote a secret's value into a file: the patch holds `[REDACTED]` in its place and is never pushed."),
  nested_repositories: z.array(z.string()).optional()
    .describe("Folders the task left holding a git repository of their own (a `git init`, a clone): no patch can carry them, so their files are in none."),
  output: z.unknown().optional()
    .describe("The structured final answer (the task's `output:` schema), when its JSON is at most 8 KiB; always in `output_file`."),
  output_file: z.string().optional()
    .describe("Path of output.json, relative to the run folder: the answer of a task with an output schema that succeeded."),
  final_message: z.string().optional(),
  error: z.string().optional(),
  violations: z.array(z.object({ path: z.string(), rule: z.string(), reason: z.string(), by: z.string() })).optional()
    .describe("Writes of commands the policy refuses, found after each command and undone; the task then is not `succeeded`."),
  sandbox: sandboxStatusSchema.optional().describe("Whether the task's commands ran in the OS sandbox, and how."),
});
export type TaskResult = z.output<typeof taskResultSchema>;

export const runTotalsSchema = z.object({
  tasks: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  limit_exceeded: z.number().int(),
  error: z.number().int(),
  interrupted: z.number().int(),
  stop_reasons: z.record(stopReasonSchema, z.number().int()).describe("Tasks by stop reason, every reason listed."),
  turns: z.number().int(),
  tokens: tokenCountsSchema,
  cost_usd: z.number().nullable(),
  denials: z.number().int(),
});
export type RunTotals = z.output<typeof runTotalsSchema>;

/** A provider the run stopped using: it failed in several tasks in a row (run/breaker.ts). */
export const providerDownSchema = z.object({
  provider: z.string(),
  base_url: z.string(),
  reason: z.string().describe("The failures in a row that stopped it, and the last one's message."),
  not_started: z.number().int().describe("The tasks using it that did not start because of it, left for --resume."),
});
export type ProviderDown = z.output<typeof providerDownSchema>;

/** What chose a run's tasks among those of its task files. */
export const taskSelectionSchema = z.object({
  by: z.array(z.string()).describe("The options that chose, as given: `--limit 3`, `--only jsdoc.*`, `--label legal`, `--changed main`."),
  labels: z.array(z.string()).describe("`--label`'s labels: `--open-pr combined:label` puts a task in the pull request of the first of its labels among them."),
  left: z.array(z.object({ id: z.string(), task_file: z.string().optional(), labels: z.array(z.string()).optional() }))
    .describe("The task files' tasks not chosen, with what groups them: a grouped pull request (`--open-pr combined:file`) some of whose tasks are here is not opened or updated."),
});
export type TaskSelection = z.output<typeof taskSelectionSchema>;

export const runSummarySchema = z.object({
  run_id: z.string(),
  started_at: z.iso.datetime(),
  ended_at: z.iso.datetime(),
  duration_ms: z.number(),
  base: z.string().describe("The commit every task started from."),
  policy: z.string(),
  tasks: z.array(taskResultSchema),
  totals: runTotalsSchema,
  planned_tasks: z.array(z.string()).optional().describe("Every task id the run was given, in order, before `--shard` picked its share."),
  shard: z.object({ index: z.number().int(), count: z.number().int() }).optional().describe("The share of the planned tasks this run ran (`--shard i/n`)."),
  selection: taskSelectionSchema.optional().describe("Present when `--label`, `--only`, `--limit` or changed files chose part of the task files' tasks."),
  sandbox: sandboxStatusSchema.optional().describe("Whether the run's commands ran in the OS sandbox, and how."),
  providers_down: z.array(providerDownSchema).optional()
    .describe("Providers that failed in task after task, so that the tasks using them did not start (exit 3); absent when none did."),
  environment: z.object({ dependencies: z.array(z.string()), setup: z.array(z.string()) }).optional()
    .describe("What commands saw besides the worktree: the repository's installed dependency folders, read-only, and the setup commands."),
  missing_tasks: z.array(z.string()).optional().describe("Of a merged run (`report merge`): planned by some shard, but in no run folder."),
  merged_from: z.array(z.string()).optional().describe("Of a merged run (`report merge`): the run ids of the merged folders."),
  run_dir: z.string().optional().describe("Only in what `--json` prints: the run folder's absolute path; summary.json itself has none."),
  apply: z.object({ applied: z.array(z.string()), error: z.string().optional() }).optional()
    .describe("Only in what `--json` prints with `--apply`: the tasks whose patches were applied, or, when they could not be, none and why."),
  report_html: z.string().optional().describe("The run's HTML report, relative to the run folder: report.html."),
});
export type RunSummary = z.output<typeof runSummarySchema>;

/** Token use and USD of some model requests; `cost_usd` is null when any of them has no known price. */
export const costLineSchema = z.object({
  requests: z.number().int(),
  input_tokens: z.number().int(),
  cached_input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  tokens_estimated: z.boolean().describe("True when some counts were made locally because the server sent none."),
  cost_usd: z.number().nullable(),
});
export type CostLine = z.output<typeof costLineSchema>;
export const taskCostSchema = costLineSchema.extend({ task: z.string(), provider: z.string(), model: z.string() });
export type TaskCost = z.output<typeof taskCostSchema>;
export const modelCostSchema = costLineSchema.extend({ provider: z.string(), model: z.string(), tasks: z.number().int() });
export type ModelCost = z.output<typeof modelCostSchema>;

/** cost.json: one line per task and model, one per model, and the totals. Totals are exact sums of the lines. */
export const costReportSchema = z.object({
  run_id: z.string(),
  tasks: z.array(taskCostSchema),
  models: z.array(modelCostSchema),
  totals: costLineSchema.extend({ priced_cost_usd: z.number() }),
  unpriced_models: z.array(z.string()).describe("`provider/model` of every model with requests of unknown price."),
});
export type CostReport = z.output<typeof costReportSchema>;

/** One line of manifest.jsonl, without the `ts` its writer adds. */
export const manifestEntrySchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run_start"), run_id: z.string(), base: z.string(), tasks: z.array(z.string()),
    digests: z.record(z.string(), z.string()).optional()
      .describe("Each task's definition as given (prompt, checks, limits…), hashed: --resume names the kept tasks whose definition has changed since."),
  }),
  z.object({ type: z.literal("run_resume"), run_id: z.string(), rerun: z.array(z.string()) }),
  z.object({ type: z.literal("task_start"), id: z.string() }),
  z.object({ type: z.literal("task_end"), id: z.string(), status: taskStatusSchema }),
  z.object({ type: z.literal("run_end"), interrupted: z.boolean() }),
]);
export type ManifestEntry = z.output<typeof manifestEntrySchema>;

/**
 * The JSON files as written, each under the name of its JSON Schema in schemas/ (the JSON Lines files
 * are described line by line, their first line naming the schema; the events' are in agent/events.ts).
 */
export const fileSchemas = {
  summary: runSummarySchema.extend(namesSchema),
  result: taskResultSchema.extend(namesSchema),
  cost: costReportSchema.extend(namesSchema),
  "manifest-line": z.intersection(lineSchema, manifestEntrySchema),
} as const;
export type SchemaName = keyof typeof fileSchemas | "event-line" | "stream-line";

/** What a zod error says, on one line, each problem with its path: for the user's messages. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`).join("; ");
}
