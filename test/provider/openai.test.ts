import { afterEach, describe, expect, it } from "vitest";
import { createOpenAIProvider, isAbortError } from "../../src/provider/openai.ts";
import { ProviderError } from "../../src/provider/types.ts";
import type { ChatMessage, ChatRequest, ModelTurn, ProviderConfig, ToolSchema } from "../../src/provider/types.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";
import type { FakeOpenAI, Script, Turn } from "../helpers/fake-openai.ts";

const TOOLS: ToolSchema[] = [
  { type: "function", function: { name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } } } },
];

let server: FakeOpenAI | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script: Script): Promise<FakeOpenAI> {
  server = await startFakeOpenAI(script);
  return server;
}

function config(baseUrl: string, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return { name: "fake", baseUrl, models: ["m"], maxRetries: 0, ...extra };
}

function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: [{ role: "user", content: text }], tools: TOOLS, signal: new AbortController().signal, ...extra };
}

/** Serves one turn to the message "go" and returns what the provider made of it. */
async function completeTurn(turn: Turn, extra: Partial<ProviderConfig> = {}): Promise<ModelTurn> {
  const { url } = await serve([{ match: "go", turns: [turn] }]);
  return createOpenAIProvider(config(url, extra), "m").complete(ask("go"));
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => expect.unreachable("should have failed"), (error: unknown) => error);
}

