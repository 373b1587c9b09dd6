/**
 * Folds streamed `ChatCompletionChunk`s into one model turn. Pure: no I/O, no clock, no randomness.
 *
 * Servers differ in how they stream (nanocoder.md §4, §10):
 * - OpenAI, vLLM, LM Studio: tool calls in many deltas keyed by `index`, the id only in the first one.
 * - Ollama: each call whole in one chunk, sometimes without `index`, and finish_reason "stop".
 * - llama.cpp: usage on the finish chunk; OpenAI: a final usage-only chunk with empty `choices`.
 * - OpenRouter: `usage.cost` in USD.
 */
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { ModelTurn, ToolCall, Usage } from "./types.ts";

type DeltaToolCall = ChatCompletionChunk.Choice.Delta.ToolCall;
type ChunkUsage = NonNullable<ChatCompletionChunk["usage"]>;

/** A turn as the server sent it; `usage` is missing when the server sent none. */
export interface AssembledTurn extends Omit<ModelTurn, "usage"> {
  usage: Usage | undefined;
}

interface PartialCall {
  index: number | undefined;
  id: string;
  name: string;
  arguments: string;
}

export class TurnAssembler {
  #content = "";
  #calls: PartialCall[] = [];
  #finishReason: string | undefined;
  #usage: Usage | undefined;

  add(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.#usage = toUsage(chunk.usage) ?? this.#usage;
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== undefined && choice.index !== 0) continue;
      this.#addChoice(choice);
    }
  }

  finish(): AssembledTurn {
    const toolCalls = this.#calls.filter((call) => call.name !== "" || call.arguments !== "").map(toToolCall);
    return {
      content: this.#content,
      toolCalls,
      finishReason: finishReasonFor(this.#finishReason, toolCalls.length > 0),
      usage: this.#usage,
    };
  }

  #addChoice(choice: ChatCompletionChunk.Choice): void {
    const delta = choice.delta ?? {};
    if (typeof delta.content === "string") this.#content += delta.content;
    for (const [position, call] of (delta.tool_calls ?? []).entries()) this.#addToolCall(call, position);
    if (choice.finish_reason) this.#finishReason = choice.finish_reason;
  }

  #addToolCall(delta: DeltaToolCall, position: number): void {
    const call = this.#findCall(delta, position) ?? this.#startCall(delta);
    if (delta.id && !call.id) call.id = delta.id;
    const name = delta.function?.name;
    if (name && !call.name) call.name = name;
    call.arguments += argumentsText(delta.function?.arguments);
  }

  /** The call this delta continues, or undefined when it starts a new one. */
  #findCall(delta: DeltaToolCall, position: number): PartialCall | undefined {
    const index: number | undefined = typeof delta.index === "number" ? delta.index : undefined;
    if (delta.id) {
      const byId = this.#calls.find((call) => call.id === delta.id);
      if (byId) return byId;
    }
    if (index !== undefined) {
      const byIndex = this.#calls.findLast((call) => call.index === index);
      // A different id at a known index is a new call (Ollama has sent index 0 for every call).
      if (byIndex && !(delta.id && byIndex.id && delta.id !== byIndex.id)) return byIndex;
      return undefined;
    }
    // No index: a delta naming a tool (or the 2nd+ entry of one chunk) starts a call; a bare fragment continues the last.
    if (delta.id || delta.function?.name || position > 0) return undefined;
    return this.#calls.at(-1);
  }

  #startCall(delta: DeltaToolCall): PartialCall {
    const index: number | undefined = typeof delta.index === "number" ? delta.index : undefined;
    const call: PartialCall = { index, id: "", name: "", arguments: "" };
    this.#calls.push(call);
    return call;
  }
}

/** Assembles a whole list of chunks at once (handy for tests and non-streaming callers). */
export function assembleChunks(chunks: Iterable<ChatCompletionChunk>): AssembledTurn {
  const assembler = new TurnAssembler();
  for (const chunk of chunks) assembler.add(chunk);
  return assembler.finish();
}

function toToolCall(call: PartialCall, position: number): ToolCall {
  return { id: call.id || `call_${position + 1}`, name: call.name, arguments: call.arguments };
}

/** Arguments are text per the spec; a few servers send a parsed object instead. */
function argumentsText(raw: unknown): string {
  if (typeof raw === "string") return raw;
  if (raw === undefined || raw === null) return "";
  return JSON.stringify(raw);
}

/** Tool calls make a tool turn whatever the server said ("stop" from Ollama); "length" is kept, it means truncation. */
function finishReasonFor(reported: string | undefined, hasToolCalls: boolean): string {
  if (hasToolCalls && (reported === undefined || reported === "stop")) return "tool_calls";
  return reported ?? (hasToolCalls ? "tool_calls" : "unknown");
}

/** Undefined for an all-zero usage (some servers send zeros when they do not count). */
function toUsage(usage: ChunkUsage): Usage | undefined {
  const input = numberOr(usage.prompt_tokens, 0);
  const output = numberOr(usage.completion_tokens, 0);
  if (input === 0 && output === 0) return undefined;
  const result: Usage = {
    input,
    output,
    cached: numberOr(usage.prompt_tokens_details?.cached_tokens, 0),
    estimated: false,
  };
  const cost: unknown = "cost" in usage ? usage.cost : undefined;
  if (typeof cost === "number" && Number.isFinite(cost)) result.reportedCostUsd = cost;
  return result;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}
