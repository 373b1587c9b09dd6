import { z } from "zod";
import { expectSchema } from "../agent/outcome.ts";
import { durationSchema } from "../shared/duration.ts";
import { checkSchema } from "./check-schema.ts";
import type { Variables } from "./expand.ts";
import { forEachSchema } from "./for-each-schema.ts";
import { describeOutputForms, outputFieldSchema, type TaskOutput } from "./output-schema.ts";

/** An id names the task's folder in the run and its git branch: git's rules for a branch name apply. */
export const TASK_ID_PATTERN = /^(?!\.)(?!.*\.\.)(?!.*\.lock$)(?!.*\.$)[A-Za-z0-9._-]+$/;

const POSITIVE_INTEGER = "expected a positive integer";
const NON_EMPTY_STRING = "expected a non-empty string";
const POSITIVE_NUMBER = "expected a positive number";

const limitsSchema = z
  .strictObject({
    max_turns: z
      .int({ error: POSITIVE_INTEGER })
      .positive({ error: POSITIVE_INTEGER })
      .optional()
      .describe("Most model turns before the task stops with limit_exceeded. Default: the policy's, else 50."),
    max_denials: z
      .int({ error: POSITIVE_INTEGER })
      .positive({ error: POSITIVE_INTEGER })
      .optional()
      .describe("Denied tool calls before the task stops with limit_exceeded. Default: the policy's, else 20."),
    timeout: durationSchema.prefault("30m").describe("Wall-clock limit for the task, e.g. 90s, 10m, 1h30m."),
    max_cost_usd: z
      .number({ error: POSITIVE_NUMBER })
      .positive({ error: POSITIVE_NUMBER })
      .optional()
      .describe("USD the task may spend; checked before each model request."),
    max_tokens: z
      .int({ error: POSITIVE_INTEGER })
      .positive({ error: POSITIVE_INTEGER })
      .optional()
      .describe("Input plus output tokens the task may use; checked before each model request."),
  })
  .transform(({ timeout, ...limits }) => ({ ...limits, timeout_ms: timeout }));

const denyListSchema = z
  .array(z.union([z.string().min(1), z.strictObject({ pattern: z.string().min(1), reason: z.string().optional() })]))
  .default([]);
const denyOnlySchema = z.strictObject({ deny: denyListSchema }).prefault({});

/** Only deny lists: a task file cannot add an allow. */
const taskPolicySchema = z.strictObject({
  files: z.strictObject({ read: denyOnlySchema, write: denyOnlySchema }).prefault({}),
  commands: denyOnlySchema,
  tools: denyOnlySchema,
});

/** One document of a task file, as written by the user. */
export const taskFileSchema = z
  .strictObject({
    id: z
      .string()
      .regex(TASK_ID_PATTERN, { error: 'expected letters, digits, ".", "_" and "-", not starting or ending with ".", without ".." and not ending in ".lock" (the id names a folder and a git branch)' })
      .optional()
      .describe("Unique in a batch. Default: the file name without extension; -2, -3... for later documents."),
    title: z.string().optional().describe("Short human-readable name."),
    prompt: z.string({ error: NON_EMPTY_STRING }).trim().min(1, { error: NON_EMPTY_STRING }).describe("What the agent should do."),
    context: z
      .array(z.string().min(1, { error: NON_EMPTY_STRING }))
      .default([])
      .describe("Files or globs whose contents are given to the model up front."),
    provider: z.string().min(1).optional().describe("A provider name from agents.config.json."),
    model: z.string().min(1).optional().describe("Model id; default: the provider's first model."),
    limits: limitsSchema.prefault({}).describe("Per-task budgets."),
    policy: taskPolicySchema.optional().describe("Deny rules added to the run's policy for this task; a task can narrow the policy, never widen it."),
    labels: z
      .array(z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'expected letters, digits, ".", "_" and "-"' }))
      .default([])
      .describe("Names for choosing tasks (--label) and for grouping them into one pull request."),
    mcp: z
      .array(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected a server name from .mcp.json' }))
      .optional()
      .describe("The MCP servers of .mcp.json this task uses (default: all); [] for none."),
    files: z
      .array(z.string().min(1, { error: NON_EMPTY_STRING }))
      .optional()
      .describe("Globs of the files this task is about. Given changed files (after -- or with --changed REF), only tasks whose files match one of them run."),
    setup: z
      .array(z.string().min(1, { error: NON_EMPTY_STRING }))
      .default([])
      .describe("Commands run in the task's worktree before the model starts, after the policy's setup; every time, not reused."),
    checks: z.array(checkSchema).default([]).describe("Commands that must pass once the agent finishes, run in order in the workspace."),
    retries: z
      .int({ error: "expected a non-negative integer" })
      .nonnegative({ error: "expected a non-negative integer" })
      .default(0)
      .describe("Times the model gets a failing check's output and goes on in the same conversation."),
    expect: expectSchema
      .default("changes")
      .describe("What the task leaves behind: changes (default; an empty patch fails with no_changes), none (review-only; a change fails with unexpected_changes) or any."),
    output: outputFieldSchema.optional(),
    for_each: forEachSchema.optional(),
  })
  .meta({ title: "nanocoder task", description: "One task per YAML document; separate several with ---." });

export type TaskFile = z.output<typeof taskFileSchema>;

/** Where a task was defined, so later errors can point at it. */
export interface TaskSource {
  file: string;
  /** Position among the file's non-empty documents, from 0. */
  index: number;
  /** 1-based line and column where the task's document starts. */
  line: number;
  column: number;
}

/** A task ready to run: defaults applied, id settled, origin recorded. */
export type Task = Omit<TaskFile, "id" | "output" | "for_each"> & {
  id: string;
  /** The values of a task that `for_each` made (`{file: "src/a.ts"}`); absent for a task written out. */
  values?: Variables;
  /** The JSON Schema the final answer must satisfy, loaded and checked (output-schema.ts). */
  output?: TaskOutput;
  source: TaskSource;
  /** The changed files this task was selected for, named in its first message. */
  changedFiles?: string[];
};

/** JSON Schema of a task document, for editor completion and validation. */
export function taskFileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(taskFileSchema, {
    io: "input",
    target: "draft-2020-12",
    // `output` is read through a preprocess, which JSON Schema cannot say: its three forms are written out.
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema === outputFieldSchema) describeOutputForms(jsonSchema);
    },
  });
}
