import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserErrors } from "../../src/shared/errors.ts";
import { loadTasks } from "../../src/task/load.ts";
import { loadOutputSchemaFile } from "../../src/task/output-schema.ts";
import { scratchDir } from "../helpers/temp.ts";

/** A folder holding `files`, as the working folder of a load. */
function folderWith(files: Record<string, string>): string {
  const dir = scratchDir("nanocoder-test-output-schema-");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function loadErrors(files: Record<string, string>, pattern = "tasks/t.yaml"): Promise<string[]> {
  const error: unknown = await loadTasks([pattern], folderWith(files)).then(() => undefined, (thrown: unknown) => thrown);
  if (!(error instanceof UserErrors)) throw new Error(`expected UserErrors, got ${String(error)}`);
  return error.errors.map((each) => each.message);
}

const SCHEMA = { type: "object", properties: { n: { type: "integer" } }, required: ["n"] };

describe("the three forms of output", () => {
  it("takes a schema file relative to the task file, an inline schema, and the long form", async () => {
    const cwd = folderWith({
      "schemas/n.json": JSON.stringify(SCHEMA),
      "tasks/file.yaml": "prompt: p\noutput: ../schemas/n.json\n",
      "tasks/inline.yaml": "prompt: p\noutput:\n  type: object\n  properties: {n: {type: integer}}\n  required: [n]\n",
      "tasks/long.yaml": "prompt: p\noutput:\n  schema: ../schemas/n.json\n  max_corrections: 0\n",
    });
    const tasks = await loadTasks(["tasks/*.yaml"], cwd);
    expect(tasks.map((task) => [task.id, task.output])).toEqual([
      ["file", { schema: SCHEMA, file: join("tasks", "../schemas/n.json"), max_corrections: 2 }],
      ["inline", { schema: SCHEMA, max_corrections: 2 }],
      ["long", { schema: SCHEMA, file: join("tasks", "../schemas/n.json"), max_corrections: 0 }],
    ]);
  });

  it("reads --output-schema relative to the working folder", async () => {
    const cwd = folderWith({ "n.json": JSON.stringify(SCHEMA) });
    expect(await loadOutputSchemaFile("n.json", cwd)).toEqual({ schema: SCHEMA, file: "n.json", max_corrections: 2 });
  });
});

describe("an invalid output is reported where it is written", () => {
  it("points into the task file at the wrong keyword of an inline schema", async () => {
    expect(await loadErrors({ "tasks/t.yaml": "prompt: p\noutput:\n  type: object\n  properties:\n    n: {type: integr}\n" })).toEqual([
      'tasks/t.yaml:5:9: invalid JSON Schema at /properties/n/type: must be equal to one of the allowed values: "array", "boolean", "integer", "null", "number", "object", "string"',
    ]);
  });

  it("points into the schema file at its line", async () => {
    const schema = '{\n  "type": "object",\n  "required": "n"\n}\n';
    expect(await loadErrors({ "tasks/t.yaml": "prompt: p\noutput: t.json\n", "tasks/t.json": schema })).toEqual([
      `${join("tasks", "t.json")}:3:3: invalid JSON Schema at /required: must be array`,
    ]);
  });

  it("refuses an unknown keyword, which would check nothing", async () => {
    expect(await loadErrors({ "tasks/t.yaml": "prompt: p\noutput:\n  schema: {type: object, requried: [n]}\n" })).toEqual([
      'tasks/t.yaml:3:3: invalid JSON Schema: unknown keyword: "requried"',
    ]);
  });

  it("names a missing schema file at the task's line, and what output expects", async () => {
    expect(await loadErrors({ "tasks/t.yaml": "prompt: p\noutput: nope.json\n" })).toEqual([
      `tasks/t.yaml:2:9: output: ${join("tasks", "nope.json")}: file not found; output names a JSON Schema file relative to the task file`,
    ]);
    // With a for_each, the file of one value: named with the line of the output that made it.
    expect(await loadErrors({ "tasks/t.yaml": "prompt: p {{ k }}\nfor_each:\n  k: [a, b]\noutput:\n  schema: '{{ k }}.json'\n", "tasks/a.json": "{}" })).toEqual([
      `tasks/t.yaml:5:11: output.schema: ${join("tasks", "b.json")}: file not found; output names a JSON Schema file relative to the task file`,
    ]);
  });

  it("reports a schema file that is not JSON at its line and column", async () => {
    expect(await loadErrors({ "tasks/t.yaml": "prompt: p\noutput: t.json\n", "tasks/t.json": '{"type": "object",}\n' })).toEqual([
      `${join("tasks", "t.json")}:1:19: invalid JSON: Expected double-quoted property name (trailing commas are not allowed in JSON)`,
    ]);
  });

  it("refuses a draft it does not know, naming the ones it does", async () => {
    const [message] = await loadErrors({ "tasks/t.yaml": "prompt: p\noutput: {$schema: 'http://json-schema.org/draft-04/schema#', type: object}\n" });
    expect(message).toMatch(/^tasks\/t\.yaml:2:\d+: invalid JSON Schema at \/\$schema: unsupported \$schema .*draft-07.*2020-12/);
  });

  it("bounds max_corrections", async () => {
    expect(await loadErrors({ "tasks/t.yaml": "prompt: p\noutput: {schema: {type: object}, max_corrections: 11}\n" })).toEqual([
      "tasks/t.yaml:2:34: output.max_corrections: expected an integer from 0 to 10, got 11",
    ]);
  });
});
