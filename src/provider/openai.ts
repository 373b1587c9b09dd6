/**
 * The provider for every OpenAI-compatible server (Ollama, llama.cpp, LM Studio, vLLM, OpenRouter, OpenAI).
 * Always streams and asks for usage; retries and timeouts are the SDK's own.
 */
import { STATUS_CODES } from "node:http";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { TurnAssembler } from "./assemble.ts";
import { textToolReason, withToolCalling } from "./text-tools.ts";
import { estimateUsage } from "./tokens.ts";
import { ProviderError } from "./types.ts";
import type { ChatRequest, ModelTurn, Provider, ProviderConfig, ProviderHooks } from "./types.ts";

/** Local servers need no key, but the SDK insists on one. */
const PLACEHOLDER_API_KEY = "not-needed";

/** Native tool calls, or tools as text when the config asks for it or the server refuses `tools` (text-tools.ts). */
export function createOpenAIProvider(config: ProviderConfig, model: string, hooks: ProviderHooks = {}): Provider {
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const client = new OpenAI({
    baseURL: baseUrl,
    apiKey: config.apiKey || PLACEHOLDER_API_KEY,
    maxRetries: config.maxRetries ?? 2,
    timeout: requestTimeout(config.requestTimeout),
    defaultHeaders: config.headers,
  });
  return {
    name: config.name,
    model,
    complete: withToolCalling((request) => complete(client, config, model, request), {
      textReason: textToolReason(config, model),
      onEvent: hooks.onEvent,
    }),
  };
}

async function complete(client: OpenAI, config: ProviderConfig, model: string, request: ChatRequest): Promise<ModelTurn> {
  try {
    const stream = await client.chat.completions.create(requestBody(model, request), { signal: request.signal });
    const assembler = new TurnAssembler();
    for await (const chunk of stream) assembler.add(chunk);
    // The SDK ends the iteration quietly when aborted mid-stream.
    if (request.signal.aborted) throw abortErrorFrom(request.signal.reason);
    const turn = assembler.finish();
    return { ...turn, usage: turn.usage ?? (await estimateUsage(request, turn)) };
  } catch (error) {
    if (request.signal.aborted) throw abortErrorFrom(isAbortError(error) ? error : request.signal.reason);
    throw toProviderError(error, client.baseURL, config.requestTimeout);
  }
}

function requestBody(model: string, request: ChatRequest): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools;
    body.tool_choice = "auto";
  }
  return body;
}

/** True for a cancellation by the caller's signal: a DOM-style AbortError or the SDK's APIUserAbortError. */
export function isAbortError(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return true;
  return typeof error === "object" && error !== null && "name" in error && error.name === "AbortError";
}

function abortErrorFrom(reason: unknown): Error {
  if (isAbortError(reason) && reason instanceof Error) return reason;
  const error = new Error("The operation was aborted", { cause: reason });
  error.name = "AbortError";
  return error;
}

/** Phrases any failure for the user, naming the server. */
export function toProviderError(error: unknown, baseUrl: string, timeoutMs?: number): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    const after = timeoutMs === undefined ? "" : ` after ${timeoutMs} ms`;
    return new ProviderError(`request to ${baseUrl} timed out${after}: raise requestTimeout or check the server`);
  }
  if (error instanceof APIConnectionError) {
    const code = errorCode(error);
    const detail = code ? ` (${code})` : "";
    return new ProviderError(`cannot connect to ${baseUrl}${detail}: check that the server is running and baseUrl is right`);
  }
  if (error instanceof APIError) {
    if (error.status === undefined) return new ProviderError(`error from ${baseUrl} mid-stream: ${serverMessage(error)}`);
    const statusText = STATUS_CODES[error.status] ?? "Error";
    return new ProviderError(`${error.status} ${statusText} from ${baseUrl}: ${serverMessage(error)}`, error.status);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`request to ${baseUrl} failed: ${message}`);
}

/** The server's own words: `error.message` from the JSON body, else the raw body text. */
function serverMessage(error: APIError): string {
  const body: unknown = error.error;
  if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") {
    return body.message;
  }
  if (body !== undefined && body !== null) return JSON.stringify(body);
  const prefix = `${error.status ?? ""} `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** The first system error code (ECONNREFUSED, ENOTFOUND, …) in the cause chain. */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return undefined;
    if ("code" in current && typeof current.code === "string" && current.code !== "") return current.code;
    current = "cause" in current ? current.cause : undefined;
  }
  return undefined;
}

/** nanocoder's convention: a timeout of -1 (or 0) means none; setTimeout cannot wait longer than this. */
function requestTimeout(ms: number | undefined): number | undefined {
  if (ms === undefined) return undefined;
  return ms > 0 ? ms : 2 ** 31 - 1;
}
