/**
 * Edge cases of user input beyond the malformed-input corpus (invalid-input.test.ts): odd encodings,
 * resource-exhaustion shapes, special files, absurd-but-schema-valid numbers, conflicting flags and
 * unusual repositories. The promise under test: a user error exits 2 with a short message naming
 * file:line:col where there is one, never a stack trace; valid input never crashes or hangs.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, runCli, type CliResult } from "../helpers/cli.ts";
import { startCliSteps } from "../helpers/cli-steps.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { lazy } from "../helpers/lazy.ts";
import { createRepo, git, removeDir, writeFiles } from "../helpers/repo.ts";

const OFFLINE = ["--model", "m", "--base-url", "http://127.0.0.1:9/v1"];
const STACK = /\n\s+at /;

/** Exit 2, the message found, no stack trace and no "internal error". */
function expectUserError(result: CliResult, message: RegExp | string): void {
  const detail = `exit ${result.code}, stderr ${JSON.stringify(result.stderr.slice(0, 600))}`;
  expect(STACK.test(result.stderr), detail).toBe(false);
  expect(result.stderr, detail).not.toContain("internal error");
  if (typeof message === "string") expect(result.stderr, detail).toContain(message);
  else expect(result.stderr, detail).toMatch(message);
  expect(result.code, detail).toBe(2);
}

/**
 * A run the command line refuses before any task starts. These go one after another through one process that
 * loads the command line once (test/helpers/steps.ts); every run that may start a task gets a process of its own.
 */
const refusals = lazy(() => startCliSteps());
async function refused(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return (await refusals()).run(args, options);
}
afterAll(async () => (await refusals()).close());

function expectNoCrash(result: CliResult): void {
  const detail = `exit ${result.code}, stderr ${JSON.stringify(result.stderr.slice(0, 600))}`;
  expect(STACK.test(result.stderr), detail).toBe(false);
  expect(result.stderr, detail).not.toContain("internal error");
  expect(result.stderr, detail).not.toContain("TimeoutOverflowWarning");
}

/** runCli, but killed after `ms`: a hang is reported as `timedOut` rather than stalling the suite. */
function runBounded(args: string[], cwd: string, ms: number): Promise<CliResult & { timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: cwd, CI: "true" },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, ms);
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.end("");
  });
}

let server: FakeOpenAI;
let temp: string;
const cleanup: string[] = [];

beforeAll(async () => {
  server = await startFakeOpenAI(() => ({ content: "Done." }));
  temp = mkdtempSync(join(tmpdir(), "nanocoder-test-edge-"));
  cleanup.push(temp);
});

afterAll(async () => {
  await server.close();
  for (const dir of cleanup) removeDir(dir);
});

function repoWith(files: Record<string, string | Buffer>): string {
  const repo = createRepo(files);
  cleanup.push(repo);
  return repo;
}

const online = () => ["--model", "m", "--base-url", server.url];

const GIT_IDENTITY = { GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@l", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@l" };

/**
 * One repository for the tests whose runs leave it as it was (user errors) or write only their own run folder:
 * `t.yaml` and `afile` for the flag and --out cases, `a.yaml` and `b.yaml` for two runs into one folder. It lies
 * under a path with spaces and accents, with its HEAD detached (a second commit, then HEAD~1): the unusual
 * repository the first run below shows working.
 */
const sharedRepo = lazy(() => {
  const repo = join(temp, "dir with spaces ä");
  writeFiles(repo, {
    "t.yaml": "prompt: Say done.\nexpect: none\n",
    "afile": "x\n",
    "a.yaml": "id: a\nprompt: Say done.\nexpect: none\n",
    "b.yaml": "id: b\nprompt: Say done.\nexpect: none\n",
    "notrun/f": "x\n",
    "tâsks/my task é.yaml": "prompt: Say done.\nexpect: none\n",
  });
  const commits = "git init --quiet && git add --all && git commit --quiet -m x && git commit --quiet --allow-empty -m second && git checkout --quiet HEAD~1";
  execFileSync("sh", ["-c", commits], { cwd: repo, env: { ...process.env, ...GIT_IDENTITY } });
  return repo;
});

