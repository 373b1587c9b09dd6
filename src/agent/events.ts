import { z } from "zod";
import { providerEventSchemas } from "../provider/types.ts";
import { lineSchema } from "../shared/json-lines.ts";
import { stopReasonSchema, taskStatusSchema } from "./outcome.ts";

export type { StopReason, TaskStatus } from "./outcome.ts";

const decisionSchema = z.enum(["allow", "deny"]);
const purposeSchema = z.enum(["summary", "output"]).optional()
  .describe('"summary" marks the request that summarises older turns to fit the context window; "output" a request for the structured final answer.');

/** Token use of one response; `cost_usd` only when the server reported a cost itself. */
export const usageEventSchema = z.object({
  input: z.number().int(),
  output: z.number().int(),
  cached: z.number().int(),
  estimated: z.boolean(),
  cost_usd: z.number().optional(),
});
export type UsageEvent = z.output<typeof usageEventSchema>;

export const toolResultStatusSchema = z.enum(["ok", "error", "denied"]);
export type ToolResultStatus = z.output<typeof toolResultStatusSchema>;

/** For a call of an MCP tool: the server and the tool's own name there. */
const mcpToolSchema = z.object({ server: z.string(), tool: z.string() });

/** Everything a task does, in order. Written one JSON object per line to `tasks/<id>/events.jsonl`. */
export const agentEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("task_start"),
    task: z.string(),
    title: z.string().optional(),
    provider: z.string(),
    model: z.string(),
    base: z.string(),
    policy: z.string(),
  }),
  z.object({
    type: z.literal("prompt"),
    system_prompt: z.string(),
    user_message: z.string(),
    context_files: z.array(z.string()),
    context_skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  }),
  z.object({ type: z.literal("model_request"), turn: z.number().int(), messages: z.number().int(), tools: z.number().int(), final: z.boolean(), purpose: purposeSchema }),
  z.object({
    type: z.literal("model_response"),
    turn: z.number().int(),
    content: z.string(),
    tool_calls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })),
    finish_reason: z.string(),
    usage: usageEventSchema,
    duration_ms: z.number(),
    purpose: purposeSchema,
  }),
  /** The structured final answer failed the schema; it goes back to the model while corrections are left. */
  z.object({ type: z.literal("output_invalid"), turn: z.number().int(), errors: z.array(z.string()), corrections_left: z.number().int() }),
  z.object({
    type: z.literal("context_compacted"),
    turn: z.number().int(),
    strategy: z.enum(["truncate_results", "summarize"]),
    tokens_before: z.number().int(),
    tokens_after: z.number().int(),
    context_window: z.number().int(),
  }),
  ...providerEventSchemas,
  z.object({ type: z.literal("tool_call"), turn: z.number().int(), id: z.string(), name: z.string(), arguments: z.string(), mcp: mcpToolSchema.optional() }),
  z.object({
    type: z.literal("policy_decision"),
    id: z.string(),
    tool: z.string(),
    subject: z.string().describe('What the call would do, e.g. "write src/a.ts" or "run npm test".'),
    decision: decisionSchema,
    reason: z.string(),
    rule: z.string(),
    pattern: z.string().optional().describe("The deciding rule's pattern."),
    rule_source: z.string().optional().describe("Where the policy file sets the deciding rule."),
    segments: z.array(z.object({ command: z.string(), decision: decisionSchema, rule: z.string(), reason: z.string() })).optional(),
    effect: z.boolean().optional().describe("True for a decision made on what a command changed, after it ran (the change was undone)."),
  }),
  z.object({ type: z.literal("tool_result"), id: z.string(), name: z.string(), status: toolResultStatusSchema, output: z.string(), duration_ms: z.number(), mcp: mcpToolSchema.optional() }),
  /** An MCP server of .mcp.json, before the model starts: started with its tools, served from a recording, or not started and why. */
  z.object({
    type: z.literal("mcp_server"),
    server: z.string(),
    transport: z.enum(["stdio", "http"]),
    status: z.enum(["started", "replayed", "not_started"]),
    reason: z.string().optional().describe("Why it was not started."),
    tools: z.array(z.string()).describe("The names its tools are offered under."),
    skipped: z.array(z.object({ tool: z.string(), why: z.string() })).describe("Tools left out: schemas providers refuse, tools a tools.deny rule takes away."),
    env_dropped: z.array(z.string()).optional().describe("Variables of its .mcp.json env entry the policy does not name for it, not passed."),
    duration_ms: z.number(),
  }),
  z.object({ type: z.literal("check_start"), name: z.string(), command: z.string(), attempt: z.number().int() }),
  z.object({
    type: z.literal("check_result"),
    name: z.string(),
    attempt: z.number().int(),
    exit_code: z.number().int().nullable().describe("null when the check timed out or could not start."),
    timed_out: z.boolean(),
    duration_ms: z.number(),
    output_tail: z.string(),
    undone: z.array(z.string()).optional()
      .describe("On the attempt's last check run: files its checks wrote that a patch would carry, put back as the task left them once that check ended. Checks are no part of the task's work."),
  }),
  z.object({ type: z.literal("retry"), attempt: z.number().int(), reason: z.string() }),
  /** The setup step starts in the task's worktree; its output goes to `log`, relative to the run folder. */
  z.object({ type: z.literal("setup_start"), commands: z.array(z.string()), log: z.string() }),
  z.object({
    type: z.literal("setup_end"),
    ok: z.boolean(),
    duration_ms: z.number(),
    log: z.string(),
    results: z.array(z.string()).optional().describe("What setup made that git ignores, kept for the worktree's later tasks."),
    undone: z.array(z.string()).optional().describe("Tracked changes setup made, undone."),
  }),
  /** The worktree's setup results are current (same commands, same inputs): setup did not run again. */
  z.object({ type: z.literal("setup_reused"), log: z.string() }),
  z.object({
    type: z.literal("task_end"),
    status: taskStatusSchema,
    stop_reason: stopReasonSchema,
    turns: z.number().int(),
    denials: z.number().int(),
    error: z.string().optional(),
    final_message: z.string().optional(),
    files_changed: z.array(z.string()).optional(),
  }),
]);
export type AgentEvent = z.output<typeof agentEventSchema>;

/** A line of events.jsonl: the event, when it was written, and on the first line the schema's URL. */
export const eventLineSchema = z.intersection(lineSchema, agentEventSchema);

/** A line `--jsonl` prints on stdout: a line of some task's events.jsonl, with the task's id. */
export const streamLineSchema = z.intersection(z.object({ task: z.string().describe("The id of the task the event is of.") }), eventLineSchema);

export type Emit = (event: AgentEvent) => void;
