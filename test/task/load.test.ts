import path from "node:path";
import { describe, expect, it } from "vitest";
import { UserError, UserErrors } from "../../src/shared/errors.ts";
import { loadTasks, taskFromPrompt } from "../../src/task/load.ts";
import type { Task } from "../../src/task/schema.ts";

const root = path.resolve(import.meta.dirname, "../..");

async function loadErrors(patterns: string[]): Promise<string[]> {
  const error: unknown = await loadTasks(patterns, root).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof UserErrors)) throw new Error(`expected UserErrors, got ${String(error)}`);
  return error.errors.map((each) => each.message);
}

function defaults(): Pick<Task, "context" | "limits" | "setup" | "checks" | "retries" | "expect" | "labels"> {
  return { context: [], limits: { timeout_ms: 30 * 60_000 }, setup: [], checks: [], retries: 0, expect: "changes", labels: [] };
}

describe("loadTasks errors", () => {
  it.each([
    [
      "a max_turns that is not a number",
      "fixtures/invalid/bad-max-turns.yaml",
      ['fixtures/invalid/bad-max-turns.yaml:4:3: limits.max_turns: expected a positive integer, got "many"'],
    ],
    [
      "an unknown key, with a suggestion",
      "fixtures/invalid/unknown-key.yaml",
      [
        "fixtures/invalid/unknown-key.yaml:1:1: prompt: expected a non-empty string, got nothing (the field is required)",
        'fixtures/invalid/unknown-key.yaml:2:1: promt: unknown key (did you mean "prompt"?)',
      ],
    ],
    ["a missing prompt", "fixtures/invalid/missing-prompt.yaml", ["fixtures/invalid/missing-prompt.yaml:1:1: prompt: expected a non-empty string, got nothing (the field is required)"]],
    [
      "an id with a space",
      "fixtures/invalid/bad-id.yaml",
      ['fixtures/invalid/bad-id.yaml:1:1: id: expected letters, digits, ".", "_" and "-", not starting or ending with ".", without ".." and not ending in ".lock" (the id names a folder and a git branch), got "add jsdoc"'],
    ],
    [
      "a timeout without a unit",
      "fixtures/invalid/bad-timeout.yaml",
      ['fixtures/invalid/bad-timeout.yaml:3:3: limits.timeout: expected a duration with a unit (s, m or h), e.g. "600s", got 600'],
    ],
    [
      "a YAML syntax error",
      "fixtures/invalid/syntax.yaml",
      ["fixtures/invalid/syntax.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ],
    [
      "a key indented under a value, with a hint",
      "fixtures/invalid/indented-key.yaml",
      ["fixtures/invalid/indented-key.yaml:1:9: invalid YAML: Nested mappings are not allowed in compact mappings (check the indentation: keys of one mapping start in the same column)"],
    ],
    [
      "a plain value holding \": \", with a hint to quote it",
      "fixtures/invalid/value-with-colon.yaml",
      [
        "fixtures/invalid/value-with-colon.yaml:1:9: invalid YAML: Nested mappings are not allowed in compact mappings (the value holds \": \", which YAML reads as another key: quote the whole value, e.g. key: 'Fix the bug: the total is wrong', or write it as a block after key: |)",
      ],
    ],
    [
      "a value that starts with a quote and goes on after it, with a hint",
      "fixtures/invalid/value-with-quote.yaml",
      [
        "fixtures/invalid/value-with-quote.yaml:1:15: invalid YAML: Unexpected scalar at node end (a value that starts with a quote must end with it: quote the whole value, e.g. key: '\"Fix\" the bug', or write it as a block after key: |)",
      ],
    ],
    [
      "problems in a later document, in line order",
      "fixtures/invalid/second-document.yaml",
      [
        'fixtures/invalid/second-document.yaml:5:3: limits.max_turn: unknown key (did you mean "max_turns"?)',
        'fixtures/invalid/second-document.yaml:6:3: limits.timeout: expected a duration like "90s", "10m" or "1h30m", got "soon"',
      ],
    ],
    [
      "the same id in two files",
      "fixtures/invalid/duplicate/*.yaml",
      [
        'fixtures/invalid/duplicate/b.yaml:2:1: duplicate task id "shared" (also used at fixtures/invalid/duplicate/a.yaml:1:1); ids must be unique in a batch, set a different "id:"',
      ],
    ],
    ["a file with no task", "fixtures/invalid/empty.yaml", ["fixtures/invalid/empty.yaml: no tasks in this file"]],
    ["a glob that matches nothing", "fixtures/nothing/*.yaml", ["fixtures/nothing/*.yaml: no files match this glob"]],
    ["a file that does not exist", "fixtures/tasks/missing.yaml", ["fixtures/tasks/missing.yaml: file not found"]],
    ["a directory", "fixtures/tasks", ['fixtures/tasks: is a directory; pass a glob such as "fixtures/tasks/*.yaml"']],
  ])("reports %s", async (_behaviour, pattern, expected) => {
    expect(await loadErrors([pattern])).toEqual(expected);
  });

  it("reports every problem of every file at once, in file order", async () => {
    const one = await loadErrors(["fixtures/invalid/bad-id.yaml"]);
    const two = await loadErrors(["fixtures/invalid/syntax.yaml"]);
    const three = await loadErrors(["fixtures/nothing/*.yaml"]);
    const all = await loadErrors(["fixtures/invalid/bad-id.yaml", "fixtures/nothing/*.yaml", "fixtures/invalid/syntax.yaml"]);
    expect(all).toEqual([...three, ...one, ...two]);
  });

  it("throws user errors, which print without a stack", async () => {
    await expect(loadTasks(["fixtures/invalid/*.yaml"], root)).rejects.toBeInstanceOf(UserError);
  });
});

describe("loadTasks", () => {
  it("gives documents without an id the file stem, then -2, -3, skipping empty documents", async () => {
    const tasks = await loadTasks(["fixtures/tasks/chores.yaml"], root);
    const file = "fixtures/tasks/chores.yaml";
    expect(tasks).toEqual([
      { id: "chores", prompt: "Create CHANGELOG.md.", ...defaults(), source: { file, index: 0, line: 2, column: 1 } },
      {
        id: "chores-2",
        title: "Bump the version",
        prompt: "Set the version in package.json to 1.0.0.",
        context: [],
        limits: { timeout_ms: 90 * 60_000 },
        setup: [],
        checks: [],
        retries: 0,
        expect: "changes",
        labels: [],
        source: { file, index: 1, line: 4, column: 1 },
      },
      { id: "chores-3", prompt: "Run the tests.", ...defaults(), source: { file, index: 2, line: 9, column: 1 } },
    ]);
  });

  it("reads every field of a task", async () => {
    const [task] = await loadTasks(["fixtures/tasks/add-jsdoc.yaml"], root);
    expect(task).toEqual({
      id: "add-jsdoc",
      title: "Add JSDoc comments",
      prompt: "Document every exported function in src/math.ts.",
      context: ["src/math.ts", "src/**/*.d.ts"],
      provider: "local",
      model: "qwen2.5-coder:14b",
      limits: { max_turns: 30, timeout_ms: 600_000 },
      setup: [],
      checks: [],
      retries: 0,
      expect: "changes",
      labels: [],
      source: { file: "fixtures/tasks/add-jsdoc.yaml", index: 0, line: 2, column: 1 },
    });
  });

  it("keeps the order given, sorts glob matches and reads a file matched twice once", async () => {
    const tasks = await loadTasks(["fixtures/tasks/minimal.yaml", "fixtures/tasks/*.yaml"], root);
    expect(tasks.map((task) => task.id)).toEqual(["minimal", "add-jsdoc", "chores", "chores-2", "chores-3"]);
  });

  it("names files by their absolute path when given one", async () => {
    const file = path.join(root, "fixtures/tasks/minimal.yaml");
    const [task] = await loadTasks([file], "/");
    expect(task?.source.file).toBe(file);
  });
});

describe("taskFromPrompt", () => {
  it("makes a task with id run and default limits", () => {
    expect(taskFromPrompt("Fix the build.")).toEqual({
      id: "run",
      prompt: "Fix the build.",
      ...defaults(),
      source: { file: "<command line>", index: 0, line: 1, column: 1 },
    });
  });

  it("rejects an empty prompt", () => {
    expect(() => taskFromPrompt("  ")).toThrow(UserError);
  });
});
