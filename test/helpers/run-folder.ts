import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { z } from "zod";
import { outputSchemas } from "../../src/report/outputs.ts";
import { schemaUrl, type SchemaName } from "../../src/report/schema.ts";
import { compileSchema, type JsonSchema } from "../../src/shared/json-schema.ts";
import type { RunSummary } from "../../src/report/types.ts";

export type LoggedEvent = { type: string; [key: string]: unknown };

/** A task's events.jsonl, parsed line by line. */
export function readEvents(outDir: string, taskId: string): LoggedEvent[] {
  return readFileSync(join(outDir, "tasks", taskId, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as LoggedEvent);
}

export function readSummary(outDir: string): RunSummary {
  return JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8")) as RunSummary;
}

const compiled = new Map<SchemaName, ReturnType<typeof compileShipped>>();

function compileShipped(name: SchemaName) {
  const schema = JSON.parse(readFileSync(new URL(`../../schemas/${name}.json`, import.meta.url), "utf8")) as JsonSchema;
  const result = compileSchema(schema);
  if (!result.ok) throw new Error(`schemas/${name}.json does not compile: ${JSON.stringify(result.problems)}`);
  return result.validate;
}

/** The shipped JSON Schema of an output, compiled once per test file. */
function shipped(name: SchemaName) {
  let validate = compiled.get(name);
  if (!validate) compiled.set(name, (validate = compileShipped(name)));
  return validate;
}

/**
 * Every JSON output of a run folder read back with its schema (src/report/outputs.ts): each must parse, lose
 * no field in parsing (a field the schema lacks would be stripped), and name the schema's URL in `$schema`
 * (a JSON Lines file on its first line). Returns how many lines and files were checked.
 */
export function expectValidRunFolder(outDir: string): number {
  let checked = 0;
  const check = (name: SchemaName, value: unknown, where: string) => {
    const parsed = outputSchemas[name].safeParse(value);
    expect(parsed.success, `${where}: ${parsed.success ? "" : z.prettifyError(parsed.error)}`).toBe(true);
    expect(parsed.data, `${where}: fields the schema ${name} does not have`).toEqual(value);
    // And the JSON Schema the package ships, as another tool would read it.
    const validate = shipped(name);
    expect(validate(value), `${where} against schemas/${name}.json: ${JSON.stringify(validate.errors)}`).toBe(true);
    checked++;
  };
  const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const named = (name: SchemaName, value: Record<string, unknown> | undefined, where: string) => {
    expect(value?.$schema, `${where} names its schema`).toBe(schemaUrl(name));
  };

  for (const name of ["summary", "cost"] as const) {
    const value = json(join(outDir, `${name}.json`));
    named(name, value, `${name}.json`);
    check(name, value, `${name}.json`);
  }
  if (existsSync(join(outDir, "manifest.jsonl"))) {
    const manifest = lines(join(outDir, "manifest.jsonl"));
    named("manifest-line", manifest[0], "manifest.jsonl:1");
    manifest.forEach((line, index) => check("manifest-line", line, `manifest.jsonl:${index + 1}`));
  }
  for (const id of readdirSync(join(outDir, "tasks"))) {
    const result = json(join(outDir, "tasks", id, "result.json"));
    named("result", result, `tasks/${id}/result.json`);
    check("result", result, `tasks/${id}/result.json`);
    const events = lines(join(outDir, "tasks", id, "events.jsonl"));
    if (events.length > 0) named("event-line", events[0], `tasks/${id}/events.jsonl:1`);
    events.forEach((line, index) => check("event-line", line, `tasks/${id}/events.jsonl:${index + 1}`));
  }
  return checked;
}
