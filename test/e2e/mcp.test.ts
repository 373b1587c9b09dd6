/**
 * MCP servers in a batch run, end to end: real registry servers (server-everything and server-filesystem
 * over stdio), a Streamable HTTP server built with the SDK here, and a hostile server, all decided by the
 * policy, run in the sandbox, traced, replayed, and gone when the run ends (normally, on a task timeout,
 * and on two Ctrl-Cs).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CLI, runCli, type CliResult } from "../helpers/cli.ts";
import { lazyCliSteps } from "../helpers/cli-steps.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { runningProcesses } from "../helpers/processes.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";
import { readEvents, type LoggedEvent } from "../helpers/run-folder.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NODE_MODULES = realpathSync(join(ROOT, "node_modules"));
const MCP_PACKAGES = join(NODE_MODULES, "@modelcontextprotocol");
const HOSTILE = readFileSync(join(ROOT, "test/mcp/fixtures/hostile-server.mjs"), "utf8");
/** A file on the host, outside the worktree and every folder the servers may read. */
const OUTSIDE_FILE = fileURLToPath(import.meta.url);
const SECRET = "hostile-secret-value-4711";

let fake: FakeOpenAI;
let web: { url: string; close(): Promise<void> };
let repo: string;
let scratch: string;
let marker: string;
let run: CliResult;
const out = () => join(scratch, "out");
/**
 * policy check and validate start no task: their runs go through one process that loads the command line once.
 * doctor does not: the servers it started end with its process, which the test waits for.
 */
const noTask = lazyCliSteps();

