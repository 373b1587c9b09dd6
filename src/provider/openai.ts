/**
 * The provider for every OpenAI-compatible server (Ollama, llama.cpp, LM Studio, vLLM, OpenRouter, OpenAI).
 * Always streams and asks for usage. Retries are counted here, not by the SDK (retry.ts): each attempt is
 * one streamed request, abandoned when the server sends no byte for `streamIdleTimeout`. Tool calls are
 * taken only from a complete response, so a retried request never runs a tool twice.
 */
import { STATUS_CODES } from "node:http";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { TurnAssembler } from "./assemble.ts";
import { createHttpFetch, errorCode } from "./http.ts";
import { UNLIMITED, type Limiter } from "./limiter.ts";
import { DEFAULT_RETRY, parseRetryAfter, withRetries, type RetryReason, type RetrySettings } from "./retry.ts";
import { structuredOutputFields, withStructuredOutput, type StructuredOutputMode } from "./structured.ts";
import { textToolReason, withToolCalling } from "./text-tools.ts";
import { estimateUsage } from "./tokens.ts";
import { ProviderError } from "./types.ts";
import type { ChatRequest, ModelTurn, Provider, ProviderConfig, ProviderHooks } from "./types.ts";

/** Local servers need no key, but the SDK insists on one. */
const PLACEHOLDER_API_KEY = "not-needed";

/** Milliseconds without a byte from the server before an attempt is abandoned. */
export const DEFAULT_STREAM_IDLE_TIMEOUT = 120_000;

const RETRY_STATUSES = new Set([408, 409, 429]);

export interface OpenAIProviderOptions {
  /** Shared by every task that uses the provider; none unless given. */
  limiter?: Limiter | undefined;
  /** Randomness of the backoff; Math.random unless given. */
  random?: (() => number) | undefined;
}

/** Native tool calls, or tools as text when the config asks for it or the server refuses `tools` (text-tools.ts). */
export function createOpenAIProvider(
  config: ProviderConfig, model: string, hooks: ProviderHooks = {}, options: OpenAIProviderOptions = {},
): Provider {
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  // Requests of one provider instance (one task) are sequential: one idle timer at a time.
  const activity: { onBytes: (() => void) | undefined } = { onBytes: undefined };
  const client = new OpenAI({
    baseURL: baseUrl,
    apiKey: config.apiKey || PLACEHOLDER_API_KEY,
    maxRetries: 0,
    timeout: requestTimeout(config.requestTimeout),
    defaultHeaders: config.headers,
    logLevel: "off",
    fetch: createHttpFetch(() => activity.onBytes?.()),
  });
  const limiter = options.limiter ?? UNLIMITED;
  const outputMode = config.structuredOutput ?? "response_format";
  const idleMs = config.streamIdleTimeout ?? DEFAULT_STREAM_IDLE_TIMEOUT;
  const send = async (request: ChatRequest): Promise<ModelTurn> => {
    try {
      return await withRetries(() => limiter.run(() => streamOnce(client, model, request, idleMs, activity, outputMode), request.signal), {
        settings: retrySettings(config),
        signal: request.signal,
        classify: retryReason,
        random: options.random,
        onRetry: ({ attempt, status, delayMs, reason }) =>
          hooks.onEvent?.({ type: "provider_retry", attempt, status: status ?? null, delay_ms: delayMs, reason }),
        giveUp: (error, attempts) => gaveUp(toProviderError(error, baseUrl, config.requestTimeout), attempts),
      });
    } catch (error) {
      if (request.signal.aborted) throw abortErrorFrom(isAbortError(error) ? error : request.signal.reason);
      throw toProviderError(error, baseUrl, config.requestTimeout);
    }
  };
  return {
    name: config.name,
    model,
    complete: withToolCalling(withStructuredOutput(send, { mode: outputMode, onEvent: hooks.onEvent }), { textReason: textToolReason(config, model), onEvent: hooks.onEvent }),
  };
}

export function retrySettings(config: Pick<ProviderConfig, "maxRetries" | "retryBaseDelay" | "retryMaxDelay">): RetrySettings {
  return {
    maxRetries: config.maxRetries ?? DEFAULT_RETRY.maxRetries,
    baseDelayMs: config.retryBaseDelay ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: config.retryMaxDelay ?? DEFAULT_RETRY.maxDelayMs,
  };
}

/** No byte from the server for the configured time, before or during the stream. */
class StreamIdleError extends Error {
  override name = "StreamIdleError";
}

