/**
 * A scripted OpenAI-compatible server on 127.0.0.1 for tests (libs.md §9).
 *
 * The script is a list of conversations; a request belongs to the first one whose `match` occurs in its
 * first user message or system prompt, and gets the turn numbered by how many assistant messages its
 * history holds. No state is kept between requests, so concurrent conversations work.
 * Like strict servers, it rejects a history whose tool calls are not each answered (400).
 */
import { createServer } from "node:http";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface ScriptToolCall {
  name: string;
  arguments: string | object;
  id?: string;
}

export interface Turn {
  content?: string;
  tool_calls?: ScriptToolCall[];
  /** "deltas" (default): small pieces over many chunks; "whole": all tool calls complete in one chunk, no index (Ollama). */
  chunking?: "deltas" | "whole";
  /** false: no usage at all; default: a plausible usage chunk. */
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number; cost?: number } | false;
  /** Put usage on the finish chunk instead of a final usage-only chunk (llama.cpp). */
  usage_in_finish_chunk?: boolean;
  /** Default "tool_calls" with tool calls, else "stop". */
  finish_reason?: string;
  /** Reply with this HTTP error instead. */
  status?: number;
  error_message?: string;
  /** Wait before answering. */
  delay_ms?: number;
  /** Wait between streamed chunks. */
  chunk_delay_ms?: number;
  /** SSE comment lines sent before the first chunk, e.g. "OPENROUTER PROCESSING". */
  comments?: string[];
  /** Extra fields on every chunk (e.g. `system_fingerprint`). */
  chunk_extra?: object;
  /** Extra fields on the finish chunk (e.g. llama.cpp's `timings`). */
  finish_extra?: object;
  /**
   * Faults for the first requests that ask for this turn, one per request, in order; later requests get
   * the turn itself. Counted per conversation and turn, so "fail twice, then answer" survives retries.
   */
  faults?: Fault[];
}

/**
 * - status: an HTTP error, with `Retry-After` / `retry-after-ms` when given.
 * - drop: the socket is destroyed after `after_chunks` chunks (default: just before the finish chunk, after every tool call delta).
 * - garble: a data line of invalid JSON after `after_chunks` chunks (same default), then the rest.
 * - hang: no more bytes, ever; before the response headers unless `after_chunks` is given.
 */
export type Fault =
  | { kind: "status"; status: number; retry_after?: string; retry_after_ms?: number; message?: string }
  | { kind: "drop" | "garble"; after_chunks?: number }
  | { kind: "hang"; after_chunks?: number };

export interface Conversation {
  match: string;
  turns: Turn[];
}

export interface WireMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; type?: string; function?: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface RequestBody {
  model?: string;
  messages?: WireMessage[];
  tools?: unknown[];
  tool_choice?: unknown;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: RequestBody;
}

export type Script = Conversation[] | ((request: RecordedRequest) => Turn);

export interface FakeOpenAI {
  /** Base URL ending in /v1. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;
  /** A fault of the script or the fake, not a scripted reply: tell the SDK not to retry. */
  readonly fakeFault: boolean;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, fakeFault = false, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.fakeFault = fakeFault;
    this.headers = headers;
  }
}

/** Rewrites the `index`-th turn of a conversation the way one kind of server streams it. */
export type Dialect = (turn: Turn, index: number) => Turn;

