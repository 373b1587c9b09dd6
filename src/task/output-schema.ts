/**
 * A task's `output:`: the JSON Schema its final answer must satisfy, written inline or as a JSON file
 * beside the task file. The schema is checked when the task loads, so a mistake in it is reported at its
 * line before anything runs.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { compileSchema, type JsonSchema, type SchemaProblem } from "../shared/json-schema.ts";
import { UserError, UserErrors } from "../shared/errors.ts";
import { decodeUtf8, readUserFile } from "../shared/user-file.ts";
import { parseJsonDocument, positionOf, type YamlSource } from "../shared/yaml-source.ts";

/** Invalid answers that go back to the model before the task ends `output_invalid`, unless the task says. */
export const DEFAULT_MAX_CORRECTIONS = 2;
const MAX_CORRECTIONS_LIMIT = 10;

const schemaValueSchema = z.union([
  z.string().trim().min(1, { error: "expected the path of a .json schema file, or a schema" }),
  z.record(z.string(), z.unknown()),
  z.boolean(),
], { error: "expected the path of a .json schema file, or a JSON Schema object" });

const longFormSchema = z.strictObject({
  schema: schemaValueSchema.describe("The JSON Schema, inline, or the path of a .json file relative to the task file."),
  max_corrections: z
    .int({ error: `expected an integer from 0 to ${MAX_CORRECTIONS_LIMIT}` })
    .min(0, { error: `expected an integer from 0 to ${MAX_CORRECTIONS_LIMIT}` })
    .max(MAX_CORRECTIONS_LIMIT, { error: `expected an integer from 0 to ${MAX_CORRECTIONS_LIMIT}` })
    .default(DEFAULT_MAX_CORRECTIONS)
    .describe(`Invalid answers sent back to the model with the errors before the task fails with output_invalid. Default ${DEFAULT_MAX_CORRECTIONS}.`),
});

/**
 * `output: schema.json`, `output: {type: object, ...}` or `output: {schema: ..., max_corrections: 1}`:
 * an object with a `schema` key is the long form (`schema` is no JSON Schema keyword), any other is the schema.
 */
export const outputFieldSchema = z.preprocess(
  (value) => (isLongForm(value) ? value : { schema: value }),
  longFormSchema,
).describe("JSON Schema the task's final answer must satisfy: a path to a .json file (relative to the task file), a schema, or {schema, max_corrections}.");

export type OutputField = z.output<typeof longFormSchema>;

/** Rewrites the generated JSON Schema of `output` (the long form) in place into its three forms, for editors. */
export function describeOutputForms(generated: Record<string, unknown>): void {
  const { description, ...longForm } = generated;
  for (const key of Object.keys(generated)) delete generated[key];
  Object.assign(generated, {
    description,
    anyOf: [
      { type: "string", minLength: 1, description: "The path of a .json JSON Schema file, relative to the task file." },
      { ...longForm, description: "The schema and how many invalid answers go back to the model." },
      { type: ["object", "boolean"], description: "The JSON Schema itself (an object without a `schema` key)." },
    ],
  });
}

/** A task's output schema, loaded and checked. */
export interface TaskOutput {
  schema: JsonSchema;
  /** The schema file as the user named it (relative to the working folder); absent for an inline schema. */
  file?: string;
  max_corrections: number;
}

function isLongForm(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "schema" in value;
}

/**
 * The task's output schema: read from its file (relative to the task file's folder) or taken inline, and
 * checked. Problems come as UserErrors at the schema's own lines, in the schema file or the task file.
 */
export async function resolveTaskOutput(field: OutputField, task: YamlSource, taskFile: { absolute: string; display: string }): Promise<TaskOutput> {
  const { schema, max_corrections } = field;
  const at = isLongForm(valueAt(task.data, ["output"])) ? ["output", "schema"] : ["output"];
  if (typeof schema === "string") {
    const absolute = path.resolve(path.dirname(taskFile.absolute), schema);
    const display = path.join(path.dirname(taskFile.display), schema);
    // Named at the task's line: with a for_each, the file name may be one filled in for a single value.
    if (!(await stat(absolute).catch(() => undefined))) {
      const { line, col } = positionOf(task, at, "value");
      throw new UserError(`${task.file}:${line}:${col}: ${at.join(".")}: ${display}: file not found; output names a JSON Schema file relative to the task file`, "E_TASK_INVALID");
    }
    return { ...(await loadSchemaFile(absolute, display)), max_corrections };
  }
  const problems = schemaProblems(schema);
  if (problems.length > 0) throw new UserErrors(problems.map((problem) => problemError(task, at, problem)));
  return { schema, max_corrections };
}

/** `run --output-schema FILE`: the file named relative to the working folder. */
export async function loadOutputSchemaFile(file: string, cwd: string): Promise<TaskOutput> {
  return { ...(await loadSchemaFile(path.resolve(cwd, file), file)), max_corrections: DEFAULT_MAX_CORRECTIONS };
}

async function loadSchemaFile(absolute: string, display: string): Promise<{ schema: JsonSchema; file: string }> {
  const notFound = "file not found; output names a JSON Schema file relative to the task file";
  const text = decodeUtf8(await readUserFile(absolute, display, "E_TASK_INVALID", notFound), display, "E_TASK_INVALID");
  const source = parseJsonDocument(text, display);
  const schema = source.data;
  if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null || Array.isArray(schema))) {
    throw new UserError(`${display}:1:1: a JSON Schema is an object (or true / false); write e.g. {"type": "object", "properties": {...}}`, "E_TASK_INVALID");
  }
  const problems = schemaProblems(schema as JsonSchema);
  if (problems.length > 0) throw new UserErrors(problems.map((problem) => problemError(source, [], problem)));
  return { schema: schema as JsonSchema, file: display };
}

function schemaProblems(schema: JsonSchema): SchemaProblem[] {
  const result = compileSchema(schema);
  return result.ok ? [] : result.problems;
}

function problemError(source: YamlSource, at: readonly (string | number)[], problem: SchemaProblem): UserError {
  const segments = pointerSegments(problem.pointer);
  const { line, col } = positionOf(source, [...at, ...segments], "key");
  const where = problem.pointer === "" ? "" : ` at ${problem.pointer}`;
  return new UserError(`${source.file}:${line}:${col}: invalid JSON Schema${where}: ${problem.message}`, "E_TASK_INVALID");
}

/** "/properties/items/0" → ["properties", "items", 0] (JSON pointer escapes undone). */
function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((segment) => {
    const text = segment.replaceAll("~1", "/").replaceAll("~0", "~");
    return /^\d+$/.test(text) ? Number(text) : text;
  });
}

function valueAt(data: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), data);
}