beforeAll(async () => {
  web = await startWebServer();
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-mcp-"));
  marker = `marker-${basename(scratch)}`;
  const port = Number(new URL(web.url).port);
  fake = await startFakeOpenAI([
    {
      match: "[[use]]",
      turns: [
        {
          tool_calls: [
            { name: "mcp__everything__echo", arguments: { message: "hello" } },
            { name: "mcp__everything__echo", arguments: { message: "a secret plan" } },
            { name: "mcp__everything__get-env", arguments: {} },
            { name: "mcp__everything__get-tiny-image", arguments: {} },
            { name: "mcp__files__read_text_file", arguments: { path: "notes.txt" } },
            { name: "mcp__files__read_text_file", arguments: { path: "/etc/hostname" } },
            { name: "mcp__files__write_file", arguments: { path: "x.txt", content: "x" } },
            { name: "mcp__web__lookup", arguments: { query: "ok-1" } },
            { name: "mcp__web__lookup", arguments: { query: "bad" } },
            { name: "mcp__everything__get-sum", arguments: { a: "two", b: 3 } },
          ],
        },
        {
          tool_calls: [
            { name: "mcp__hostile__huge", arguments: {} },
            { name: "mcp__hostile__fail", arguments: {} },
            { name: "mcp__hostile__garbage", arguments: {} },
            { name: "mcp__hostile__escape", arguments: { path: OUTSIDE_FILE, port } },
            { name: "mcp__hostile__secret", arguments: {} },
            { name: "mcp__hostile__scribble", arguments: { path: "scribbled.txt" } },
            { name: "mcp__hostile__scribble", arguments: { path: "locked.txt" } },
            { name: "mcp__slow__hang", arguments: {} },
            { name: "mcp__hostile__crash", arguments: {} },
            { name: "mcp__hostile__fail", arguments: {} },
          ],
        },
        { content: "Done." },
      ],
    },
    {
      match: "[[replay]]",
      turns: [
        {
          tool_calls: [
            { name: "mcp__everything__echo", arguments: { message: "again" } },
            { name: "mcp__files__read_text_file", arguments: { path: "/etc/hostname" } },
            { name: "mcp__web__lookup", arguments: { query: "ok-2" } },
            { name: "mcp__hostile__fail", arguments: {} },
            { name: "mcp__hostile__huge", arguments: {} },
            // A write the effect check undoes: the replay, whose server writes nothing, gives the recorded verdict.
            { name: "mcp__hostile__scribble", arguments: { path: "locked.txt" } },
          ],
        },
        { content: "Done." },
      ],
    },
    { match: "[[stuck]]", turns: [{ tool_calls: [{ name: "mcp__hostile__hang", arguments: {} }] }] },
    { match: "[[interrupt]]", turns: [{ tool_calls: [{ name: "mcp__hostile__hang", arguments: {} }] }] },
  ]);
  const server = (name: string) => join(MCP_PACKAGES, name, "dist/index.js");
  repo = createRepo({
    ".mcp.json": JSON.stringify({
      mcpServers: {
        everything: { command: "node", args: [server("server-everything"), "stdio", marker], alwaysAllow: ["get-env"] },
        files: { command: "node", args: [server("server-filesystem"), "."] },
        web: { transport: "http", url: web.url },
        hostile: { command: "node", args: ["hostile.mjs", marker], env: { HOSTILE_TOKEN: "$HOSTILE_TOKEN", HOSTILE_DROPPED: "x" } },
        // The timeout covers start-up too (sandbox, Node, initialize): 6 s, which a loaded machine's start-up
        // (measured up to 3.8 s) fits in, and which `hang` and the silent server's start still run past.
        slow: { command: "node", args: ["hostile.mjs", marker], timeout: 6000 },
        silent: { command: "node", args: ["hostile.mjs", "silent", marker], timeout: 6000 },
        memory: { command: "no-such-server-program" },
      },
    }, null, 2),
    ".nanocoder/policy.yaml": `version: 1
files: { read: { allow: ["**"] }, write: { allow: ["**"], deny: [locked.txt] } }
tools:
  allow:
    - mcp__everything__*
    - mcp__files__read_*
    - mcp__hostile__*
    - mcp__slow__*
    - mcp__silent__*
    - pattern: mcp__web__lookup
      when: { query: "ok-*" }
      examples: { match: ['mcp__web__lookup {"query": "ok-2"}'], not_match: ['mcp__web__lookup {"query": "bad"}'] }
  deny:
    - mcp__everything__get-env
    - mcp__files__write_*
    - pattern: mcp__everything__echo
      when: { message: "*secret*" }
mcp:
  servers:
    everything: { read: [${NODE_MODULES}] }
    files: { read: [${NODE_MODULES}] }
    hostile: { env: [HOSTILE_TOKEN] }
`,
    "hostile.mjs": HOSTILE,
    "notes.txt": "a note in the worktree\n",
    "tasks.yaml": [
      "id: use\nprompt: \"[[use]] Use the MCP tools.\"\nexpect: any\nmcp: [everything, files, web, hostile, slow, memory]",
      "id: silent\nprompt: \"[[silent]]\"\nexpect: any\nmcp: [silent]",
      "id: stuck\nprompt: \"[[stuck]]\"\nexpect: any\nmcp: [hostile]\nlimits: { timeout: 8s }",
      "id: replay\nprompt: \"[[replay]]\"\nexpect: any\nmcp: [everything, files, web, hostile]",
    ].join("\n---\n") + "\n",
    "interrupt.yaml": "id: interrupt\nprompt: \"[[interrupt]]\"\nexpect: any\nmcp: [hostile]\n",
    "unknown.yaml": "id: unknown\nprompt: x\nmcp: [everything, nope]\n",
    // Without the sandbox a server does not die with the runner: only nanocoder's own cleanup ends it.
    "unsandboxed.yaml": "version: 1\ntools: { allow: [mcp__hostile__*] }\nsandbox: { mode: none }\n",
    "replay.yaml": "id: replay\nprompt: \"[[replay]]\"\nexpect: any\nmcp: [everything, files, web, hostile]\n",
  });
  run = await runCli(["batch", "tasks.yaml", "--base-url", fake.url, "--model", "m", "--out", out(), "--concurrency", "4", "--record", join(scratch, "cassettes")], {
    cwd: repo, env: { HOSTILE_TOKEN: SECRET },
  });
}, 120_000);

afterAll(async () => {
  await noTask.close();
  await fake.close();
  await web.close();
  removeDir(repo);
  removeDir(scratch);
});