/** A task file outside any repository. */
const outsideTask = () => join(temp, "task one.yaml");

/**
 * The one successful run in the shared repository, into `rün ö`: a.yaml, a task file under a folder with an
 * accent and a name with spaces, and one from outside the repository.
 */
const firstRun = lazy(async () => {
  const repo = await sharedRepo();
  writeFileSync(outsideTask(), "id: one\nprompt: Say done.\nexpect: none\n");
  return runCli(["batch", "a.yaml", "tâsks/*.yaml", outsideTask(), ...online(), "--out", "rün ö"], { cwd: repo });
});

/**
 * One `validate` of many malformed task files, each named for its case, and a FIFO: validate reports every
 * file's problems in one pass, so each test below looks for its own file's message in the same run.
 */
const malformedTasks = lazy(() => {
  const dir = join(temp, "malformed");
  const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(97 + i - 1);
    const name = String.fromCharCode(97 + i);
    laughs.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]`);
  }
  writeFiles(dir, {
    "utf8.yaml": Buffer.from("prompt: fix the caf\xe9 menu\n", "latin1"),
    // Task ids differing only by case.
    "a.yaml": "id: Fix\nprompt: a\n",
    "b.yaml": "id: fix\nprompt: b\n",
    "deep.yaml": `prompt: x\ncontext: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
    "laughs.yaml": `${laughs.join("\n")}\nprompt: hi\n`,
    "crlf.yaml": "id: crlf\r\nprompt: |\r\n  hi\r\n  there\r\nlimits:\r\n  max_turns: many\r\n",
    "t.yaml": [
      "prompt: a",
      "limits:",
      "  max_turns: 1e400",
      "  max_denials: -1",
      "  max_cost_usd: .inf",
      '  max_tokens: "1e3"',
      "  timeout: 5x",
      'checks: ["", {run: "  "}, {name: x}]',
      "",
    ].join("\n"),
    // Default ids that collide after sanitising.
    "a b.yaml": "prompt: x\n",
    "a-b.yaml": "prompt: y\n",
  });
  mkdirSync(join(dir, "fifo"));
  execFileSync("mkfifo", [join(dir, "fifo", "tasks.yaml")]);
  return runBounded(["validate", "*.yaml", "fifo/tasks.yaml", ...OFFLINE], dir, 5_000);
});

/** The config folder, and one `validate` of task files with a BOM and tabs against a config with a BOM, all to be accepted. */
const configsDir = () => join(temp, "configs");
const configs = lazy(() => {
  const provider = '{"name":"a","baseUrl":"http://x/v1","models":["m"]}';
  writeFiles(configsDir(), {
    "t.yaml": "prompt: x\n",
    "bom.yaml": Buffer.from("\uFEFFprompt: hi\n"),
    "tabs.yaml": "prompt:\ta\nid:\ttabbed\n",
    "bom.json": Buffer.from(`\uFEFF{"nanocoder":{"providers":[${provider}]}}`),
    "trailing.json": `{"nanocoder":{"providers":[${provider},]}}`,
    "comment.json": `// mine\n{"nanocoder":{"providers":[${provider}]}}`,
    "negative.json": '{"nanocoder":{"providers":[{"name":"a","baseUrl":"http://x/v1","models":["m"],"pricing":{"m":{"input":-1,"output":2}}}]}}',
  });
  return refused(["validate", "t.yaml", "bom.yaml", "tabs.yaml", "--config", "bom.json"], { cwd: configsDir() });
});

// ---------------------------------------------------------------------------------------------
// Problems found: these fail today.
// ---------------------------------------------------------------------------------------------

