import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { outputSchemas } from "../../src/report/outputs.ts";
import { schemaUrl } from "../../src/report/schema.ts";
import type { RunSummary } from "../../src/report/types.ts";
import { CLI, runCli, type CliResult } from "../helpers/cli.ts";
import { startCliSteps } from "../helpers/cli-steps.ts";
import { lazy } from "../helpers/lazy.ts";
import { readEvents } from "../helpers/run-folder.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { createRepo, git, removeDir, snapshotTree, writeFiles } from "../helpers/repo.ts";

let server: FakeOpenAI;
const cleanup: string[] = [];

beforeAll(async () => {
  server = await startFakeOpenAI([
    {
      match: "Write hello",
      turns: [
        { tool_calls: [{ name: "write_file", arguments: { path: "hello.txt", content: "hello\n" } }] },
        { content: "Wrote hello.txt." },
      ],
    },
    {
      match: "Priced task",
      turns: [
        { tool_calls: [{ name: "list_directory", arguments: {} }], usage: { prompt_tokens: 1_000_000, completion_tokens: 100_000, cached_tokens: 400_000 } },
        { content: "Done, key sk-live-abcdef123456.", usage: { prompt_tokens: 1_000_000, completion_tokens: 100_000, cached_tokens: 400_000 } },
      ],
    },
  ]);
});
afterAll(() => server.close());
afterEach(() => {
  for (const dir of cleanup.splice(0)) removeDir(dir);
});

function repoWith(files: Record<string, string>): string {
  const repo = createRepo({ "README.md": "# project\n", ...files });
  cleanup.push(repo);
  return repo;
}

/**
 * One repository for the runs that stop at a user error or only validate, which leave it as it was: a task file,
 * a malformed one, two with the same id.
 */
const sharedRepo = lazy(() => {
  const repo = createRepo({
    "README.md": "# project\n",
    "tasks/a.yaml": "prompt: A\n",
    "tasks/bad.yaml": "id: bad\nprompt: Do it.\nlimits:\n  max_turns: many\n",
    "same/a.yaml": "id: same\nprompt: A\n",
    "same/b.yaml": "id: same\nprompt: B\n",
    "two/a.yaml": "prompt: A\n---\nprompt: B\nlimits: {max_turns: 3}\n",
  });
  sharedCleanup.push(repo);
  return repo;
});
const sharedCleanup: string[] = [];
afterAll(() => {
  for (const dir of sharedCleanup) removeDir(dir);
});

/**
 * A repository with uncommitted changes, one of them staged, and two runs of its task there: one from HEAD
 * with -v and --json, one from the index (--staged) with --max-turns 1. The warning, flag and --json tests read them.
 */
const dirtyRepo = lazy(() => {
  const repo = createRepo({ "README.md": "# project\n", "tasks/a.yaml": "prompt: Write hello to hello.txt\n", "src/a.ts": "a\n", "src/b.ts": "b\n" });
  sharedCleanup.push(repo);
  writeFiles(repo, { "src/a.ts": "a changed\n", "src/b.ts": "b changed\n", "notes.txt": "new\n" });
  git(repo, "add", "src/b.ts");
  return repo;
});
/**
 * A run the command line refuses before any task starts, or one that starts none (validate, --help, --version).
 * These go one after another through one process that loads the command line once (test/helpers/steps.ts);
 * every run that may start a task gets a process of its own.
 */
const refusals = lazy(() => startCliSteps());
async function refused(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return (await refusals()).run(args, options);
}
afterAll(async () => (await refusals()).close());

/**
 * A run in a repository of its own, its prompt from standard input, with -v and no --json: the repository as it was
 * before and right after the run (the run folders, each with its patch; the snapshot; git status).
 */
