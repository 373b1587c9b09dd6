import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskResult } from "../../src/report/types.ts";
import { expectValidRunFolder, readEvents, type LoggedEvent } from "../helpers/run-folder.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Turn, type WireMessage } from "../helpers/fake-openai.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";

// Three tasks in one run: 60 turns of large reads in a 16k window; a model that writes its tool calls as
// text; and a server that refuses `tools`, so the task goes on in text mode.

const WINDOW = 16_384;
const READS = 58;
const MATH = "export function add(a: number, b: number) {\n  return a + b;\n}\n";

const config = {
  nanocoder: {
    providers: [
      { name: "small", baseUrl: "$FAKE_URL", models: ["small-model"], contextWindow: WINDOW, maxRetries: 0 },
      { name: "textual", baseUrl: "$FAKE_URL", models: ["text-model"], toolCalling: "text", maxRetries: 0 },
      { name: "picky", baseUrl: "$FAKE_URL", models: ["picky-model"], toolResultLimit: 1_000, maxRetries: 0 },
    ],
  },
};

const tasks = {
  "tasks/long.yaml": "id: long-read\nprovider: small\nprompt: Read every chapter and write NOTES.md.\nlimits: {max_turns: 70}\n",
  "tasks/text.yaml": "id: text-mode\nprovider: textual\nprompt: Document add in src/math.ts.\n",
  "tasks/picky.yaml": "id: picky\nprovider: picky\nprompt: Write picky notes.\n",
};

/** Ten chapters of about 3,500 tokens each: words a tokenizer cannot squeeze. */
function chapters(): Record<string, string> {
  const files: Record<string, string> = {};
  let seed = 7;
  const word = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed.toString(36).slice(0, 3 + (seed % 5));
  };
  for (let chapter = 0; chapter < 10; chapter++) {
    const lines = Array.from({ length: 100 }, (_, line) => `${chapter}.${line} ${Array.from({ length: 9 }, word).join(" ")}`);
    files[`chapters/ch${chapter}.txt`] = `${lines.join("\n")}\n`;
  }
  return files;
}

const textOf = (message: WireMessage | undefined): string => (typeof message?.content === "string" ? message.content : "");

/** The long task's model: reads a chapter each turn, writes the notes, then answers; summarises when asked. */
function longTask(): { script: (request: RecordedRequest) => Turn; prompts: number[]; problems: string[] } {
  const prompts: number[] = [];
  const problems: string[] = [];
  let turn = 0;
  const script = (request: RecordedRequest): Turn => {
    const messages = request.body.messages ?? [];
    const tokens = countTokens(JSON.stringify(messages)) + countTokens(JSON.stringify(request.body.tools ?? []));
    prompts.push(tokens);
    if (tokens > WINDOW) {
      problems.push(`request of ${tokens} tokens`);
      return { status: 400, error_message: `This model's maximum context length is ${WINDOW} tokens. However, you requested ${tokens} tokens.` };
    }
    if (textOf(messages[0]).startsWith("You summarise")) return { content: `Summary: chapters read up to turn ${turn}. NOTES.md is still to write.` };
    if (!textOf(messages[1]).startsWith("Read every chapter")) problems.push(`turn ${turn + 1} lost the task prompt`);
    turn++;
    if (turn <= READS) return { tool_calls: [{ name: "read_file", arguments: { path: `chapters/ch${turn % 10}.txt` } }] };
    if (turn === READS + 1) return { tool_calls: [{ name: "write_file", arguments: { path: "NOTES.md", content: `Read ${READS} chapters.\n` } }] };
    return { content: "Wrote NOTES.md." };
  };
  return { script, prompts, problems };
}

const textTurns: Turn[] = [
  { content: 'I will read the file first.\n<tool_call name="read_file">{"path": "src/math.ts"}</tool_call>' },
  {
    content: `Now the edit.\n\`\`\`json\n${JSON.stringify({ tool: "string_replace", arguments: { path: "src/math.ts", old_str: "export function add", new_str: "/** Adds two numbers. */\nexport function add" } })}\n\`\`\`\nAnd a look around: <tool_call name="list_directory">{"path": </tool_call>`,
  },
  { content: "Documented add." },
];

const pickyTurns: Turn[] = [
  {
    content: `Reading, then writing. ${JSON.stringify({ tool: "read_file", arguments: { path: "chapters/ch1.txt" } })}\n`
      + JSON.stringify({ tool: "write_file", arguments: { path: "PICKY.md", content: "picky\n" } }),
  },
  { content: "Wrote PICKY.md." },
];

let server: FakeOpenAI;
let repo: string;
let out: string;
let run: CliResult;
const long = longTask();

beforeAll(async () => {
  server = await startFakeOpenAI((request) => {
    const assistants = (request.body.messages ?? []).filter((message) => message.role === "assistant").length;
    if (request.body.model === "small-model") return long.script(request);
    if (request.body.model === "text-model") return textTurns[assistants] ?? { status: 500, error_message: "no such turn" };
    if (request.body.tools) return { status: 400, error_message: "registry.ollama.ai/library/picky-model does not support tools" };
    return pickyTurns[assistants] ?? { status: 500, error_message: "no such turn" };
  });
  repo = createRepo({ "src/math.ts": MATH, ...chapters(), ...tasks, "agents.config.json": JSON.stringify(config) });
  out = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  run = await runCli(["batch", "tasks/*.yaml", "--out", out, "--concurrency", "3"], { cwd: repo, env: { FAKE_URL: server.url } });
}, 60_000);

