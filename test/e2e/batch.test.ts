import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary, TaskResult } from "../../src/report/types.ts";
import { expectValidRunFolder, readEvents, type LoggedEvent } from "../helpers/run-folder.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type Conversation, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { createRepo, git, removeDir, snapshotTree, writeFiles } from "../helpers/repo.ts";
import { schemaUrl } from "../../src/report/schema.ts";

const MATH = "export function add(a: number, b: number) {\n  return a + b;\n}\n";

const conversations: Conversation[] = [
  {
    // Tool call arguments streamed in many small deltas.
    match: "Document add",
    turns: [
      { tool_calls: [{ name: "read_file", arguments: { path: "src/math.ts" } }] },
      {
        tool_calls: [
          {
            name: "string_replace",
            arguments: { path: "src/math.ts", old_str: "export function add", new_str: "/** Adds two numbers ($& stays literal). */\nexport function add" },
          },
        ],
      },
      { content: "Documented add." },
    ],
  },
  {
    // Ollama style: whole calls in one chunk, finish_reason "stop", and no usage at all.
    match: "Create the changelog",
    turns: [
      {
        chunking: "whole",
        finish_reason: "stop",
        usage: false,
        tool_calls: [
          { name: "write_file", arguments: { path: "docs/CHANGELOG.md", content: "# Changelog\n\n- add() is documented\n" } },
          { name: "file_op", arguments: { operation: "delete", path: "logo.bin" } },
        ],
      },
      { content: "Changelog created, old logo removed.", usage: false },
    ],
  },
  {
    // Denied by the built-in policy (secrets, commands), malformed and unknown calls: all come back as results.
    match: "Peek at secrets",
    turns: [
      {
        tool_calls: [
          { name: "read_file", arguments: { path: ".env" } },
          { name: "execute_bash", arguments: { command: "npm test" } },
          { name: "read_file", arguments: "{not json" },
          { name: "launch_missiles", arguments: {} },
          { name: "read_file", arguments: { path: "../outside.txt" } },
          { name: "search_file_contents", arguments: { query: "API_TOKEN" } },
        ],
      },
      { content: "Could not read the secrets; nothing changed." },
    ],
  },
  {
    match: "Never stop",
    turns: [
      { tool_calls: [{ name: "list_directory", arguments: {} }] },
      { tool_calls: [{ name: "list_directory", arguments: { path: "src" } }] },
      { content: "Stopped because I had to." },
    ],
  },
  { match: "Server breaks", turns: [{ status: 400, error_message: "messages: tool call call_9 has no result" }] },
];

const tasks: Record<string, string> = {
  "tasks/docs.yaml": "id: add-docs\ntitle: Document add\nprompt: Document add in src/math.ts.\ncontext: [src/math.ts]\n",
  "tasks/chores.yaml": "prompt: Create the changelog and delete logo.bin.\n---\nprompt: Peek at secrets in .env and run the tests.\nexpect: none\n",
  "tasks/limits.yaml": "id: endless\nprompt: Never stop listing folders.\nlimits: {max_turns: 3}\n",
  "tasks/broken-server.yaml": "id: server-error\nprompt: Server breaks on this one.\n",
};

let server: FakeOpenAI;
let repo: string;
let out: string;
let run: CliResult;
let before: Record<string, string>;

beforeAll(async () => {
  server = await startFakeOpenAI(conversations);
  repo = createRepo({
    "src/math.ts": MATH,
    ".env": "API_TOKEN=hunter2hunter2\n",
    "logo.bin": Buffer.from([0, 1, 2, 3, 255, 0, 7]),
    "AGENTS.md": "Use two-space indentation.\n",
    ...tasks,
  });
  // Uncommitted, staged work of the user's: it must survive untouched.
  writeFiles(repo, { "notes.txt": "uncommitted work of the user\n", "src/math.ts": `${MATH}// local edit\n` });
  git(repo, "add", "notes.txt");
  out = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  before = snapshotTree(repo);
  run = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--out", out], {
    cwd: repo,
    env: { OPENAI_API_KEY: "sk-test-secret-key-123" },
  });
});

afterAll(async () => {
  await server.close();
  removeDir(repo);
  removeDir(out);
});

function readSummary(): RunSummary {
  return JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
}

function taskResult(id: string): TaskResult {
  const result = readSummary().tasks.find((task) => task.id === id);
  if (!result) throw new Error(`no result for ${id}`);
  return result;
}


const events = (id: string): LoggedEvent[] => readEvents(out, id);

function requestsOf(match: string) {
  return server.requests.filter((request) => JSON.stringify(request.body.messages?.[1]?.content ?? "").includes(match));
}

