/**
 * One scripted task, streamed the way each server streams it: the assembled turns must not differ.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAIProvider } from "../../src/provider/openai.ts";
import type { ChatMessage, ModelTurn, ToolSchema } from "../../src/provider/types.ts";
import { DIALECTS, startFakeOpenAI } from "../helpers/fake-openai.ts";
import type { Conversation, Dialect, FakeOpenAI, ScriptToolCall, Turn } from "../helpers/fake-openai.ts";

const TOOLS: ToolSchema[] = [
  { type: "function", function: { name: "read_file", parameters: { type: "object", properties: { path: { type: "string" } } } } },
  { type: "function", function: { name: "string_replace", parameters: { type: "object", properties: {} } } },
];

/** The task: read a file, edit it twice in one turn, then say so. */
const CALLS: ScriptToolCall[][] = [
  [{ name: "read_file", arguments: { path: "src/math.ts" } }],
  [
    { name: "string_replace", arguments: { path: "src/math.ts", old_str: "add(a, b)", new_str: "add(a: number, b: number)" } },
    { name: "string_replace", arguments: { path: "src/math.ts", old_str: "return a+b", new_str: "return a + b; // ünïcödé ✓" } },
  ],
];
const CONTENT = ["Let me look at the file first.", "Now the two fixes.", "Typed `add` and tidied its body."];

function script(name: string, dialect: Dialect): Conversation {
  const turns: Turn[] = CONTENT.map((content, index) => ({ content, ...(CALLS[index] ? { tool_calls: CALLS[index] } : {}) }));
  return { match: `dialect ${name}`, turns: turns.map((turn, index) => dialect(turn, index)) };
}

let server: FakeOpenAI;
beforeAll(async () => {
  server = await startFakeOpenAI(Object.entries(DIALECTS).map(([name, dialect]) => script(name, dialect)));
});
afterAll(() => server.close());

/** Runs the conversation to its end, answering every call with "ok", as the agent loop would. */
async function converse(name: string): Promise<ModelTurn[]> {
  const provider = createOpenAIProvider({ name, baseUrl: server.url, models: ["m"], maxRetries: 0 }, "m");
  const messages: ChatMessage[] = [{ role: "system", content: "You are terse." }, { role: "user", content: `dialect ${name}` }];
  const turns: ModelTurn[] = [];
  for (let n = 0; n < CONTENT.length; n++) {
    const turn = await provider.complete({ messages, tools: TOOLS, signal: new AbortController().signal });
    turns.push(turn);
    const calls = turn.toolCalls.map((call) => ({ id: call.id, type: "function" as const, function: { name: call.name, arguments: call.arguments } }));
    messages.push({ role: "assistant", content: turn.content, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
    for (const call of turn.toolCalls) messages.push({ role: "tool", tool_call_id: call.id, content: "ok" });
  }
  return turns;
}

/** What must not depend on the server: text, calls (names and arguments) and why the turn ended. */
function essence(turns: ModelTurn[]): object[] {
  return turns.map((turn) => ({
    content: turn.content,
    calls: turn.toolCalls.map((call) => ({ name: call.name, arguments: JSON.parse(call.arguments) as unknown })),
    finishReason: turn.finishReason,
  }));
}

describe("wire dialects", () => {
  it.each(Object.keys(DIALECTS))("%s assembles the same turns as OpenAI", async (name) => {
    const [expected, actual] = await Promise.all([converse("openai"), converse(name)]);
    expect(essence(actual)).toEqual(essence(expected));
    expect(essence(actual)[1]).toMatchObject({ finishReason: "tool_calls", calls: [{ name: "string_replace" }, { name: "string_replace" }] });
    for (const turn of actual) expect(new Set(turn.toolCalls.map((call) => call.id)).size).toBe(turn.toolCalls.length);
  });

  it("keeps each server's tool call ids", async () => {
    expect((await converse("vllm"))[1]?.toolCalls.map((call) => call.id)).toEqual(["chatcmpl-tool-109f2c4e8a1b7d", "chatcmpl-tool-119f2c4e8a1b7d"]);
  });

  it("reads usage wherever the server puts it", async () => {
    expect((await converse("llamacpp"))[0]?.usage).toEqual({ input: 120, output: 30, cached: 0, estimated: false });
    expect((await converse("openrouter"))[0]?.usage).toEqual({ input: 1_000, output: 50, cached: 800, estimated: false, reportedCostUsd: 0.000_42 });
    const estimated = (await converse("no usage"))[0]?.usage;
    expect(estimated).toMatchObject({ cached: 0, estimated: true });
    expect(estimated?.input).toBeGreaterThan(0);
  });
});
