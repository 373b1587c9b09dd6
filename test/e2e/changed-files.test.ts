import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { runCli } from "../helpers/cli.ts";
import { startCliSteps } from "../helpers/cli-steps.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { lazy } from "../helpers/lazy.ts";
import { gitManyObjects } from "../helpers/many-objects.ts";
import { createRepo, removeDir, writeFiles } from "../helpers/repo.ts";

let server: FakeOpenAI;
let repo: string;
const outs: string[] = [];

beforeAll(async () => {
  server = await startFakeOpenAI([{ match: "Look at", turns: [{ content: "Looked." }] }]);
  repo = createRepo({
    "src/a.ts": "export const a = 1;\n",
    "tasks/code.yaml": "prompt: Look at the code.\nfiles: ['src/**/*.ts']\nexpect: none\n",
    "tasks/docs.yaml": "prompt: Look at the docs.\nfiles: ['docs/**']\nexpect: none\n",
    "tasks/always.yaml": "prompt: Look at everything.\nexpect: none\n",
  });
});

afterAll(async () => {
  await server.close();
  removeDir(repo);
  for (const out of outs) removeDir(out);
});

/** Runs in which no task starts go through one process that loads the command line once (test/helpers/steps.ts). */
const noTaskRuns = lazy(() => startCliSteps());
afterAll(async () => (await noTaskRuns()).close());

async function batch(...args: string[]): Promise<RunSummary> {
  const out = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  outs.push(out);
  const result = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "m", "--out", out, ...args], { cwd: repo });
  expect(result.code).toBe(0);
  return JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
}

describe("tasks selected by changed files", () => {
  it("runs only the tasks whose files match the names after --, and names them in the first message", async () => {
    const summary = await batch("--", "src/a.ts", "README.md");
    expect(summary.tasks.map((task) => task.id)).toEqual(["code"]);
    const first = server.requests.at(-1)?.body.messages?.[1]?.content;
    expect(first).toBe("Look at the code.\n\nChanged files this task is about:\n- src/a.ts");
  });

  it("takes the changed files from git with --changed REF, untracked files included", async () => {
    writeFiles(repo, { "docs/guide.md": "# Guide\n" });
    const summary = await batch("--changed", "HEAD");
    expect(summary.tasks.map((task) => task.id)).toEqual(["docs"]);
  });

  it("runs nothing, successfully, when no task is about the changed files", async () => {
    const result = await (await noTaskRuns()).run(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "m", "--", "LICENSE"], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("nothing to run");
  });

  it("refuses file names after `--` with no task files before it (exit 2), rather than running nothing", async () => {
    const before = server.requests.length;
    const result = await (await noTaskRuns()).run(["batch", "--base-url", server.url, "--model", "m", "--", "tasks/a.yaml"], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("batch: give the task files or globs before `--`");
    expect(server.requests).toHaveLength(before);
  });
});

/**
 * The pre-commit hook passes no file names (pre-commit would split a long list over several runs of the hook,
 * each running the tasks again): with --staged, a `--` with no names after it stands for the staged files,
 * read from the index. A commit of thousands of files runs each task once, and its first message names the
 * first 100 of its files and counts the rest.
 */
describe("the staged files, read from the index (--staged and a `--` with no names)", () => {
  const MANY = 3000;

  it("selects by every staged file, names a renamed file by its new name, leaves out deletions and unstaged edits, and caps the list", async () => {
    const staged = createRepo({
      "src/a.ts": "export const a = 1;\n",
      "src/old.ts": "export const old = 1;\n",
      "docs/x.md": "# X\n",
      "tasks/code.yaml": "prompt: Look at the code.\nfiles: ['src/**/*.ts']\nexpect: none\n",
      "tasks/docs.yaml": "prompt: Look at the docs.\nfiles: ['docs/**']\nexpect: none\n",
      "tasks/last.yaml": `prompt: Look at the last file.\nfiles: ['src/z/f${MANY - 1}.ts']\nexpect: none\n`,
      "tasks/always.yaml": "prompt: Look at everything.\nexpect: none\n",
    });
    writeFiles(staged, Object.fromEntries(Array.from({ length: MANY }, (_, index) => [`src/z/f${index}.ts`, `export const f${index} = ${index};\n`])));
    gitManyObjects(staged, "git mv src/old.ts src/new.ts && git rm --quiet docs/x.md && git add src/z");
    writeFiles(staged, { "src/a.ts": "export const a = 2; // not staged\n" });
    const out = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
    outs.push(out);
    const before = server.requests.length;

    // One task at a time: the tasks share one worktree, so the 3000 files are checked out once, not once a task.
    const result = await runCli(["batch", "--staged", "tasks/*.yaml", "--base-url", server.url, "--model", "m", "--concurrency", "1", "--out", out, "--"], { cwd: staged });
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(summary.tasks.map((task) => [task.id, task.status])).toEqual([["code", "succeeded"], ["last", "succeeded"]]);

    const firstMessages = server.requests.slice(before).map((request) => String(request.body.messages?.[1]?.content));
    const code = firstMessages.find((message) => message.startsWith("Look at the code."));
    expect(code).toBeDefined();
    const listed = (code ?? "").split("\n").slice(3);
    expect(listed[0]).toBe("- src/new.ts");
    expect(listed).toHaveLength(101);
    expect(listed.at(-1)).toBe(`- and ${MANY + 1 - 100} more`);
    expect(listed.slice(1, 100).filter((line) => /^- src\/z\/f\d+\.ts$/.test(line))).toHaveLength(99);
    expect(code).not.toContain("src/old.ts");
    expect(code).not.toContain("src/a.ts");
    expect(firstMessages).toContain(`Look at the last file.\n\nChanged files this task is about:\n- src/z/f${MANY - 1}.ts`);
    removeDir(staged);
  }, 60_000); // A run over 3000 staged files: room for a loaded machine, as the other large runs have.
});
