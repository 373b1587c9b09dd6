/**
 * The published JSON Schemas of the run folder's outputs: current with the zod schemas they come from,
 * and every field of them described in docs/outputs.md. That real outputs match them is checked on the
 * run folders of the end-to-end tests (expectValidRunFolder in test/helpers/run-folder.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { outputSchemas } from "../../src/report/outputs.ts";
import type { SchemaName } from "../../src/report/schema.ts";
import { removeDir } from "../helpers/repo.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-schemas-"));
afterAll(() => removeDir(scratch));

const NAMES = Object.keys(outputSchemas) as SchemaName[];

describe("schemas/", () => {
  it("holds the JSON Schema of every output, from the current sources (run npm run schemas and commit them when this fails)", () => {
    execFileSync(process.execPath, [join(root, "scripts/schemas.ts"), scratch], { cwd: root, stdio: "pipe" });
    expect(readdirSync(join(root, "schemas")).sort()).toEqual(NAMES.map((name) => `${name}.json`).sort());
    for (const name of NAMES) {
      expect(readFileSync(join(root, "schemas", `${name}.json`), "utf8"), `schemas/${name}.json is stale`).toBe(readFileSync(join(scratch, `${name}.json`), "utf8"));
    }
  });

  it("ships with the package", () => {
    const { files } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { files: string[] };
    expect(files).toContain("schemas");
  });
});

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; oneOf?: JsonSchema[]; anyOf?: JsonSchema[]; allOf?: JsonSchema[]; additionalProperties?: JsonSchema | boolean; const?: unknown };

/** Every property name anywhere in a JSON Schema, nested objects and arrays included, except below `skip` (described elsewhere). */
function fieldsOf(schema: JsonSchema, skip: readonly string[] = []): Set<string> {
  const names = new Set<string>();
  const visit = (node: JsonSchema | boolean | undefined) => {
    if (node === undefined || typeof node === "boolean") return;
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      names.add(name);
      if (!skip.includes(name)) visit(child);
    }
    for (const child of [node.items, node.additionalProperties, ...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])]) visit(child);
  };
  visit(schema);
  return names;
}

/** The words inside code (spans and fenced blocks) of a piece of Markdown: where docs name fields. */
function codeWords(markdown: string): Set<string> {
  const code = [...markdown.matchAll(/```[\s\S]*?```|`[^`]+`/g)].map((match) => match[0]).join(" ");
  return new Set(code.match(/[$A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}

const docs = readFileSync(join(root, "docs/outputs.md"), "utf8");

/** A `## heading` section of docs/outputs.md, up to the next one. */
function section(heading: string): string {
  const start = docs.indexOf(`\n## ${heading}\n`);
  expect(start, `docs/outputs.md has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = docs.indexOf("\n## ", start + 1);
  return docs.slice(start, end < 0 ? undefined : end);
}

/** The table row of docs/outputs.md for one record type of a JSON Lines file: "| `type` | fields |". */
function row(text: string, type: string): string {
  return text.split("\n").find((line) => line.startsWith(`| \`${type}\` |`)) ?? "";
}

const json = (name: SchemaName) => JSON.parse(readFileSync(join(root, "schemas", `${name}.json`), "utf8")) as JsonSchema;

/** Fields every line carries, described once above each table rather than in every row. */
const LINE_FIELDS = new Set(["ts", "$schema", "type", "task"]);

describe("docs/outputs.md describes every field of every schema", () => {
  it.each([
    ["summary", "summary.json"],
    ["result", "tasks/&lt;id&gt;/result.json"],
    ["cost", "cost.json"],
  ] as const)("%s.json: in its section", (name, heading) => {
    const words = codeWords(section(heading));
    // summary.json's tasks are the results, described in the result.json section.
    const undocumented = [...fieldsOf(json(name), name === "summary" ? ["tasks"] : [])].filter((field) => !words.has(field));
    expect(undocumented, `fields of schemas/${name}.json that docs/outputs.md's "${heading}" section does not name`).toEqual([]);
  });

  it.each([
    ["manifest-line", "manifest.jsonl"],
    ["event-line", "tasks/&lt;id&gt;/events.jsonl"],
  ] as const)("%s.json: each record type in its table row", (name, heading) => {
    const text = section(heading);
    const words = codeWords(text);
    for (const field of ["ts", "$schema", "type"]) expect(words.has(field), `${heading} names ${field}`).toBe(true);
    const records = json(name).oneOf ?? [];
    expect(records.length).toBeGreaterThan(1);
    for (const record of records) {
      const type = String(record.properties?.type?.const);
      const cells = codeWords(row(text, type));
      const undocumented = [...fieldsOf(record)].filter((field) => !LINE_FIELDS.has(field) && !cells.has(field));
      expect(undocumented, `fields of "${type}" lines that docs/outputs.md's ${heading} table row does not name`).toEqual([]);
      expect(row(text, type), `a table row for "${type}" in ${heading}`).not.toBe("");
    }
  });

  it("names where each schema is published, and the --jsonl lines", () => {
    for (const name of NAMES) expect(docs, `docs/outputs.md names schemas/${name}.json`).toContain(`schemas/${name}.json`);
    for (const word of ["--jsonl", "--json", "run_dir", "error", "code", "message", "task"]) expect(section("Output for other tools")).toContain(word);
  });
});