const runFromStdin = lazy(async () => {
  const repo = createRepo({ "README.md": "# project\n" });
  sharedCleanup.push(repo);
  const before = snapshotTree(repo, [".nanocoder"]);
  const result = await runCli(["run", "-", "-v", ...flags()], { cwd: repo, input: "Write hello to hello.txt\n" });
  const runs = readdirSync(join(repo, ".nanocoder/runs"))
    .filter((name) => name !== ".gitignore")
    .map((name) => ({ name, patch: readFileSync(join(repo, ".nanocoder/runs", name, "tasks/run/patch.diff"), "utf8") }));
  return { repo, before, result, runs, after: snapshotTree(repo, [".nanocoder"]), status: git(repo, "status", "--porcelain") };
});

/** The run from HEAD, with -v and --json: -v's lines on stderr, the summary alone on stdout, the run folder in `out`. */
const verboseFromHead = lazy(async () => {
  const out = mkdtempSync(join(tmpdir(), "nanocoder-test-"));
  sharedCleanup.push(out);
  const result = await runCli(["batch", "tasks/a.yaml", "--base-url", server.url, "-m", "scripted", "-v", "--json", "--out", out], { cwd: await dirtyRepo() });
  return { ...result, out };
});
const limitedFromIndex = lazy(async () => runCli(["batch", "tasks/a.yaml", "--staged", "--base-url", server.url, "-m", "scripted", "--max-turns", "1"], { cwd: await dirtyRepo() }));

