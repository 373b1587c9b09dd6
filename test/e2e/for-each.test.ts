import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { CLI, runCli } from "../helpers/cli.ts";
import { startCliSteps } from "../helpers/cli-steps.ts";
import { lazy } from "../helpers/lazy.ts";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Turn } from "../helpers/fake-openai.ts";
import { createRepo, git, removeDir, writeFiles } from "../helpers/repo.ts";

const FILES = 50;
const names = Array.from({ length: FILES }, (_, i) => `src/mod${String(i).padStart(2, "0")}.ts`);

/** Each task documents the one file its prompt names, then answers; slow enough to interrupt the run in the middle. */
function script(request: RecordedRequest): Turn {
  const messages = request.body.messages ?? [];
  const user = messages.find((message) => message.role === "user");
  const file = /function in (\S+)\./.exec(typeof user?.content === "string" ? user.content : "")?.[1] ?? "none";
  const turn = messages.filter((message) => message.role === "assistant").length;
  if (turn === 0) return { delay_ms: 40, tool_calls: [{ name: "write_file", arguments: { path: file, content: `/** JSDoc: ${file} */\nexport const x = 1;\n` } }] };
  return { delay_ms: 40, content: `Documented ${file}.` };
}

const JSDOC = `id: jsdoc
labels: [nightly]
prompt: Add JSDoc comments to every exported function in {{ file }}.
for_each:
  file: { glob: "src/**/*.ts", exclude: ["**/*.test.ts"] }
context: ["{{ file }}"]
checks: ["grep -q JSDoc {{ file }}"]
`;

const SHAPES = `id: words
prompt: Say {{ word }}.
for_each:
  word: [alpha, beta]
expect: none
---
id: chunks
prompt: Fix {{ files }}.
for_each:
  file: { glob: "src/mod0*.ts", exclude: ["src/mod00.ts", "**/*.test.ts"], chunk: 4 }
---
id: lint
labels: [weekly]
prompt: Fix the lint errors in {{ pkg.name }} ({{ pkg.path }}).
for_each:
  pkg: { packages: true }
---
id: port
prompt: Port {{ file }} to {{ runtime }}.
for_each:
  file: { glob: "src/mod1[0-1].ts" }
  runtime: { value: [node, deno] }
  exclude: [{ file: src/mod11.ts, runtime: deno }]
`;

let server: FakeOpenAI;
let repo: string;
const outs: string[] = [];
const flags = () => ["--base-url", server.url, "--model", "scripted"];

beforeAll(async () => {
  server = await startFakeOpenAI(script);
  const files: Record<string, string> = {
    "package.json": JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }),
    "packages/core/package.json": JSON.stringify({ name: "@acme/core" }),
    "packages/cli/package.json": JSON.stringify({ name: "@acme/cli" }),
    "src/mod00.test.ts": "test\n",
    "tasks/jsdoc.yaml": JSDOC,
    "tasks/shapes.yaml": SHAPES,
  };
  for (const name of names) files[name] = "export const x = 1;\n";
  repo = createRepo(files);
  // Ignored and untracked files never become tasks: for_each reads the commit.
  writeFiles(repo, { ".gitignore": "build/\n", "build/out.ts": "x\n", "src/new.ts": "untracked\n" });
});

afterAll(async () => {
  await server.close();
  removeDir(repo);
  for (const out of outs) removeDir(out);
});

function newOut(): string {
  const out = join(mkdtempSync(join(tmpdir(), "nanocoder-test-out-")), "run");
  outs.push(join(out, ".."));
  return out;
}

/** The validate runs start no task: they go through one process that loads the command line once (test/helpers/steps.ts). */
const validateRuns = lazy(() => startCliSteps());
afterAll(async () => (await validateRuns()).close());

async function listIds(...args: string[]): Promise<string[]> {
  const result = await (await validateRuns()).run(["validate", "--list", ...args], { cwd: repo });
  expect(result.stderr).not.toContain("Error");
  expect(result.code).toBe(0);
  return result.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0] ?? "");
}