/** The wire dialects of the servers nanocoder batch talks to, as this fake emulates them. */
export const DIALECTS: Record<string, Dialect> = {
  openai: (turn) => turn,
  // Whole tool calls in one chunk without index, finish_reason "stop" alongside them.
  ollama: (turn) => ({ ...turn, chunking: "whole", finish_reason: "stop" }),
  // Usage on the finish chunk, with llama.cpp's timings and other extra fields.
  llamacpp: (turn) => ({
    ...turn, usage_in_finish_chunk: true, usage: { prompt_tokens: 120, completion_tokens: 30 },
    finish_extra: { timings: { prompt_n: 120, prompt_ms: 81.2, predicted_n: 30, predicted_per_second: 41.7 } }, chunk_extra: { system_fingerprint: "b4567" },
  }),
  // vLLM's own tool call ids.
  vllm: (turn, index) => ({
    ...turn, tool_calls: turn.tool_calls?.map((call, i) => ({ ...call, id: `chatcmpl-tool-${index}${i}9f2c4e8a1b7d` })),
    chunk_extra: { prompt_logprobs: null, kv_transfer_params: null },
  }),
  // Keep-alive comment lines, usage.cost and cached tokens.
  openrouter: (turn) => ({
    ...turn, comments: ["OPENROUTER PROCESSING", "OPENROUTER PROCESSING"], chunk_extra: { provider: "Chutes" },
    usage: { prompt_tokens: 1_000, completion_tokens: 50, cached_tokens: 800, cost: 0.000_42 },
  }),
  lmstudio: (turn) => ({ ...turn, chunk_extra: { system_fingerprint: "qwen2.5-coder-14b-instruct" }, chunk_delay_ms: 1 }),
  // A server that ignores stream_options.include_usage.
  "no usage": (turn) => ({ ...turn, usage: false }),
};

export interface FakeOpenAIOptions {
  /**
   * Served by GET /v1/models; a chat request for another model gets 404, as vLLM answers. Without it the
   * list is empty and any model is served, as by a server that lists nothing (the run's provider check passes).
   */
  models?: string[];
  /** Called with every chat request as it arrives. */
  onRequest?: (request: RecordedRequest) => void;
}

export async function startFakeOpenAI(script: Script, options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const record = (request: RecordedRequest): void => {
    requests.push(request);
    options.onRequest?.(request);
  };
  const faultCounts = new Map<string, number>();
  const server = createServer((req, res) => {
    handle(req, res, script, record, options.models, faultCounts).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, new HttpError(500, `fake-openai crashed: ${String(error)}`, true));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${port}/v1`, requests, close };
}

async function handle(
  req: IncomingMessage, res: ServerResponse, script: Script, record: (request: RecordedRequest) => void, models: string[] | undefined,
  faultCounts: Map<string, number>,
): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (req.method === "GET" && path === "/v1/models") {
    return sendJson(res, 200, { object: "list", data: (models ?? []).map((id) => ({ id, object: "model", owned_by: "fake" })) });
  }
  if (req.method !== "POST" || path !== "/v1/chat/completions") {
    return sendError(res, new HttpError(404, `fake-openai: no route for ${req.method} ${path}`, true));
  }
  const text = await readBody(req);
  try {
    const body = parseBody(text);
    // Refused before it counts as a request of the script's, as vLLM refuses a model it does not serve.
    if (models && !models.includes(body.model ?? "")) throw new HttpError(404, `The model \`${body.model ?? ""}\` does not exist.`);
    const request: RecordedRequest = { method: req.method, path, headers: req.headers, body };
    record(request);
    validateHistory(body.messages ?? []);
    const turn = pickTurn(script, request);
    const fault = nextFault(turn, body, faultCounts);
    await pause(res, turn.delay_ms);
    if (turn.status) throw new HttpError(turn.status, turn.error_message ?? `scripted error ${turn.status}`);
    if (fault?.kind === "status") throw faultError(fault);
    if (fault?.kind === "hang" && fault.after_chunks === undefined) return await closed(res);
    if (body.stream) await streamTurn(res, turn, body, fault);
    else sendJson(res, 200, completionJson(turn, body));
  } catch (error) {
    if (error instanceof HttpError) sendError(res, error);
    else throw error;
  }
}

