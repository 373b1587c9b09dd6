import { describe, expect, it } from "vitest";
import { splitTaskMessage } from "../../src/agent/compaction.ts";
import { ContextKeeper, type ContextOptions } from "../../src/agent/context.ts";
import type { AgentEvent } from "../../src/agent/events.ts";
import { estimateUsage } from "../../src/provider/tokens.ts";
import { ProviderError } from "../../src/provider/types.ts";
import type { ChatMessage, ChatRequest, ModelTurn, Provider, ToolSchema, Usage } from "../../src/provider/types.ts";

const SYSTEM: ChatMessage = { role: "system", content: "You are a coding agent." };
const TASK: ChatMessage = { role: "user", content: "Rename getUser to fetchUser everywhere." };
const TOOLS: ToolSchema[] = [
  { type: "function", function: { name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } } } },
];
const SUMMARY_USAGE: Usage = { input: 900, output: 40, cached: 0, estimated: false };

/** One token per 4 characters, counting how often it is asked. */
function charCounter(): { count: (text: string) => number; calls: string[] } {
  const calls: string[] = [];
  return { calls, count: (text) => (calls.push(text), Math.ceil(text.length / 4)) };
}

/** system, task, then `turns` turns that each read a file of `resultChars` characters. */
function history(turns: number, resultChars: number): ChatMessage[] {
  const messages: ChatMessage[] = [SYSTEM, TASK];
  for (let i = 1; i <= turns; i++) {
    const id = `call_${i}`;
    messages.push({ role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name: "read_file", arguments: `{"path":"f${i}.ts"}` } }] });
    messages.push({ role: "tool", tool_call_id: id, content: `line of file ${i}\n`.repeat(Math.ceil(resultChars / 10)).slice(0, resultChars) });
  }
  return messages;
}

/** The rule strict servers apply: each tool result answers a call of the assistant message right before it, and every call is answered. */
function assertValid(messages: ChatMessage[]): void {
  let open = new Set<string>();
  let known = new Set<string>();
  for (const message of messages) {
    if (message.role === "tool") {
      expect(known.has(message.tool_call_id), `result ${message.tool_call_id} answers a call`).toBe(true);
      open.delete(message.tool_call_id);
      continue;
    }
    expect([...open], "calls without a result").toEqual([]);
    const ids = message.role === "assistant" ? (message.tool_calls ?? []).map((call) => call.id) : [];
    open = new Set(ids);
    known = new Set(ids);
  }
  expect([...open], "calls without a result").toEqual([]);
}

interface Harness {
  keeper: ContextKeeper;
  events: AgentEvent[];
  usage: Usage[];
  requests: ChatRequest[];
}

function harness(contextWindow: number, options: Partial<ContextOptions> = {}): Harness {
  const events: AgentEvent[] = [];
  const usage: Usage[] = [];
  const requests: ChatRequest[] = [];
  const provider: Provider = {
    name: "fake",
    model: "m",
    complete: (request) => {
      requests.push(request);
      return Promise.resolve({ content: `Summary ${requests.length}: read f1.ts to f9.ts.`, toolCalls: [], finishReason: "stop", usage: SUMMARY_USAGE });
    },
  };
  const keeper = new ContextKeeper({
    provider, contextWindow, signal: new AbortController().signal, countTokens: charCounter().count,
    emit: (event) => events.push(event), onUsage: (entry) => usage.push(entry), ...options,
  });
  return { keeper, events, usage, requests };
}

function compactions(events: AgentEvent[]): { strategy: string; before: number; after: number }[] {
  return events.flatMap((event) => (event.type === "context_compacted" ? [{ strategy: event.strategy, before: event.tokens_before, after: event.tokens_after }] : []));
}

describe("ContextKeeper.count", () => {
  it("counts messages and tool schemas as OpenAI frames them, each message once", async () => {
    const counter = charCounter();
    const { keeper } = harness(100_000, { countTokens: counter.count });
    const messages = history(2, 400);
    const first = await keeper.count(messages, TOOLS);
    expect(counter.calls).toHaveLength(messages.length + 1);
    expect(await keeper.count(messages, TOOLS)).toBe(first);
    expect(counter.calls).toHaveLength(messages.length + 1);
    const added: ChatMessage = { role: "user", content: "x".repeat(40) };
    expect(await keeper.count([...messages, added], TOOLS)).toBe(first + 4 + Math.ceil("user\n".concat("x".repeat(40)).length / 4));
    expect(counter.calls).toHaveLength(messages.length + 2);
  });

  it("agrees with the o200k estimate used for servers that send no usage", async () => {
    const keeper = new ContextKeeper({ provider: {} as Provider, emit: () => {}, signal: new AbortController().signal, onUsage: () => {} });
    const messages = history(3, 2_000);
    const estimate = await estimateUsage({ messages, tools: TOOLS }, { content: "", toolCalls: [] });
    expect(await keeper.count(messages, TOOLS)).toBe(estimate.input);
  });
});

