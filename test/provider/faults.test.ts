import { afterEach, describe, expect, it } from "vitest";
import { createOpenAIProvider } from "../../src/provider/openai.ts";
import { ProviderError } from "../../src/provider/types.ts";
import type { ChatRequest, ModelTurn, ProviderConfig, ProviderEvent, ToolSchema } from "../../src/provider/types.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";
import type { FakeOpenAI, Fault, Turn } from "../helpers/fake-openai.ts";

const TOOLS: ToolSchema[] = [{ type: "function", function: { name: "read_file", parameters: { type: "object", properties: {} } } }];
const READ: Turn = { content: "Reading.", tool_calls: [{ name: "read_file", arguments: { path: "src/a.ts" }, id: "call_a" }] };

let server: FakeOpenAI | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Serves `turn` to "go" after the given faults; returns the turn, the retry events and the server. The idle
 * timeout is far beyond any pause of a loaded machine, except in the tests about it: a fault must be what is retried.
 */
async function complete(turn: Turn, faults: Fault[], extra: Partial<ProviderConfig> = {}): Promise<{ turn: ModelTurn; events: ProviderEvent[]; fake: FakeOpenAI }> {
  server = await startFakeOpenAI([{ match: "go", turns: [{ ...turn, faults }] }]);
  const events: ProviderEvent[] = [];
  const config: ProviderConfig = { name: "fake", baseUrl: server.url, models: ["m"], retryBaseDelay: 1, retryMaxDelay: 20, streamIdleTimeout: 10_000, ...extra };
  const request: ChatRequest = { messages: [{ role: "user", content: "go" }], tools: TOOLS, signal: new AbortController().signal };
  const result = await createOpenAIProvider(config, "m", { onEvent: (event) => events.push(event) }).complete(request);
  return { turn: result, events, fake: server };
}

describe("provider retries", () => {
  it("retries 429 with Retry-After, 500 and 503, then answers", async () => {
    const { turn, events, fake } = await complete(READ, [
      { kind: "status", status: 429, retry_after: "1" },
      { kind: "status", status: 500 },
      { kind: "status", status: 503, retry_after_ms: 5 },
    ]);
    expect(turn.toolCalls).toEqual([{ id: "call_a", name: "read_file", arguments: '{"path":"src/a.ts"}' }]);
    expect(fake.requests).toHaveLength(4);
    expect(events).toMatchObject([
      { type: "provider_retry", attempt: 1, status: 429, delay_ms: 20, reason: "429 Too Many Requests: injected fault 429" },
      { type: "provider_retry", attempt: 2, status: 500 },
      { type: "provider_retry", attempt: 3, status: 503, delay_ms: 5 },
    ]);
  });

  it("retries a stream cut after the tool call deltas and assembles the call once", async () => {
    const { turn, events } = await complete(READ, [{ kind: "drop" }]);
    expect(turn.toolCalls).toHaveLength(1);
    expect(turn.content).toBe("Reading.");
    expect(events).toMatchObject([{ type: "provider_retry", attempt: 1, status: null, reason: expect.stringMatching(/^connection lost/) }]);
  });

  it("retries a garbled chunk", async () => {
    const { turn, events } = await complete(READ, [{ kind: "garble", after_chunks: 2 }]);
    expect(turn.content).toBe("Reading.");
    expect(events).toMatchObject([{ type: "provider_retry", reason: expect.stringMatching(/^garbled stream/) }]);
  });

  it("abandons a request that hangs, before the headers or mid-stream, after streamIdleTimeout", async () => {
    // The hung requests never answer: only the idle timeout ends them (else the test times out). The
    // healthy answer after them may also be slower than 500 ms on a loaded machine and be retried once
    // more, which is the timeout doing its work: so each retry is counted against a request the server saw.
    // (At 100 ms, a pause of the worker before a request reached the server made a retry it never saw.)
    const { turn, events, fake } = await complete(READ, [{ kind: "hang" }, { kind: "hang", after_chunks: 3 }], { streamIdleTimeout: 500 });
    expect(turn.toolCalls).toEqual([{ id: "call_a", name: "read_file", arguments: '{"path":"src/a.ts"}' }]);
    const reasons = events.map((event) => event.type === "provider_retry" && event.reason);
    expect(reasons.slice(0, 2)).toEqual(["no data from the server for 500 ms (streamIdleTimeout)", "no data from the server for 500 ms (streamIdleTimeout)"]);
    expect(new Set(reasons)).toEqual(new Set(["no data from the server for 500 ms (streamIdleTimeout)"]));
    expect(fake.requests).toHaveLength(events.length + 1);
  });

  it("keeps a slow stream alive while bytes arrive", async () => {
    // Each of the stream's chunks (its role, eighteen pieces of five characters, its finish) comes 100 ms after the
    // one before: the whole stream (2 s) outlasts the idle timeout, and no pause between bytes comes near it, even
    // with the worker stalled a few hundred milliseconds under load.
    const content = "slow but steady, ".repeat(5).slice(0, 90);
    const { turn, events } = await complete({ content, chunk_delay_ms: 100 }, [], { streamIdleTimeout: 1500 });
    expect(turn.content).toBe(content);
    expect(events).toEqual([]);
  });

  it("gives up after maxRetries with the server's message", async () => {
    const error = await complete(READ, Array.from({ length: 5 }, () => ({ kind: "status", status: 503, message: "overloaded" }) as const), { maxRetries: 2 })
      .then(() => expect.unreachable(), (failure: unknown) => failure);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/^503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/v1: overloaded \(gave up after 3 attempts\)$/);
    expect(server?.requests).toHaveLength(3);
  });

  it("does not retry a client error", async () => {
    const error = await complete(READ, [{ kind: "status", status: 401, message: "bad key" }]).then(() => expect.unreachable(), (failure: unknown) => failure);
    expect((error as ProviderError).status).toBe(401);
    expect(server?.requests).toHaveLength(1);
  });
});