/** Ten tasks at concurrency 4, streaming their events with --jsonl. */
const tenTasks = lazy(async () => {
  const tasks: Record<string, string> = {};
  for (let i = 1; i <= 10; i++) tasks[`tasks/t${String(i).padStart(2, "0")}.yaml`] = `prompt: Write hello (task ${i})\n`;
  const repo = createRepo({ "README.md": "# project\n", ...tasks });
  const out = mkdtempSync(join(tmpdir(), "nanocoder-test-"));
  sharedCleanup.push(repo, out);
  const result = await runCli(["batch", "tasks/*.yaml", "--concurrency", "4", "--jsonl", "--out", out, ...flags()], { cwd: repo });
  return { result, out };
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-test-"));
  cleanup.push(dir);
  return dir;
}

const flags = () => ["--base-url", server.url, "--model", "scripted"];

describe("invalid input exits 2 with a message and no stack trace", () => {
  // Also covered elsewhere, so not here: an unknown command (invalid-input.test.ts), a batch outside a git
  // repository (input-edge-cases.test.ts, "outside a repository, and in a repository without commits").
  it.each([
    ["a malformed task file", ["batch", "tasks/bad.yaml"], 'tasks/bad.yaml:4:3: limits.max_turns: expected a positive integer, got "many"'],
    ["duplicate ids across files", ["batch", "same/*.yaml"], 'duplicate task id "same"'],
    ["a glob that matches nothing", ["batch", "none/*.yaml"], "none/*.yaml"],
    ["an unknown option", ["batch", "tasks/a.yaml", "--concurency", "2"], "unknown option --concurency (did you mean --concurrency?)"],
    ["an unknown short option", ["batch", "tasks/a.yaml", "-q"], "unknown option -q; see --help"],
    ["a short option for a long one", ["batch", "tasks/a.yaml", "-j"], "unknown option -j (did you mean --json or --jsonl?)"],
    ["a short option run does not take", ["run", "Write hello", "-c", "2"], "unknown option -c (did you mean --config?)"],
    ["a batch option run does not take", ["run", "Write hello", "--concurrency", "2"], "unknown option --concurrency"],
    ["a bad --max-turns", ["batch", "tasks/a.yaml", "--max-turns", "0"], '--max-turns: expected a positive integer, e.g. 20, got "0"'],
    ["a bad concurrency", ["batch", "tasks/a.yaml", "--concurrency", "zero"], '--concurrency: expected a positive integer, got "zero"'],
    ["a base that is no commit", ["batch", "tasks/a.yaml", "--base", "nope"], "--base nope: no such commit"],
    ["no task files", ["batch"], "give one or more task files"],
    ["--retry-failed without --resume", ["batch", "tasks/a.yaml", "--retry-failed"], "--retry-failed reruns the failed tasks of an earlier run: give the run's folder with --resume DIR"],
  ])("%s", async (_name, args, message) => {
    const result = await refused([...args, ...flags()], { cwd: await sharedRepo() });
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(2);
  });

  it("a model missing with no config explains how to choose one", async () => {
    const result = await refused(["batch", "tasks/a.yaml"], { cwd: await sharedRepo() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--model/);
  });
});

describe("commands", () => {
  it("tells a user of an older Node.js what it needs, without a stack trace (exit 2)", () => {
    const olderNode = 'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"20.19.0"}})';
    const result = spawnSync(process.execPath, ["--import", olderNode, CLI, "--version"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^nanocoder needs Node\.js 22\.12 or newer; this is Node\.js 20\.19\.0 \(/);
    // From the clone, the alias to its own Node.js, which works from any folder; never `npx nanocoder`, which does not.
    const clone = join(CLI, "../../..");
    expect(result.stderr).toContain(`Use the clone's own Node.js 24: alias nanocoder="${clone}/node_modules/.bin/node ${clone}/dist/cli/main.js"`);
    expect(result.stderr).not.toContain("npx");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints the version and help", async () => {
    const dir = tempDir();
    const version = await refused(["--version"], { cwd: dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // In a process of its own: no colour on a pipe is main.js's doing, which the step process sets for every run.
    const help = await runCli(["batch", "--help"], { cwd: dir, env: { CI: "" } });
    expect(help.code).toBe(0);
    expect(help.stdout).not.toContain("\u001b[");
    expect(help.stdout).toContain("--concurrency");
    expect(help.stdout).toContain("--base-url");
  });

  it("run --help lists only what run takes", async () => {
    const help = await refused(["run", "--help"], { cwd: tempDir(), env: { CI: "" } });
    expect(help.code).toBe(0);
    for (const flag of ["--max-turns", "--verbose", "-m, --model", "--apply", "$NANOCODER_CONFIG_DIR"]) expect(help.stdout).toContain(flag);
    for (const flag of ["--concurrency", "--shard", "--resume", "--retry-failed"]) expect(help.stdout).not.toContain(flag);
  });

  it("validate takes -m for --model, and a short flag's value is not read as a task file", async () => {
    const result = await refused(["validate", "tasks/a.yaml", "--base-url", server.url, "-m", "gpt-4o", "--max-turns", "1"], { cwd: await sharedRepo() });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("ok a (127.0.0.1/gpt-4o, 1 turn, ");
    expect(result.code).toBe(0);
  });

  it("run prints the patch's path and the git apply line; run --apply applies it", async () => {
    // The run from standard input (below) shows where its patch is; this test then applies it.
    const { repo, result: shown } = await runFromStdin();
    expect(shown.code).toBe(0);
    const patch = /^patch: (\.nanocoder\/runs\/[^/]+\/tasks\/[^/]+\/patch\.diff)$/m.exec(shown.stderr)?.[1];
    expect(patch).toBeDefined();
    expect(shown.stderr).toContain(`apply it with: git apply ${patch ?? ""}`);
    expect(existsSync(join(repo, "hello.txt"))).toBe(false);
    git(repo, "apply", patch ?? "");
    expect(readFileSync(join(repo, "hello.txt"), "utf8")).toBe("hello\n");
    git(repo, "clean", "-fdq", "--exclude=.nanocoder");

    const applied = await runCli(["run", "Write hello to hello.txt", "--base-url", server.url, "-m", "scripted", "--apply"], { cwd: repo });
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(/applied the patches of \S+/);
    expect(readFileSync(join(repo, "hello.txt"), "utf8")).toBe("hello\n");
  });

  it("--max-turns limits every task; -v prints each tool call and the policy's decision", async () => {
    const limited = await limitedFromIndex();
    expect(limited.stdout).toMatch(/^a\s+limit_exceeded\s+max_turns\s+1 turn\s/m);
    expect(limited.code).toBe(1);

    const result = await verboseFromHead();
    expect(result.stderr).toContain('a turn 1: write_file {"path":"hello.txt","content":"hello\\n"}');
    expect(result.stderr).toMatch(/^a {3}allow write hello\.txt \(/m);
    expect(result.code).toBe(0);
  });

  it("warns of uncommitted changes the tasks will not see, and with --staged of the unstaged ones only", async () => {
    const fromHead = await verboseFromHead();
    expect(fromHead.stderr).toContain("warning: 3 file(s) have uncommitted changes, which the tasks will not see (they start from HEAD): src/a.ts, src/b.ts, notes.txt; commit them, or stage them and pass --staged");
    const fromIndex = await limitedFromIndex();
    expect(fromIndex.stderr).toContain("warning: 2 file(s) have changes that are not staged, which the tasks will not see (they start from the staged files): src/a.ts, notes.txt; stage them (git add) to include them");
  });

  it("validate checks tasks and config without calling a model", async () => {
    const repo = await sharedRepo();
    const before = server.requests.length;
    const result = await refused(["validate", "two/a.yaml", ...flags()], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ok a-2 (127.0.0.1/scripted, 3 turns");
    expect(result.stdout).toContain("2 task(s) valid");
    expect(server.requests.length).toBe(before);
  });

  it("run - with empty standard input says so (exit 2)", async () => {
    const result = await runCli(["run", "-", ...flags()], { cwd: await sharedRepo(), input: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('run -: standard input was empty; pipe the prompt in, e.g. echo "fix the failing test" | nanocoder run -\n');
  });

  it("run takes the prompt from stdin, prints the answer and keeps the run folder out of git", async () => {
    const { before, result, runs, after, status } = await runFromStdin();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Wrote hello.txt.");
    // -v without --json: each tool call on stderr beside the progress lines, none of it in the answer on stdout.
    expect(result.stderr).toContain('run turn 1: write_file {"path":"hello.txt","content":"hello\\n"}');
    expect(result.stdout).not.toContain("turn 1:");
    expect(runs).toHaveLength(1);
    expect(runs[0]?.patch).toContain("+hello");
    expect(after).toEqual(before);
    expect(status).toBe("");
  });

  it("--json prints summary.json and the run folder's path on stdout, and nothing else", async () => {
    // The run from HEAD, given -v too: its lines go to stderr, never to stdout.
    const { code, stdout, out } = await verboseFromHead();
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as RunSummary;
    expect(printed).toEqual({ ...JSON.parse(readFileSync(join(out, "summary.json"), "utf8")), run_dir: out });
    expect(printed.tasks[0]?.files_changed).toEqual(["hello.txt"]);
  });

  it("--jsonl streams every event of every task on stdout, each with its task id, as the schema describes", async () => {
    const { result, out } = await tenTasks();
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]?.$schema).toBe(schemaUrl("stream-line"));
    for (const line of lines) expect(outputSchemas["stream-line"].parse(line)).toEqual(line);
    // Each task's lines are its events.jsonl, in order, times included; only the first line's $schema differs.
    const bare = ({ $schema: _schema, task: _task, ...event }: Record<string, unknown>) => event;
    const ids = Array.from({ length: 10 }, (_, i) => `t${String(i + 1).padStart(2, "0")}`);
    for (const id of ids) {
      expect(lines.filter((line) => line.task === id).map(bare)).toEqual(readEvents(out, id).map(bare));
    }
    expect(result.stderr).toContain("10/10 succeeded");
  });

  it.each([
    ["--json", ["batch", "tasks/missing.yaml", "--json"], "E_TASK_NOT_FOUND", 2],
    ["--jsonl", ["run", "Write hello", "--jsonl", "--concurency", "2"], "E_USAGE", 2],
    ["--json with --jsonl", ["run", "Write hello", "--json", "--jsonl"], "E_USAGE", 2],
    // Nothing listens on port 9 (discard): the provider check finds the server unreachable.
    ["--jsonl, the provider check failing", ["run", "Write hello", "--jsonl", "--base-url", "http://127.0.0.1:9/v1"], "E_PROVIDER_UNREACHABLE", 3],
  ] as const)("under %s, an error is a JSON object on stdout too, with the same exit code", async (_flag, args, code, exitCode) => {
    const server = (args as readonly string[]).includes("--base-url") ? ["--model", "scripted"] : flags();
    const result = await refused([...args, ...server], { cwd: await sharedRepo() });
    expect(result.code).toBe(exitCode);
    const printed = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(printed.error.code).toBe(code);
    expect(result.stderr).toContain(printed.error.message);
  });
});

describe("ten tasks at concurrency 4", () => {
  it("gives ten patches, ten event logs and a summary, never more than four at once", async () => {
    const { result, out } = await tenTasks();
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(summary.totals).toMatchObject({ tasks: 10, succeeded: 10 });
    for (const task of summary.tasks) {
      expect(readFileSync(join(out, "tasks", task.id, "patch.diff"), "utf8")).toContain("+hello");
    }
    // The progress lines come in the order tasks start and end (exact, unlike millisecond timestamps).
    let running = 0;
    let overlap = 0;
    for (const line of result.stderr.split("\n")) {
      if (/^start t\d\d$/.test(line)) overlap = Math.max(overlap, ++running);
      if (/^✔ t\d\d succeeded/.test(line)) running--;
    }
    expect(running).toBe(0);
    expect(overlap).toBeGreaterThan(1);
    expect(overlap).toBeLessThanOrEqual(4);
    // Plain progress lines on stderr when not in a terminal.
    expect(result.stderr.match(/^start t\d\d$/gm)).toHaveLength(10);
  });
});

describe("providers from agents.config.json", () => {
  it("substitutes the API key from the environment, prices cached input apart, and redacts the key", async () => {
    const repo = repoWith({
      "tasks/p.yaml": "prompt: Priced task\nexpect: none\n",
      "agents.config.json": JSON.stringify({
        nanocoder: {
          providers: [
            {
              name: "fake",
              baseUrl: server.url,
              apiKey: "${FAKE_KEY}",
              models: ["priced-model"],
              pricing: { "priced-model": { input: 2, output: 10, cached_input: 0.5 } },
              unusedSetting: true,
            },
          ],
        },
      }),
    });
    const out = tempDir();
    const result = await runCli(["batch", "tasks/p.yaml", "--out", out], { cwd: repo, env: { FAKE_KEY: "sk-live-abcdef123456" } });
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    // Per request: 600k uncached × $2/M + 400k cached × $0.5/M + 100k out × $10/M = $1.2 + $0.2 + $1 = $2.4
    expect(summary.tasks[0]?.cost_usd).toBeCloseTo(4.8, 10);
    expect(summary.tasks[0]).toMatchObject({ provider: "fake", model: "priced-model", tokens: { input: 2_000_000, cached: 800_000, output: 200_000 } });
    expect(summary.tasks[0]?.final_message).toBe("Done, key [REDACTED].");
    const last = server.requests.at(-1);
    expect(last?.headers.authorization).toBe("Bearer sk-live-abcdef123456");
    expect(existsSync(join(out, "report.md"))).toBe(true);
    expect(readFileSync(join(out, "tasks/p/events.jsonl"), "utf8")).not.toContain("sk-live-abcdef123456");
  });

  it("starts no task when nothing listens at the provider's URL: exit 3, naming the server and where to fix it", async () => {
    const repo = repoWith({
      "tasks/a.yaml": "prompt: A\n",
      "agents.config.json": JSON.stringify({ providers: [{ name: "down", baseUrl: "http://127.0.0.1:9/v1", models: ["m"], maxRetries: 0 }] }),
    });
    const out = tempDir();
    // No task starts: in the one process of the refusals.
    const result = await refused(["batch", "tasks/a.yaml", "--out", out], { cwd: repo });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('provider check: provider "down", model "m": GET http://127.0.0.1:9/v1/models: connection refused (ECONNREFUSED); is the server running at http://127.0.0.1:9/v1? Fix baseUrl in agents.config.json:1:15 (or --base-url)\n');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, "summary.json"))).toBe(false);
  });
});