describe("ContextKeeper.fit", () => {
  it("refuses to send a prompt that cannot fit even compacted, saying what to set", async () => {
    const { keeper, requests } = harness(100);
    const messages: ChatMessage[] = [{ role: "system", content: "x".repeat(400) }, TASK];
    await expect(keeper.fit(messages, TOOLS, 1)).rejects.toThrow(/context window \(100 tokens\) cannot hold the prompt even compacted \(\d+ tokens.*set a larger contextWindow/);
    expect(requests).toEqual([]);
  });

  it("leaves a prompt under 75% of the window alone", async () => {
    const { keeper, events, requests } = harness(10_000);
    const messages = history(4, 1_000);
    const copy = [...messages];
    await keeper.fit(messages, TOOLS, 5);
    expect(messages).toEqual(copy);
    expect(events).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("first shortens older tool results, oldest first, keeping the latest turn whole and the history valid", async () => {
    const { keeper, events, requests } = harness(8_000);
    const messages = history(6, 4_000); // about 6,200 tokens: above 75% of 8,000
    const latest = messages.slice(-2);
    await keeper.fit(messages, TOOLS, 7);

    assertValid(messages);
    expect(messages).toHaveLength(14);
    expect(messages.slice(-2)).toEqual(latest);
    const results = messages.filter((message) => message.role === "tool").map((message) => String(message.content));
    const shortened = results.map((text) => text.startsWith("[shortened to fit the context window"));
    expect(shortened).toEqual([true, true, true, false, false, false]);
    expect(results[0]).toMatch(/\[\.\.\. \d+ bytes omitted \.\.\.\]/);
    expect(results.slice(3).every((text) => text.length === 4_000)).toBe(true);
    const [step] = compactions(events);
    expect(compactions(events)).toHaveLength(1);
    expect(step?.strategy).toBe("truncate_results");
    expect(step?.after).toBeLessThanOrEqual(4_000);
    expect(step?.after).toBe(await keeper.count(messages, TOOLS));
    expect(requests).toEqual([]);
  });

  it("then has the model summarise older turns, keeping the system prompt, task prompt and latest turn", async () => {
    const { keeper, events, usage, requests } = harness(4_000);
    const messages = history(30, 1_500); // even shortened, 30 turns do not fit
    const latest = messages.slice(-2);
    await keeper.fit(messages, TOOLS, 31);

    assertValid(messages);
    expect(messages[0]).toBe(SYSTEM);
    expect(messages[1]?.role).toBe("user");
    expect(String(messages[1]?.content).startsWith(String(TASK.content))).toBe(true);
    expect(splitTaskMessage(messages[1])).toEqual({ task: TASK.content, summary: "Summary 1: read f1.ts to f9.ts." });
    expect(messages.slice(2)).toEqual(latest);
    expect(compactions(events).map((step) => step.strategy)).toEqual(["truncate_results", "summarize"]);
    expect(await keeper.count(messages, TOOLS)).toBeLessThan(3_000);

    // The summary request: no tools, the older turns as a transcript, counted like any response.
    expect(requests).toHaveLength(1);
    expect(requests[0]?.tools).toBeUndefined();
    expect(String(requests[0]?.messages[1]?.content)).toContain('Called read_file {"path":"f1.ts"}');
    expect(String(requests[0]?.messages[1]?.content)).not.toContain('"f30.ts"');
    expect(usage).toEqual([SUMMARY_USAGE]);
    expect(events.filter((event) => event.type === "model_request" || event.type === "model_response").map((event) => [event.type, "purpose" in event && event.purpose])).toEqual([
      ["model_request", "summary"],
      ["model_response", "summary"],
    ]);
  });

  it("summarises again from the previous summary, keeping one summary block", async () => {
    const { keeper, requests } = harness(4_000);
    const messages = history(30, 1_500);
    await keeper.fit(messages, TOOLS, 31);
    messages.push(...history(30, 1_500).slice(2));
    await keeper.fit(messages, TOOLS, 61);

    assertValid(messages);
    expect(requests).toHaveLength(2);
    expect(String(requests[1]?.messages[1]?.content)).toContain("Summary of the turns before these:\nSummary 1:");
    expect(splitTaskMessage(messages[1])).toEqual({ task: TASK.content, summary: "Summary 2: read f1.ts to f9.ts." });
  });

  it("shortens the latest turn's results too when nothing else is left to make smaller", async () => {
    const { keeper, events, requests } = harness(2_000);
    const messages = history(1, 20_000);
    await keeper.fit(messages, TOOLS, 2);
    assertValid(messages);
    expect(String(messages[3]?.content).startsWith("[shortened")).toBe(true);
    expect(requests).toEqual([]);
    expect(compactions(events).map((step) => step.strategy)).toEqual(["truncate_results"]);
  });
});

describe("ContextKeeper.send", () => {
  const overflow = new ProviderError("400 Bad Request from http://x/v1: This model's maximum context length is 6000 tokens. However, you requested 9000 tokens", 400);
  const reply: ModelTurn = { content: "done", toolCalls: [], finishReason: "stop", usage: SUMMARY_USAGE };

  it("compacts harder and retries once when the server says the prompt is too long, then keeps the window it named", async () => {
    const { keeper, events } = harness(100_000);
    const messages = history(6, 4_000);
    let attempts = 0;
    const result = await keeper.send(messages, TOOLS, 7, () => (++attempts === 1 ? Promise.reject(overflow) : Promise.resolve(reply)));
    expect(result).toBe(reply);
    expect(attempts).toBe(2);
    expect(keeper.contextWindow).toBe(6_000);
    expect(compactions(events).length).toBeGreaterThan(0);
    expect(await keeper.count(messages, TOOLS)).toBeLessThanOrEqual(3_000);
    assertValid(messages);
  });

  it("fails on a second refusal, and never retries other errors", async () => {
    const { keeper } = harness(100_000);
    let attempts = 0;
    const refuse = () => (attempts++, Promise.reject(overflow));
    await expect(keeper.send(history(6, 4_000), TOOLS, 7, refuse)).rejects.toBe(overflow);
    expect(attempts).toBe(2);

    const other = new ProviderError("500 Internal Server Error from http://x/v1: boom", 500);
    attempts = 0;
    await expect(keeper.send(history(2, 10), TOOLS, 3, () => (attempts++, Promise.reject(other)))).rejects.toBe(other);
    expect(attempts).toBe(1);
  });
});
