import type { ChatMessage, ModelTurn, OutputRequest, Provider, ToolSchema, Usage } from "../provider/types.ts";
import type { Emit, UsageEvent } from "./events.ts";

export interface QueryOptions {
  emit: Emit;
  signal: AbortSignal;
  turn: number;
  /**
   * Set for requests that are not a working turn of the task: a summary made to fit the context window, or
   * the structured final answer (agent/output.ts).
   */
  purpose?: "summary" | "output";
  /** The schema the reply must satisfy, for the `output` request. */
  output?: OutputRequest;
}

/** One model request, logged as a `model_request` and a `model_response` event. */
export async function queryModel(
  provider: Provider,
  messages: ChatMessage[],
  tools: ToolSchema[] | undefined,
  { emit, signal, turn, purpose, output }: QueryOptions,
): Promise<ModelTurn> {
  const tagged = purpose ? { purpose } : {};
  emit({ type: "model_request", turn, messages: messages.length, tools: tools?.length ?? 0, final: tools === undefined && !purpose, ...tagged });
  const started = Date.now();
  const reply = await provider.complete({ messages, tools, signal, ...(output ? { output } : {}) });
  emit({
    type: "model_response",
    turn,
    content: reply.content,
    tool_calls: reply.toolCalls,
    finish_reason: reply.finishReason,
    usage: usageEvent(reply.usage),
    duration_ms: Date.now() - started,
    ...tagged,
  });
  return reply;
}

function usageEvent({ input, output, cached, estimated, reportedCostUsd }: Usage): UsageEvent {
  return { input, output, cached, estimated, ...(reportedCostUsd === undefined ? {} : { cost_usd: reportedCostUsd }) };
}
