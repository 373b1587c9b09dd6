import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.ts";
import { checkFailureMessage, checkSlugs, outputTail, runChecks, type CheckRun } from "../../src/run/checks.ts";
import { removeDir } from "../helpers/repo.ts";

function failedRun(overrides: Partial<CheckRun> = {}): CheckRun {
  return {
    name: "unit",
    command: "npm test",
    passed: false,
    exit_code: 1,
    timed_out: false,
    duration_ms: 120,
    timeout_ms: 600_000,
    log: "tasks/t/checks/1-unit.log",
    output: "1 test failed\n",
    ...overrides,
  };
}

/** Running, as opposed to gone or a zombie waiting for a busy reaper. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("outputTail", () => {
  it("keeps short output whole", () => {
    expect(outputTail("a\nb\n")).toBe("a\nb");
  });

  it("keeps the last lines and says how many were cut", () => {
    const output = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join("\n");
    const tail = outputTail(output, 80, 4096);
    expect(tail.split("\n")[0]).toBe("[output cut: the last 80 of 100 lines]");
    expect(tail.split("\n")[1]).toBe("line 21");
    expect(tail.endsWith("line 100")).toBe(true);
  });

  it("caps the bytes, dropping whole lines first and never splitting a character", () => {
    const long = `${"é".repeat(3000)}\n${"x".repeat(10)}`;
    expect(outputTail(long, 80, 4096)).toBe("[output cut: the last 1 of 2 lines]\nxxxxxxxxxx");
    const oneLine = outputTail("é".repeat(3000), 80, 101);
    expect(oneLine).toBe(`[output cut: the last 1 of 1 lines]\n${"é".repeat(50)}`);
  });
});

describe("checkFailureMessage", () => {
  it("names the check, its command and exit code, shows the output and the attempts left", () => {
    const message = checkFailureMessage(failedRun(), 2);
    expect(message).toContain('the check "unit" (`npm test`) failed with exit code 1');
    expect(message).toContain("```\n1 test failed\n```");
    expect(message).toContain("1 more attempt(s) after this one.");
    expect(checkFailureMessage(failedRun(), 1)).toContain("This is the last attempt.");
  });

  it("says when a check timed out, and fences output that holds backticks", () => {
    const message = checkFailureMessage(failedRun({ name: "slow", command: "slow", exit_code: null, timed_out: true, timeout_ms: 300_000, output: "```js\n" }), 1);
    expect(message).toContain('the check "slow" timed out after 5m.');
    expect(message).toContain("````\n```js\n````");
  });
});

describe("checkSlugs", () => {
  it("turns names into file names, unique within the task", () => {
    expect(checkSlugs(["npm test", "npm-test", "Lint: ESLint!", "???", "npm test"])).toEqual([
      "npm-test",
      "npm-test-2",
      "lint-eslint",
      "check",
      "npm-test-3",
    ]);
  });
});

describe("runChecks", () => {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-test-checks-"));
  afterAll(() => removeDir(dir));

  it("runs in order up to the first failure, with only the given environment, and saves each output", async () => {
    const events: AgentEvent[] = [];
    const logDir = join(dir, "logs");
    const runs = await runChecks(
      [
        { name: "env", run: 'echo "home=$HOME secret=${SECRET_TOKEN:-none}"', timeout_ms: 10_000 },
        { name: "fails", run: "echo out; echo err >&2; exit 3", timeout_ms: 10_000 },
        { name: "never", run: "true", timeout_ms: 10_000 },
      ],
      2,
      { workspace: dir, env: { PATH: process.env.PATH ?? "", HOME: "/nowhere" }, signal: new AbortController().signal, logDir, emit: (event) => events.push(event) },
    );
    expect(runs.map((run) => [run.name, run.passed, run.exit_code])).toEqual([["env", true, 0], ["fails", false, 3]]);
    expect(readFileSync(join(logDir, "2-env.log"), "utf8")).toBe("home=/nowhere secret=none\n");
    expect(readFileSync(join(logDir, "2-fails.log"), "utf8")).toBe("out\nerr\n");
    expect(readdirSync(logDir).sort()).toEqual(["2-env.log", "2-fails.log"]);
    expect(events.map((event) => event.type)).toEqual(["check_start", "check_result", "check_start", "check_result"]);
    expect(events[3]).toMatchObject({ type: "check_result", name: "fails", attempt: 2, exit_code: 3, timed_out: false, output_tail: "out\nerr" });
  });

  it("saves output of any length whole, and reports the real exit code and the end of the output", async () => {
    const events: AgentEvent[] = [];
    const logDir = join(dir, "long");
    const context = { workspace: dir, env: { PATH: process.env.PATH ?? "" }, signal: new AbortController().signal, logDir, emit: (event: AgentEvent) => events.push(event) };
    const [passing] = await runChecks([{ name: "long", run: 'head -c 12000000 /dev/zero | tr "\\0" a; echo; echo ALL TESTS PASSED', timeout_ms: 60_000 }], 1, context);
    expect(passing).toMatchObject({ passed: true, exit_code: 0 });
    expect(statSync(join(logDir, "1-long.log")).size).toBe(12_000_000 + "\nALL TESTS PASSED\n".length);
    expect(passing?.output.endsWith("ALL TESTS PASSED\n")).toBe(true);
    expect(passing?.lines).toBe(2);
    expect(Buffer.byteLength(passing?.output ?? "")).toBeLessThanOrEqual(64 * 1024);
    const [failing] = await runChecks([{ name: "long", run: 'head -c 12000000 /dev/zero | tr "\\0" b; echo; echo "3 tests failed"; exit 3', timeout_ms: 60_000 }], 2, context);
    expect(failing).toMatchObject({ passed: false, exit_code: 3 });
    expect(checkFailureMessage(failing as CheckRun, 1)).toContain("3 tests failed");
    expect(events.at(-1)).toMatchObject({ type: "check_result", exit_code: 3, output_tail: expect.stringContaining("3 tests failed") });
    expect(readdirSync(logDir).sort()).toEqual(["1-long.log", "2-long.log"]);
  });

  it("counts the lines of the whole output when the model and events get only its end", async () => {
    const events: AgentEvent[] = [];
    const logDir = join(dir, "many-lines");
    await runChecks([{ name: "many", run: "seq 1 200000", timeout_ms: 60_000 }], 1, { workspace: dir, env: { PATH: process.env.PATH ?? "" }, signal: new AbortController().signal, logDir, emit: (event) => events.push(event) });
    const result = events.find((event) => event.type === "check_result");
    expect(result).toMatchObject({ output_tail: expect.stringMatching(/^\[output cut: the last \d+ of 200000 lines\]\n/) });
    expect(String(result?.type === "check_result" ? result.output_tail : "").endsWith("\n200000")).toBe(true);
  });

  it("hides secrets in the saved log, line by line, keeping the lines as they were", async () => {
    const logDir = join(dir, "redacted");
    const redact = (text: string) => text.replaceAll("hunter2", "[REDACTED]");
    await runChecks([{ name: "leaky", run: "printf 'token=hunter2\\nsecond hunter2 line\\nlast'", timeout_ms: 10_000 }], 1, { workspace: dir, env: { PATH: process.env.PATH ?? "" }, signal: new AbortController().signal, logDir, emit: () => {}, redact });
    expect(readFileSync(join(logDir, "1-leaky.log"), "utf8")).toBe("token=[REDACTED]\nsecond [REDACTED] line\nlast");
    await runChecks([{ name: "deploy hunter2", run: "true", timeout_ms: 10_000 }], 2, { workspace: dir, env: { PATH: process.env.PATH ?? "" }, signal: new AbortController().signal, logDir, emit: () => {}, redact });
    expect(readdirSync(logDir).sort()).toEqual(["1-leaky.log", "2-deploy-redacted.log"]);
  });

  it("kills the whole process tree of a check that runs past its timeout", async () => {
    // The sleeps would outlast the test's timeout: returning at all shows the tree was killed. 2 s, so that a
    // loaded machine's bash has long written sleeper.pid when it comes.
    const [run] = await runChecks(
      [{ name: "slow", run: "sleep 900 & echo $! > sleeper.pid; sleep 900; echo never", timeout_ms: 2_000 }],
      1,
      { workspace: dir, env: { PATH: process.env.PATH ?? "" }, signal: new AbortController().signal, logDir: join(dir, "slow"), emit: () => {} },
    );
    expect(run).toMatchObject({ passed: false, exit_code: null, timed_out: true });
    const sleeper = Number(readFileSync(join(dir, "sleeper.pid"), "utf8"));
    await expect.poll(() => isRunning(sleeper), { timeout: 15_000 }).toBe(false);
  });
});