function pickTurn(script: Script, request: RecordedRequest): Turn {
  if (typeof script === "function") return script(request);
  const messages = request.body.messages ?? [];
  const firstUser = textOf(messages.find((m) => m.role === "user")?.content);
  const system = textOf(messages.find((m) => m.role === "system")?.content);
  const conversation = script.find((c) => firstUser.includes(c.match) || system.includes(c.match));
  const where = `first user message ${JSON.stringify(firstUser.slice(0, 200))}`;
  if (!conversation) throw new HttpError(500, `fake-openai: no conversation matches the ${where}`, true);
  const number = messages.filter((m) => m.role === "assistant").length;
  const turn = conversation.turns[number];
  if (!turn) {
    throw new HttpError(500, `fake-openai: conversation "${conversation.match}" has ${conversation.turns.length} turns, `
      + `the request asks for turn ${number + 1} (${where})`, true);
  }
  return turn;
}

/** Every tool call must be answered by a tool message before the next assistant or user message. */
function validateHistory(messages: WireMessage[]): void {
  let pending = new Set<string>();
  let known = new Set<string>();
  for (const message of messages) {
    if (message.role === "tool") {
      const id = message.tool_call_id ?? "";
      if (!known.has(id)) throw new HttpError(400, `tool message answers unknown tool_call_id ${JSON.stringify(id)}`);
      pending.delete(id);
      continue;
    }
    const [unanswered] = pending;
    if (unanswered !== undefined) throw new HttpError(400, `tool call ${unanswered} has no result`);
    const ids = message.role === "assistant" ? (message.tool_calls ?? []).map((call) => call.id) : [];
    pending = new Set(ids);
    known = new Set(ids);
  }
  const [unanswered] = pending;
  if (unanswered !== undefined) throw new HttpError(400, `tool call ${unanswered} has no result`);
}

/** The fault for this request, if any: the n-th request for a conversation's turn gets `faults[n]`. */
function nextFault(turn: Turn, body: RequestBody, counts: Map<string, number>): Fault | undefined {
  if (!turn.faults || turn.faults.length === 0) return undefined;
  const messages = body.messages ?? [];
  const key = JSON.stringify([
    textOf(messages.find((m) => m.role === "system")?.content),
    textOf(messages.find((m) => m.role === "user")?.content),
    messages.filter((m) => m.role === "assistant").length,
  ]);
  const seen = counts.get(key) ?? 0;
  counts.set(key, seen + 1);
  return turn.faults[seen];
}

function faultError(fault: Extract<Fault, { kind: "status" }>): HttpError {
  const headers: Record<string, string> = {};
  if (fault.retry_after !== undefined) headers["retry-after"] = fault.retry_after;
  if (fault.retry_after_ms !== undefined) headers["retry-after-ms"] = String(fault.retry_after_ms);
  return new HttpError(fault.status, fault.message ?? `injected fault ${fault.status}`, false, headers);
}

/** Resolves once the client has gone away (or the server closed the connection). */
function closed(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.once("close", () => resolve()));
}

async function streamTurn(res: ServerResponse, turn: Turn, body: RequestBody, fault?: Fault): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const comment of turn.comments ?? []) res.write(`: ${comment}\n\n`);
  const { chunks, finishAt } = streamChunks(turn, body);
  const faultAt = fault?.kind === "status" ? -1 : (fault?.after_chunks ?? finishAt);
  for (const [position, chunk] of chunks.entries()) {
    if (res.destroyed) return;
    if (fault && position === faultAt) {
      // Let what was written reach the client first, so the cut falls mid-stream.
      if (fault.kind === "drop") return void (await pause(res, 20), res.destroy());
      if (fault.kind === "hang") return await closed(res);
      if (fault.kind === "garble") res.write(`data: {"id": "chatcmpl-fake", "choices": [{"delta": {"content": "tr\n\n`);
    }
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    await pause(res, turn.chunk_delay_ms);
  }
  res.end("data: [DONE]\n\n");
}

