import { z } from "zod";
import type { Policy } from "../policy/types.ts";
import type { ChatMessage, ModelTurn, Provider, ToolSchema, Usage } from "../provider/types.ts";
import { invokeTool } from "../tools/invoke.ts";
import type { ToolContext, ToolDefinition } from "../tools/types.ts";
import type { Budget } from "./budget.ts";
import { ContextKeeper } from "./context.ts";
import type { Emit } from "./events.ts";
import { FINISH_TOOL, finishToolSchema, parseFinish, type FinishArgs } from "./finish.ts";
import type { StopReason } from "./outcome.ts";
import { queryModel } from "./query.ts";
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
  budget?: Budget;
  /** Tokens the model takes, prompt and reply; 32,768 unless given. */
  contextWindow?: number | undefined;
  /** Cap on one tool result, in UTF-8 bytes. */
  toolResultLimit?: number | undefined;
}

/** The messages and what they used so far; kept between attempts, so a retry continues the same conversation. */
export interface Conversation {
  messages: ChatMessage[];
  outcome: AgentOutcome;
}

export interface AgentOutcome {
  /** `completed` while the model is working or once it said it is done; statusOf() gives the status. */
  stopReason: StopReason;
  turns: number;
  denials: number;
  /** Usage of every model response, in order, for pricing. */
  usage: Usage[];
  /** The model's last answer, or the summary it gave to finish. */
  finalMessage: string;
  error?: string;
  /** True when the run stopped because the signal aborted (timeout or interrupt); the caller knows which. */
  aborted?: boolean;
  /** The structured final answer, valid against the task's output schema (output.ts). */
  output?: unknown;
}

export function startConversation({ systemPrompt, userMessage }: Pick<AgentOptions, "systemPrompt" | "userMessage">): Conversation {
  return {
    messages: [
      { role: "system", content: systemPrompt },
      { role: "user", content: userMessage },
    ],
    outcome: { stopReason: "completed", turns: 0, denials: 0, usage: [], finalMessage: "" },
  };
}

/**
 * model → tool calls → policy → results → model, until the model calls finish, answers without tool
 * calls, or a limit is reached. Given a conversation, goes on from where it stopped; turns keep counting.
 * Never throws: a failure ends the run as `provider_error` (the model could not be asked) or `runner_error`
 * with what was used so far.
 */
export async function runAgent(options: AgentOptions, conversation = startConversation(options)): Promise<AgentOutcome> {
  const { outcome } = conversation;
  try {
    return await loop(options, conversation);
  } catch (error) {
    const aborted = options.context.signal.aborted;
    const stopReason = error instanceof ModelFailed ? "provider_error" : "runner_error";
    const cause = error instanceof ModelFailed ? error.cause : error;
    return { ...outcome, stopReason, error: cause instanceof Error ? cause.message : String(cause), aborted };
  }
}

