import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { runCli } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { createRepo, removeDir, writeFiles } from "../helpers/repo.ts";

let server: FakeOpenAI;
let repo: string;
const outs: string[] = [];

beforeAll(async () => {
  server = await startFakeOpenAI([{ match: "Look at", turns: [{ content: "Looked." }] }]);
  repo = createRepo({
    "src/a.ts": "export const a = 1;\n",
    "tasks/code.yaml": "prompt: Look at the code.\nfiles: ['src/**/*.ts']\n",
    "tasks/docs.yaml": "prompt: Look at the docs.\nfiles: ['docs/**']\n",
    "tasks/always.yaml": "prompt: Look at everything.\n",
  });
});

afterAll(async () => {
  await server.close();
  removeDir(repo);
  for (const out of outs) removeDir(out);
});

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
    const result = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "m", "--", "LICENSE"], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("nothing to run");
  });

  it("refuses file names after `--` with no task files before it (exit 2), rather than running nothing", async () => {
    const before = server.requests.length;
    const result = await runCli(["batch", "--base-url", server.url, "--model", "m", "--", "tasks/a.yaml"], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("batch: give the task files or globs before `--`");
    expect(server.requests).toHaveLength(before);
  });
});
