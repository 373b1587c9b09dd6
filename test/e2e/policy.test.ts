import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startCliSteps } from "../helpers/cli-steps.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { lazy } from "../helpers/lazy.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";

const POLICY = `version: 1
default: deny
files:
  read: {allow: ["**"], deny: ["**/.env"]}
  write: {allow: ["src/**"], deny: []}
commands:
  allow:
    - "echo **"
    - "git status"
  deny:
    - pattern: "git push **"
      reason: "pushes happen in the release job"
limits:
  max_turns: 10
  max_denials: 4
`;

let server: FakeOpenAI;
let repo: string;
const cleanup: string[] = [];

beforeAll(async () => {
  server = await startFakeOpenAI([
    {
      match: "Use the shell",
      turns: [
        {
          tool_calls: [
            { name: "execute_bash", arguments: { command: "echo generated > src/out.txt" } },
            { name: "execute_bash", arguments: { command: "git status && git push origin main" } },
            { name: "write_file", arguments: { path: ".nanocoder/policy.yaml", content: "version: 1\ndefault: allow\n" } },
            { name: "write_file", arguments: { path: "README.md", content: "changed\n" } },
          ],
        },
        { content: "Wrote src/out.txt; the rest was refused." },
      ],
    },
    {
      match: "Keep trying",
      turns: [
        { tool_calls: [{ name: "execute_bash", arguments: { command: "rm -rf src" } }] },
        { tool_calls: [{ name: "execute_bash", arguments: { command: "rm -rf src" } }] },
        { tool_calls: [{ name: "execute_bash", arguments: { command: "rm -rf src" } }] },
        { tool_calls: [{ name: "execute_bash", arguments: { command: "rm -rf src" } }] },
        { content: "never reached" },
      ],
    },
    {
      match: "Narrowed",
      turns: [{ tool_calls: [{ name: "execute_bash", arguments: { command: "echo hi" } }] }, { content: "done" }],
    },
  ]);
  repo = createRepo({ "README.md": "# project\n", "src/a.ts": "export const a = 1;\n", ".nanocoder/policy.yaml": POLICY });
});

afterAll(async () => {
  await server.close();
  removeDir(repo);
  for (const dir of cleanup) removeDir(dir);
});

function tempOut(): string {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  cleanup.push(dir);
  return dir;
}

