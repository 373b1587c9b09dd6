import { z } from "zod";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { OutputRequest, StructuredOutputMode } from "./structured.ts";

export type { OutputRequest, StructuredOutputMode } from "./structured.ts";

export type ChatMessage = ChatCompletionMessageParam;
export type ToolSchema = ChatCompletionTool;

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text exactly as the model sent it; parsed later so bad JSON becomes a result the model can fix. */
  arguments: string;
}

export interface Usage {
  input: number;
  output: number;
  /** Input tokens served from the provider's prompt cache (a subset of `input`). */
  cached: number;
  /** True when the server sent no usage and the numbers were counted locally. */
  estimated: boolean;
  /** Cost the server itself reported (OpenRouter's `usage.cost`), in USD. */
  reportedCostUsd?: number;
}

export interface ModelTurn {
  content: string;
  toolCalls: ToolCall[];
  finishReason: string;
  usage: Usage;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Omitted on the last allowed turn, to ask for a final answer. */
  tools?: ToolSchema[];
  /** Set for a task's final answer: the server is asked for JSON valid against the schema (structured.ts). */
  output?: OutputRequest | undefined;
  signal: AbortSignal;
}

/** The one place that talks to a model server. */
export interface Provider {
  readonly name: string;
  readonly model: string;
  complete(request: ChatRequest): Promise<ModelTurn>;
}

// Derived from the config's schema, which is where a provider's fields are declared.
export type { ModelPrice, ProviderConfig } from "../config/schema.ts";

/** Where to change a provider's base URL and key: its config entry's `file:line:col`, or the flag or variable that gave them. */
export interface ProviderFixAt {
  baseUrl: string;
  apiKey: string;
}

/** What a provider reports about itself while a task runs, for the task's event log (agent/events.ts). */
export const providerEventSchemas = [
  z.object({ type: z.literal("tool_calling"), mode: z.literal("text"), reason: z.string() }),
  /** The server refused the structured-output field: the schema is given in the instructions only from then on. */
  z.object({ type: z.literal("structured_output"), mode: z.literal("none"), reason: z.string() }),
  /** A failed request about to be sent again, `delay_ms` from now; `status` is null when the server sent none. */
  z.object({ type: z.literal("provider_retry"), attempt: z.number().int(), status: z.number().int().nullable(), delay_ms: z.number(), reason: z.string() }),
] as const;
export type ProviderEvent = z.output<(typeof providerEventSchemas)[number]>;

export interface ProviderHooks {
  onEvent?: ((event: ProviderEvent) => void) | undefined;
  /** The task the provider serves, for names in errors and record/replay cassettes. */
  taskId?: string | undefined;
  /** The task's workspace folder: record/replay cassettes digest requests with it written as a placeholder. */
  workspace?: string | undefined;
}

/**
 * HTTP statuses that say the server cannot be used now, whatever the request: the key (401, 403), the
 * model or the URL (404), overload and failure (408, 429, 5xx). Others (400, 413, 422) refuse one request.
 */
const OUTAGE_STATUSES = new Set([401, 403, 404, 408, 429]);

/** The failure the server reported, phrased for the user. */
export class ProviderError extends Error {
  override name = "ProviderError";
  readonly status: number | undefined;
  /**
   * True when the server could not be used at all (unreachable, timed out, the stream broke, or a status
   * above), not that it refused this one request; such failures, task after task, stop the run (run/breaker.ts).
   */
  readonly outage: boolean;
  constructor(message: string, status?: number, outage?: boolean) {
    super(message);
    this.status = status;
    this.outage = outage ?? (status !== undefined && (OUTAGE_STATUSES.has(status) || status >= 500));
  }
}
