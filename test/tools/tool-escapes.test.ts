import { execFileSync } from "node:child_process";
import { closeSync, constants, existsSync, openSync, readFileSync } from "node:fs";
import { link, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/agent/events.ts";
import { builtinPolicy } from "../../src/policy/default.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { renderStarterPolicy } from "../../src/policy/starter.ts";
import type { Policy } from "../../src/policy/types.ts";
import { commandEnv } from "../../src/run/command-env.ts";
import executeBash from "../../src/tools/execute-bash.ts";
import { builtinTools as allTools } from "../../src/tools/index.ts";
import { invokeTool } from "../../src/tools/invoke.ts";
import type { ToolContext } from "../../src/tools/types.ts";
import { createSandbox } from "./helpers.ts";

/*
 * Attempts of a model (steered by a hostile prompt) to get around the policy and the workspace boundary with
 * the file tools, and to outlive its task with commands. Every call goes through invokeTool, as in a run.
 */

const POLICY_PATH = ".nanocoder/policy.yaml";

/** The starter policy `nanocoder policy init` writes, protected as a run protects a policy file in the repository. */
function starterPolicy(): Policy {
  const policy = parsePolicy(renderStarterPolicy({ scripts: [] }), POLICY_PATH);
  return { ...policy, protect: [...policy.protect, POLICY_PATH] };
}

function policyOf(yaml: string): Policy {
  return parsePolicy(yaml, "policy.yaml");
}

let callCount = 0;

/** Calls a tool as the agent loop does; returns the result and what it emitted. */
async function call(ctx: ToolContext, policy: Policy, name: string, args: Record<string, unknown>) {
  const events: AgentEvent[] = [];
  const result = await invokeTool(
    { id: `call_${++callCount}`, name, arguments: JSON.stringify(args) },
    { tools: allTools, policy, context: ctx, emit: (event) => events.push(event) },
  );
  return { ...result, events };
}

/** Resolves to "pending" when `promise` has not settled after `ms`. */
async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T | "pending"> {
  return Promise.race([promise.catch((error: unknown) => error as T), sleep(ms).then(() => "pending" as const)]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("file_op on a folder above paths the policy protects", () => {
  it("refuses to delete .github/workflows under the starter policy, which denies writing .github/workflows/**", async () => {
    const { ctx, workspace } = await createSandbox({ ".github/workflows/ci.yml": "on: push\n", "src/a.ts": "a\n" });
    expect((await call(ctx, starterPolicy(), "write_file", { path: ".github/workflows/ci.yml", content: "x" })).status).toBe("denied");
    const deleted = await call(ctx, starterPolicy(), "file_op", { operation: "delete", path: ".github/workflows" });
    expect(deleted.status).toBe("denied");
    expect(existsSync(path.join(workspace, ".github/workflows/ci.yml"))).toBe(true);
  });

  it("refuses to move a folder into place as .github/workflows, creating a workflow the starter policy forbids", async () => {
    const { ctx, workspace } = await createSandbox({ "src/a.ts": "a\n" });
    const policy = starterPolicy();
    expect((await call(ctx, policy, "write_file", { path: "payload/evil.yml", content: "on: push\njobs: {}\n" })).status).toBe("ok");
    const moved = await call(ctx, policy, "file_op", { operation: "move", path: "payload", destination: ".github/workflows" });
    expect(moved.status).toBe("denied");
    expect(existsSync(path.join(workspace, ".github/workflows/evil.yml"))).toBe(false);
  });

  it("refuses to copy a folder into place as .github/workflows", async () => {
    const { ctx, workspace } = await createSandbox({ "payload/evil.yml": "on: push\n" });
    const copied = await call(ctx, starterPolicy(), "file_op", { operation: "copy", path: "payload", destination: ".github/workflows" });
    expect(copied.status).toBe("denied");
    expect(existsSync(path.join(workspace, ".github/workflows/evil.yml"))).toBe(false);
  });

  it("refuses to delete or replace the protected policy file through its folder", async () => {
    const { ctx, workspace } = await createSandbox({ [POLICY_PATH]: "version: 1\n" });
    const policy = starterPolicy();
    expect((await call(ctx, policy, "write_file", { path: POLICY_PATH, content: "version: 1\ndefault: allow\n" })).status).toBe("denied");
    // Move the folder aside, write a policy of one's own there, move it back.
    await call(ctx, policy, "file_op", { operation: "move", path: ".nanocoder", destination: "aside" });
    await call(ctx, policy, "write_file", { path: "aside/policy.yaml", content: "version: 1\ndefault: allow\n" });
    await call(ctx, policy, "file_op", { operation: "move", path: "aside", destination: ".nanocoder" });
    expect(readFileSync(path.join(workspace, POLICY_PATH), "utf8")).toBe("version: 1\n");
  });
});

describe("file_op turning a file the policy does not let the model read into one it may read", () => {
  it("a key moved to a readable name under the starter policy (reads of *.key denied, writes allowed) stays unread", async () => {
    const key = "-----BEGIN PRIVATE KEY----- tool-escape-key";
    const { ctx } = await createSandbox({ "deploy.key": key });
    const policy = starterPolicy();
    expect((await call(ctx, policy, "read_file", { path: "deploy.key" })).status).toBe("denied");
    const outputs: string[] = [];
    outputs.push((await call(ctx, policy, "file_op", { operation: "move", path: "deploy.key", destination: "deploy.txt" })).output);
    outputs.push((await call(ctx, policy, "read_file", { path: "deploy.txt" })).output);
    expect(outputs.join("\n")).not.toContain(key);
  });

  it("copying a folder whose files a read rule denies does not make readable copies", async () => {
    const policy = policyOf('version: 1\nfiles:\n  read: {allow: ["**"], deny: ["secrets/**"]}\n  write: {allow: ["**"], deny: ["secrets/**"]}\n');
    const { ctx } = await createSandbox({ "secrets/token.txt": "folder-secret-42\n" });
    expect((await call(ctx, policy, "read_file", { path: "secrets/token.txt" })).status).toBe("denied");
    const outputs: string[] = [];
    outputs.push((await call(ctx, policy, "file_op", { operation: "copy", path: "secrets", destination: "public" })).output);
    outputs.push((await call(ctx, policy, "read_file", { path: "public/token.txt" })).output);
    outputs.push((await call(ctx, policy, "file_op", { operation: "move", path: "secrets", destination: "public2" })).output);
    outputs.push((await call(ctx, policy, "read_file", { path: "public2/token.txt" })).output);
    expect(outputs.join("\n")).not.toContain("folder-secret-42");
  });
});

describe("special files a command can leave in the worktree", () => {
  // A command (mkfifo in a test script) leaves a named pipe; opening it blocks until a writer comes, in
  // libuv's thread pool, which no timeout or abort reaches: the task, then the run, hang.
  async function withFifo(run: (ctx: ToolContext, fifo: string) => Promise<unknown>): Promise<unknown> {
    const { ctx, workspace } = await createSandbox({ "a.txt": "a\n" });
    const fifo = path.join(workspace, "pipe.txt");
    execFileSync("mkfifo", [fifo]);
    try {
      return await settlesWithin(run(ctx, fifo), 2000);
    } finally {
      // Unblock whatever is stuck opening the pipe, so the worker can go on.
      try {
        closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
      } catch {
        // nothing was waiting
      }
    }
  }

  it("read_file on a named pipe returns an error instead of hanging", async () => {
    const outcome = await withFifo((ctx) => call(ctx, builtinPolicy, "read_file", { path: "pipe.txt" }));
    expect(outcome).not.toBe("pending");
    expect(outcome).toMatchObject({ status: "error" });
  });

  it("string_replace on a named pipe returns an error instead of hanging", async () => {
    const outcome = await withFifo((ctx) => call(ctx, builtinPolicy, "string_replace", { path: "pipe.txt", old_str: "a", new_str: "b" }));
    expect(outcome).not.toBe("pending");
    expect(outcome).toMatchObject({ status: "error" });
  });

  it("write_file on a named pipe returns an error instead of hanging", async () => {
    const outcome = await withFifo((ctx) => call(ctx, builtinPolicy, "write_file", { path: "pipe.txt", content: "x" }));
    expect(outcome).not.toBe("pending");
    expect(outcome).toMatchObject({ status: "error" });
  });
});

describe("execute_bash without a sandbox: nothing outlives the command", () => {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

  it("kills a background job that closed its output when the shell exits", async () => {
    const { ctx, workspace } = await createSandbox({}, env);
    // Redirecting the job's output lets the command end at once. A tool that waited for the job instead would
    // outlast the test's timeout: the job sleeps for 15 minutes.
    const result = await executeBash.execute({ command: "sleep 900 >/dev/null 2>&1 & echo $! > bg.pid; echo started", timeout_ms: 10_000 }, ctx);
    expect(result).toContain("started");
    const pid = Number(await readFile(path.join(workspace, "bg.pid"), "utf8"));
    try {
      await expect.poll(() => alive(pid), { timeout: 15_000 }).toBe(false);
    } finally {
      if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  });

  it("kills background jobs that hold the output open (the documented case)", async () => {
    const { ctx, workspace } = await createSandbox({}, env);
    const result = await executeBash.execute({ command: "sleep 30 & echo $! > bg.pid; echo started", timeout_ms: 10_000 }, ctx);
    expect(result).toContain("[background processes still running when the command ended were killed]");
    const pid = Number(await readFile(path.join(workspace, "bg.pid"), "utf8"));
    await expect.poll(() => alive(pid), { timeout: 15_000 }).toBe(false);
  });
});

describe("promises that hold", () => {
  it("refuses every file tool on a symlink to a sibling folder (another worktree) or a dangling link out", async () => {
    const { ctx, workspace, outside } = await createSandbox({ "a.txt": "a\n" });
    await writeFile(path.join(outside, "other.txt"), "other-worktree-secret\n");
    await symlink(outside, path.join(workspace, "sib"));
    await symlink("../outside/new.txt", path.join(workspace, "dangling"));
    await symlink("dangling", path.join(workspace, "chain"));
    const policy = policyOf('version: 1\ndefault: allow\n');
    const attempts: [string, Record<string, unknown>][] = [
      ["read_file", { path: "sib/other.txt" }],
      ["read_file", { path: "./sib/../sib/other.txt" }],
      ["list_directory", { path: "sib" }],
      ["search_file_contents", { query: "secret", path: "sib" }],
      ["write_file", { path: "dangling", content: "x" }],
      ["write_file", { path: "chain", content: "x" }],
      ["write_file", { path: "sib/new.txt", content: "x" }],
      ["string_replace", { path: "sib/other.txt", old_str: "other", new_str: "mine" }],
      ["file_op", { operation: "copy", path: "sib/other.txt", destination: "stolen.txt" }],
      ["file_op", { operation: "copy", path: "sib", destination: "stolen" }],
      ["file_op", { operation: "move", path: "a.txt", destination: "sib/a.txt" }],
      ["file_op", { operation: "mkdir", path: "chain/x" }],
      ["file_op", { operation: "delete", path: "sib/other.txt" }],
    ];
    for (const [name, args] of attempts) {
      const result = await call(ctx, policy, name, args);
      expect(result.status, `${name} ${JSON.stringify(args)}: ${result.output}`).toBe("error");
      expect(result.output).not.toContain("other-worktree-secret");
      expect(result.events.some((event) => event.type === "policy_decision")).toBe(false);
    }
    expect(await readFile(path.join(outside, "other.txt"), "utf8")).toBe("other-worktree-secret\n");
    expect(existsSync(path.join(outside, "new.txt"))).toBe(false);
    expect(existsSync(path.join(workspace, "stolen.txt"))).toBe(false);
  });

  it("searches and listings do not follow a symlinked folder out of the workspace", async () => {
    const { ctx, workspace, outside } = await createSandbox({ "a.txt": "a\n" });
    await writeFile(path.join(outside, "other.txt"), "other-worktree-secret\n");
    await symlink(outside, path.join(workspace, "sib"));
    const policy = policyOf('version: 1\ndefault: allow\n');
    const outputs = [
      (await call(ctx, policy, "search_file_contents", { query: "secret" })).output,
      (await call(ctx, policy, "find_files", { pattern: "**/*.txt" })).output,
      (await call(ctx, policy, "list_directory", { recursive: true })).output,
      (await call(ctx, policy, "file_op", { operation: "copy", path: ".", destination: "all" })).output,
    ];
    expect(outputs.join("\n")).not.toContain("other-worktree-secret");
    expect(outputs[1]).not.toContain("other.txt");
  });

  it("a copied folder keeps a symlink out as a link, which the tools then refuse", async () => {
    const { ctx, workspace, outside } = await createSandbox({ "dir/a.txt": "a\n" });
    await writeFile(path.join(outside, "other.txt"), "other-worktree-secret\n");
    await symlink(path.join(outside, "other.txt"), path.join(workspace, "dir", "out"));
    const policy = policyOf('version: 1\ndefault: allow\n');
    expect((await call(ctx, policy, "file_op", { operation: "copy", path: "dir", destination: "dir2" })).status).toBe("ok");
    const read = await call(ctx, policy, "read_file", { path: "dir2/out" });
    expect(read.status).toBe("error");
    expect(read.output).not.toContain("other-worktree-secret");
  });

  it("refuses writes to .git and the policy file however the path is spelled, and through links", async () => {
    const { ctx, workspace } = await createSandbox({ ".git/config": "[core]\n", [POLICY_PATH]: "version: 1\n", "src/a.ts": "" });
    await symlink("../.git/config", path.join(workspace, "src", "cfg"));
    await symlink(`../${POLICY_PATH}`, path.join(workspace, "src", "pol"));
    const policy = starterPolicy();
    for (const spelled of [".git/config", "./.git//config", "src/../.git/config", ".git/hooks/../config", "src/cfg", "src/pol", ".nanocoder//policy.yaml", ".nanocoder/./policy.yaml", ".git/hooks/pre-commit", ".git/"]) {
      const result = await call(ctx, policy, "write_file", { path: spelled, content: "x" });
      expect(result.status, spelled).not.toBe("ok");
    }
    expect((await call(ctx, policy, "string_replace", { path: "src/cfg", old_str: "core", new_str: "x" })).status).toBe("denied");
    expect((await call(ctx, policy, "file_op", { operation: "delete", path: ".git" })).status).toBe("denied");
    expect((await call(ctx, policy, "file_op", { operation: "move", path: "src/a.ts", destination: ".git/hooks/post-checkout" })).status).toBe("denied");
    expect(await readFile(path.join(workspace, ".git/config"), "utf8")).toBe("[core]\n");
    expect(await readFile(path.join(workspace, POLICY_PATH), "utf8")).toBe("version: 1\n");
  });

  it("odd paths are errors, never crashes: NUL bytes, very long names, absolute and drive paths, trailing slashes", async () => {
    const { ctx, workspace } = await createSandbox({ "a.txt": "a\n" });
    const policy = policyOf('version: 1\ndefault: allow\n');
    for (const given of ["a.txt\0.env", `${"x".repeat(300)}/a`, "x/".repeat(3000) + "a", "/etc/passwd", "C:\\Windows", "..", "../"]) {
      const result = await call(ctx, policy, "read_file", { path: given });
      expect(["error", "denied"], `${JSON.stringify(given.slice(0, 40))}: ${result.output}`).toContain(result.status);
    }
    const written = await call(ctx, policy, "write_file", { path: "new\0.txt", content: "x" });
    expect(written.status).toBe("error");
    expect(existsSync(path.join(workspace, "new"))).toBe(false);
  });

  it("a hard link to a denied file is checked under its own name only (worktree files are the command's to read anyway)", async () => {
    const { ctx, workspace } = await createSandbox({ ".env": "TOKEN=hard-link-secret\n" });
    await link(path.join(workspace, ".env"), path.join(workspace, "env-copy.txt"));
    // Documented: commands can read any worktree file; this only records that the file tools see names, not inodes.
    const result = await call(ctx, builtinPolicy, "read_file", { path: ".env" });
    expect(result.status).toBe("denied");
  });

  it("commands get none of the runner's secrets: provider keys, GITHUB_TOKEN, the Action's inputs and runtime tokens", async () => {
    const runner = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: "/home/runner",
      OPENAI_API_KEY: "sk-leak-1",
      GITHUB_TOKEN: "ghs-leak-2",
      "INPUT_GITHUB-TOKEN": "ghs-leak-3",
      "INPUT_API-KEY": "sk-leak-4",
      ACTIONS_RUNTIME_TOKEN: "leak-5",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "leak-6",
      NODE_OPTIONS: "--require /tmp/leak-7.js",
      GIT_ASKPASS: "/tmp/leak-8",
      SSH_AUTH_SOCK: "/tmp/leak-9.sock",
      LC_ALL: "C",
    };
    const { ctx } = await createSandbox({}, commandEnv(runner));
    const result = await executeBash.execute({ command: "env" }, ctx);
    expect(result).not.toMatch(/leak-\d/);
    expect(result).toContain("LC_ALL=C");
  });

  it("the search runs ripgrep with an empty environment", async () => {
    process.env.NANOCODER_RG_LEAK = "--pre=/bin/false";
    try {
      const { ctx } = await createSandbox({ "a.txt": "needle\n" });
      expect(await call(ctx, builtinPolicy, "search_file_contents", { query: "needle" })).toMatchObject({ status: "ok", output: "a.txt:1: needle" });
    } finally {
      delete process.env.NANOCODER_RG_LEAK;
    }
  });

  it("mkdir and write_file create missing parents inside the workspace only, even past a dangling link into a missing folder", async () => {
    const { ctx, workspace, outside } = await createSandbox({});
    await symlink("../outside/deep/er", path.join(workspace, "d"));
    const policy = policyOf('version: 1\ndefault: allow\n');
    expect((await call(ctx, policy, "file_op", { operation: "mkdir", path: "d/x" })).status).toBe("error");
    expect((await call(ctx, policy, "write_file", { path: "d/x/y.txt", content: "x" })).status).toBe("error");
    expect(existsSync(path.join(outside, "deep"))).toBe(false);
    await mkdir(path.join(workspace, "ok"));
  });
});
