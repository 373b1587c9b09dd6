import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinTools, findTool } from "../../src/tools/index.ts";

/** The public contract: policies and prompts refer to these names. */
const contract = {
  read_file: { properties: ["path", "start_line", "end_line"], required: ["path"] },
  write_file: { properties: ["path", "content"], required: ["path", "content"] },
  string_replace: { properties: ["path", "old_str", "new_str", "replace_all"], required: ["path", "old_str", "new_str"] },
  file_op: { properties: ["operation", "path", "destination"], required: ["operation", "path"] },
  list_directory: { properties: ["path", "recursive", "max_depth"], required: [] },
  find_files: { properties: ["pattern", "max_results"], required: ["pattern"] },
  search_file_contents: { properties: ["query", "path", "include", "case_sensitive", "max_results"], required: ["query"] },
  execute_bash: { properties: ["command", "timeout_ms"], required: ["command"] },
};

interface ObjectSchema {
  type?: string;
  properties?: Record<string, { description?: string; enum?: string[] }>;
  required?: string[];
}

describe("built-in tool parameters", () => {
  it("lists the eight tools in order", () => {
    expect(builtinTools.map((tool) => tool.name)).toEqual(Object.keys(contract));
    expect(findTool("file_op")?.name).toBe("file_op");
    expect(findTool("rm_rf")).toBeUndefined();
  });

  it.each(Object.entries(contract))("%s keeps its contract, every field described", (name, expected) => {
    const tool = findTool(name);
    const schema = z.toJSONSchema(tool?.parameters ?? z.never(), { io: "input" }) as ObjectSchema;
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties ?? {})).toEqual(expected.properties);
    expect(schema.required ?? []).toEqual(expected.required);
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      expect(property.description, `${name}.${field}`).toMatch(/\w{3,}/);
    }
    expect(tool?.description.length).toBeGreaterThan(30);
  });

  it("file_op offers exactly the four operations", () => {
    const schema = z.toJSONSchema(findTool("file_op")?.parameters ?? z.never()) as ObjectSchema;
    expect(schema.properties?.operation?.enum).toEqual(["delete", "move", "copy", "mkdir"]);
  });
});