describe("durations past what a Node timer can hold", () => {
  // Node timers hold at most 2^31-1 ms (24.8 days). AbortSignal.timeout throws past 2^32-1 ms,
  // setTimeout fires after 1 ms past 2^31-1 ms. The schema accepts any duration.
  // One batch of the three task files: each is refused at its own location (all are reported), or all run.
  // In a process of its own, as the provider's case below: should they run, Node's TimeoutOverflowWarning
  // comes from the process, after the run's own output.
  const durations = lazy(async () => {
    const repo = repoWith({
      "2000h.yaml": "id: long\nprompt: Say done.\nlimits:\n  timeout: 2000h\nexpect: none\n",
      "600h.yaml": "id: long-600h\nprompt: Say done.\nlimits:\n  timeout: 600h\nexpect: none\n",
      "check-600h.yaml": 'id: chk\nprompt: Say done.\nchecks:\n  - {run: "true", timeout: 600h}\nexpect: none\n',
    });
    const result = await runCli(["batch", "2000h.yaml", "600h.yaml", "check-600h.yaml", ...online(), "--out", join(temp, "out-durations")], { cwd: repo });
    return { repo, result };
  });

  it("limits.timeout: 2000h is refused with its location or runs; never an internal error", async () => {
    const { repo, result } = await durations();
    expectNoCrash(result);
    if (result.code === 2) expect(result.stderr).toMatch(/^2000h\.yaml:4:3: limits\.timeout: /m);
    else expect(result.code).toBe(0);
    // No worktree may be left behind by a crashed run.
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);
  });

  it("limits.timeout: 600h does not time the task out at once", async () => {
    const { result } = await durations();
    expectNoCrash(result);
    if (result.code === 2) expect(result.stderr).toMatch(/^600h\.yaml:4:3: limits\.timeout: /m);
    else {
      expect(result.stdout).not.toContain("limit_exceeded");
      expect(result.code).toBe(0);
    }
  });

  it("a check's timeout: 600h is refused with its location or runs", async () => {
    const { result } = await durations();
    expectNoCrash(result);
    if (result.code === 2) expect(result.stderr).toMatch(/^check-600h\.yaml:4:\d+: checks\[0\](\.|: )timeout: /m);
    else expect(result.code).toBe(0);
  });

  it("a provider's streamIdleTimeout of 3000000000 ms is refused with its location or works", async () => {
    const config = JSON.stringify({
      nanocoder: {
        providers: [{ name: "p", baseUrl: server.url, models: ["m"], streamIdleTimeout: 3_000_000_000, maxRetries: 0 }],
      },
    });
    const repo = repoWith({ "t.yaml": "id: idle\nprompt: Say done.\nexpect: none\n", "agents.config.json": config });
    const result = await runCli(["batch", "t.yaml", "--out", join(temp, "out-idle")], { cwd: repo });
    expectNoCrash(result);
    if (result.code === 2) expect(result.stderr).toMatch(/^agents\.config\.json:1:\d+: nanocoder\.providers\[0\]\.streamIdleTimeout: /m);
    else {
      expect(result.stderr).not.toContain("no data from the server");
      expect(result.code).toBe(0);
    }
  });
});

describe("output folders that cannot be one", () => {
  it("batch --out naming an existing file is a user error", async () => {
    const repo = await sharedRepo();
    const result = await refused(["batch", "t.yaml", ...online(), "--out", "afile"], { cwd: repo });
    expectUserError(result, /--out afile: .*(not a folder|file)/);
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);
  });

  it("batch and run --out under an existing file are user errors, not crashes", async () => {
    const repo = await sharedRepo();
    for (const args of [["batch", "t.yaml"], ["run", "Say done."]]) {
      const result = await refused([...args, ...online(), "--out", "afile/sub/run"], { cwd: repo });
      expectUserError(result, /--out afile\/sub\/run: .*afile is a file, so no folder can be made under it/);
    }
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);
  });

  it("report merge --out naming an existing file is a user error", async () => {
    const repo = await sharedRepo();
    expect((await firstRun()).code).toBe(0);
    const result = await refused(["report", "merge", "rün ö", "--out", "afile"], { cwd: repo });
    expectUserError(result, /--out afile: .*(not a folder|file)/);
  });

  it("batch --out inside .git is refused, not written into git's own folder", async () => {
    const repo = await sharedRepo();
    const result = await refused(["batch", "t.yaml", ...online(), "--out", ".git/runs"], { cwd: repo });
    expectUserError(result, "--out .git/runs");
    expect(existsSync(join(repo, ".git", "runs"))).toBe(false);
  });

  it("batch --out naming the folder of an earlier run does not append a second run to its manifest", async () => {
    const repo = await sharedRepo();
    expect((await firstRun()).code).toBe(0);
    // Refused today before any task starts: in the one process of the refusals.
    const second = await refused(["batch", "b.yaml", ...online(), "--out", "rün ö"], { cwd: repo });
    expectNoCrash(second);
    if (second.code === 2) {
      expect(second.stderr).toMatch(/--out rün ö: .*(--resume|already)/);
    } else {
      const starts = readFileSync(join(repo, "rün ö", "manifest.jsonl"), "utf8").split("\n").filter((line) => line.includes('"run_start"'));
      expect(starts).toHaveLength(1);
    }
  });
});