/** One streamed request, assembled into a turn only once the stream has ended. */
async function streamOnce(
  client: OpenAI, model: string, request: ChatRequest, idleMs: number, activity: { onBytes: (() => void) | undefined }, outputMode: StructuredOutputMode,
): Promise<ModelTurn> {
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(new StreamIdleError(`no data from the server for ${idleMs} ms (streamIdleTimeout)`)), idleMs);
  };
  activity.onBytes = arm;
  arm();
  try {
    const signal = AbortSignal.any([request.signal, idle.signal]);
    const stream = await client.chat.completions.create(requestBody(model, request, outputMode), { signal });
    const assembler = new TurnAssembler();
    for await (const chunk of stream) assembler.add(chunk);
    // The SDK ends the iteration quietly when aborted mid-stream.
    if (request.signal.aborted) throw abortErrorFrom(request.signal.reason);
    if (idle.signal.aborted) throw idle.signal.reason;
    const turn = assembler.finish();
    return { ...turn, usage: turn.usage ?? (await estimateUsage(request, turn)) };
  } catch (error) {
    if (request.signal.aborted) throw abortErrorFrom(isAbortError(error) ? error : request.signal.reason);
    if (idle.signal.aborted) throw idle.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    activity.onBytes = undefined;
  }
}

/** Why a failed attempt is worth another: 408, 409, 429, 5xx, lost or broken connections and streams, timeouts. */
export function retryReason(error: unknown): RetryReason | undefined {
  const plain = (reason: string): RetryReason => ({ status: undefined, reason, retryAfterMs: undefined });
  if (error instanceof StreamIdleError) return plain(error.message);
  if (error instanceof APIUserAbortError || error instanceof ProviderError) return undefined;
  if (error instanceof APIConnectionTimeoutError) return plain("the request timed out (requestTimeout)");
  if (error instanceof APIConnectionError) return plain(`connection failed${codeSuffix(error)}`);
  if (error instanceof APIError) {
    const headers = error.headers;
    const should = headers?.get("x-should-retry");
    if (should === "false") return undefined;
    if (error.status === undefined) return plain(`error mid-stream: ${serverMessage(error)}`);
    if (should !== "true" && !RETRY_STATUSES.has(error.status) && error.status < 500) return undefined;
    return { status: error.status, reason: `${error.status} ${STATUS_CODES[error.status] ?? "Error"}: ${serverMessage(error)}`, retryAfterMs: parseRetryAfter(headers) };
  }
  if (error instanceof SyntaxError) return plain(`garbled stream: ${error.message}`);
  if (error instanceof TypeError || errorCode(error) !== undefined) {
    return plain(`connection lost: ${error instanceof Error ? error.message : String(error)}${codeSuffix(error)}`);
  }
  return undefined;
}

function codeSuffix(error: unknown): string {
  const code = errorCode(error);
  return code ? ` (${code})` : "";
}

function gaveUp(error: ProviderError, attempts: number): ProviderError {
  if (attempts < 2) return error;
  return new ProviderError(`${error.message} (gave up after ${attempts} attempts)`, error.status, error.outage);
}

/** The streamed request; the SDK sends fields it has no type for (guided_json, json_schema) as they are. */
export function requestBody(model: string, request: ChatRequest, outputMode: StructuredOutputMode = "response_format"): ChatCompletionCreateParamsStreaming {
  const body: ChatCompletionCreateParamsStreaming = {
    model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
    ...structuredOutputFields(outputMode, request.output),
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
    return new ProviderError(`request to ${baseUrl} timed out${after}: raise requestTimeout or check the server`, undefined, true);
  }
  if (error instanceof APIConnectionError) {
    const code = errorCode(error);
    const detail = code ? ` (${code})` : "";
    return new ProviderError(`cannot connect to ${baseUrl}${detail}: check that the server is running and baseUrl is right`, undefined, true);
  }
  if (error instanceof APIError) {
    if (error.status === undefined) return new ProviderError(`error from ${baseUrl} mid-stream: ${serverMessage(error)}`, undefined, true);
    const statusText = STATUS_CODES[error.status] ?? "Error";
    return new ProviderError(`${error.status} ${statusText} from ${baseUrl}: ${serverMessage(error)}`, error.status);
  }
  const message = error instanceof Error ? error.message : String(error);
  // What reaches here is what retryReason retried: a lost connection, a garbled or idle stream.
  return new ProviderError(`request to ${baseUrl} failed: ${message}`, undefined, retryReason(error) !== undefined);
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

/** nanocoder's convention: a timeout of -1 (or 0) means none; setTimeout cannot wait longer than this. */
function requestTimeout(ms: number | undefined): number | undefined {
  if (ms === undefined) return undefined;
  return ms > 0 ? ms : 2 ** 31 - 1;
}
