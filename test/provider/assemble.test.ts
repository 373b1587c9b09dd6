import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { assembleChunks } from "../../src/provider/assemble.ts";

type Delta = ChatCompletionChunk.Choice.Delta;
type DeltaToolCall = ChatCompletionChunk.Choice.Delta.ToolCall;

function chunk(delta: Delta, finish: string | null = null, extra: Record<string, unknown> = {}): ChatCompletionChunk {
  return {
    id: "c", object: "chat.completion.chunk", created: 0, model: "m",
    choices: [{ index: 0, delta, finish_reason: finish as ChatCompletionChunk.Choice["finish_reason"] }],
    ...extra,
  };
}

function usageChunk(usage: Record<string, unknown>): ChatCompletionChunk {
  return { id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices: [], usage } as unknown as ChatCompletionChunk;
}

/** A delta tool call as some servers send it: no `index`. */
function noIndex(call: Omit<DeltaToolCall, "index">): DeltaToolCall {
  return call as DeltaToolCall;
}

describe("assembleChunks", () => {
  it("concatenates content deltas", () => {
    const turn = assembleChunks([chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" }), chunk({ content: "lo" }), chunk({}, "stop")]);
    expect(turn).toEqual({ content: "Hello", toolCalls: [], finishReason: "stop", usage: undefined });
  });

  it("assembles tool calls streamed in many deltas by index, id only in the first", () => {
    const turn = assembleChunks([
      chunk({ tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "read_file", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 1, id: "b", type: "function", function: { name: "list", arguments: "{}" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"pa' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'th":"x"}' } }] }),
      chunk({}, "tool_calls"),
    ]);
    expect(turn.toolCalls).toEqual([
      { id: "a", name: "read_file", arguments: '{"path":"x"}' },
      { id: "b", name: "list", arguments: "{}" },
    ]);
    expect(turn.finishReason).toBe("tool_calls");
  });

  it("takes whole calls from one chunk without index and generates missing ids", () => {
    const turn = assembleChunks([
      chunk({ content: "", tool_calls: [
        noIndex({ function: { name: "read_file", arguments: '{"path":"a"}' } }),
        noIndex({ id: "x", function: { name: "read_file", arguments: '{"path":"b"}' } }),
      ] }),
      chunk({}, "stop"),
    ]);
    expect(turn.toolCalls).toEqual([
      { id: "call_1", name: "read_file", arguments: '{"path":"a"}' },
      { id: "x", name: "read_file", arguments: '{"path":"b"}' },
    ]);
    expect(turn.finishReason).toBe("tool_calls");
  });

  it("separates calls that reuse index 0 with different ids", () => {
    const turn = assembleChunks([
      chunk({ tool_calls: [{ index: 0, id: "a", function: { name: "one", arguments: "{}" } }] }),
      chunk({ tool_calls: [{ index: 0, id: "b", function: { name: "two", arguments: "{}" } }] }),
    ]);
    expect(turn.toolCalls.map((call) => call.name)).toEqual(["one", "two"]);
  });

  it("appends bare argument fragments without index to the last call", () => {
    const turn = assembleChunks([
      chunk({ tool_calls: [noIndex({ id: "a", function: { name: "one", arguments: '{"a":' } })] }),
      chunk({ tool_calls: [noIndex({ function: { arguments: "1}" } })] }),
    ]);
    expect(turn.toolCalls).toEqual([{ id: "a", name: "one", arguments: '{"a":1}' }]);
  });

  it("serializes arguments sent as an object", () => {
    const call = noIndex({ function: { name: "one", arguments: { a: 1 } as unknown as string } });
    expect(assembleChunks([chunk({ tool_calls: [call] })]).toolCalls[0]?.arguments).toBe('{"a":1}');
  });

  it("keeps length as the finish reason even with tool calls", () => {
    const turn = assembleChunks([chunk({ tool_calls: [{ index: 0, id: "a", function: { name: "x", arguments: '{"' } }] }, "length")]);
    expect(turn.finishReason).toBe("length");
  });

  it("reads usage from a usage-only chunk, with cached tokens and cost", () => {
    const turn = assembleChunks([
      chunk({ content: "hi" }, "stop"),
      usageChunk({ prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 60 }, cost: 0.0012 }),
    ]);
    expect(turn.usage).toEqual({ input: 100, output: 5, cached: 60, estimated: false, reportedCostUsd: 0.0012 });
  });

  it("reads usage from the finish chunk and tolerates unknown fields", () => {
    const turn = assembleChunks([
      chunk({ content: "hi", reasoning_content: "hmm" } as Delta, null, { timings: { predicted_ms: 3 } }),
      chunk({}, "stop", { usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } }),
    ]);
    expect(turn.usage).toEqual({ input: 7, output: 2, cached: 0, estimated: false });
    expect(turn.content).toBe("hi");
  });

  it("treats an all-zero usage as missing", () => {
    expect(assembleChunks([usageChunk({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })]).usage).toBeUndefined();
  });

  it("returns an empty turn for a stream with no choices", () => {
    expect(assembleChunks([])).toEqual({ content: "", toolCalls: [], finishReason: "unknown", usage: undefined });
  });

  it("ignores choices other than the first", () => {
    const second = { ...chunk({ content: "other" }), choices: [{ index: 1, delta: { content: "other" }, finish_reason: null }] };
    expect(assembleChunks([chunk({ content: "main" }), second]).content).toBe("main");
  });
});