describe("special files", () => {
  it("a FIFO named as a task file does not hang", async () => {
    const result = await malformedTasks();
    expect(result.timedOut, "validate hung reading a FIFO").toBe(false);
    expectUserError(result, /^fifo\/tasks\.yaml: .*(not a regular file|FIFO|pipe)/m);
  });

  it("a task file of invalid UTF-8 is refused with its location, not silently mangled", async () => {
    expectUserError(await malformedTasks(), /^utf8\.yaml:1:\d+: .*UTF-8/m);
  });

  it("--policy naming a directory says it is a directory, not that it is missing", async () => {
    const dir = join(temp, "policy-dir");
    writeFiles(dir, { "t.yaml": "prompt: x\n", "pol/.keep": "" });
    const result = await refused(["validate", "t.yaml", "--policy", "pol", ...OFFLINE], { cwd: dir });
    expectUserError(result, /pol: .*directory/);
  });

  it("--config naming a directory says it is a directory, not that it is missing", async () => {
    const dir = join(temp, "config-dir");
    writeFiles(dir, { "t.yaml": "prompt: x\n", "cfg/.keep": "" });
    const result = await refused(["validate", "t.yaml", "--config", "cfg"], { cwd: dir });
    expectUserError(result, /cfg: .*directory/);
  });
});

describe("collisions and ambiguities", () => {
  it("task ids differing only by case are refused (they collide on case-insensitive file systems and git refs)", async () => {
    expectUserError(await malformedTasks(), /^b\.yaml:1:1: .*"fix".*a\.yaml:1:1/m);
  });

  it("two providers whose names differ only by case are refused with the location of the second", async () => {
    const dir = join(temp, "dup-providers");
    const config = '{"nanocoder":{"providers":[\n{"name":"a","baseUrl":"http://x/v1","models":["m"]},\n{"name":"A","baseUrl":"http://y/v1","models":["n"]}]}}\n';
    writeFiles(dir, { "t.yaml": "prompt: x\nprovider: A\n", "agents.config.json": config });
    const result = await refused(["validate", "t.yaml"], { cwd: dir });
    expectUserError(result, /^agents\.config\.json:3:\d+: .*(duplicate|twice|also)/m);
  });
});

describe("messages without the location they could give", () => {
  it("a provider without baseUrl names the file, line and column of the provider", async () => {
    const dir = join(temp, "no-base-url");
    writeFiles(dir, { "t.yaml": "prompt: x\n", "agents.config.json": '{"nanocoder":{"providers":[\n{"name":"a","models":["m"]}]}}\n' });
    const result = await refused(["validate", "t.yaml"], { cwd: dir });
    expectUserError(result, /^agents\.config\.json:2:1: provider "a" has no "baseUrl"/m);
  });

  it("a policy with a second YAML document names where it starts", async () => {
    const dir = join(temp, "two-docs");
    writeFiles(dir, { "t.yaml": "prompt: x\n", "p.yaml": "version: 1\ndefault: deny\n---\ndefault: allow\n" });
    const result = await refused(["validate", "t.yaml", "--policy", "p.yaml", ...OFFLINE], { cwd: dir });
    expectUserError(result, /^p\.yaml:4:1: a policy file holds one YAML document, not several/m);
  });

  it("very deep nesting is reported as such, not as a JavaScript stack overflow", async () => {
    const result = await malformedTasks();
    expectUserError(result, /^deep\.yaml:2:\d+: /m);
    expect(result.stderr).not.toContain("Maximum call stack size exceeded");
  });
});