/** The tasks the run folder records as finished (not interrupted). */
function manifestEnds(out: string): string[] {
  if (!existsSync(join(out, "manifest.jsonl"))) return [];
  return readFileSync(join(out, "manifest.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.includes('"type":"task_end"'))
    .map((line) => JSON.parse(line) as { id: string; status: string })
    .filter((entry) => entry.status !== "interrupted")
    .map((entry) => entry.id);
}

type ExpandedTask = { id: string; prompt: string; values: Record<string, unknown>; files?: string[] };

/** `validate --json` of both task files, once for the file: the expansion the tests below check. */
let expanded: Promise<{ code: number | null; stderr: string; tasks: ExpandedTask[] }> | undefined;
function expansion(): NonNullable<typeof expanded> {
  expanded ??= validateRuns().then((steps) => steps.run(["validate", "tasks/jsdoc.yaml", "tasks/shapes.yaml", "--json"], { cwd: repo })).then((result) => ({
    code: result.code,
    stderr: result.stderr,
    tasks: result.code === 0 ? (JSON.parse(result.stdout) as { tasks: ExpandedTask[] }).tasks : [],
  }));
  return expanded;
}

describe("validate --list", () => {
  it("prints the expansion of lists, globs with exclude and chunk, workspace packages and a two-axis product", async () => {
    const result = await expansion();
    expect(result.code).toBe(0);
    // The 50 tasks of jsdoc.yaml come first (the 50-task test checks them); then the shapes, in this order.
    const tasks = result.tasks.slice(FILES);
    expect(tasks.map((task) => [task.id, task.prompt])).toEqual([
      ["words.alpha", "Say alpha."],
      ["words.beta", "Say beta."],
      ["chunks.file-1", "Fix src/mod01.ts src/mod02.ts src/mod03.ts src/mod04.ts."],
      ["chunks.file-2", "Fix src/mod05.ts src/mod06.ts src/mod07.ts src/mod08.ts."],
      ["chunks.file-3", "Fix src/mod09.ts."],
      ["lint.acme-cli", "Fix the lint errors in @acme/cli (packages/cli)."],
      ["lint.acme-core", "Fix the lint errors in @acme/core (packages/core)."],
      ["port.src-mod10-ts.node", "Port src/mod10.ts to node."],
      ["port.src-mod10-ts.deno", "Port src/mod10.ts to deno."],
      ["port.src-mod11-ts.node", "Port src/mod11.ts to node."],
    ]);
    expect(tasks.find((task) => task.id === "lint.acme-cli")).toMatchObject({ values: { pkg: { name: "@acme/cli", path: "packages/cli" } }, files: ["packages/cli/**"] });
  });

  it("refuses task files that expand to no task, with and without --list, as batch does (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nanocoder-test-none-"));
    outs.push(dir);
    writeFileSync(join(dir, "none.yaml"), "id: none\nprompt: Do {{ f }}.\nfor_each: {f: {glob: 'nothing/**'}}\n");
    for (const list of [[], ["--list"]]) {
      const result = await (await validateRuns()).run(["validate", join(dir, "none.yaml"), ...list], { cwd: repo });
      expect(result.stderr).toContain(`${join(dir, "none.yaml")}: the task files expand to no tasks`);
      expect(result.code).toBe(2);
    }
  });

  it("chooses with --label, --only and --limit", async () => {
    expect(await listIds("tasks/*.yaml", "--label", "weekly")).toEqual(["lint.acme-cli", "lint.acme-core"]);
    expect(await listIds("tasks/*.yaml", "--only", "port", "--only", "*.src-mod4*", "--limit", "4")).toEqual(["jsdoc.src-mod40-ts", "jsdoc.src-mod41-ts", "jsdoc.src-mod42-ts", "jsdoc.src-mod43-ts"]);
  });
});

describe("a 50-task expansion against the fake server", () => {
  it("leaves one patch per file, keeps its ids across runs, and resumes after an interrupt", async () => {
    const expandedJsdoc = await expansion();
    expect(expandedJsdoc.stderr).not.toContain("Error");
    expect(expandedJsdoc.code).toBe(0);
    const ids = expandedJsdoc.tasks.slice(0, FILES).map((task) => task.id);
    expect(ids).toEqual(names.map((name) => `jsdoc.${name.replaceAll(/[/.]/g, "-")}`));
    expect(expandedJsdoc.tasks[0]?.prompt).toBe("Add JSDoc comments to every exported function in src/mod00.ts.");
    const out = newOut();
    const child = spawn(process.execPath, [CLI, "batch", "tasks/jsdoc.yaml", ...flags(), "--concurrency", "4", "--out", out], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), CI: "true" },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await expect.poll(() => manifestEnds(out).length, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(5);
    child.kill("SIGINT");
    await exited;
    const before = manifestEnds(out);
    expect(before.length).toBeLessThan(FILES);
    const requestsBefore = server.requests.length;

    const resumed = await runCli(["batch", "tasks/jsdoc.yaml", ...flags(), "--concurrency", "4", "--resume", out], { cwd: repo });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`${before.length} task(s) finished earlier are kept`);
    // Finished tasks did not ask the model again: two requests for each task that was left.
    expect(server.requests.length - requestsBefore).toBe(2 * (FILES - before.length));
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    // The same ids on the second run: the resume found every task of the first.
    expect(summary.tasks.map((task) => task.id)).toEqual(ids);
    expect(summary.totals).toMatchObject({ tasks: FILES, succeeded: FILES });
    for (const [index, task] of summary.tasks.entries()) {
      expect(task.files_changed).toEqual([names[index]]);
      expect(task.checks).toEqual([expect.objectContaining({ name: `grep -q JSDoc ${names[index] ?? ""}`, passed: true })]);
    }
    const patch = readFileSync(join(out, "tasks", "jsdoc.src-mod07-ts", "patch.diff"), "utf8");
    expect(patch).toContain("+/** JSDoc: src/mod07.ts */");
  }, 120_000);

  it("runs, with --changed, only the expanded tasks whose own file changed", async () => {
    writeFiles(repo, { "src/mod03.ts": "export const x = 3;\n", "src/mod30.ts": "export const x = 30;\n" });
    const out = newOut();
    const result = await runCli(["batch", "tasks/*.yaml", "--label", "nightly", "--changed", "HEAD", ...flags(), "--out", out], { cwd: repo });
    git(repo, "checkout", "--", "src");
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(summary.tasks.map((task) => task.id)).toEqual(["jsdoc.src-mod03-ts", "jsdoc.src-mod30-ts"]);
  }, 60_000);
});
