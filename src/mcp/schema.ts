/**
 * A server's input schema as providers take it: an object schema without `$schema`, compiled once to check
 * the model's arguments before the call. A schema that is no object schema, or does not compile, is
 * refused: the tool is left out with a warning instead of breaking every request of the task.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";

// Servers write schemas for many validators: unknown keywords are allowed here, unlike in the task's own schemas.
const OPTIONS = { allErrors: true, strict: false, logger: false } as const;
const draft07 = new Ajv(OPTIONS);
const draft2020 = new Ajv2020(OPTIONS);

export type ToolSchemaResult =
  | { ok: true; schema: Record<string, unknown>; validate: (args: unknown) => string[] }
  | { ok: false; why: string };

export function toolInputSchema(raw: unknown): ToolSchemaResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ok: false, why: "its input schema is not a JSON object" };
  // No $id: ajv keeps compiled schemas by id, and the same server starts again for the next task.
  const { $schema: draft, $id: _id, ...rest } = raw as Record<string, unknown>;
  if (rest.type !== undefined && rest.type !== "object") return { ok: false, why: `its input schema has type ${JSON.stringify(rest.type)}; tools take an object` };
  // Providers refuse an object schema without `properties` (OpenAI) or without `type` (several).
  const schema: Record<string, unknown> = { ...rest, type: "object", properties: rest.properties ?? {} };
  const ajv = typeof draft === "string" && /draft-0[4-7]/.test(draft) ? draft07 : draft2020;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    return { ok: false, why: `its input schema does not compile: ${error instanceof Error ? error.message : String(error)}` };
  }
  return {
    ok: true,
    schema,
    validate: (args) => (validate(args) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "(arguments)"}: ${error.message ?? "invalid"}`)),
  };
}
