/**
 * npm run bench: numbers, not pass/fail. Prints a table (median, min, max over several runs) and writes
 * bench/results.json. Everything runs on this machine against the scripted server on 127.0.0.1.
 *
 * What each row measures, and how (issue 7):
 *  1. cold start: a new process each time (`--version`; `validate` of 100 task files). Node's compile
 *     cache (enabled by the CLI) is warm after the first run on a machine, as it is for a user; the
 *     "first start" row runs with NODE_DISABLE_COMPILE_CACHE=1 to show the other case. The "start-up CPU"
 *     rows (`--startup` runs them alone) give user + sys CPU of the commands a test suite or a pre-commit
 *     hook runs most, with the git and sandbox processes they start.
 *  2. a single-turn task: the whole CLI run, start to summary written (process exit).
 *  3. per-step overhead: a task of 500 read_file steps against a server with no latency, compared with
 *     a task of 0 steps (same CLI, same repository), so start-up, worktree and summary cancel out:
 *       ((wall500 − wall0) − (server500 − server0) − (tool500 − tool0)) / 500
 *     server time is measured in this process (http.server request start → response finish, via
 *     diagnostics_channel), tool time is the sum of the tool_result events' duration_ms (the tool's own
 *     work, including its policy decision). What is left is ours: the loop, events, request building,
 *     the SDK's HTTP and stream parsing. The provider's window is set to 1M tokens so that no compaction
 *     happens (the history ends near 600 kB).
 *  4. concurrency: 200 tasks × 5 model requests (4 read_file steps and an answer), 50 ms per request,
 *     concurrency 32; efficiency = ideal / wall, ideal = tasks × requests × latency / concurrency, wall =
 *     the whole CLI run (start-up included). A second row takes the wall from the first task's start to
 *     the last task's end (manifest.jsonl), without start-up and reports; equal tasks run in whole waves,
 *     so even a runner with no overhead gets ceil(200 / 32) × 250 ms there.
 *  5. isolation per task on a repository of 20,000 files, through the worktree pool a run uses: acquire a
 *     clean checkout, change two files, collect the patch, release. A run makes one worktree per concurrent
 *     task and resets it between tasks; the rows give the reused case (the target), the first task on a new
 *     worktree, the removal at the end, and what that adds up to per task in a 200-task run at ×32.
 *  6. fixed prompt: o200k tokens of messages[0] (the system prompt) plus JSON of `tools` in the first
 *     request as the server received it.
 *  7. peak RSS of the CLI process for 2 and 4 (/usr/bin/time -v, else a `--import` hook that reports
 *     process.resourceUsage().maxRSS at exit).
 *  8. the 50-task batch of test/e2e/faults.test.ts against a server that fails in every way: the whole CLI
 *     run (the test checks the behaviour; its time, once an assertion there, is this row).
 *  9. for_each at scale (issue 17; `node bench/run.ts --scale` runs these rows alone): a repository of
 *     10,000 source files and one task file whose for_each glob makes a task of each. `validate --list`
 *     (read, expand, list) and `validate` (expand, then plan every task: provider, policy, limits, context
 *     check) as whole CLI runs, with their CPU time (user + sys, /usr/bin/time) beside the wall time, since
 *     the machine is shared. Then the runner's memory through long runs: peak RSS of a 500-task and a
 *     2,000-task batch (one answer per task, concurrency 16) against the scripted server; bounded means the
 *     second is not four times the first.
 * 10. report.html of a generated run folder of 1,000 long tasks: writing it, its size, its load time in
 *     chromium and the time to open one task (bench/html-report.ts; `--html` runs these rows alone).
 * 11. MCP: server-everything's start and tool listing per task, plain and in bubblewrap, and its tool
 *     schemas' share of the fixed prompt (`--mcp` runs these rows alone).
 *
 * Rows 1, 2 and 6 are measured for nanocoder 1.30 too, installed from npm into a cached temporary folder.
 */
import { execFileSync, spawn } from "node:child_process";
import { subscribe } from "node:diagnostics_channel";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { decideCommand } from "../src/policy/commands.ts";
import { decide } from "../src/policy/decide.ts";
import { builtinPolicy } from "../src/policy/default.ts";
import { loadShellParser } from "../src/policy/shell/parser.ts";
import type { Decision, Policy } from "../src/policy/types.ts";
import { createEffectCheck, WHOLE_TASK } from "../src/run/effects.ts";
import { resolveSandbox } from "../src/sandbox/index.ts";
import { probeBwrap } from "../src/sandbox/probe.ts";
import executeBash from "../src/tools/execute-bash.ts";
import { resolveAccesses } from "../src/policy/resolve/index.ts";
import type { WrapCommand } from "../src/tools/types.ts";
import { createWorktreePool, type WorktreePool } from "../src/workspace/pool.ts";
import { startFakeOpenAI, type RecordedRequest, type Script, type Turn } from "../test/helpers/fake-openai.ts";
import { createRepo, git, writeFiles } from "../test/helpers/repo.ts";
import { createNpmProject } from "../test/helpers/projects.ts";
import { benchHtmlReport } from "./html-report.ts";
import { FLAKY_PROVIDER, flakyConversation, flakyTasks, TASKS } from "../test/helpers/flaky-batch.ts";
import { z } from "zod";
import type { McpServerConfig } from "../src/mcp/config.ts";
import { startMcpSession } from "../src/mcp/session.ts";
import { builtinTools } from "../src/tools/index.ts";
import { findDependencies, foldersToShow, linkDependencies, removeLinked, stillLinked } from "../src/workspace/dependencies.ts";

interface Row {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number;
  target?: string;
  nanocoder?: { median: number; min: number; max: number; runs: number } | string;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cli/main.js");
const rows: Row[] = [];
const NANOCODER_VERSION = "1.30";

function stats(samples: number[]): { median: number; min: number; max: number; runs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, runs: samples.length };
}

function record(name: string, unit: string, samples: number[], extra: Pick<Row, "target" | "nanocoder"> = {}): void {
  rows.push({ name, unit, ...stats(samples), ...extra });
}

// ---- processes --------------------------------------------------------------------------------------