describe("flags checked before anything runs", () => {
  it("--replay of a folder that does not exist is a user error before any task starts", async () => {
    const repo = await sharedRepo();
    const result = await refused(["batch", "t.yaml", ...online(), "--replay", "no-such-cassettes", "--out", join(temp, "out-replay")], { cwd: repo });
    expectUserError(result, /--replay no-such-cassettes: .*(not found|no such|does not exist)/);
    expect(result.stderr).not.toContain("start one");
  });
});

describe("output closed early", () => {
  it("validate piped into a reader that stops early (| head) ends without a stack trace", async () => {
    const dir = join(temp, "epipe");
    writeFiles(dir, { "t.yaml": Array.from({ length: 4000 }, (_, i) => `id: t${i}\nprompt: x\n`).join("---\n") });
    const result = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, "validate", "t.yaml", ...OFFLINE], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", HOME: dir },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stdout.once("data", () => child.stdout.destroy());
      child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout: "", stderr }));
    });
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stderr).not.toContain("EPIPE");
  });
});

// ---------------------------------------------------------------------------------------------
// Cases that already behave well: kept so they stay that way.
// ---------------------------------------------------------------------------------------------

describe("task files that already get a good answer", () => {
  it("a billion-laughs alias bomb is refused quickly with a location", async () => {
    // Expanding the aliases would take far past the test's timeout; an answer at all shows it was refused early.
    expectUserError(await malformedTasks(), /^laughs\.yaml:1:1: invalid YAML: /m);
  });

  it("a BOM, CRLF line endings and tabs after the colon are read as text; errors keep the right line and column", async () => {
    const ok = await configs();
    expect(ok.stdout).toContain("ok bom ");
    expect(ok.stdout).toContain("ok tabbed ");
    expect(ok.code).toBe(0);
    expectUserError(await malformedTasks(), /^crlf\.yaml:6:3: limits\.max_turns: expected a positive integer, got "many"$/m);
  });

  it("absurd limits and empty check commands are each reported at their place", async () => {
    const result = await malformedTasks();
    expectUserError(result, "t.yaml:3:3: limits.max_turns: expected a positive integer");
    for (const expected of [
      "t.yaml:4:3: limits.max_denials: expected a positive integer, got -1",
      "t.yaml:5:3: limits.max_cost_usd: expected a positive number",
      't.yaml:6:3: limits.max_tokens: expected a positive integer, got "1e3"',
      't.yaml:7:3: limits.timeout: expected a duration like "90s", "10m" or "1h30m", got "5x"',
      't.yaml:8:10: checks[0]: expected a non-empty string, got ""',
      "t.yaml:8:15: checks[1].run: expected a non-empty string",
      "t.yaml:8:27: checks[2].run: expected a non-empty string, got nothing (the field is required)",
    ]) {
      expect(result.stderr).toContain(expected);
    }
  });

  it("default ids that collide after sanitising name both files", async () => {
    expectUserError(await malformedTasks(), 'a-b.yaml:1:1: duplicate task id "a-b" (also used at a b.yaml:1:1)');
  });

  it("a glob matching 2000 task files validates in one pass", async () => {
    const dir = join(temp, "many");
    writeFiles(dir, Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`tasks/t${i}.yaml`, `prompt: do ${i}\n`])));
    const result = await refused(["validate", "tasks/*.yaml", ...OFFLINE], { cwd: dir });
    expect(result.stdout).toContain("2000 task(s) valid");
    expect(result.code).toBe(0);
  });
});

