import { z } from "zod";
import { decide, describeRule } from "../policy/decide.ts";
import { resolveAccesses } from "../policy/resolve/index.ts";
import type { Decision, Policy, ResolvedAccess, ResolvedRequest } from "../policy/types.ts";
import type { Emit, ToolResultStatus } from "../agent/events.ts";
import type { ToolCall } from "../provider/types.ts";
import { truncateMiddle } from "./truncate.ts";
import { ToolError, type ToolContext, type ToolDefinition } from "./types.ts";

/** Cap on what one tool result may put into the conversation. */
const MAX_RESULT_CHARS = 30_000;

export interface InvokeResult {
  status: ToolResultStatus;
  /** The text the model sees as the tool result. */
  output: string;
}

export interface InvokeOptions {
  tools: ToolDefinition[];
  policy: Policy;
  context: ToolContext;
  emit: Emit;
  /** Cap on one result, in UTF-8 bytes; 30,000 unless given. */
  toolResultLimit?: number | undefined;
}

/**
 * Every tool call goes through here: parse and validate the arguments, ask the policy, run the tool.
 * Nothing the model sends can crash the run: every failure becomes a result it can read and correct.
 */
export async function invokeTool(call: ToolCall, options: InvokeOptions): Promise<InvokeResult> {
  const started = Date.now();
  const result = await gateAndRun(call, options);
  const output = truncateMiddle(result.output, options.toolResultLimit ?? MAX_RESULT_CHARS);
  const mcp = options.tools.find((tool) => tool.name === call.name)?.mcp;
  options.emit({ type: "tool_result", id: call.id, name: call.name, status: result.status, output, duration_ms: Date.now() - started, ...(mcp ? { mcp } : {}) });
  return { status: result.status, output };
}

async function gateAndRun(call: ToolCall, { tools, policy, context, emit }: InvokeOptions): Promise<InvokeResult> {
  const tool = tools.find((candidate) => candidate.name === call.name);
  if (!tool) {
    return failure(`unknown tool "${call.name}". Available tools: ${tools.map((t) => t.name).join(", ")}.`);
  }
  const parsed = parseArguments(tool, call.arguments);
  if (!parsed.ok) return failure(parsed.message);

  let request: ResolvedRequest;
  try {
    request = await resolveAccesses(tool.name, tool.accesses(parsed.args), context.workspace, context.sandboxed ?? false);
  } catch (error) {
    return failure(messageOf(error));
  }
  const decision: Decision = decide(policy, request);
  emit({ type: "policy_decision", id: call.id, tool: tool.name, subject: describeAccesses(request.accesses), ...decision, ...describeRule(policy, decision.rule) });
  if (decision.decision === "deny") {
    return { status: "denied", output: `denied by policy: ${decision.reason}. Do not retry this call; find another way, or call finish with status "blocked" and say why.` };
  }

  let result: InvokeResult;
  try {
    result = { status: "ok", output: await tool.execute(parsed.args, context) };
  } catch (error) {
    if (context.signal.aborted) throw error;
    result = failure(messageOf(error));
  }
  // What a command did, whatever its line looked like: writes the policy refuses are undone and count as denials.
  // An MCP server works in the worktree too: what it wrote is checked the same way.
  const ranCommand = request.accesses.some((access) => access.kind === "command") || tool.mcp !== undefined;
  const afterCommand = context.afterCommand;
  const check = () => (afterCommand ? afterCommand(tool.name, call.id) : Promise.resolve([]));
  const refused = ranCommand ? await (tool.effects ? tool.effects(check) : check()) : [];
  return refused.length > 0 ? { status: "denied", output: `${result.output}\n${refused.join("\n")}` } : result;
}

type Parsed = { ok: true; args: unknown } | { ok: false; message: string };

function parseArguments(tool: ToolDefinition, raw: string): Parsed {
  let json: unknown;
  try {
    json = raw.trim() === "" ? {} : JSON.parse(raw);
  } catch (error) {
    return { ok: false, message: `the arguments for ${tool.name} are not valid JSON (${messageOf(error)}). Send one JSON object.` };
  }
  const result = tool.parameters.safeParse(json);
  if (result.success) return { ok: true, args: result.data };
  return { ok: false, message: `invalid arguments for ${tool.name}: ${formatIssues(result.error)}` };
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

function describeAccesses(accesses: readonly ResolvedAccess[]): string {
  return accesses
    .map((access) => (access.kind === "command" ? `run ${access.command}` : access.kind === "tool" ? `use ${access.name}${describeArguments(access.arguments)}` : `${access.kind} ${access.path}`))
    .join(", ");
}

/** A tool call's arguments for the audit line, cut to a readable length. */
function describeArguments(args: Readonly<Record<string, unknown>> | undefined): string {
  if (args === undefined || Object.keys(args).length === 0) return "";
  const json = JSON.stringify(args);
  return ` ${json.length > 160 ? `${json.slice(0, 157)}...` : json}`;
}

function failure(message: string): InvokeResult {
  return { status: "error", output: `error: ${message}` };
}

function messageOf(error: unknown): string {
  if (error instanceof ToolError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
