import { describe, expect, it } from "vitest";
import { parseYamlDocuments, validateYaml } from "../../src/shared/yaml-source.ts";
import { taskFileSchema } from "../../src/task/schema.ts";

function parse(text: string) {
  const [source] = parseYamlDocuments(text, "t.yaml");
  if (!source) throw new Error("no document");
  const result = validateYaml(taskFileSchema, source);
  return result.ok ? { value: result.value } : { errors: result.errors.map((error) => error.message) };
}

describe("checks, retries and budgets in a task file", () => {
  it("names a bare command by itself and gives checks a 10m timeout by default", () => {
    const { value } = parse("prompt: p\nchecks:\n  - npm test\n  - {name: lint, run: npm run lint, timeout: 5m}\n  - {run: make}\nretries: 2\n");
    expect(value?.checks).toEqual([
      { name: "npm test", run: "npm test", timeout_ms: 600_000 },
      { name: "lint", run: "npm run lint", timeout_ms: 300_000 },
      { name: "make", run: "make", timeout_ms: 600_000 },
    ]);
    expect(value?.retries).toBe(2);
  });

  it("defaults to no checks and no retries", () => {
    expect(parse("prompt: p\n").value).toMatchObject({ checks: [], retries: 0 });
  });

  it("reads cost and token budgets", () => {
    expect(parse("prompt: p\nlimits: {max_cost_usd: 0.5, max_tokens: 200000}\n").value?.limits).toEqual({
      max_cost_usd: 0.5,
      max_tokens: 200_000,
      timeout_ms: 1_800_000,
    });
  });

  it.each([
    ["checks: [5]", "t.yaml:2:10: checks[0]: expected a command, or {name, run, timeout}, got 5"],
    ["checks: [{name: x}]", "t.yaml:2:10: checks[0].run: expected a non-empty string, got nothing (the field is required)"],
    ["checks: [[npm test]]", "t.yaml:2:10: checks[0]: expected a command, or {name, run, timeout}, got a list"],
    ["checks: [{run: x, timout: 5m}]", 't.yaml:2:19: checks[0].timout: unknown key (did you mean "timeout"?)'],
    ["checks: [{run: x, timeout: 5}]", 't.yaml:2:19: checks[0].timeout: expected a duration with a unit (s, m or h), e.g. "5s", got 5'],
    ["retry: 2", 't.yaml:2:1: retry: unknown key (did you mean "retries"?)'],
    ["check: npm test", 't.yaml:2:1: check: unknown key (did you mean "checks"?)'],
    ["retries: -1", "t.yaml:2:1: retries: expected a non-negative integer, got -1"],
    ["limits: {max_cost_usd: 0}", "t.yaml:2:10: limits.max_cost_usd: expected a positive number, got 0"],
    ["limits: {max_tokens: 1.5}", "t.yaml:2:10: limits.max_tokens: expected a positive integer, got 1.5"],
  ])("reports %s with its position", (line, message) => {
    expect(parse(`prompt: p\n${line}\n`).errors).toEqual([message]);
  });
});