describe("createOpenAIProvider", () => {
  it("streams content in many deltas and sends the expected request", async () => {
    const fake = await serve([{ match: "go", turns: [{ content: "The quick brown fox jumps over the lazy dog." }] }]);
    const provider = createOpenAIProvider(config(fake.url, { headers: { "X-Title": "nanocoder" } }), "qwen3");
    const turn = await provider.complete(ask("go"));
    expect(turn.content).toBe("The quick brown fox jumps over the lazy dog.");
    expect(turn.toolCalls).toEqual([]);
    expect(turn.finishReason).toBe("stop");
    expect(provider).toMatchObject({ name: "fake", model: "qwen3" });
    const request = fake.requests[0];
    expect(request?.body).toMatchObject({ model: "qwen3", stream: true, stream_options: { include_usage: true }, tool_choice: "auto" });
    expect(request?.body.tools).toEqual(TOOLS);
    expect(request?.headers.authorization).toBe("Bearer not-needed");
    expect(request?.headers["x-title"]).toBe("nanocoder");
  });

  it("sends neither tools nor tool_choice when no tools are given", async () => {
    const fake = await serve([{ match: "go", turns: [{ content: "ok" }] }]);
    await createOpenAIProvider(config(fake.url, { apiKey: "sk-test" }), "m").complete(ask("go", { tools: undefined }));
    expect(fake.requests[0]?.body).not.toHaveProperty("tools");
    expect(fake.requests[0]?.body).not.toHaveProperty("tool_choice");
    expect(fake.requests[0]?.headers.authorization).toBe("Bearer sk-test");
  });

  it("assembles tool calls streamed in many deltas", async () => {
    const turn = await completeTurn({
      content: "Reading.",
      tool_calls: [{ name: "read_file", arguments: { path: "src/a-rather-long-file-name.ts" }, id: "call_a" }, { name: "read_file", arguments: '{"path":"b"}' }],
    });
    expect(turn.content).toBe("Reading.");
    expect(turn.toolCalls).toEqual([
      { id: "call_a", name: "read_file", arguments: '{"path":"src/a-rather-long-file-name.ts"}' },
      { id: "call_1_2", name: "read_file", arguments: '{"path":"b"}' },
    ]);
    expect(turn.finishReason).toBe("tool_calls");
  });

  it("takes two whole tool calls from one chunk without index (Ollama)", async () => {
    const turn = await completeTurn({
      chunking: "whole", finish_reason: "stop",
      tool_calls: [{ name: "read_file", arguments: { path: "a" } }, { name: "read_file", arguments: { path: "b" } }],
    });
    expect(turn.toolCalls.map((call) => call.arguments)).toEqual(['{"path":"a"}', '{"path":"b"}']);
    expect(new Set(turn.toolCalls.map((call) => call.id)).size).toBe(2);
    expect(turn.finishReason).toBe("tool_calls");
  });

  it("treats finish_reason stop with tool calls as a tool turn", async () => {
    const turn = await completeTurn({ tool_calls: [{ name: "read_file", arguments: { path: "a" } }], finish_reason: "stop" });
    expect(turn.toolCalls).toHaveLength(1);
    expect(turn.finishReason).toBe("tool_calls");
  });

  it("reports usage with cached tokens and cost", async () => {
    const turn = await completeTurn({ content: "hi", usage: { prompt_tokens: 1200, completion_tokens: 30, cached_tokens: 1000, cost: 0.0042 } });
    expect(turn.usage).toEqual({ input: 1200, output: 30, cached: 1000, estimated: false, reportedCostUsd: 0.0042 });
  });

  it("reads usage from the finish chunk (llama.cpp)", async () => {
    const turn = await completeTurn({ content: "hi", usage: { prompt_tokens: 50, completion_tokens: 2 }, usage_in_finish_chunk: true });
    expect(turn.usage).toEqual({ input: 50, output: 2, cached: 0, estimated: false });
  });

  it("estimates usage when the server sends none", async () => {
    const turn = await completeTurn({ content: "Here is a summary of the file.", tool_calls: [{ name: "read_file", arguments: { path: "a" } }], usage: false });
    expect(turn.usage.estimated).toBe(true);
    expect(turn.usage.input).toBeGreaterThan(10);
    expect(turn.usage.output).toBeGreaterThan(5);
    expect(turn.usage.cached).toBe(0);
  });

  it("returns an empty turn for an empty response", async () => {
    const turn = await completeTurn({ usage: false, finish_reason: "stop" });
    expect(turn.content).toBe("");
    expect(turn.toolCalls).toEqual([]);
  });

  it("surfaces the strict server's 400 with its message", async () => {
    const fake = await serve([{ match: "go", turns: [{ content: "never" }, { content: "never" }] }]);
    const messages: ChatMessage[] = [
      { role: "user", content: "go" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "read_file", arguments: "{}" } }] },
      { role: "user", content: "well?" },
    ];
    const error = await failure(createOpenAIProvider(config(fake.url), "m").complete(ask("go", { messages })));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(400);
    expect((error as ProviderError).message).toBe(`400 Bad Request from ${fake.url}: tool call call_1 has no result`);
  });

  it("surfaces a scripted 500 after the configured retries", async () => {
    const fake = await serve([{ match: "go", turns: [{ status: 500, error_message: "model crashed" }] }]);
    const error = await failure(createOpenAIProvider(config(fake.url), "m").complete(ask("go")));
    expect((error as ProviderError).message).toBe(`500 Internal Server Error from ${fake.url}: model crashed`);
    expect(fake.requests).toHaveLength(1);
  });

  it("names the base URL when the connection is refused", async () => {
    const fake = await serve([]);
    await fake.close();
    const error = await failure(createOpenAIProvider(config(fake.url), "m").complete(ask("go")));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toContain(`cannot connect to ${fake.url}`);
    expect((error as ProviderError).message).toContain("ECONNREFUSED");
    expect((error as ProviderError).message).toContain("server is running");
  });

  it("reports a timeout as a ProviderError", async () => {
    const { url } = await serve([{ match: "go", turns: [{ content: "late", delay_ms: 2000 }] }]);
    const error = await failure(createOpenAIProvider(config(url, { requestTimeout: 100 }), "m").complete(ask("go")));
    expect((error as ProviderError).message).toContain("timed out after 100 ms");
  });

  it("rethrows an abort before the response starts", async () => {
    const { url } = await serve([{ match: "go", turns: [{ content: "late", delay_ms: 2000 }] }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(createOpenAIProvider(config(url), "m").complete(ask("go", { signal: controller.signal })));
    expect(isAbortError(error)).toBe(true);
  });

  it("rethrows an abort in the middle of the stream", async () => {
    const { url } = await serve([{ match: "go", turns: [{ content: "a long streamed answer", chunk_delay_ms: 40 }] }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(createOpenAIProvider(config(url), "m").complete(ask("go", { signal: controller.signal })));
    expect(isAbortError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(ProviderError);
  });
});

describe("isAbortError", () => {
  it("recognises DOM and SDK aborts only", () => {
    expect(isAbortError(new DOMException("x", "AbortError"))).toBe(true);
    expect(isAbortError(new Error("x"))).toBe(false);
    expect(isAbortError(new ProviderError("x"))).toBe(false);
    expect(isAbortError("AbortError")).toBe(false);
  });
});