interface Ran {
  ms: number;
  code: number | null;
  /** Peak RSS in MB, when asked for. */
  rssMb?: number;
  /** User plus system CPU time in ms, when RSS was asked for and /usr/bin/time measured it. */
  cpuMs?: number;
  stdout: string;
  stderr: string;
}

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  'import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))',
)}`;

/** Runs `node <args>` (the same Node as this script), timing it from spawn to exit. */
function runNode(args: string[], cwd: string, options: { env?: Record<string, string>; rss?: boolean } = {}): Promise<Ran> {
  const env = { PATH: process.env.PATH ?? "", HOME: cwd, ...options.env };
  let command = process.execPath;
  let argv = args;
  const rssFile = options.rss ? join(mkdtempSync(join(tmpdir(), "nanocoder-bench-rss-")), "rss") : undefined;
  if (rssFile && TIME) {
    command = TIME;
    argv = ["-v", "-o", rssFile, process.execPath, ...args];
  } else if (rssFile) {
    argv = ["--import", RSS_HOOK, ...args];
    Object.assign(env, { BENCH_RSS_FILE: rssFile });
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      let rssMb: number | undefined;
      let cpuMs: number | undefined;
      if (rssFile) {
        const text = readFileSync(rssFile, "utf8");
        const kb = TIME ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1]) : Number(text);
        rssMb = kb / 1024;
        if (TIME) cpuMs = (Number(/User time \(seconds\): ([\d.]+)/.exec(text)?.[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(text)?.[1])) * 1000;
        rmSync(join(rssFile, ".."), { recursive: true, force: true });
      }
      resolve({ ms, code, stdout, stderr, ...(rssMb === undefined ? {} : { rssMb }), ...(cpuMs === undefined ? {} : { cpuMs }) });
    });
  });
}

async function runCli(args: string[], cwd: string, options: { env?: Record<string, string>; rss?: boolean } = {}): Promise<Ran> {
  const ran = await runNode([cli, ...args], cwd, options);
  return ran;
}

function expectExit(ran: Ran, what: string, codes = [0]): Ran {
  if (!codes.includes(ran.code ?? -1)) throw new Error(`${what}: exit code ${ran.code}\n${ran.stderr.slice(-2000)}`);
  return ran;
}

// ---- server time --------------------------------------------------------------------------------------

/** Milliseconds the fake server spent on requests (request start → response finished), for the rows that need it. */
const serverClock = { totalMs: 0, starts: new WeakMap<IncomingMessage, number>() };
subscribe("http.server.request.start", (message) => {
  serverClock.starts.set((message as { request: IncomingMessage }).request, performance.now());
});
subscribe("http.server.response.finish", (message) => {
  const { request } = message as { request: IncomingMessage; response: ServerResponse };
  const started = serverClock.starts.get(request);
  if (started !== undefined) serverClock.totalMs += performance.now() - started;
});

// ---- rows ---------------------------------------------------------------------------------------------

async function benchPolicyDecision(): Promise<void> {
  const parser = await loadShellParser();
  const policy: Policy = {
    ...builtinPolicy,
    commands: {
      allow: [{ pattern: "npm run lint **" }, { pattern: "git diff **" }, { pattern: "cat *" }],
      deny: [{ pattern: "git push **" }, { pattern: "rm -r **" }],
    },
  };
  const allowFile = (): Decision => ({ decision: "allow", reason: "", rule: "files.write.allow[0]" });
  const command = "npm run lint -- --fix && git diff HEAD~1 -- src | cat - > src/out.txt";
  for (let i = 0; i < 500; i++) decideCommand(policy, parser.parse(command), allowFile);
  const samples: number[] = [];
  for (let round = 0; round < 15; round++) {
    const started = performance.now();
    for (let i = 0; i < 200; i++) decideCommand(policy, parser.parse(command), allowFile);
    samples.push(((performance.now() - started) / 200) * 1000);
  }
  record("policy: parse + decide a 3-segment command", "µs", samples);
}

/**
 * Issue 13, part 6: a whole decision per command, in-process, as execute_bash makes it (parse, workspace
 * facts, decide), over a policy that allows ordinary work, in a repository of 9 files (a recursive read of
 * `.` lists the tree, up to 5,000 entries, so it costs more in a large one). Per round every command is
 * decided 10 times; the rows give p50 and p99 of a round, then the heap (after a full GC) and RSS growth over
 * 1,000 decisions.
 */
async function benchAgentCommandDecisions(): Promise<void> {
  // What coding agents run, the two that once took a second and 575 MB first.
  const commands = [
    "cd /testbed && grep -n abcdefghi a.py",
    "nl -ba astropy/io/ascii/cds.py | sed -n 1,220p",
    "cd /testbed && grep -n abc a.py",
    "nl -ba a.py | sed -n 1,220p",
    "grep -rn 'def _process_fmt_and_precision_and_lookup_table' astropy/ --include=*.py",
    "grep -rn TestConfigurationLoaderRegression tests/ src/",
    "grep -n 'class AsciiTableOutputWriter\\|def write_table_fixed_width' astropy/io/ascii/cds.py",
    "grep -rn units_in_the_machine_readable_table_header --include=*.py . | head -20",
    "sed -n 1,120p astropy/io/ascii/cds.py",
    "sed -n '240,310p' src/policy/decide.ts",
    "sed -n 45,90p tests/test_cds.py",
    "find . -name '*.py' -path '*ascii*' | head -20",
    "find . -name 'test_*.py' -not -path './node_modules/*'",
    "find src -type f -name '*.ts' | sort",
    "cat setup.cfg",
    "cat package.json | head -40",
    "cat -n src/index.ts",
    "head -50 README.md",
    "ls -la astropy/io/ascii/",
    "wc -l astropy/io/ascii/cds.py a.py",
    "python -m pytest tests/test_cds.py -x -q",
    "python -m pytest astropy/io/ascii/tests/test_cds.py::test_roundtrip_mrt_table -xvs 2>&1 | tail -30",
    "cd /testbed && python -m pytest -q -k 'cds and not slow'",
    "npm test",
    "npm test -- --run test/policy",
    "npm run lint",
    "git diff",
    "git diff HEAD -- astropy/io/ascii/cds.py",
    "git status && git diff --stat",
    "git log --oneline -5",
  ];
  const repo = createRepo({
    "a.py": "print('a')\n",
    "astropy/io/ascii/cds.py": "class Cds:\n    pass\n",
    "astropy/io/ascii/tests/test_cds.py": "def test_roundtrip_mrt_table():\n    pass\n",
    "tests/test_cds.py": "def test_cds():\n    pass\n",
    "src/index.ts": "export {};\n",
    "src/policy/decide.ts": "export {};\n",
    "setup.cfg": "[metadata]\nname = bench\n",
    "package.json": `${JSON.stringify({ scripts: { test: "vitest", lint: "eslint ." } })}\n`,
    "README.md": "# bench\n",
  });
  const allow = ["cd *", "grep **", "nl **", "sed -n **", "find **", "cat **", "head **", "tail **", "ls **", "wc **", "sort **", "python -m pytest **", "npm test **", "npm run lint **", "git diff **", "git status **", "git log **"];
  const policy: Policy = { ...builtinPolicy, commands: { allow: allow.map((pattern) => ({ pattern })), deny: [{ pattern: "git push **" }, { pattern: "rm -r **" }] } };
  const decideOne = async (command: string): Promise<number> => {
    const started = performance.now();
    decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command }], repo));
    return performance.now() - started;
  };
  for (let round = 0; round < 3; round++) for (const command of commands) await decideOne(command);

  const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  const p50: number[] = [];
  const p99: number[] = [];
  const perCommand = new Map(commands.map((command) => [command, [] as number[]]));
  for (let round = 0; round < 10; round++) {
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      for (const command of commands) {
        const ms = await decideOne(command);
        samples.push(ms);
        perCommand.get(command)?.push(ms * 1000);
      }
    }
    samples.sort((a, b) => a - b);
    p50.push(percentile(samples, 0.5) * 1000);
    p99.push(percentile(samples, 0.99));
  }
  const label = `policy: decide an agent command (${commands.length} kinds, parse + facts + decide)`;
  record(`${label}, p50`, "µs", p50);
  record(`${label}, p99`, "ms", p99, { target: "≤ 5" });
  for (const command of commands.slice(0, 2)) record(`policy:   \`${command}\``, "µs", perCommand.get(command) ?? []);

  setFlagsFromString("--expose-gc");
  const collect = runInNewContext("gc") as () => void;
  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < 1000; i++) await decideOne(commands[i % commands.length] ?? "true");
  collect();
  const mb = (bytes: number) => bytes / 1024 / 1024;
  record("policy: heap growth over 1,000 decisions (after GC)", "MB", [mb(process.memoryUsage().heapUsed - heapBefore)], { target: "flat" });
  record("policy: RSS growth over 1,000 decisions", "MB", [mb(process.memoryUsage().rss - rssBefore)], { target: "flat" });
  rmSync(repo, { recursive: true, force: true });
}

