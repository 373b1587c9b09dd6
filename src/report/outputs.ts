import { z } from "zod";
import { eventLineSchema, streamLineSchema } from "../agent/events.ts";
import { fileSchemas, schemaUrl, type SchemaName } from "./schema.ts";

/** Every output with a published JSON Schema, by the name of its file in the package's schemas/ folder. */
export const outputSchemas = {
  ...fileSchemas,
  "event-line": eventLineSchema,
  "stream-line": streamLineSchema,
} as const satisfies Record<SchemaName, z.ZodType>;

const TITLES: Record<SchemaName, string> = {
  summary: "summary.json of a nanocoder batch run folder",
  result: "tasks/<id>/result.json of a nanocoder batch run folder",
  cost: "cost.json of a nanocoder batch run folder",
  "manifest-line": "One line of manifest.jsonl of a nanocoder batch run folder",
  "event-line": "One line of tasks/<id>/events.jsonl of a nanocoder batch run folder",
  "stream-line": "One line `nanocoder batch --jsonl` prints on stdout: an events.jsonl line with its task's id",
};

/** The JSON Schema of an output, as schemas/<name>.json holds it (scripts/schemas.ts writes them). */
export function jsonSchemaOf(name: SchemaName): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(outputSchemas[name], { io: "output" });
  return { $schema, $id: schemaUrl(name), title: TITLES[name], ...schema };
}
