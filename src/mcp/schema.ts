/**
 * A server's input schema as providers take it: an object schema without `$schema`, compiled once to check
 * the model's arguments before the call. A schema that is no object schema, or does not compile, is
 * refused: the tool is left out with a warning instead of breaking every request of the task.
 *
 * The check leaves out the schema's regular expressions (`pattern`, `patternProperties`): a server's
 * pattern such as `^(a|a)*$` would hold the event loop for minutes on one argument, past the task's timeout
 * and Ctrl-C. The server checks its own patterns; the providers are still shown the schema as written.
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
    validate = ajv.compile(withoutRegexes(schema) as Record<string, unknown>);
  } catch (error) {
    return { ok: false, why: `its input schema does not compile: ${error instanceof Error ? error.message : String(error)}` };
  }
  return {
    ok: true,
    schema,
    validate: (args) => (validate(args) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "(arguments)"}: ${error.message ?? "invalid"}`)),
  };
}

/** Keywords whose value is a schema, a list of schemas, or a map of names to schemas (JSON Schema 2020-12 and draft 7). */
const ONE_SCHEMA = new Set(["additionalProperties", "items", "additionalItems", "contains", "not", "if", "then", "else", "propertyNames", "unevaluatedProperties", "unevaluatedItems"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems", "items"]);
const SCHEMA_MAPS = new Set(["properties", "$defs", "definitions", "dependentSchemas", "dependencies"]);

/**
 * `schema` without `pattern` and `patternProperties` anywhere a schema is. Where `patternProperties` went,
 * `additionalProperties` goes too: the properties the patterns allowed are no longer refused. Pure.
 */
export function withoutRegexes(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const result: Record<string, unknown> = {};
  const hadPatternProperties = "patternProperties" in schema;
  for (const [key, value] of Object.entries(schema)) {
    if (key === "pattern" || key === "patternProperties") continue;
    if (key === "additionalProperties" && hadPatternProperties) continue;
    if (SCHEMA_LISTS.has(key) && Array.isArray(value)) result[key] = value.map(withoutRegexes);
    else if (ONE_SCHEMA.has(key)) result[key] = withoutRegexes(value);
    else if (SCHEMA_MAPS.has(key) && typeof value === "object" && value !== null && !Array.isArray(value)) {
      result[key] = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, withoutRegexes(inner)]));
    } else result[key] = value;
  }
  return result;
}
