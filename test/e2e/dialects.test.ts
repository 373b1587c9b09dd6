/**
 * The same task, run by the CLI against a server of each wire dialect: the patches must be the same bytes.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { DIALECTS, startFakeOpenAI, type FakeOpenAI, type Turn } from "../helpers/fake-openai.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";
import { readEvents, readSummary } from "../helpers/run-folder.ts";

const FILES = {
  "src/math.js": "export function add(a, b) {\n  return a+b;\n}\n\nexport function half(x) {\n  return x/2;\n}\n",
  "tasks/tidy.yaml": "id: tidy\nprompt: Tidy src/math.js and write NOTES.md about it.\n",
};

/** Read a file, edit it twice and write a new one in one turn, then say so. */
const TURNS: Turn[] = [
  { content: "Let me read the file first.", tool_calls: [{ name: "read_file", arguments: { path: "src/math.js" } }] },
  {
    content: "Now the fixes and the notes.",
    tool_calls: [
      { name: "string_replace", arguments: { path: "src/math.js", old_str: "return a+b;", new_str: "return a + b; // ünïcödé ✓" } },
      { name: "string_replace", arguments: { path: "src/math.js", old_str: "return x/2;", new_str: "return x / 2;" } },
      { name: "write_file", arguments: { path: "NOTES.md", content: "# Notes\n\n- `add` and `half` are spaced out.\n" } },
    ],
  },
  { content: "Tidied src/math.js and wrote NOTES.md." },
];

interface DialectRun {
  server: FakeOpenAI;
  repo: string;
  out: string;
  result: CliResult;
}

const runs = new Map<string, DialectRun>();
const scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-dialects-"));

beforeAll(async () => {
  await Promise.all(Object.entries(DIALECTS).map(async ([name, dialect]) => {
    const server = await startFakeOpenAI([{ match: "Tidy src/math.js", turns: TURNS.map((turn, index) => dialect(turn, index)) }]);
    const repo = createRepo(FILES);
    const out = join(scratch, name.replace(/\W/g, "-"));
    const result = await runCli(["batch", "tasks/tidy.yaml", "--base-url", server.url, "--model", "m", "--out", out], { cwd: repo });
    runs.set(name, { server, repo, out, result });
  }));
}, 60_000);

afterAll(async () => {
  for (const run of runs.values()) {
    await run.server.close();
    removeDir(run.repo);
  }
  removeDir(scratch);
});

const dialects = Object.keys(DIALECTS);
const runOf = (name: string): DialectRun => {
  const run = runs.get(name);
  if (!run) throw new Error(`no run for dialect ${name}`);
  return run;
};
const patchOf = (name: string): string => readFileSync(join(runOf(name).out, "tasks", "tidy", "patch.diff"), "utf8");

describe("the same task against each wire dialect", () => {
  it.each(dialects)("%s: the task succeeds with three requests and every tool call run once", (name) => {
    const run = runOf(name);
    expect(run.result.code).toBe(0);
    expect(readSummary(run.out).tasks[0]).toMatchObject({ id: "tidy", status: "succeeded", turns: 3, files_changed: ["NOTES.md", "src/math.js"] });
    expect(run.server.requests).toHaveLength(3);
    const results = readEvents(run.out, "tidy").filter((event) => event.type === "tool_result").map((event) => [event.name, event.status]);
    expect(results).toEqual([["read_file", "ok"], ["string_replace", "ok"], ["string_replace", "ok"], ["write_file", "ok"]]);
  });

  it("gives byte-identical patches, the edits and the new file included", () => {
    const openai = patchOf("openai");
    expect(openai).toContain("+  return a + b; // ünïcödé ✓\n");
    expect(openai).toContain("+  return x / 2;\n");
    expect(openai).toContain("+++ b/NOTES.md\n@@ -0,0 +1,3 @@\n+# Notes\n+\n+- `add` and `half` are spaced out.\n");
    for (const name of dialects) expect({ name, patch: patchOf(name) }).toEqual({ name, patch: openai });
  });

  it("leaves each user's working tree, index, branches and stashes as they were", () => {
    for (const name of dialects) {
      const { now, created } = changedSinceCreated(runOf(name).repo);
      expect(now).toEqual(created);
    }
  });
});