async function loop(options: AgentOptions, { messages, outcome }: Conversation): Promise<AgentOutcome> {
  const { provider, emit, maxTurns } = options;
  // finish touches nothing: offered whatever the policy's `tools` rules say, and answered here.
  const schemas = [...options.tools.map(toToolSchema), finishToolSchema];
  let emptyReplies = 0;
  // Summary requests made to fit the context window count like any other response.
  const onUsage = (usage: Usage): void => {
    outcome.usage.push(usage);
    options.budget?.record(usage);
  };
  const contextKeeper = new ContextKeeper({ provider, emit, signal: options.context.signal, contextWindow: options.contextWindow, onUsage });

  for (let turn = outcome.turns + 1; turn <= maxTurns; turn++) {
    const spent = options.budget?.exhausted();
    if (spent) return { ...outcome, stopReason: "budget", error: spent };
    const final = turn === maxTurns;
    if (final && turn > 1) messages.push({ role: "user", content: LAST_TURN_MESSAGE });
    const tools = final ? undefined : schemas;
    // Summaries made to fit the window may spend the rest of the budget: checked again before the request.
    const send = () => {
      const spentNow = options.budget?.exhausted();
      if (spentNow) throw new BudgetSpent(spentNow);
      return queryModel(provider, messages, tools, { emit, signal: options.context.signal, turn });
    };
    let reply: Awaited<ReturnType<typeof send>>;
    try {
      reply = await contextKeeper.send(messages, tools, turn, send);
    } catch (error) {
      if (error instanceof BudgetSpent) return { ...outcome, stopReason: "budget", error: error.message };
      throw new ModelFailed(error);
    }
    outcome.turns = turn;
    outcome.usage.push(reply.usage);
    options.budget?.record(reply.usage);
    messages.push(assistantMessage(reply));

    if (reply.toolCalls.length === 0) {
      if (reply.content.trim() === "" && !final && ++emptyReplies < 2) {
        messages.push({ role: "user", content: EMPTY_REPLY_MESSAGE });
        continue;
      }
      outcome.finalMessage = reply.content;
      if (reply.content.trim() === "") return { ...outcome, stopReason: "provider_error", error: "the model returned empty replies" };
      if (final && maxTurns > 1) return limitExceeded(outcome, maxTurns);
      return outcome;
    }
    emptyReplies = 0;
    if (final) return limitExceeded(outcome, maxTurns);

    let finished: FinishArgs | undefined;
    for (const call of reply.toolCalls) {
      // Every call gets an answer, even after finish: a retry after a failed check goes on with this history.
      if (finished) {
        messages.push({ role: "tool", tool_call_id: call.id, content: "not run: finish came first" });
        continue;
      }
      const mcp = options.tools.find((tool) => tool.name === call.name)?.mcp;
      emit({ type: "tool_call", turn, id: call.id, name: call.name, arguments: call.arguments, ...(mcp ? { mcp } : {}) });
      if (call.name === FINISH_TOOL) {
        const parsed = parseFinish(call.arguments);
        const output = parsed.ok ? `finished: ${parsed.args.status}` : parsed.message;
        emit({ type: "tool_result", id: call.id, name: call.name, status: parsed.ok ? "ok" : "error", output, duration_ms: 0 });
        messages.push({ role: "tool", tool_call_id: call.id, content: output });
        if (parsed.ok) finished = parsed.args;
        continue;
      }
      const result = await invokeTool(call, options);
      if (result.status === "denied") outcome.denials++;
      messages.push({ role: "tool", tool_call_id: call.id, content: result.output });
    }
    if (finished) return finish(outcome, finished);
    if (outcome.denials >= options.maxDenials) {
      return { ...outcome, stopReason: "max_denials", error: `reached max_denials (${options.maxDenials}): the policy refused ${outcome.denials} calls` };
    }
  }
  return limitExceeded(outcome, maxTurns);
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
  return { ...outcome, stopReason: "max_turns", error: `reached max_turns (${maxTurns}) before the model finished` };
}

/** The model called finish: done goes on to the checks, blocked ends the task with its reason. */
function finish(outcome: AgentOutcome, { status, summary }: FinishArgs): AgentOutcome {
  outcome.finalMessage = summary;
  if (status === "done") return outcome;
  return { ...outcome, stopReason: "blocked", error: `the model reported it was blocked: ${summary}` };
}

/** Tool schemas are computed once per process, not per task: the definitions do not change, and nothing edits a schema. */
const toolSchemas = new WeakMap<ToolDefinition, ToolSchema>();

function toToolSchema(tool: ToolDefinition): ToolSchema {
  let schema = toolSchemas.get(tool);
  if (!schema) {
    schema = computeToolSchema(tool);
    toolSchemas.set(tool, schema);
  }
  return schema;
}

function computeToolSchema(tool: ToolDefinition): ToolSchema {
  if (tool.inputSchema) return { type: "function", function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } };
  const { $schema: _, ...parameters } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
  return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
}

/** The budget ran out between a turn's start and its request (a context summary spent it). */
class BudgetSpent extends Error {}

/** The model could not be asked or gave no usable reply: the server, the network, the context window. */
class ModelFailed extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}