const events = (task: string) => readEvents(out(), task);
const resultOf = (task: string, name: string, nth = 0) => events(task).filter((event) => event.type === "tool_result" && event.name === name)[nth];
const serverEvent = (task: string, server: string) => events(task).find((event) => event.type === "mcp_server" && event.server === server);
/** Processes of this test's servers still running: their command lines carry the marker. */
const survivors = () => runningProcesses().map(({ args }) => args.join(" ")).filter((line) => line.includes(marker));

describe("MCP servers in a batch run", () => {
  it("starts the servers the policy could allow, with their tools, and not the others", () => {
    expect(run.stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
    expect(serverEvent("use", "everything")).toMatchObject({ status: "started", transport: "stdio", tools: expect.arrayContaining(["mcp__everything__echo", "mcp__everything__get-sum"]) });
    expect(serverEvent("use", "web")).toMatchObject({ status: "started", transport: "http", tools: ["mcp__web__lookup"] });
    expect(serverEvent("use", "hostile")).toMatchObject({ skipped: [{ tool: "bad-schema", why: expect.stringContaining("type \"string\"") }], env_dropped: ["HOSTILE_DROPPED"] });
    expect(serverEvent("use", "memory")).toMatchObject({ status: "not_started", reason: expect.stringContaining("no tools.allow rule names a tool starting with mcp__memory__") });
  });

  it("decides every call by the policy: allowed, denied by name, and restricted by argument", () => {
    expect(resultOf("use", "mcp__everything__echo")).toMatchObject({ status: "ok", output: "Echo: hello", mcp: { server: "everything", tool: "echo" } });
    expect(resultOf("use", "mcp__everything__echo", 1)).toMatchObject({ status: "denied", output: expect.stringContaining('deny rule "mcp__everything__echo" when message is "*secret*"') });
    // A deny rule without `when` takes the tool away: the model is not offered it.
    expect(serverEvent("use", "everything")?.tools).not.toContain("mcp__everything__get-env");
    expect(resultOf("use", "mcp__everything__get-env")).toMatchObject({ status: "error", output: expect.stringContaining('unknown tool "mcp__everything__get-env"') });
    expect(resultOf("use", "mcp__files__write_file")).toMatchObject({ status: "error", output: expect.stringContaining("unknown tool") });
    expect(resultOf("use", "mcp__web__lookup")).toMatchObject({ status: "ok", output: "found ok-1" });
    expect(resultOf("use", "mcp__web__lookup", 1)).toMatchObject({ status: "denied" });
    const decisions = events("use").filter((event) => event.type === "policy_decision" && event.tool === "mcp__web__lookup");
    expect(decisions.map((event) => [event.decision, event.rule])).toEqual([["allow", "tools.allow[5]"], ["deny", "default"]]);
    const call = events("use").find((event) => event.type === "tool_call" && event.name === "mcp__web__lookup");
    expect(call).toMatchObject({ arguments: '{"query":"ok-1"}', mcp: { server: "web", tool: "lookup" } });
  });

  it("gives the model results it can act on, whatever the server does", () => {
    expect(resultOf("use", "mcp__files__read_text_file")).toMatchObject({ status: "ok", output: "a note in the worktree\n" });
    expect(resultOf("use", "mcp__files__read_text_file", 1)).toMatchObject({ status: "error", output: expect.stringMatching(/outside allowed directories|Access denied/i) });
    expect(resultOf("use", "mcp__everything__get-tiny-image")?.output).toMatch(/\[image image\/png, \d+ bytes, not shown/);
    expect(resultOf("use", "mcp__everything__get-sum")).toMatchObject({ status: "error", output: expect.stringContaining("invalid arguments for mcp__everything__get-sum: /a: must be number") });
    const huge = resultOf("use", "mcp__hostile__huge");
    expect(huge?.output).toMatch(/^start\n[\s\S]*\[\.\.\. \d+ bytes omitted \.\.\.\][\s\S]*end$/);
    expect(String(huge?.output).length).toBeLessThan(40_000);
    expect(resultOf("use", "mcp__hostile__fail")).toMatchObject({ status: "error", output: "error: the tool reported an error: the input was wrong on purpose" });
    expect(resultOf("use", "mcp__hostile__garbage")).toMatchObject({ status: "ok", output: "answered after garbage" });
    expect(resultOf("use", "mcp__slow__hang")).toMatchObject({ status: "error", output: expect.stringMatching(/"slow" gave no result for hang: .*timed out/i) });
    expect(resultOf("use", "mcp__hostile__crash")).toMatchObject({ status: "error", output: expect.stringMatching(/"hostile".*exited with code 3[\s\S]*crashing on purpose/) });
    expect(resultOf("use", "mcp__hostile__fail", 1)).toMatchObject({ status: "error", output: expect.stringMatching(/"hostile" is not running: it exited with code 3/) });
  });

  it("checks what a server wrote in the worktree against files.write, as for commands", () => {
    expect(resultOf("use", "mcp__hostile__scribble")).toMatchObject({ status: "ok", output: "wrote scribbled.txt" });
    expect(resultOf("use", "mcp__hostile__scribble", 1)).toMatchObject({ status: "denied", output: expect.stringContaining("mcp__hostile__scribble wrote locked.txt") });
    const patch = readFileSync(join(out(), "tasks", "use", "patch.diff"), "utf8");
    expect(patch).toContain("+++ b/scribbled.txt");
    expect(patch).not.toContain("locked.txt");
    expect(JSON.parse(readFileSync(join(out(), "summary.json"), "utf8")).tasks[0]).toMatchObject({ id: "use", stop_reason: "policy_violation" });
  });

  it("keeps a server in the sandbox: no home, no outside files, no network, only named variables, secrets hidden", () => {
    const report = JSON.parse(String(resultOf("use", "mcp__hostile__escape")?.output)) as Record<string, unknown>;
    expect(report.secretVisible).toBe(false);
    expect(report.homeEntries).toEqual([]);
    expect(report.writeOutside).toMatch(/^refused/);
    expect(report.network).toBe("ECONNREFUSED");
    expect(report.env).toContain("HOSTILE_TOKEN");
    expect(report.env).not.toContain("HOSTILE_DROPPED");
    expect(resultOf("use", "mcp__hostile__secret")?.output).toBe("value: [REDACTED]");
    expect(readFileSync(join(out(), "tasks", "use", "events.jsonl"), "utf8")).not.toContain(SECRET);
  });

  it("fails a task whose server never answers initialize, naming it and its stderr", () => {
    const end = events("silent").find((event) => event.type === "task_end");
    expect(end).toMatchObject({ stop_reason: "setup_failed", error: expect.stringMatching(/MCP server "silent" \(\.mcp\.json:\d+:\d+\) did not start: .*timed out[\s\S]*asked to initialize/i) });
  });

  it("ends every server when its task ends or times out: no process outlives the run", () => {
    expect(events("stuck").find((event) => event.type === "task_end")).toMatchObject({ stop_reason: "timeout" });
    expect(survivors()).toEqual([]);
  });

  it("doctor lists each server: whether it starts, its tools and what the policy allows", async () => {
    const doctor = await runCli(["doctor", "--base-url", fake.url], { cwd: repo });
    const line = (server: string) => doctor.stdout.split("\n").find((text) => text.includes(`mcp ${server}:`)) ?? "";
    expect(line("web")).toMatch(/^ok +mcp web: starts in the sandbox \(http, \d+ ms\); 1 tools: 0 allowed; 1 allowed for some arguments \(lookup\); 0 denied$/);
    expect(line("everything")).toMatch(/^ok +mcp everything: starts .*; 1 denied \(get-env\)$/);
    // echo is allowed by the glob, but a deny rule with `when` refuses some of its calls: doctor says so.
    expect(line("everything")).toContain("; 1 allowed but for some arguments (echo); ");
    expect(line("silent")).toMatch(/^FAIL +mcp silent: MCP server "silent" .* did not start/);
    expect(line("memory")).toMatch(/^warn +mcp memory: not started: no tools.allow rule/);
    expect(survivors()).toEqual([]);
  });

  it("policy check decides a call with its arguments", async () => {
    const check = (args: string) => noTask.run(["policy", "check", "--tool", "mcp__web__lookup", "--args", args], { cwd: repo });
    expect(await check('{"query": "ok-3"}')).toMatchObject({ code: 0, stdout: expect.stringContaining('allow: use tool mcp__web__lookup: matches allow rule "mcp__web__lookup" when query is "ok-*" [tools.allow[5]]') });
    expect(await check('{"query": "no"}')).toMatchObject({ code: 1, stdout: expect.stringMatching(/^deny: .*\[default\]/) });
  });

  it("validate refuses a task naming a server .mcp.json lacks, at its line", async () => {
    const validate = await noTask.run(["validate", "unknown.yaml", "--base-url", fake.url, "--model", "m"], { cwd: repo });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('unknown.yaml:3:19: mcp: no MCP server "nope" (.mcp.json has everything, files, web, hostile, slow, silent, memory)');
  });

  it("replays the MCP results without starting any server", async () => {
    const replayed = join(scratch, "replayed");
    const replay = await runCli(["batch", "replay.yaml", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", replayed, "--replay", join(scratch, "cassettes")], { cwd: repo, env: { HOSTILE_TOKEN: SECRET } });
    expect(replay.code).toBe(0);
    // Each run works in a worktree of its own: a result naming it names the replay's.
    const inWorktree = (text: unknown) => String(text).replace(/\S*nanocoder-\d{4}-\d\d-\d\dT[\w-]+/g, "<worktree>");
    const outputs = (dir: string) => readEvents(dir, "replay").filter((event) => event.type === "tool_result").map((event) => [event.name, event.status, inWorktree(event.output)]);
    expect(outputs(replayed)).toEqual(outputs(out()));
    expect(outputs(replayed)).toHaveLength(6);
    expect(outputs(replayed).at(-1)).toEqual(["mcp__hostile__scribble", "denied", expect.stringContaining("mcp__hostile__scribble wrote locked.txt")]);
    expect(readEvents(replayed, "replay").filter((event: LoggedEvent) => event.type === "mcp_server" && event.status === "replayed")).toHaveLength(4);
  });

  it.each([["one Ctrl-C, which stops the tasks", 1], ["a second Ctrl-C, which quits at once", 2]])("ends the servers on %s", async (_, signals) => {
    const interrupted = join(scratch, `interrupted-${signals}`);
    const child = spawn(process.execPath, [CLI, "batch", "interrupt.yaml", "--policy", "unsandboxed.yaml", "--base-url", fake.url, "--model", "m", "--out", interrupted], { cwd: repo, env: { PATH: process.env.PATH ?? "", HOME: scratch, CI: "true" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const events = join(interrupted, "tasks/interrupt/events.jsonl");
    await expect.poll(() => existsSync(events) && readFileSync(events, "utf8").includes('"tool_call"'), { timeout: 30_000, interval: 50 }).toBe(true);
    expect(survivors().length).toBeGreaterThan(0);
    child.kill("SIGINT");
    if (signals === 2) {
      // The server ignores SIGTERM, so stopping the task waits; the second Ctrl-C does not.
      await expect.poll(() => stderr.includes("interrupted: stopping tasks"), { timeout: 10_000, interval: 20 }).toBe(true);
      child.kill("SIGINT");
    }
    expect(await exited).toBe(130);
    await expect.poll(survivors, { timeout: 5_000, interval: 50 }).toEqual([]);
  });
});

/** A Streamable HTTP MCP server with one tool, built with the SDK (stateless: a server per request). */
async function startWebServer(): Promise<{ url: string; close(): Promise<void> }> {
  const http: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const mcp = new McpServer({ name: "web", version: "1" });
      mcp.registerTool("lookup", { description: "Looks a word up.", inputSchema: { query: z.string() } }, ({ query }) => ({ content: [{ type: "text", text: `found ${query}` }] }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => void transport.close());
      void mcp.connect(transport).then(() => transport.handleRequest(req, res, body === "" ? undefined : JSON.parse(body)));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, close: () => new Promise((resolve) => http.close(() => resolve())) };
}
