/**
 * Constrained decoding of a final answer: the request field that makes a server produce JSON valid
 * against a schema, per server, and the fallback to instructions alone for a server that refuses it. The
 * answer is validated locally either way (agent/output.ts), so a server that ignores the field is still safe.
 *
 * - `response_format` (the default): `{type: "json_schema", json_schema: {name, schema, strict}}`. OpenAI,
 *   OpenRouter, LM Studio and vLLM take it as it is; Ollama's /v1 turns it into its own `format`, llama.cpp's
 *   into its `json_schema` grammar.
 * - `json_schema`: llama.cpp's own top-level field, for builds whose /v1 ignores `response_format`.
 * - `guided_json`: vLLM's own field (before its `structured_outputs`), for versions without `response_format` schemas.
 * - `none`: no field; the schema is in the instructions only.
 */
import { z } from "zod";
import { isContextOverflow } from "./context-window.ts";
import { ProviderError } from "./types.ts";
import type { ChatRequest, ModelTurn, ProviderEvent } from "./types.ts";

/** A provider's `structuredOutput`: which field asks its server for a schema-valid answer. */
export const structuredOutputModeSchema = z.enum(["response_format", "json_schema", "guided_json", "none"]);
export type StructuredOutputMode = z.infer<typeof structuredOutputModeSchema>;

/** A request's output schema: the server is asked for a reply that is one JSON value valid against it. */
export interface OutputRequest {
  /** Names the schema where the server wants a name (`response_format.json_schema.name`). */
  name: string;
  schema: Record<string, unknown> | boolean;
}

type Complete = (request: ChatRequest) => Promise<ModelTurn>;

/** The body fields that ask the server for the request's output schema; none without one. */
export function structuredOutputFields(mode: StructuredOutputMode, output: OutputRequest | undefined): Record<string, unknown> {
  if (!output) return {};
  switch (mode) {
    case "response_format": {
      // OpenAI's strict mode refuses a schema it cannot enforce whole: asked for only when the schema qualifies.
      const strict = qualifiesForStrict(output.schema);
      return { response_format: { type: "json_schema", json_schema: { name: output.name, schema: output.schema, ...(strict ? { strict: true } : {}) } } };
    }
    case "json_schema":
      return { json_schema: output.schema };
    case "guided_json":
      return { guided_json: output.schema };
    case "none":
      return {};
  }
}

/**
 * True when OpenAI's strict structured outputs can take the schema as written: the root is an object, and
 * every object lists all its properties in `required` and sets `additionalProperties: false`. The user's
 * schema is never rewritten to qualify: that would change what it accepts.
 */
export function qualifiesForStrict(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return false;
  const root = schema as Record<string, unknown>;
  return root.type === "object" && everyObjectClosed(root);
}

function everyObjectClosed(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(everyObjectClosed);
  if (typeof node !== "object" || node === null) return true;
  const schema = node as Record<string, unknown>;
  const properties = schema.properties;
  const isObject = schema.type === "object" || (Array.isArray(schema.type) && schema.type.includes("object")) || properties !== undefined;
  if (isObject) {
    if (schema.additionalProperties !== false) return false;
    const names = typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    if (!names.every((name) => required.includes(name))) return false;
  }
  return Object.entries(schema).every(([key, value]) => key === "enum" || key === "const" || key === "default" || key === "examples" || everyObjectClosed(value));
}

/**
 * Wraps `send`: a server that refuses the request's structured-output field (400, naming it) gets the same
 * request without it from then on, the schema staying in the instructions; reported once through `onEvent`.
 */
export function withStructuredOutput(send: Complete, { mode, onEvent }: { mode: StructuredOutputMode; onEvent?: ((event: ProviderEvent) => void) | undefined }): Complete {
  let refused = mode === "none";
  return async (request) => {
    if (!request.output) return send(request);
    if (refused) return send({ ...request, output: undefined });
    try {
      return await send(request);
    } catch (error) {
      if (!isStructuredOutputRejection(error)) throw error;
      refused = true;
      onEvent?.({ type: "structured_output", mode: "none", reason: `the server refused ${FIELD_OF[mode]} (${error.message}); the schema is given in the instructions only` });
      return send({ ...request, output: undefined });
    }
  };
}

const FIELD_OF: Record<StructuredOutputMode, string> = {
  response_format: "response_format json_schema",
  json_schema: "json_schema",
  guided_json: "guided_json",
  none: "no field",
};

const REJECTION_PATTERN = /response_format|json_schema|guided_json|structured output|grammar|format/i;

/** True when the server refused the request because of its structured-output field. */
export function isStructuredOutputRejection(error: unknown): error is ProviderError {
  if (!(error instanceof ProviderError) || isContextOverflow(error)) return false;
  return (error.status === 400 || error.status === 422) && REJECTION_PATTERN.test(error.message);
}