describe("configs and policies that already get a good answer", () => {
  it("config: a BOM is accepted; trailing commas and comments are located", async () => {
    const bom = await configs();
    expect(bom.code).toBe(0);
    const dir = configsDir();
    expectUserError(await refused(["validate", "t.yaml", "--config", "trailing.json"], { cwd: dir }), /^trailing\.json:1:\d+: invalid JSON: .*trailing commas are not allowed/m);
    expectUserError(await refused(["validate", "t.yaml", "--config", "comment.json"], { cwd: dir }), /^comment\.json:1:1: invalid JSON: /m);
    expectUserError(
      await refused(["validate", "t.yaml", "--config", "negative.json"], { cwd: dir }),
      /^negative\.json:1:\d+: nanocoder\.providers\[0\]\.pricing\.m\.input: expected a non-negative number, got -1/m,
    );
  });

  it("policy: examples that contradict themselves are located", async () => {
    const dir = join(temp, "policies");
    writeFiles(dir, {
      "t.yaml": "prompt: x\n",
      "p.yaml": 'version: 1\ncommands:\n  allow:\n    - pattern: "npm test"\n      examples: {match: ["npm test"], not_match: ["npm test"]}\n',
    });
    const result = await refused(["validate", "t.yaml", "--policy", "p.yaml", ...OFFLINE], { cwd: dir });
    expectUserError(result, /^p\.yaml:4:7: .*should not match but does/m);
  });
});

describe("flags that already get a good answer", () => {
  it.each([
    [["--shard", "0/3"], '--shard: expected i/n with 1 ≤ i ≤ n, e.g. 2/4, got "0/3"'],
    [["--shard", "3/2"], '--shard: expected i/n with 1 ≤ i ≤ n, e.g. 2/4, got "3/2"'],
    [["--shard", "a/b"], '--shard: expected i/n with 1 ≤ i ≤ n, e.g. 2/4, got "a/b"'],
    [["--max-cost-usd", "NaN"], '--max-cost-usd: expected a positive number of US dollars, e.g. 5 or 0.50, got "NaN"'],
    [["--concurrency", "1e400"], '--concurrency: expected a positive integer, got "1e400"'],
    [["--record", "a", "--replay", "b"], "--record and --replay exclude each other"],
  ])("batch %j", async (flags, message) => {
    const repo = await sharedRepo();
    expectUserError(await refused(["batch", "t.yaml", ...online(), ...flags], { cwd: repo }), message);
  });

  // `run -` with an empty stdin: cli.test.ts, "run - with empty standard input says so".
  it("report merge of a folder that is no run", async () => {
    const repo = await sharedRepo();
    expectUserError(await refused(["report", "merge", "notrun", "--out", "merged"], { cwd: repo }), /notrun is not a run folder/);
  });
});

describe("repositories that already get a good answer", () => {
  it("outside a repository, and in a repository without commits", async () => {
    const plain = join(temp, "plain");
    mkdirSync(plain);
    writeFileSync(join(temp, "t.yaml"), "prompt: Say done.\nexpect: none\n");
    expectUserError(await refused(["batch", "../t.yaml", ...online()], { cwd: plain }), "is not inside a git repository");
    const empty = join(temp, "empty-repo");
    mkdirSync(empty);
    git(empty, "init", "--quiet");
    // No --base was given: the message names none, and says what to do.
    expectUserError(await refused(["batch", "../t.yaml", ...online()], { cwd: empty }), /^the repository has no commits yet, and tasks start from a commit: commit something first, or stage the files and pass --staged$/m);
    expectUserError(await refused(["batch", "../t.yaml", "--base", "main", ...online()], { cwd: empty }), "--base main: no such commit (the repository has no commits yet; commit something first)");
  });

  it("runs with a detached HEAD, from a submodule, and under paths with spaces and accents", async () => {
    // The shared repository is all of these but a submodule: its first run shows them working.
    const repo = await sharedRepo();
    expect(git(repo, "status", "--branch", "--porcelain")).toMatch(/^## HEAD \(no branch\)/);
    const onDetached = await firstRun();
    expectNoCrash(onDetached);
    expect(onDetached.stdout).toContain("my-task-");
    expect(onDetached.stdout).toMatch(/^one\s+succeeded/m);
    expect(onDetached.code).toBe(0);

    const parent = repoWith({ "x.txt": "x\n" });
    execFileSync("git", ["-c", "protocol.file.allow=always", "submodule", "add", "--quiet", repo, "sub"], { cwd: parent, env: { ...process.env, ...GIT_IDENTITY } });
    const inSubmodule = await runCli(["batch", outsideTask(), ...online(), "--out", join(temp, "out sub ü")], { cwd: join(parent, "sub") });
    expectNoCrash(inSubmodule);
    expect(inSubmodule.code).toBe(0);
  });
});
