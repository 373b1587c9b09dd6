/**
 * Local token estimates for servers that send no usage, with the o200k tokenizer.
 * Exact for OpenAI's recent models, an approximation for everything else.
 * The tokenizer takes ~400 ms to load, so it is imported only when first needed.
 */
import type { ChatMessage, ChatRequest, ModelTurn, ToolCall, Usage } from "./types.ts";

export type CountTokens = (text: string) => number;

/** Per-message framing tokens (role markers and separators), as in OpenAI's counting recipe. */
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_PER_REPLY = 3;

let counter: Promise<CountTokens> | undefined;

export function loadCounter(): Promise<CountTokens> {
  counter ??= import("gpt-tokenizer/encoding/o200k_base").then((tokenizer) => {
    // Text such as "<|endoftext|>" in a file must count as text, not throw.
    const options = { disallowedSpecial: new Set<string>() };
    return (text: string) => (text === "" ? 0 : tokenizer.countTokens(text, options));
  });
  return counter;
}

export async function estimateUsage(
  request: Pick<ChatRequest, "messages" | "tools">,
  turn: Pick<ModelTurn, "content" | "toolCalls">,
): Promise<Usage> {
  const count = await loadCounter();
  return {
    input: countInput(count, request),
    output: countOutput(count, turn),
    cached: 0,
    estimated: true,
  };
}

function countInput(count: CountTokens, request: Pick<ChatRequest, "messages" | "tools">): number {
  let total = TOKENS_PER_REPLY;
  for (const message of request.messages) total += TOKENS_PER_MESSAGE + count(messageText(message));
  if (request.tools && request.tools.length > 0) total += count(JSON.stringify(request.tools));
  return total;
}

function countOutput(count: CountTokens, turn: Pick<ModelTurn, "content" | "toolCalls">): number {
  return count(turn.content) + turn.toolCalls.reduce((sum, call) => sum + count(callText(call)), 0);
}

/** The text a message puts into the prompt: role, content, and any tool calls it made. */
export function messageText(message: ChatMessage): string {
  const parts: string[] = [message.role, contentText(message.content)];
  if (message.role === "assistant" && message.tool_calls) {
    for (const call of message.tool_calls) {
      if (call.type === "function") parts.push(call.function.name, call.function.arguments);
    }
  }
  return parts.join("\n");
}

export function contentText(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((part) => ("text" in part ? part.text : "refusal" in part ? part.refusal : "")).join("\n");
}

function callText(call: ToolCall): string {
  return `${call.name}\n${call.arguments}`;
}