afterAll(async () => {
  await server.close();
  removeDir(repo);
  removeDir(out);
});


const events = (id: string): LoggedEvent[] => readEvents(out, id);

function result(id: string): TaskResult {
  return JSON.parse(readFileSync(join(out, "tasks", id, "result.json"), "utf8")) as TaskResult;
}

function requestsFor(model: string): RecordedRequest[] {
  return server.requests.filter((request) => request.body.model === model);
}

it("writes compactions, text tool calls and every other output as the published schemas describe them", () => {
  expect(expectValidRunFolder(out)).toBeGreaterThan(10);
});

describe("a 60-turn task with large tool outputs in a 16k window", () => {
  it("succeeds, every request under the window, the task prompt in each", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(result("long-read")).toMatchObject({ status: "succeeded", turns: READS + 2, files_changed: ["NOTES.md"] });
    expect(long.problems).toEqual([]);
    expect(Math.max(...long.prompts)).toBeLessThan(WINDOW);
    // The window was pressed: 60 reads of ~3,500 tokens would need 200k.
    expect(Math.max(...long.prompts)).toBeGreaterThan(WINDOW / 2);
  });

  it("shortens old results first and summarises when that is not enough, logging each step", () => {
    const logged = events("long-read");
    const compacted = logged.filter((event) => event.type === "context_compacted");
    const strategies = new Set(compacted.map((event) => event.strategy));
    expect(strategies).toEqual(new Set(["truncate_results", "summarize"]));
    for (const event of compacted) {
      expect(event).toMatchObject({ context_window: WINDOW });
      expect(Number(event.tokens_after)).toBeLessThan(Number(event.tokens_before));
    }
    // Each summary is one more model response, counted in the task's tokens.
    const summaries = logged.filter((event) => event.type === "model_response" && event.purpose === "summary");
    expect(summaries.length).toBe(compacted.filter((event) => event.strategy === "summarize").length);
    expect(logged.filter((event) => event.type === "model_response")).toHaveLength(READS + 2 + summaries.length);
    const last = requestsFor("small-model").at(-1)?.body.messages ?? [];
    expect(textOf(last[1])).toMatch(/<conversation-summary>[\s\S]*Summary: chapters read up to turn \d+/);
  });
});

describe("a model that writes its tool calls as text", () => {
  it("gets no tools and no tool roles, and its calls run like native ones", () => {
    const requests = requestsFor("text-model");
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request.body).not.toHaveProperty("tools");
      expect(request.body).not.toHaveProperty("tool_choice");
      expect(request.body.messages?.some((message) => message.role === "tool" || message.tool_calls !== undefined)).toBe(false);
    }
    expect(textOf(requests[0]?.body.messages?.[0])).toContain('<tool_call name="TOOL_NAME">');
    expect(textOf(requests[1]?.body.messages?.[3])).toMatch(/^Result of read_file \(call_1\):\n\s*1\| export function add/);
    expect(textOf(requests[2]?.body.messages?.[5])).toContain("Result of list_directory (call_3):\nerror: the arguments for list_directory are not valid JSON");
  });

  it("produces the right patch, with each call through the policy", () => {
    expect(result("text-mode")).toMatchObject({ status: "succeeded", files_changed: ["src/math.ts"] });
    expect(readFileSync(join(out, "tasks/text-mode/patch.diff"), "utf8")).toContain("+/** Adds two numbers. */");
    const logged = events("text-mode");
    expect(logged.find((event) => event.type === "tool_calling")).toMatchObject({ mode: "text", reason: 'the provider sets "toolCalling": "text"' });
    expect(logged.filter((event) => event.type === "policy_decision").map((event) => [event.id, event.tool, event.decision])).toEqual([
      ["call_1", "read_file", "allow"],
      ["call_2", "string_replace", "allow"],
    ]);
  });
});

describe("a server that refuses tools", () => {
  it("switches the task to text mode, says so, and goes on", () => {
    const requests = requestsFor("picky-model");
    expect(requests.map((request) => request.body.tools !== undefined)).toEqual([true, false, false]);
    expect(result("picky")).toMatchObject({ status: "succeeded", files_changed: ["PICKY.md"] });
    const switched = events("picky").find((event) => event.type === "tool_calling");
    expect(switched?.reason).toMatch(/^the server refused native tool calls \(400 Bad Request from .*does not support tools\)$/);
  });

  it("caps each tool result at the provider's toolResultLimit", () => {
    const [read] = events("picky").filter((event) => event.type === "tool_result");
    expect(read).toMatchObject({ name: "read_file", status: "ok" });
    expect(String(read?.output)).toMatch(/\[\.\.\. \d+ bytes omitted \.\.\.\]/);
    expect(Buffer.byteLength(String(read?.output))).toBeLessThan(1_100);
  });
});

it("leaves the user's working tree, index, branches and stashes as they were", () => {
  const { now, created } = changedSinceCreated(repo);
  expect(now).toEqual(created);
});