type CountTokens = (text: string) => number;

/** o200k tokens of the system prompt and of the tool schemas, as the server received them. */
function fixedPromptTokens(request: RecordedRequest | undefined, countTokens: CountTokens): { system: number; tools: number } {
  const system = request?.body.messages?.[0];
  const text = typeof system?.content === "string" ? system.content : JSON.stringify(system?.content ?? "");
  return { system: countTokens(text), tools: countTokens(JSON.stringify(request?.body.tools ?? [])) };
}

async function benchStartup(nanocoder: Nanocoder): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-bench-"));
  const samples: number[] = [];
  for (let i = 0; i < 8; i++) samples.push(expectExit(await runCli(["--version"], dir), "--version").ms);
  const theirs = nanocoder.ok ? await repeat(6, async () => expectExit(await nanocoder.run(["--version"], dir), "nanocoder --version").ms) : nanocoder.reason;
  record("1. start-up: --version", "ms", samples.slice(1), { target: "≤ 120", nanocoder: typeof theirs === "string" ? theirs : stats(theirs.slice(1)) });

  const repo = createRepo({ "README.md": "# bench\n", ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`tasks/t${i}.yaml`, `prompt: Task number ${i}\nlimits:\n  max_turns: 10\n`])) });
  const validate = await repeat(6, async () => expectExit(await runCli(["validate", "tasks/*.yaml", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"], repo), "validate").ms);
  record("1. start-up: validate 100 task files", "ms", validate.slice(1));
  rmSync(dir, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
}

/**
 * The CPU (user + sys, the process and the git and sandbox processes it waits for) of the runs a test suite
 * and a pre-commit hook make most: `--version`, `validate` and `policy check` of one task or command, and
 * a batch of one and of five tasks (concurrency 1, each writing a file) against the scripted server. CPU,
 * not wall time, since the machine is shared; the minimum of several runs.
 */
async function benchStartupCpu(): Promise<void> {
  if (!TIME) return;
  const tasks = ["t0", "t1", "t2", "t3", "t4"];
  const server = await startFakeOpenAI(tasks.map((id) => ({ match: `Task ${id}`, turns: [{ tool_calls: [{ name: "write_file", arguments: { path: `${id}.txt`, content: `${id}\n` } }] }, { content: "done" }] })));
  const repo = createRepo({ "README.md": "# bench\n", "package.json": '{"name":"bench"}\n', ...Object.fromEntries(tasks.map((id) => [`tasks/${id}.yaml`, `prompt: Task ${id}, write a file\n`])) });
  const provider = ["--base-url", server.url, "--model", "m"];
  let out = 0;
  const commands: [string, () => string[]][] = [
    ["--version", () => ["--version"]],
    ["validate, 1 task", () => ["validate", "tasks/t0.yaml", ...provider]],
    ["policy check --command", () => ["policy", "check", "--command", "git status"]],
    ["batch, 1 task", () => ["batch", "tasks/t0.yaml", ...provider, "--out", join(repo, `.out-${out++}`)]],
    ["batch, 5 tasks at concurrency 1", () => ["batch", "tasks/*.yaml", ...provider, "--concurrency", "1", "--out", join(repo, `.out-${out++}`)]],
  ];
  for (const [name, args] of commands) {
    const cpu = await repeat(6, async () => expectExit(await runCli(args(), repo, { rss: true }), name).cpuMs ?? 0);
    record(`1. start-up CPU: ${name}`, "ms", cpu);
  }
  await server.close();
  rmSync(repo, { recursive: true, force: true });
}

async function repeat(times: number, work: () => Promise<number>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push(await work());
  return samples;
}

async function benchSingleTask(nanocoder: Nanocoder, countTokens: CountTokens): Promise<void> {
  const server = await startFakeOpenAI([{ match: "Say done", turns: [{ content: "done" }] }]);
  const repo = createRepo({ "README.md": "# bench\n", "task.yaml": "prompt: Say done\n" });
  const args = (i: number, env?: Record<string, string>) => runCli(["batch", "task.yaml", "--base-url", server.url, "--model", "m", "--out", join(repo, `.out-${i}`)], repo, { rss: true, ...(env ? { env } : {}) });
  const first = expectExit(await args(100, { NODE_DISABLE_COMPILE_CACHE: "1" }), "single-task run");
  const runs: Ran[] = [];
  for (let i = 0; i < 7; i++) runs.push(expectExit(await args(i), "single-task run"));
  const ours = fixedPromptTokens(server.requests[0], countTokens);

  let theirs: { runs: Ran[]; tokens: { system: number; tools: number } } | string = nanocoder.ok ? "" : nanocoder.reason;
  if (nanocoder.ok) {
    const before = server.requests.length;
    const scratch = mkdtempSync(join(tmpdir(), "nanocoder-bench-nc-"));
    const env = {
      NANOCODER_CONFIG_DIR: join(scratch, "cfg"),
      NANOCODER_DATA_DIR: join(scratch, "data"),
      NANOCODER_LOG_DISABLE_FILE: "true",
      NO_COLOR: "1",
      NANOCODER_MAX_TURNS: "20",
      NANOCODER_PROVIDERS: JSON.stringify([{ name: "mock", baseUrl: server.url, apiKey: "sk-mock", models: ["mock-model"], contextWindow: 131072 }]),
    };
    const ncRuns: Ran[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        ncRuns.push(expectExit(await nanocoder.run(["--provider", "mock", "--model", "mock-model", "--mode", "auto-accept", "--trust-directory", "--plain", "--json", "run", "Say done"], repo, { env, rss: true }), "nanocoder run"));
      }
      theirs = { runs: ncRuns, tokens: fixedPromptTokens(server.requests[before], countTokens) };
    } catch (error) {
      theirs = `not measured (${String(error).split("\n")[0]})`;
    }
    rmSync(scratch, { recursive: true, force: true });
  }
  const ncStats = (pick: (ran: Ran) => number) => (typeof theirs === "string" ? theirs : stats(theirs.runs.map(pick)));
  const ncTokens = (pick: (t: { system: number; tools: number }) => number) => (typeof theirs === "string" ? theirs : stats([pick(theirs.tokens)]));
  record("2. single-turn task, whole CLI run", "ms", runs.map((ran) => ran.ms), { target: "≤ 400", nanocoder: ncStats((ran) => ran.ms) });
  record("2. single-turn task, first start (no compile cache)", "ms", [first.ms]);
  record("6. fixed prompt: system prompt + tool schemas", "tokens", [ours.system + ours.tools], { target: "≤ 2,500", nanocoder: ncTokens((t) => t.system + t.tools) });
  record("6.   of which system prompt", "tokens", [ours.system], { nanocoder: ncTokens((t) => t.system) });
  record("6.   of which tool schemas", "tokens", [ours.tools], { nanocoder: ncTokens((t) => t.tools) });
  record("7. peak RSS, single-turn task", "MB", runs.map((ran) => ran.rssMb ?? 0), { nanocoder: ncStats((ran) => ran.rssMb ?? 0) });
  await server.close();
  rmSync(repo, { recursive: true, force: true });
}

/** A model that reads README.md `steps` times, then answers; `delay` ms per request. */
function readingModel(steps: number, delay = 0): Script {
  return (request: RecordedRequest): Turn => {
    const done = (request.body.messages ?? []).filter((message) => message.role === "assistant").length;
    const base: Turn = delay > 0 ? { delay_ms: delay } : {};
    if (done >= steps) return { ...base, content: "done" };
    return { ...base, tool_calls: [{ name: "read_file", arguments: { path: "README.md" } }] };
  };
}

const CONFIG = (url: string) => JSON.stringify({ nanocoder: { providers: [{ name: "bench", baseUrl: url, models: ["m"], contextWindow: 1_000_000 }] } });
const README = `# bench\n\n${"A line of the project's README, about as long as a line of prose in a real one.\n".repeat(12)}`;

async function benchPerStep(): Promise<void> {
  const measure = async (steps: number, i: number) => {
    const server = await startFakeOpenAI(readingModel(steps));
    const repo = createRepo({ "README.md": README, "task.yaml": `prompt: Read the README\nlimits:\n  max_turns: ${steps + 10}\n`, "agents.config.json": CONFIG(server.url) });
    const out = join(repo, ".out");
    serverClock.totalMs = 0;
    const ran = expectExit(await runCli(["batch", "task.yaml", "--out", out], repo), `per-step run (${steps} steps)`);
    const server_ms = serverClock.totalMs;
    const events = readFileSync(join(out, "tasks/task/events.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { type: string; duration_ms?: number });
    const tool_ms = events.filter((event) => event.type === "tool_result").reduce((sum, event) => sum + (event.duration_ms ?? 0), 0);
    const calls = events.filter((event) => event.type === "tool_result").length;
    if (calls !== steps) throw new Error(`per-step run: ${calls} tool calls, expected ${steps} (run ${i})`);
    await server.close();
    rmSync(repo, { recursive: true, force: true });
    return { wall: ran.ms, server_ms, tool_ms };
  };
  const perStep = async (steps: number, runs: number) => {
    const samples: number[] = [];
    const parts: { server: number[]; tool: number[] } = { server: [], tool: [] };
    for (let i = 0; i < runs; i++) {
      const zero = await measure(0, i);
      const many = await measure(steps, i);
      const server = (many.server_ms - zero.server_ms) / steps;
      const tool = (many.tool_ms - zero.tool_ms) / steps;
      samples.push((many.wall - zero.wall) / steps - server - tool);
      parts.server.push(server);
      parts.tool.push(tool);
    }
    return { samples, parts };
  };
  const long = await perStep(500, 3);
  record("3. per-step overhead (500 read_file steps)", "ms", long.samples, { target: "≤ 2" });
  record("3.   fake server time per step (excluded)", "ms", long.parts.server);
  record("3.   tool time per step (excluded)", "ms", long.parts.tool);
  // The history grows by a step's messages each turn and every request carries all of it: a short task
  // shows the part of the overhead that does not grow with the conversation.
  const short = await perStep(50, 7);
  record("3.   per-step overhead, 50 read_file steps", "ms", short.samples);
}

/**
 * 8. The batch of test/e2e/faults.test.ts, 50 tasks against a server that fails in every way, timed: the
 * test checks what the run does, and how long it takes under retries is a figure, not a pass or fail.
 */
async function benchFlakyBatch(): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const server = await startFakeOpenAI(Array.from({ length: TASKS }, (_, n) => flakyConversation(n + 1)));
    const config = { providers: [{ ...FLAKY_PROVIDER, baseUrl: server.url }] };
    const repo = createRepo({ "README.md": "fault test\n", "tasks.yaml": flakyTasks(), "agents.config.json": JSON.stringify(config) });
    // Exit 1: the one task whose faults outlast its retries fails, as the test expects.
    samples.push(expectExit(await runCli(["batch", "tasks.yaml", "--concurrency", "8", "--out", join(repo, ".out")], repo), "flaky batch", [1]).ms);
    await server.close();
    rmSync(repo, { recursive: true, force: true });
  }
  record("8. 50 tasks against a flaky server (test/e2e/faults.test.ts), whole CLI run", "ms", samples, { target: "≤ 30,000" });
}

async function benchConcurrency(): Promise<void> {
  const TASKS = 200;
  const REQUESTS = 5;
  const LATENCY = 50;
  const CONCURRENCY = 32;
  const ideal = (TASKS * REQUESTS * LATENCY) / CONCURRENCY;
  const server = await startFakeOpenAI(readingModel(REQUESTS - 1, LATENCY));
  const tasks = Array.from({ length: TASKS }, (_, i) => `id: t${i}\nprompt: Read the README, task ${i}\n`).join("---\n");
  const repo = createRepo({ "README.md": README, "tasks.yaml": tasks, "agents.config.json": CONFIG(server.url) });
  const efficiency: number[] = [];
  const walls: number[] = [];
  const batchEfficiency: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < 3; i++) {
    const out = join(repo, `.out-${i}`);
    const ran = expectExit(await runCli(["batch", "tasks.yaml", "--concurrency", String(CONCURRENCY), "--out", out], repo, { rss: true }), "concurrency run");
    walls.push(ran.ms);
    efficiency.push((ideal / ran.ms) * 100);
    batchEfficiency.push((ideal / taskSpan(out)) * 100);
    rss.push(ran.rssMb ?? 0);
  }
  const waves = Math.ceil(TASKS / CONCURRENCY) * REQUESTS * LATENCY;
  record(`4. concurrency: ${TASKS} tasks × ${REQUESTS} requests, ${LATENCY} ms, ×${CONCURRENCY} (ideal ${ideal.toFixed(0)} ms)`, "ms", walls);
  record("4.   efficiency (ideal / wall)", "%", efficiency, { target: "≥ 85" });
  record(`4.   efficiency of the tasks alone (first start to last end; at most ${((ideal / waves) * 100).toFixed(0)}% in whole waves)`, "%", batchEfficiency);
  record(`7. peak RSS, ${TASKS} tasks at concurrency ${CONCURRENCY}`, "MB", rss, { target: "≤ 150" });
  await server.close();

  // The same batch with the model ten times slower (still faster than most real servers): how the
  // runner's own time per task weighs once the model dominates. One run; it takes about 17 s.
  const SLOW = 500;
  const slowServer = await startFakeOpenAI(readingModel(REQUESTS - 1, SLOW));
  writeFileSync(join(repo, "agents.config.json"), CONFIG(slowServer.url));
  const slow = expectExit(await runCli(["batch", "tasks.yaml", "--concurrency", String(CONCURRENCY), "--out", join(repo, ".out-slow")], repo), "concurrency run");
  record(`4.   efficiency with ${SLOW} ms per request (ideal ${((TASKS * REQUESTS * SLOW) / CONCURRENCY).toFixed(0)} ms)`, "%", [((TASKS * REQUESTS * SLOW) / CONCURRENCY / slow.ms) * 100]);
  await slowServer.close();
  rmSync(repo, { recursive: true, force: true });
}

/** Milliseconds from the first task's start to the last task's end, from the run's manifest. */
function taskSpan(outDir: string): number {
  const entries = readFileSync(join(outDir, "manifest.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { type: string; ts: string });
  const times = (type: string) => entries.filter((entry) => entry.type === type).map((entry) => Date.parse(entry.ts));
  return Math.max(...times("task_end")) - Math.min(...times("task_start"));
}

/** Files of the repository rows 5 run on: 200 folders of 100 small files. */
const FILES = 20_000;

/** The 20,000-file repository, committed once, and a folder for its worktrees. */
function createBigRepo(): { repo: string; base: string; root: string } {
  const repo = mkdtempSync(join(tmpdir(), "nanocoder-bench-big-"));
  git(repo, "init", "--quiet", "--initial-branch=main");
  for (let d = 0; d < FILES / 100; d++) {
    const dir = join(repo, "src", `m${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `f${f}.ts`), `export const v${d}_${f} = ${d * 100 + f};\n`);
  }
  execFileSync("git", ["add", "--all"], { cwd: repo });
  execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@localhost", "commit", "--quiet", "-m", "big"], { cwd: repo });
  const base = git(repo, "rev-parse", "HEAD").trim();
  return { repo, base, root: mkdtempSync(join(tmpdir(), "nanocoder-bench-wt-")) };
}

async function benchIsolation(): Promise<void> {
  const { repo, base, root } = createBigRepo();
  const fresh: number[] = [];
  const reused: number[] = [];
  const removal: number[] = [];
  // A task's part of isolation: get a clean checkout, change two files, collect the patch (and reset).
  const task = async (pool: WorktreePool, i: number) => {
    const started = performance.now();
    const worktree = await pool.acquire();
    const acquired = performance.now();
    writeFileSync(join(worktree.dir, "src/m0/f0.ts"), `export const changed = ${i};\n`);
    writeFileSync(join(worktree.dir, `new-${i}.txt`), "new\n");
    const edited = performance.now();
    const { files } = await pool.finish(worktree);
    if (files.length !== 2) throw new Error(`isolation: expected 2 changed files, got ${files.join(", ")}`);
    return acquired - started + (performance.now() - edited);
  };
  for (let round = 0; round < 4; round++) {
    const pool = createWorktreePool({ repoRoot: repo, base, root });
    fresh.push(await task(pool, 0));
    for (let i = 1; i <= 5; i++) reused.push(await task(pool, i));
    const closing = performance.now();
    await pool.close();
    removal.push(performance.now() - closing);
  }
  await benchEffectCheck(repo, base, root);
  if (readdirSync(root).length > 0) throw new Error("isolation: a worktree was left behind");
  if (git(repo, "worktree", "list", "--porcelain").split("\n").filter((line) => line.startsWith("worktree ")).length !== 1) {
    throw new Error("isolation: git still lists a worktree of the bench");
  }
  const { median: freshMs } = stats(fresh);
  const { median: reusedMs } = stats(reused);
  const { median: removalMs } = stats(removal);
  const slots = 32;
  const tasks = 200;
  record(`5. isolation per task, ${FILES.toLocaleString("en")} files, reused worktree (diff + reset)`, "ms", reused, { target: "≤ 150" });
  record("5.   first task on a new worktree (checkout + diff + reset)", "ms", fresh);
  record("5.   removing a worktree at the end of the run", "ms", removal);
  record(`5.   per task, ${tasks} tasks at ×${slots} (${slots} new, ${tasks - slots} reused, removal included)`, "ms", [(slots * (freshMs + removalMs) + (tasks - slots) * reusedMs) / tasks]);
  rmSync(root, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
}

/**
 * The effect check after a command (src/run/effects.ts) on the 20,000-file repository, and the policy's
 * decision on each changed path. After a command that changed an allowed tracked file: a snapshot of the
 * worktree (every folder's names, the stat data of the files the policy refuses writing) finds nothing that
 * matters, and git is not asked. After one that made a file: git is asked about that path. With one refused
 * write to undo. And the check before the patch, git over the whole worktree (what every check cost before).
 */
async function benchEffectCheck(repo: string, base: string, root: string): Promise<void> {
  const pool = createWorktreePool({ repoRoot: repo, base, root });
  const worktree = await pool.acquire();
  const policy: Policy = { ...builtinPolicy, files: { ...builtinPolicy.files, write: { allow: [{ pattern: "**" }], deny: [{ pattern: ".github/**" }] } } };
  let started = performance.now();
  const check = await createEffectCheck({ worktree, base, policy, leaveOut: [], emit: () => undefined });
  const start = [performance.now() - started];
  const samples = { clean: [] as number[], made: [] as number[], undo: [] as number[], whole: [] as number[] };
  const time = async (into: number[], i: number, by: string, refused: number) => {
    started = performance.now();
    if ((await check.afterCommand(by)).length !== refused) throw new Error(`effect check: ${refused} writes should be refused`);
    if (i >= 2) into.push(performance.now() - started);
  };
  for (let i = 0; i < 22; i++) {
    writeFileSync(join(worktree.dir, "src/m1/f1.ts"), `export const changed = ${i};\n`);
    await time(samples.clean, i, "bench", 0);
    writeFileSync(join(worktree.dir, `src/m2/new-${i}.ts`), "new\n");
    await time(samples.made, i, "bench", 0);
    mkdirSync(join(worktree.dir, ".github/workflows"), { recursive: true });
    writeFileSync(join(worktree.dir, ".github/workflows/x.yml"), "on: push\n");
    await time(samples.undo, i, "bench", 1);
    await time(samples.whole, i, WHOLE_TASK, 0);
  }
  await pool.finish(worktree);
  await pool.close();
  record("5. effect check per command, 20,000 files, nothing refused", "ms", samples.clean, { target: "≤ 30" });
  record("5.   the same after a command that made a file", "ms", samples.made);
  record("5.   the same with one refused write undone", "ms", samples.undo);
  record("5.   the check before the patch (git over the whole worktree)", "ms", samples.whole);
  record("5.   starting the check, once per task", "ms", start);
  if (process.argv.includes("--scale")) {
  // `node bench/run.ts --scale`: the for_each rows alone (row 9; a few minutes, most of it the 2,000-task run).
  // `--scale=expand` leaves out the long runs. results.json is left as it is.
  await benchExpansion();
  if (!process.argv.includes("--scale=expand")) await benchLongRun();
  printTable({ ok: false, reason: "not measured (--scale)" });
  process.exit(0);
}

if (process.argv.includes("--effect-check")) {
    console.log(Object.entries(samples).map(([name, values]) => `p90 ${name} ${fmt(percentile(values, 0.9))} ms`).join(", "));
  }
}

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/** What the sandbox adds to every command: `true` through execute_bash, bare and inside bubblewrap. */
async function benchSandbox(): Promise<void> {
  if (!(await probeBwrap()).ok) return console.log("sandbox rows skipped: bubblewrap does not work here (nanocoder doctor says why)");
  const workspace = mkdtempSync(join(tmpdir(), "nanocoder-bench-sandbox-"));
  const wrapCommand = await (await resolveSandbox({ mode: "bwrap", required: true, network: false, writable: [] })).wrapperFor(workspace);
  const time = async (wrap: WrapCommand | undefined) => {
    const samples: number[] = [];
    for (let i = 0; i < 22; i++) {
      const started = performance.now();
      await executeBash.execute({ command: "true" }, { workspace, signal: new AbortController().signal, env: { PATH: process.env.PATH ?? "" }, isReadable: () => true, ...(wrap ? { wrapCommand: wrap } : {}) });
      if (i >= 2) samples.push(performance.now() - started);
    }
    return samples;
  };
  record("command `true`, no sandbox", "ms", await time(undefined));
  record("command `true`, bubblewrap sandbox", "ms", await time(wrapCommand));
  rmSync(workspace, { recursive: true, force: true });
}

/**
 * What sharing installed dependencies costs (docs/environment.md): finding the folders (once per run),
 * linking them into a worktree (its first task) and checking the links before each later task, for a
 * node_modules of 1,000 entries, and the
 * read-only binds they add to every sandboxed command. Then setup's reuse: a 10-task batch at ×2 whose
 * setup is `npm ci` from tarballs in the repository, how many times setup ran and what it cost per task.
 */
async function benchDependencies(): Promise<void> {
  const repo = createRepo({ ".gitignore": "node_modules/\n", "package.json": "{}\n" });
  const modules = join(repo, "node_modules");
  for (let i = 0; i < 900; i++) writeFiles(modules, { [`pkg-${i}/package.json`]: "{}\n" });
  for (let i = 0; i < 50; i++) writeFiles(modules, { [`@scope-${i}/a/package.json`]: "{}\n", [`@scope-${i}/b/package.json`]: "{}\n" });
  mkdirSync(join(modules, ".bin"));
  for (let i = 0; i < 49; i++) symlinkSync(`../pkg-${i}/cli.js`, join(modules, ".bin", `cli-${i}`));
  const settings = { detect: true, paths: [] };
  const found = await findDependencies(repo, settings);
  const findSamples = await repeat(20, async () => {
    const started = performance.now();
    await findDependencies(repo, settings);
    return performance.now() - started;
  });
  record("dependencies: find the folders (once per run)", "ms", findSamples);
  const worktree = mkdtempSync(join(tmpdir(), "nanocoder-bench-deps-"));
  // A worktree's first task links every entry; the reset keeps the links, and each later task checks that
  // they are as made (and empties the caches) before using them.
  const linkSamples = await repeat(30, () => {
    removeLinked(worktree, found.folders.map((folder) => folder.path));
    const started = performance.now();
    linkDependencies(worktree, found.folders);
    return Promise.resolve(performance.now() - started);
  });
  record("dependencies: link, a worktree's first task (1,000 entries)", "ms", linkSamples);
  const linked = linkDependencies(worktree, found.folders);
  const reuseSamples = await repeat(30, () => {
    writeFiles(worktree, { "node_modules/.vite/vitest/results.json": "{}" });
    const started = performance.now();
    if (!linked.every(stillLinked)) throw new Error("bench: the linked folder changed");
    return Promise.resolve(performance.now() - started);
  });
  record("dependencies: check and reuse, each later task", "ms", reuseSamples, { target: "≤ 20" });
  if ((await probeBwrap()).ok) {
    const sandbox = await resolveSandbox({ mode: "bwrap", required: true, network: false, writable: [] });
    const plain = await sandbox.wrapperFor(worktree);
    const shared = await sandbox.wrapperFor(worktree, { readOnly: await foldersToShow(found.folders, { home: homedir(), others: [] }) });
    const time = async (wrap: WrapCommand | undefined) => {
      const samples: number[] = [];
      for (let i = 0; i < 22; i++) {
        const started = performance.now();
        await executeBash.execute({ command: "ls node_modules/pkg-1 >/dev/null" }, { workspace: worktree, signal: new AbortController().signal, env: { PATH: process.env.PATH ?? "" }, isReadable: () => true, ...(wrap ? { wrapCommand: wrap } : {}) });
        if (i >= 2) samples.push(performance.now() - started);
      }
      return samples;
    };
    record("dependencies: sandboxed command, no shared folder", "ms", await time(plain));
    record("dependencies: sandboxed command reading a shared folder", "ms", await time(shared));
  }
  rmSync(worktree, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
  await benchSetupReuse();
}

async function benchSetupReuse(): Promise<void> {
  const repo = createNpmProject({ install: false });
  const tasks = Array.from({ length: 10 }, (_, index) => `id: t${index + 1}\nprompt: Say done ${index + 1}.\nchecks: [npm test]\n`).join("---\n");
  writeFiles(repo, { "tasks/ten.yaml": tasks, ".nanocoder/policy.yaml": "version: 1\nsetup:\n  run: ['npm ci --offline --no-audit --no-fund']\n" });
  const server = await startFakeOpenAI([{ match: "Say done", turns: [{ content: "Done." }] }]);
  const out = mkdtempSync(join(tmpdir(), "nanocoder-bench-setup-"));
  try {
    expectExit(await runCli(["batch", "tasks/ten.yaml", "--base-url", server.url, "--model", "bench", "--concurrency", "2", "--out", out], repo), "setup batch");
    const events = readdirSync(join(out, "tasks")).flatMap((id) => readFileSync(join(out, "tasks", id, "events.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { type: string; duration_ms?: number }));
    const ran = events.filter((event) => event.type === "setup_end");
    record("setup: runs in a 10-task batch at ×2 (npm ci)", "runs", [ran.length], { target: "2 (one per worktree)" });
    record("setup: reused by tasks of that batch", "tasks", [events.filter((event) => event.type === "setup_reused").length], { target: "8" });
    record("setup: npm ci per worktree", "ms", ran.map((event) => event.duration_ms ?? 0));
  } finally {
    await server.close();
    rmSync(out, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  }
}

// ---- for_each at scale (issue 17) ---------------------------------------------------------------------

async function benchExpansion(): Promise<void> {
  const DIRS = 100;
  const PER_DIR = 100;
  const root = mkdtempSync(join(tmpdir(), "nanocoder-bench-expand-"));
  const repo = join(root, "repo");
  mkdirSync(join(repo, "tasks"), { recursive: true });
  for (let d = 0; d < DIRS; d++) {
    mkdirSync(join(repo, "src", `m${d}`), { recursive: true });
    for (let f = 0; f < PER_DIR; f++) writeFileSync(join(repo, "src", `m${d}`, `f${f}.ts`), `export const v${f} = ${f};\n`);
  }
  writeFileSync(join(repo, "src", "m0", "f0.test.ts"), "test\n");
  writeFileSync(
    join(repo, "tasks", "jsdoc.yaml"),
    'id: jsdoc\nlabels: [nightly]\nprompt: Add JSDoc comments to every exported function in {{ file }}.\nfor_each:\n  file: { glob: "src/**/*.ts", exclude: ["**/*.test.ts"] }\ncontext: ["{{ file }}"]\nchecks: ["npx tsc --noEmit {{ file }}"]\n',
  );
  git(repo, "init", "--quiet", "--initial-branch=main");
  execFileSync("git", ["add", "--all"], { cwd: repo });
  execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@localhost", "commit", "--quiet", "-m", "big"], { cwd: repo });
  const tasks = DIRS * PER_DIR;
  const list: Ran[] = [];
  const full: Ran[] = [];
  for (let i = 0; i < 5; i++) {
    const listed = expectExit(await runCli(["validate", "tasks/jsdoc.yaml", "--list"], repo, { rss: true }), "validate --list");
    if (listed.stdout.trim().split("\n").length !== tasks) throw new Error(`validate --list: expected ${tasks} tasks`);
    list.push(listed);
    full.push(expectExit(await runCli(["validate", "tasks/jsdoc.yaml", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"], repo, { rss: true }), "validate"));
  }
  record(`9. for_each: expand ${tasks.toLocaleString("en")} tasks and list them (validate --list), wall`, "ms", list.map((ran) => ran.ms));
  if (TIME) record("9.   the same, CPU (user + sys)", "ms", list.map((ran) => ran.cpuMs ?? 0));
  record(`9. for_each: expand, plan and validate ${tasks.toLocaleString("en")} tasks (validate), wall`, "ms", full.map((ran) => ran.ms), { target: "≤ 2,000" });
  if (TIME) record("9.   the same, CPU (user + sys)", "ms", full.map((ran) => ran.cpuMs ?? 0));
  record(`9.   peak RSS of validate, ${tasks.toLocaleString("en")} tasks`, "MB", full.map((ran) => ran.rssMb ?? 0));
  rmSync(root, { recursive: true, force: true });
}

async function benchLongRun(): Promise<void> {
  const CONCURRENCY = 16;
  const server = await startFakeOpenAI(() => ({ content: "Nothing to change." }));
  for (const size of [500, 2000]) {
    const values = Array.from({ length: size }, (_, i) => i + 1).join(", ");
    const repo = createRepo({ "README.md": README, "tasks.yaml": `id: look\nprompt: Look at part {{ n }} of the README.\nexpect: none\nfor_each:\n  n: [${values}]\n`, "agents.config.json": CONFIG(server.url) });
    const ran = expectExit(await runCli(["batch", "tasks.yaml", "--concurrency", String(CONCURRENCY), "--out", join(repo, ".out")], repo, { rss: true }), `${size}-task run`);
    const summary = JSON.parse(readFileSync(join(repo, ".out", "summary.json"), "utf8")) as { totals: { succeeded: number } };
    if (summary.totals.succeeded !== size) throw new Error(`${size}-task run: ${summary.totals.succeeded} succeeded`);
    record(`9. peak RSS, ${size.toLocaleString("en")} tasks of one answer at concurrency ${CONCURRENCY} (wall ${(ran.ms / 1000).toFixed(0)} s)`, "MB", [ran.rssMb ?? 0], size === 2000 ? { target: "≤ 150" } : {});
    rmSync(repo, { recursive: true, force: true });
  }
  await server.close();
}

// ---- nanocoder 1.30 -----------------------------------------------------------------------------------

type Nanocoder =
  | { ok: true; version: string; run(args: string[], cwd: string, options?: { env?: Record<string, string>; rss?: boolean }): Promise<Ran> }
  | { ok: false; reason: string };

/** Installs nanocoder 1.30.x once into a temporary folder (kept between bench runs), or says why not. */
async function installNanocoder(): Promise<Nanocoder> {
  const prefix = join(tmpdir(), `nanocoder-bench-nanocoder-${NANOCODER_VERSION}`);
  const packageDir = join(prefix, "node_modules/@nanocollective/nanocoder");
  try {
    if (!existsSync(join(packageDir, "package.json"))) {
      console.error(`installing @nanocollective/nanocoder@${NANOCODER_VERSION} into ${prefix} ...`);
      execFileSync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel=error", `@nanocollective/nanocoder@${NANOCODER_VERSION}`], { stdio: ["ignore", "ignore", "pipe"], timeout: 300_000 });
    }
    const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string; bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === "string" ? manifest.bin : (manifest.bin?.nanocoder ?? "dist/cli.js");
    const entry = join(packageDir, bin);
    return { ok: true, version: manifest.version, run: (args, cwd, options = {}) => runNode([entry, ...args], cwd, options) };
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "install failed") : String(error);
    return { ok: false, reason: `not measured (${reason})` };
  }
}

// ---- output -------------------------------------------------------------------------------------------

function printTable(nanocoder: Nanocoder): void {
  const them = nanocoder.ok ? `nanocoder ${nanocoder.version} median (min–max)` : "nanocoder";
  const header = ["benchmark", "unit", "median", "min", "max", "runs", "target", them];
  const lines = rows.map((row) => [
    row.name, row.unit, fmt(row.median), fmt(row.min), fmt(row.max), String(row.runs), row.target ?? "",
    row.nanocoder === undefined ? "" : typeof row.nanocoder === "string" ? row.nanocoder : `${fmt(row.nanocoder.median)} (${fmt(row.nanocoder.min)}–${fmt(row.nanocoder.max)})`,
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => (line[column] ?? "").length)));
  for (const line of [header, ...lines]) console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd());
  if (!nanocoder.ok) console.log(`nanocoder: ${nanocoder.reason}`);
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/**
 * What an MCP server costs a task (docs/mcp.md): starting server-everything and listing its tools, as it is
 * and in the bubblewrap sandbox (servers start per task, with the worktree), and its tools' share of the
 * fixed prompt: their schemas as sent, in o200k tokens, beside the built-in tools'.
 */
async function benchMcp(countTokens: CountTokens): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), "nanocoder-bench-mcp-"));
  const modules = realpathSync(join(root, "node_modules"));
  const server: McpServerConfig = { name: "everything", source: "bench", timeoutMs: 30_000, transport: "stdio", command: process.execPath, args: [join(modules, "@modelcontextprotocol/server-everything/dist/index.js"), "stdio"], env: {} };
  const start = async (wrap: WrapCommand | undefined) => {
    const started = performance.now();
    const session = await startMcpSession([server], { workspace, taken: [], redact: (text) => text, signal: new AbortController().signal, launch: () => Promise.resolve({ wrap, env: { PATH: process.env.PATH ?? "" } }) });
    const ms = performance.now() - started;
    await session.close();
    return { ms, tools: session.tools };
  };
  const plain = [];
  for (let i = 0; i < 6; i++) plain.push(await start(undefined));
  record("11. MCP: start server-everything and list its tools", "ms", plain.slice(1).map((run) => run.ms));
  if ((await probeBwrap()).ok) {
    const wrap = await (await resolveSandbox({ mode: "bwrap", required: true, network: false, writable: [] })).wrapperFor(workspace, { readOnly: [modules] });
    const sandboxed = [];
    for (let i = 0; i < 6; i++) sandboxed.push(await start(wrap));
    record("11. MCP: the same in the bubblewrap sandbox", "ms", sandboxed.slice(1).map((run) => run.ms));
  }
  const schemaOf = (tool: (typeof builtinTools)[number]) => ({ type: "function", function: { name: tool.name, description: tool.description, parameters: tool.inputSchema ?? z.toJSONSchema(tool.parameters, { io: "input" }) } });
  const builtin = countTokens(JSON.stringify(builtinTools.map(schemaOf)));
  const mcpTools = plain[0]?.tools ?? [];
  const mcp = countTokens(JSON.stringify(mcpTools.map(schemaOf)));
  record(`MCP: server-everything's ${mcpTools.length} tool schemas in the fixed prompt`, "tokens", [mcp], { target: `built-in tools: ${builtin}` });
  record("11. MCP: their share of the tool schemas sent", "%", [(100 * mcp) / (mcp + builtin)]);
  rmSync(workspace, { recursive: true, force: true });
}

if (process.argv.includes("--mcp")) {
  // `node bench/run.ts --mcp`: the MCP rows alone. results.json is left as it is.
  const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
  await benchMcp(countTokens);
  printTable({ ok: false, reason: "not measured (--mcp)" });
  process.exit(0);
}

if (process.argv.includes("--startup")) {
  // `node bench/run.ts --startup`: the start-up CPU rows alone (half a minute). results.json is left as it is.
  await benchStartupCpu();
  printTable({ ok: false, reason: "not measured (--startup)" });
  process.exit(0);
}

if (process.argv.includes("--policy")) {
  // `node bench/run.ts --policy`: the policy decision rows alone (a few seconds). results.json is left as it is.
  await benchPolicyDecision();
  await benchAgentCommandDecisions();
  printTable({ ok: false, reason: "not measured (--policy)" });
  process.exit(0);
}

if (process.argv.some((arg) => arg === "--scale" || arg === "--scale=expand")) {
  // `node bench/run.ts --scale`: the for_each rows alone (row 9; a few minutes, most of it the 2,000-task run).
  // `--scale=expand` leaves out the long runs. results.json is left as it is.
  await benchExpansion();
  if (!process.argv.includes("--scale=expand")) await benchLongRun();
  printTable({ ok: false, reason: "not measured (--scale)" });
  process.exit(0);
}

if (process.argv.includes("--html")) {
  // `node bench/run.ts --html`: report.html's rows alone (about a minute). results.json is left as it is.
  await benchHtmlReport(record);
  printTable({ ok: false, reason: "not measured (--html)" });
  process.exit(0);
}

if (process.argv.includes("--effect-check")) {
  // `node bench/run.ts --effect-check`: the effect check's rows alone, on a repository of their own, in
  // seconds; with the 90th percentile too, which the table leaves out. results.json is left as it is.
  const { repo, base, root } = createBigRepo();
  await benchEffectCheck(repo, base, root);
  rmSync(root, { recursive: true, force: true });
  rmSync(repo, { recursive: true, force: true });
  printTable({ ok: false, reason: "not measured (--effect-check)" });
  process.exit(0);
}

const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
const nanocoder = await installNanocoder();
await benchStartup(nanocoder);
await benchStartupCpu();
await benchSingleTask(nanocoder, countTokens);
await benchPerStep();
await benchConcurrency();
await benchFlakyBatch();
await benchIsolation();
await benchPolicyDecision();
await benchAgentCommandDecisions();
await benchSandbox();
await benchDependencies();
await benchExpansion();
await benchLongRun();
await benchHtmlReport(record);
await benchMcp(countTokens);
printTable(nanocoder);
writeFileSync(
  join(root, "bench/results.json"),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: (await import("node:os")).cpus().length, nanocoder: nanocoder.ok ? nanocoder.version : nanocoder.reason, rows }, null, 2)}\n`,
);