describe("nanocoder batch against a scripted OpenAI-compatible server", () => {
  it("exits 1 when a task does not succeed, with no stack trace", () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(1);
  });

  it("leaves the user's working tree, index and branches byte-for-byte unchanged", () => {
    expect(snapshotTree(repo)).toEqual(before);
    expect(git(repo, "worktree", "list").trim().split("\n")).toHaveLength(1);
  });

  it("writes a summary with every task's status and totals", () => {
    const summary = readSummary();
    expect(summary.tasks.map((task) => [task.id, task.status])).toEqual([
      ["server-error", "error"],
      ["chores", "succeeded"],
      ["chores-2", "succeeded"],
      ["add-docs", "succeeded"],
      ["endless", "limit_exceeded"],
    ]);
    expect(summary.totals).toMatchObject({ tasks: 5, succeeded: 3, failed: 0, error: 1, limit_exceeded: 1, cost_usd: 0, denials: 2 });
    expect(summary.base).toBe(git(repo, "rev-parse", "HEAD").trim());
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("3 of 5 tasks succeeded");
    expect(run.stdout).toContain("3/5 succeeded");
  });

  it("gives every task a folder with its result, event log and patch", () => {
    for (const task of readSummary().tasks) {
      const folder = join(out, "tasks", task.id);
      expect(readdirSync(folder).sort()).toEqual(["events.jsonl", "patch.diff", "result.json"]);
      expect(JSON.parse(readFileSync(join(folder, "result.json"), "utf8"))).toEqual({ $schema: schemaUrl("result"), ...task });
    }
  });

  it("writes patches that git apply reproduces on a clean checkout, binary deletions included", () => {
    const clone = mkdtempSync(join(tmpdir(), "nanocoder-test-clone-"));
    try {
      git(clone, "clone", "--quiet", repo, ".");
      git(clone, "apply", join(out, "tasks/add-docs/patch.diff"));
      git(clone, "apply", join(out, "tasks/chores/patch.diff"));
      expect(readFileSync(join(clone, "src/math.ts"), "utf8")).toBe(`/** Adds two numbers ($& stays literal). */\n${MATH}`);
      expect(readFileSync(join(clone, "docs/CHANGELOG.md"), "utf8")).toContain("add() is documented");
      expect(existsSync(join(clone, "logo.bin"))).toBe(false);
      expect(taskResult("chores").files_changed).toEqual(["docs/CHANGELOG.md", "logo.bin"]);
      expect(readFileSync(join(out, "tasks/chores-2/patch.diff"), "utf8")).toBe("");
    } finally {
      removeDir(clone);
    }
  });

  it("writes every JSON output as its published schema describes it", () => {
    expect(expectValidRunFolder(out)).toBeGreaterThan(50);
  });

  it("logs each step as an event, in order", () => {
    const types = events("add-docs").map((event) => event.type);
    expect(types).toEqual([
      "task_start",
      "prompt",
      "model_request",
      "model_response",
      "tool_call",
      "policy_decision",
      "tool_result",
      "model_request",
      "model_response",
      "tool_call",
      "policy_decision",
      "tool_result",
      "model_request",
      "model_response",
      "task_end",
    ]);
    for (const event of events("add-docs")) expect(Date.parse(String(event.ts))).not.toBeNaN();
  });

  it("builds the prompt from the task, its context files and AGENTS.md", () => {
    const [first] = requestsOf("Document add");
    const messages = first?.body.messages ?? [];
    expect(String(messages[0]?.content)).toContain("Use two-space indentation.");
    expect(String(messages[1]?.content)).toContain('<file path="src/math.ts">');
    expect(first?.body.stream_options).toEqual({ include_usage: true });
  });

  it("turns denied, malformed and unknown calls into results the model reads, and goes on", () => {
    const results = events("chores-2").filter((event) => event.type === "tool_result");
    expect(results.map((event) => [event.status, String(event.output)])).toEqual([
      ["denied", expect.stringMatching(/^denied by policy: read \.env: matches deny rule "\*\*\/\.env"/)],
      ["denied", expect.stringMatching(/^denied by policy: `npm test`: no allow rule matches/)],
      ["error", expect.stringMatching(/^error: the arguments for read_file are not valid JSON/)],
      ["error", expect.stringMatching(/^error: unknown tool "launch_missiles". Available tools: read_file, write_file/)],
      ["error", expect.stringMatching(/^error: "\.\.\/outside\.txt" is outside the workspace/)],
      ["ok", "No matches for /API_TOKEN/ in the workspace.\n[1 match in files the policy does not let you read left out]"],
    ]);
    expect(taskResult("chores-2")).toMatchObject({ status: "succeeded", denials: 2 });
  });

  it("estimates tokens when the server sends no usage, and uses reported usage otherwise", () => {
    expect(taskResult("chores").tokens.estimated).toBe(true);
    expect(taskResult("chores").tokens.input).toBeGreaterThan(0);
    expect(taskResult("add-docs").tokens.estimated).toBe(false);
  });

  it("asks for a final answer without tools on the last allowed turn", () => {
    const requests = requestsOf("Never stop");
    expect(requests.map((request) => (request.body.tools ?? []).length > 0)).toEqual([true, true, false]);
    expect(taskResult("endless")).toMatchObject({ status: "limit_exceeded", turns: 3, error: "reached max_turns (3) before the model finished" });
  });

  it("ends a task as error with the server's message when the server rejects a request", () => {
    expect(taskResult("server-error").error).toContain("tool call call_9 has no result");
  });

  it("never writes the API key into the outputs", () => {
    for (const file of ["summary.json", "report.md", "tasks/add-docs/events.jsonl"]) {
      expect(readFileSync(join(out, file), "utf8")).not.toContain("sk-test-secret-key-123");
    }
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-test-secret-key-123");
  });
});
