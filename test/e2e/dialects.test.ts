/**
 * The same task, run by the CLI against a server of each wire dialect: the patches must be the same bytes.
 * One batch runs them all: agents.config.json names one provider per dialect's server, and each provider gets
 * its copy of the task, `tidy-<provider>`.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { DIALECTS, startFakeOpenAI, type FakeOpenAI, type Turn } from "../helpers/fake-openai.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";
import { readEvents, readSummary } from "../helpers/run-folder.ts";

const MATH = "export function add(a, b) {\n  return a+b;\n}\n\nexport function half(x) {\n  return x/2;\n}\n";
const tidyTask = (provider: string) => `id: tidy-${provider}\nprovider: ${provider}\nprompt: Tidy src/math.js and write NOTES.md about it.\n`;

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
  /** This dialect's provider in agents.config.json; its task is `tidy-<provider>`. */
  provider: string;
}

const runs = new Map<string, DialectRun>();
const scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-dialects-"));
const out = join(scratch, "out");
let repo: string;
let result: CliResult;

beforeAll(async () => {
  await Promise.all(Object.entries(DIALECTS).map(async ([name, dialect]) => {
    const server = await startFakeOpenAI([{ match: "Tidy src/math.js", turns: TURNS.map((turn, index) => dialect(turn, index)) }]);
    runs.set(name, { server, provider: name.replace(/\W/g, "-") });
  }));
  const providers = [...runs.values()].map(({ server, provider }) => ({ name: provider, baseUrl: server.url, models: ["m"] }));
  repo = createRepo({
    "src/math.js": MATH,
    ...Object.fromEntries(providers.map(({ name }) => [`tasks/${name}.yaml`, tidyTask(name)])),
    "agents.config.json": JSON.stringify({ providers }),
  });
  result = await runCli(["batch", "tasks/*.yaml", "--out", out], { cwd: repo });
}, 60_000);

afterAll(async () => {
  for (const run of runs.values()) await run.server.close();
  removeDir(repo);
  removeDir(scratch);
});

const dialects = Object.keys(DIALECTS);
const runOf = (name: string): DialectRun => {
  const run = runs.get(name);
  if (!run) throw new Error(`no run for dialect ${name}`);
  return run;
};
const idOf = (name: string): string => `tidy-${runOf(name).provider}`;
const patchOf = (name: string): string => readFileSync(join(out, "tasks", idOf(name), "patch.diff"), "utf8");

describe("the same task against each wire dialect", () => {
  it.each(dialects)("%s: the task succeeds with three requests and every tool call run once", (name) => {
    const run = runOf(name);
    expect(result.code, result.stderr).toBe(0);
    expect(readSummary(out).tasks.find((task) => task.id === idOf(name))).toMatchObject({ status: "succeeded", turns: 3, files_changed: ["NOTES.md", "src/math.js"] });
    expect(run.server.requests).toHaveLength(3);
    const results = readEvents(out, idOf(name)).filter((event) => event.type === "tool_result").map((event) => [event.name, event.status]);
    expect(results).toEqual([["read_file", "ok"], ["string_replace", "ok"], ["string_replace", "ok"], ["write_file", "ok"]]);
  });

  it("gives byte-identical patches, the edits and the new file included", () => {
    const openai = patchOf("openai");
    expect(openai).toContain("+  return a + b; // ünïcödé ✓\n");
    expect(openai).toContain("+  return x / 2;\n");
    expect(openai).toContain("+++ b/NOTES.md\n@@ -0,0 +1,3 @@\n+# Notes\n+\n+- `add` and `half` are spaced out.\n");
    for (const name of dialects) expect({ name, patch: patchOf(name) }).toEqual({ name, patch: openai });
  });

  it("leaves the user's working tree, index, branches and stashes as they were", () => {
    const { now, created } = changedSinceCreated(repo);
    expect(now).toEqual(created);
  });
});
