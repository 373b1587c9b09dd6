import { describe, expect, it } from "vitest";
import { taskFileJsonSchema } from "../../src/task/schema.ts";

describe("taskFileJsonSchema", () => {
  const schema = taskFileJsonSchema();

  it("describes the file as written: only prompt required, no other keys allowed", () => {
    expect(schema).toMatchObject({
      type: "object",
      required: ["prompt"],
      additionalProperties: false,
      title: "nanocoder task",
    });
    expect(Object.keys(schema.properties as object)).toEqual(["id", "title", "prompt", "context", "provider", "model", "limits", "policy", "labels", "mcp", "files", "setup", "checks", "retries", "expect", "output", "for_each"]);
  });

  it("shows the three forms of output: a schema file, the long form, a schema", () => {
    expect((schema.properties as Record<string, unknown>).output).toMatchObject({
      anyOf: [
        { type: "string" },
        { type: "object", required: ["schema"], additionalProperties: false, properties: { max_corrections: { default: 2, minimum: 0, maximum: 10 } } },
        { type: ["object", "boolean"] },
      ],
    });
  });

  it("shows limits with their defaults and the duration format", () => {
    expect((schema.properties as Record<string, unknown>).limits).toMatchObject({
      type: "object",
      additionalProperties: false,
      properties: {
        max_turns: { type: "integer", exclusiveMinimum: 0 },
        max_denials: { type: "integer", exclusiveMinimum: 0 },
        timeout: { type: "string", default: "30m", pattern: expect.any(String) },
      },
    });
  });
});
