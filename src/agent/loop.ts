import { z } from "zod";
import type { Policy } from "../policy/types.ts";
import type { ChatMessage, ModelTurn, Provider, ToolSchema, Usage } from "../provider/types.ts";
import { invokeTool } from "../tools/invoke.ts";
import type { ToolContext, ToolDefinition } from "../tools/types.ts";
import type { Emit, TaskStatus, UsageEvent } from "./events.ts";
import { LAST_TURN_MESSAGE, EMPTY_REPLY_MESSAGE } from "./prompt.ts";

export interface AgentOptions {
  provider: Provider;
  tools: ToolDefinition[];
  policy: Policy;
  context: ToolContext;
  emit: Emit;
  systemPrompt: string;
  userMessage: string;
  maxTurns: number;
  /** Stop once this many calls have been denied: the model is not finding a way within the policy. */
  maxDenials: number;
}

export interface AgentOutcome {
  status: Exclude<TaskStatus, "failed">;
  turns: number;
  denials: number;
  /** Usage of every model response, in order, for pricing. */
  usage: Usage[];
  finalMessage: string;
  error?: string;
  /** True when the run stopped because the signal aborted (timeout or interrupt); the caller knows which. */
  aborted?: boolean;
}

/**
 * model → tool calls → policy → results → model, until the model answers without tool calls
 * or a limit is reached. Never throws: a failure ends the run as `error` with what was used so far.
 */
export async function runAgent(options: AgentOptions): Promise<AgentOutcome> {
  const outcome: AgentOutcome = { status: "succeeded", turns: 0, denials: 0, usage: [], finalMessage: "" };
  try {
    return await loop(options, outcome);
  } catch (error) {
    const aborted = options.context.signal.aborted;
    return { ...outcome, status: "error", error: error instanceof Error ? error.message : String(error), aborted };
  }
}

async function loop(options: AgentOptions, outcome: AgentOutcome): Promise<AgentOutcome> {
  const { provider, emit, maxTurns } = options;
  const schemas = options.tools.map(toToolSchema);
  const messages: ChatMessage[] = [
    { role: "system", content: options.systemPrompt },
    { role: "user", content: options.userMessage },
  ];
  let emptyReplies = 0;

  for (let turn = 1; turn <= maxTurns; turn++) {
    const final = turn === maxTurns;
    if (final && turn > 1) messages.push({ role: "user", content: LAST_TURN_MESSAGE });
    const reply = await query(provider, messages, final ? undefined : schemas, turn, options);
    outcome.turns = turn;
    outcome.usage.push(reply.usage);
    messages.push(assistantMessage(reply));

    if (reply.toolCalls.length === 0) {
      if (reply.content.trim() === "" && !final && ++emptyReplies < 2) {
        messages.push({ role: "user", content: EMPTY_REPLY_MESSAGE });
        continue;
      }
      outcome.finalMessage = reply.content;
      if (reply.content.trim() === "") return { ...outcome, status: "error", error: "the model returned empty replies" };
      if (final && maxTurns > 1) return limitExceeded(outcome, maxTurns);
      return outcome;
    }
    emptyReplies = 0;
    if (final) return limitExceeded(outcome, maxTurns);

    for (const call of reply.toolCalls) {
      emit({ type: "tool_call", turn, id: call.id, name: call.name, arguments: call.arguments });
      const result = await invokeTool(call, options);
      if (result.status === "denied") outcome.denials++;
      messages.push({ role: "tool", tool_call_id: call.id, content: result.output });
    }
    if (outcome.denials >= options.maxDenials) {
      return { ...outcome, status: "limit_exceeded", error: `reached max_denials (${options.maxDenials}): the policy refused ${outcome.denials} calls` };
    }
  }
  return limitExceeded(outcome, maxTurns);
}

async function query(
  provider: Provider,
  messages: ChatMessage[],
  tools: ToolSchema[] | undefined,
  turn: number,
  { emit, context }: AgentOptions,
): Promise<ModelTurn> {
  emit({ type: "model_request", turn, messages: messages.length, tools: tools?.length ?? 0, final: tools === undefined });
  const started = Date.now();
  const reply = await provider.complete({ messages, tools, signal: context.signal });
  emit({
    type: "model_response",
    turn,
    content: reply.content,
    tool_calls: reply.toolCalls,
    finish_reason: reply.finishReason,
    usage: usageEvent(reply.usage),
    duration_ms: Date.now() - started,
  });
  return reply;
}

function usageEvent({ input, output, cached, estimated, reportedCostUsd }: Usage): UsageEvent {
  return { input, output, cached, estimated, ...(reportedCostUsd === undefined ? {} : { cost_usd: reportedCostUsd }) };
}

function assistantMessage(reply: ModelTurn): ChatMessage {
  if (reply.toolCalls.length === 0) return { role: "assistant", content: reply.content };
  return {
    role: "assistant",
    content: reply.content === "" ? null : reply.content,
    tool_calls: reply.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    })),
  };
}

function limitExceeded(outcome: AgentOutcome, maxTurns: number): AgentOutcome {
  return { ...outcome, status: "limit_exceeded", error: `reached max_turns (${maxTurns}) before the model finished` };
}

function toToolSchema(tool: ToolDefinition): ToolSchema {
  const { $schema: _, ...parameters } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
  return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
}
