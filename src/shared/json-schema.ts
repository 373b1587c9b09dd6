/**
 * JSON Schema checks with ajv: a user's schema is checked once, when its task loads, and compiled once
 * per schema; values are validated against it with every error phrased as `/items/0/name: must be string`.
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** A JSON Schema as written: an object, or `true` / `false`. */
export type JsonSchema = Record<string, unknown> | boolean;

const DRAFTS = {
  "draft-07": ["http://json-schema.org/draft-07/schema"],
  "2019-09": ["https://json-schema.org/draft/2019-09/schema"],
  "2020-12": ["https://json-schema.org/draft/2020-12/schema"],
} as const;
type Draft = keyof typeof DRAFTS;

// Unknown keywords are refused (a misspelt "requried" would otherwise check nothing); the other strict
// checks only warn in ajv, and nothing here prints warnings.
const OPTIONS: Options = {
  allErrors: true,
  strict: false,
  strictSchema: true,
  strictNumbers: true,
  logger: false,
};

const instances = new Map<Draft, Ajv>();

function ajvFor(draft: Draft): Ajv {
  let ajv = instances.get(draft);
  if (!ajv) {
    ajv = draft === "2020-12" ? new Ajv2020(OPTIONS) : draft === "2019-09" ? new Ajv2019(OPTIONS) : new Ajv(OPTIONS);
    addFormats.default(ajv);
    instances.set(draft, ajv);
  }
  return ajv;
}

/** The draft a schema's `$schema` names; 2020-12 when it names none. */
function draftOf(schema: JsonSchema): Draft | { unsupported: string } {
  if (typeof schema === "boolean" || schema.$schema === undefined) return "2020-12";
  const uri = String(schema.$schema).replace(/#$/, "").replace(/^https?:/, "");
  for (const [draft, uris] of Object.entries(DRAFTS) as [Draft, readonly string[]][]) {
    if (uris.some((known) => known.replace(/^https?:/, "") === uri)) return draft;
  }
  return { unsupported: String(schema.$schema) };
}

export interface SchemaProblem {
  /** Where in the schema, as a JSON pointer ("" for the whole schema). */
  pointer: string;
  message: string;
}

/** The validator for a schema, or what is wrong with the schema. Compiled once per schema object. */
export function compileSchema(schema: JsonSchema): { ok: true; validate: ValidateFunction } | { ok: false; problems: SchemaProblem[] } {
  const cached = compiled.get(schema as object);
  if (cached) return { ok: true, validate: cached };
  if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null || Array.isArray(schema))) {
    return { ok: false, problems: [{ pointer: "", message: "a JSON Schema is an object (or true / false)" }] };
  }
  const draft = draftOf(schema);
  if (typeof draft === "object") {
    const known = Object.values(DRAFTS).map(([uri]) => uri).join(", ");
    return { ok: false, problems: [{ pointer: "/$schema", message: `unsupported $schema "${draft.unsupported}"; use one of ${known}, or leave it out for 2020-12` }] };
  }
  const ajv = ajvFor(draft);
  if (!ajv.validateSchema(schema)) {
    // The meta-schema's alternatives add "must be array", "must match a schema in anyOf": the first error at each place says it.
    const problems = (ajv.errors ?? []).map((error) => ({ pointer: error.instancePath, message: describeError(error) }));
    return { ok: false, problems: problems.filter((problem, index) => problems.findIndex((other) => other.pointer === problem.pointer) === index) };
  }
  try {
    const validate = ajv.compile(schema);
    if (typeof schema === "object") compiled.set(schema, validate);
    return { ok: true, validate };
  } catch (error) {
    // Strict-mode refusals (an unknown keyword or format) and unresolvable $refs come as exceptions.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ pointer: "", message: message.replace(/^strict mode: /, "") }] };
  }
}

const compiled = new WeakMap<object, ValidateFunction>();

/** One line per error: `/items/0/name: must be string`, `(root): must have required property 'title'`. */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return [...new Set((errors ?? []).map((error) => `${error.instancePath || "(root)"}: ${describeError(error)}`))];
}

function describeError(error: ErrorObject): string {
  const message = error.message ?? error.keyword;
  if (error.keyword === "additionalProperties" && typeof error.params.additionalProperty === "string") {
    return `${message} ("${error.params.additionalProperty}")`;
  }
  if (error.keyword === "enum" && Array.isArray(error.params.allowedValues)) {
    return `${message}: ${error.params.allowedValues.map((value: unknown) => JSON.stringify(value)).join(", ")}`;
  }
  return message;
}