function writeTask(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-test-tasks-"));
  cleanup.push(dir);
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

/**
 * One batch of the three tasks under the repository's policy (each test reads its own task's results), and one
 * validate of a task whose limits are above the policy's.
 */
/**
 * `policy check` starts no task: its runs go one after another through one process that loads the command line
 * once (test/helpers/steps.ts).
 */
const checks = lazy(() => startCliSteps());
async function policyCheck(args: string[], options: { cwd: string }): Promise<CliResult> {
  return (await checks()).run(["policy", "check", ...args], options);
}
afterAll(async () => (await checks()).close());

const policyRun = lazy(async () => {
  const out = tempOut();
  const tasks = [
    writeTask("shell", "prompt: Use the shell\n"),
    writeTask("stubborn", "prompt: Keep trying to delete src\n"),
    writeTask("narrowed", "prompt: Narrowed\nexpect: none\npolicy:\n  commands:\n    deny: ['echo **']\n"),
  ];
  const result = await runCli(["batch", ...tasks, "--base-url", server.url, "--model", "m", "--out", out], { cwd: repo });
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
  const task = (id: string) => summary.tasks.find((each) => each.id === id);
  return { result, out, summary, task };
});
const aboveLimits = lazy(() => {
  const greedy = writeTask("greedy", "prompt: Narrowed\nlimits: {max_turns: 80, max_denials: 3}\n");
  return runCli(["validate", greedy, "--base-url", server.url, "--model", "m"], { cwd: repo });
});

describe("a policy file in the repository", () => {
  it("decides every call by its rules, checks each part of a command and protects the policy file", async () => {
    const { summary, task, out } = await policyRun();
    expect(summary.policy).toBe(".nanocoder/policy.yaml");
    const shell = task("shell");
    expect(shell?.status).toBe("succeeded");
    expect(shell?.files_changed).toEqual(["src/out.txt"]);
    expect(shell?.denied_calls.map((call) => [call.tool, call.rule])).toEqual([
      ["execute_bash", "commands.deny[0]"],
      ["write_file", "protect[5]"],
      ["write_file", "default"],
    ]);
    const report = readFileSync(join(out, "report.md"), "utf8");
    expect(report).toContain("## Denied calls");
    expect(report).toContain("pushes happen in the release job");
    const decisions = readFileSync(join(out, "tasks/shell/events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; rule_source?: string; subject?: string })
      .filter((event) => event.type === "policy_decision");
    expect(decisions[1]).toMatchObject({ subject: "run git status && git push origin main", rule_source: ".nanocoder/policy.yaml:11:7" });
  });

  it("stops a task as limit_exceeded after max_denials refused calls", async () => {
    const { result, task } = await policyRun();
    // The only task of the three that does not succeed, so the run exits 1.
    expect(result.code).toBe(1);
    expect(task("stubborn")).toMatchObject({ status: "limit_exceeded", stop_reason: "max_denials", denials: 4, error: expect.stringContaining("max_denials (4)") });
  });

  it("lets a task narrow the policy but never raise its limits", async () => {
    const { task } = await policyRun();
    expect(task("narrowed")?.status).toBe("succeeded");
    expect(task("narrowed")?.denied_calls[0]?.rule).toBe("commands.deny[1]");
    const refused = await aboveLimits();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("limits.max_turns: 80 is above the policy's 10");
  });
});

describe("a task's limits above the policy's", () => {
  it("are refused at the key's line and column", async () => {
    const refused = await aboveLimits();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("greedy.yaml:2:10: limits.max_turns: 80 is above the policy's 10");
    const block = writeTask("block", "prompt: Narrowed\nlimits:\n  max_turns: 5\n  max_denials: 9\n");
    const also = await runCli(["validate", block, "--base-url", server.url, "--model", "m"], { cwd: repo });
    expect(also.stderr).toContain("block.yaml:4:3: limits.max_denials: 9 is above the policy's 4");
  });
});

describe("a policy that lets no file be written", () => {
  it("is named by validate, with the tasks that expect changes and the fix; a review task is fine", async () => {
    const policy = join(tempOut(), "deny-only.yaml");
    writeFileSync(policy, "version: 1\nfiles:\n  write:\n    deny: [protected/**]\n");
    const change = writeTask("change", "prompt: Change something\n");
    const review = writeTask("review", "prompt: Review only\nexpect: none\n");
    const result = await (await checks()).run(["validate", change, review, "--policy", policy, "--base-url", server.url, "--model", "m"], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`warning: the policy (${policy}) lets no file be written (no files.write.allow rule, and default: deny), so 1 task(s) that expect changes cannot succeed: change; add files.write.allow: ["**"]`);
  });
});

describe("nanocoder policy check", () => {
  it.each([
    [["--command", "git status"], 0, "allow"],
    [["--command", "git status; git push origin"], 1, "deny"],
    [["--write", "src/new.ts"], 0, "allow"],
    [["--write", "README.md"], 1, "deny"],
    [["--read", ".env"], 1, "deny"],
    [["--read", "../etc/passwd"], 1, "deny"],
    [[], 2, "give exactly one of"],
  ])("%j exits %i", async (args, code, text) => {
    const result = await policyCheck([...args], { cwd: repo });
    expect(result.code).toBe(code);
    expect(result.stdout + result.stderr).toContain(text);
  });

  it.each([
    [["--command"], "--command needs a value"],
    [["--command", ""], "--command needs a value"],
    [["--read", ""], "--read needs a value"],
    [["--write", " "], "--write needs a value"],
    [["--tool", ""], "--tool needs a value"],
    [["--workspace", "/nonexistent/nanocoder-ws", "--read", "a.txt"], "--workspace /nonexistent/nanocoder-ws: no such folder"],
    [["--workspace", "README.md", "--read", "a.txt"], "--workspace README.md: not a folder"],
  ])("%j is invalid input: exit 2 with a message", async (args, message) => {
    const result = await policyCheck([...args], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("decides a rule that holds only in the sandbox as a run here would, or as --sandbox says", async () => {
    const policy = join(mkdtempSync(join(tmpdir(), "nanocoder-sandboxed-policy-")), "policy.yaml");
    cleanup.push(dirname(policy));
    writeFileSync(policy, 'version: 1\ncommands:\n  allow:\n    - { pattern: "node **", sandboxed: true }\n');
    const inside = await policyCheck(["--policy", policy, "--sandbox", "on", "--command", "node build.js"], { cwd: repo });
    expect([inside.code, inside.stdout]).toEqual([0, 'allow: `node build.js` matches allow rule "node **" (inside the sandbox) [commands.allow[0]]\n']);
    const outside = await policyCheck(["--policy", policy, "--sandbox", "off", "--command", "node build.js"], { cwd: repo });
    expect(outside.code).toBe(1);
    expect(outside.stdout).toContain("which allows it only inside the sandbox, and commands run without one here");
    const wrong = await policyCheck(["--policy", policy, "--sandbox", "maybe", "--command", "node build.js"], { cwd: repo });
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringContaining("--sandbox maybe: expected on or off")]);
  });

  it("prints the decision trace with each segment as JSON", async () => {
    const result = await policyCheck(["--json", "--command", "echo a && git push"], { cwd: repo });
    const trace = JSON.parse(result.stdout) as { decision: string; segments: { command: string; decision: string }[] };
    expect(trace.decision).toBe("deny");
    expect(trace.segments.map((segment) => [segment.command, segment.decision])).toEqual([
      ["echo a", "allow"],
      ["git push", "deny"],
    ]);
  });
});

it("leaves the user's working tree, index, branches and stashes as they were", () => {
  const { now, created } = changedSinceCreated(repo);
  expect(now).toEqual(created);
});