function streamChunks(turn: Turn, body: RequestBody): { chunks: object[]; finishAt: number } {
  const chunk = (delta: object, finish: string | null = null, extra: object = {}): object => ({
    id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model: body.model ?? "fake-model",
    choices: [{ index: 0, delta, finish_reason: finish }], ...turn.chunk_extra, ...extra,
  });
  const whole = turn.chunking === "whole";
  const calls = toolCalls(turn, body);
  const chunks = [chunk({ role: "assistant", content: "" })];
  for (const piece of whole ? [turn.content ?? ""] : pieces(turn.content ?? "")) chunks.push(chunk({ content: piece }));
  if (whole && calls.length > 0) chunks.push(chunk({ tool_calls: calls }));
  if (!whole) {
    for (const [index, call] of calls.entries()) {
      chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }));
      for (const piece of pieces(call.function.arguments)) chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  }
  const usage = usageJson(turn, body);
  const inFinish = usage && turn.usage_in_finish_chunk;
  const finishAt = chunks.length;
  chunks.push(chunk({}, finishReason(turn), { ...turn.finish_extra, ...(inFinish ? { usage } : {}) }));
  if (usage && !inFinish) chunks.push({ ...chunk({}), choices: [], usage });
  return { chunks, finishAt };
}

function completionJson(turn: Turn, body: RequestBody): object {
  const calls = toolCalls(turn, body);
  const message = { role: "assistant", content: turn.content ?? null, ...(calls.length > 0 ? { tool_calls: calls } : {}) };
  const usage = usageJson(turn, body);
  return {
    id: "chatcmpl-fake", object: "chat.completion", created: 0, model: body.model ?? "fake-model",
    choices: [{ index: 0, message, finish_reason: finishReason(turn) }], ...(usage ? { usage } : {}),
  };
}

function toolCalls(turn: Turn, body: RequestBody): { id: string; type: "function"; function: { name: string; arguments: string } }[] {
  const number = (body.messages ?? []).filter((m) => m.role === "assistant").length;
  return (turn.tool_calls ?? []).map((call, i) => ({
    id: call.id ?? `call_${number + 1}_${i + 1}`,
    type: "function",
    function: { name: call.name, arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments) },
  }));
}

function usageJson(turn: Turn, body: RequestBody): object | undefined {
  if (turn.usage === false) return undefined;
  const outputChars = (turn.content ?? "").length + JSON.stringify(turn.tool_calls ?? []).length;
  const given = turn.usage ?? {
    prompt_tokens: Math.ceil(JSON.stringify(body.messages ?? []).length / 4),
    completion_tokens: Math.max(1, Math.ceil(outputChars / 4)),
  };
  const { cached_tokens: cached, cost, ...counts } = given;
  return {
    ...counts,
    total_tokens: counts.prompt_tokens + counts.completion_tokens,
    ...(cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
    ...(cost === undefined ? {} : { cost }),
  };
}

function finishReason(turn: Turn): string {
  return turn.finish_reason ?? ((turn.tool_calls ?? []).length > 0 ? "tool_calls" : "stop");
}

/** Splits text into small pieces, as a model streams tokens. */
function pieces(text: string, size = 5): string[] {
  const result: string[] = [];
  for (let i = 0; i < text.length; i += size) result.push(text.slice(i, i + size));
  return result;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part: { text?: unknown }) => (typeof part.text === "string" ? part.text : "")).join("\n");
}

function parseBody(text: string): RequestBody {
  try {
    return JSON.parse(text || "{}") as RequestBody;
  } catch {
    throw new HttpError(400, `invalid JSON body: ${text.slice(0, 100)}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** Waits, but stops early when the client goes away. */
async function pause(res: ServerResponse, ms: number | undefined): Promise<void> {
  if (!ms || res.destroyed) return;
  const stop = new AbortController();
  const onClose = (): void => stop.abort();
  res.once("close", onClose);
  await sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined);
  res.off("close", onClose);
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: HttpError): void {
  const body = { error: { message: error.message, type: error.status < 500 ? "invalid_request_error" : "server_error" } };
  sendJson(res, error.status, body, { ...error.headers, ...(error.fakeFault ? { "x-should-retry": "false" } : {}) });
}
