/**
 * Tool calling for models and servers without native tool calls. The tools are described in the system
 * prompt, calls are parsed from the reply's text, and the history is sent without `tool_calls` or
 * `tool` messages: earlier calls as assistant text, results as user messages. The agent loop sees the
 * same turns and tool calls either way.
 */
import { isContextOverflow } from "./context-window.ts";
import { contentText } from "./tokens.ts";
import { parseToolCalls } from "./text-tool-parser.ts";
import { ProviderError } from "./types.ts";
import type { ChatMessage, ChatRequest, ModelTurn, ProviderConfig, ProviderEvent, ToolCall, ToolSchema } from "./types.ts";

type Complete = (request: ChatRequest) => Promise<ModelTurn>;

export interface ToolCallingOptions {
  /** Why the provider starts in text mode; undefined to start with native tool calls. */
  textReason: string | undefined;
  onEvent?: ((event: ProviderEvent) => void) | undefined;
}

/** Why this provider entry asks for text tool calls for the model, or undefined for native calls. */
export function textToolReason(config: ProviderConfig, model: string): string | undefined {
  if (config.toolCalling === "native") return undefined;
  if (config.toolCalling === "text") return 'the provider sets "toolCalling": "text"';
  if (config.disableTools === true) return 'the provider sets "disableTools": true';
  if (config.disableToolModels?.includes(model)) return `the provider lists ${model} in "disableToolModels"`;
  return undefined;
}

/**
 * Wraps a native `complete`. In text mode every request is rewritten and every reply parsed. In native
 * mode, a server that refuses the `tools` parameter switches the provider to text mode for good, and the
 * refused request is sent again as text. Each switch is reported once through `onEvent`.
 */
export function withToolCalling(send: Complete, options: ToolCallingOptions): Complete {
  let reason = options.textReason;
  let announced = false;
  let callCount = 0;

  const sendAsText = async (request: ChatRequest, why: string): Promise<ModelTurn> => {
    if (!announced) options.onEvent?.({ type: "tool_calling", mode: "text", reason: why });
    announced = true;
    const turn = await send({ messages: toTextMessages(request.messages, request.tools), output: request.output, signal: request.signal });
    if (!request.tools || request.tools.length === 0) return turn;
    const parsed = parseToolCalls(turn.content);
    if (parsed.calls.length === 0) return turn;
    const calls: ToolCall[] = parsed.calls.map((call) => ({ id: `call_${++callCount}`, ...call }));
    const finishReason = turn.finishReason === "length" ? "length" : "tool_calls";
    return { ...turn, content: parsed.content, toolCalls: [...turn.toolCalls, ...calls], finishReason };
  };

  return async (request) => {
    if (reason !== undefined) return sendAsText(request, reason);
    try {
      return await send(request);
    } catch (error) {
      if (!request.tools || request.tools.length === 0 || !isToolsRejection(error)) throw error;
      reason = `the server refused native tool calls (${error.message})`;
      return sendAsText(request, reason);
    }
  };
}

const REJECTION_PATTERN =
  /does(?: not|n't) support (?:tools|tool|function)|(?:tools?|tool calling|function calling) (?:is|are) not supported|not support(?:ed)? (?:for )?(?:tools|tool calling|tool use|function calling)|tool[_ ]choice|tools param|support tool use|['"`]tools['"`]|auto-tool-choice/i;

/** True when the server refused the request because of its `tools` (Ollama, vLLM, llama.cpp, OpenRouter wordings). */
export function isToolsRejection(error: unknown): error is ProviderError {
  if (!(error instanceof ProviderError) || error.status === undefined || isContextOverflow(error)) return false;
  return REJECTION_PATTERN.test(error.message);
}

/** The history as a server without tool calling takes it: tools in the system prompt, calls and results as text. */
export function toTextMessages(messages: ChatMessage[], tools: ToolSchema[] | undefined): ChatMessage[] {
  const toolPrompt = tools && tools.length > 0 ? renderToolPrompt(tools) : undefined;
  const names = new Map<string, string>();
  const result: ChatMessage[] = [];
  const addUser = (text: string): void => {
    const last = result.at(-1);
    // Consecutive user messages are joined: some chat templates insist on alternating roles.
    if (last?.role === "user") result[result.length - 1] = { role: "user", content: `${contentText(last.content)}\n\n${text}` };
    else result.push({ role: "user", content: text });
  };
  for (const message of messages) {
    const text = contentText(message.content ?? "");
    if (message.role === "system" || message.role === "developer") {
      const withTools = toolPrompt !== undefined && !result.some((each) => each.role === "system");
      result.push({ role: "system", content: withTools ? `${text}\n\n${toolPrompt}` : text });
    } else if (message.role === "assistant") {
      const calls = (message.tool_calls ?? []).flatMap((call) => (call.type === "function" ? [call] : []));
      for (const call of calls) names.set(call.id, call.function.name);
      const blocks = calls.map((call) => renderCall(call.function.name, call.function.arguments));
      result.push({ role: "assistant", content: [text, ...blocks].filter((part) => part !== "").join("\n\n") });
    } else if (message.role === "tool") {
      addUser(`Result of ${names.get(message.tool_call_id) ?? "a tool call"} (${message.tool_call_id}):\n${text}`);
    } else {
      addUser(text);
    }
  }
  if (toolPrompt !== undefined && !result.some((each) => each.role === "system")) result.unshift({ role: "system", content: toolPrompt });
  return result;
}

export function renderCall(name: string, args: string): string {
  return `<tool_call name="${name}">${args.trim() === "" ? "{}" : args}</tool_call>`;
}

/** The tool section of the system prompt: the call format, then each tool with its JSON schema. */
export function renderToolPrompt(tools: ToolSchema[]): string {
  const functions = tools.flatMap((tool) => (tool.type === "function" ? [tool.function] : []));
  const entries = functions.map((tool) => {
    const schema = JSON.stringify(tool.parameters ?? { type: "object", properties: {} });
    return `## ${tool.name}\n${tool.description ?? ""}\nParameters (JSON Schema): ${schema}`;
  });
  return `# Tools

You call tools by writing blocks in your reply. A call is exactly:

${renderCall("TOOL_NAME", '{"parameter": "value"}')}

- The body is one JSON object with the tool's arguments, as its parameters below describe.
- Several blocks in one reply run in order. The results come back in the next user message, each headed "Result of TOOL_NAME (call id):".
- Stop your reply after your last block and wait for the results; never write results yourself.
- When the task is done, call finish.

${entries.join("\n\n")}`;
}
