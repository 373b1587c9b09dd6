/**
 * Whether a provider's server can be used, asked cheaply: `GET {baseUrl}/models`, which the servers nanocoder
 * batch talks to answer (OpenAI, OpenRouter, vLLM, llama.cpp, LM Studio, Ollama's /v1). The run's provider
 * check and `nanocoder doctor` both ask this way.
 *
 * A model missing from the list is not enough to refuse it: llama.cpp and TGI answer under any name, Azure
 * lists base models but is asked for deployments, OpenRouter takes variants (`:nitro`) it does not list.
 * So the server itself is asked, with a one-token chat request, and only its refusal (404, or a 400 that
 * says the model is unknown) counts. The same request settles a 403 on the list, which a key without the
 * "list models" permission gets while it may still chat. Any other answer (5xx, 429, a slow reply) leaves
 * the question to the tasks: their retries and the run's provider breaker deal with a server that fails.
 */
import { createHttpFetch, errorCode } from "./http.ts";
import type { ProviderConfig, ProviderFixAt } from "./types.ts";

/** The transport the tasks' requests take (node:http), so that the probe sees what they will: fetch refuses ports a server may use. */
const send = createHttpFetch(() => undefined);

/** Milliseconds each request of a probe may take; a server that does not answer the model list in this time will not serve a task either. */
export const PROBE_TIMEOUT_MS = 10_000;

/** Models named in a message about a model the server does not serve; the rest are counted. */
const MODELS_SHOWN = 12;

export type ProbeVerdict =
  /** The server answered and, when asked, serves the model. */
  | "ok"
  /** Nothing answers at the URL, or no OpenAI-compatible API does. */
  | "unreachable"
  /** The server refuses the key (401, or 403 on a chat request too). */
  | "unauthorized"
  /** The server says it does not serve the model. */
  | "unknown_model"
  /** The server answered with something that says nothing for sure (5xx, 429): the tasks will find out. */
  | "unsure";

export interface ProbeResult {
  verdict: ProbeVerdict;
  /** The request whose answer decided, e.g. "GET http://127.0.0.1:11434/v1/models". */
  request: string;
  /** What came back, e.g. "200 OK (12 ms), 3 models" or "connection refused (ECONNREFUSED)". */
  detail: string;
  /** The server's list, when it gave one. */
  models?: string[];
  /** Unreachable because something answers at the URL, but not an OpenAI-compatible API (404 to both requests). */
  notAnApi?: true;
}

export interface ProbeOptions {
  /** The model to ask about; without one (doctor) only the server and the key are checked. */
  model?: string | undefined;
  timeoutMs?: number;
}

/** Asks the provider's server whether it can be used, with the model when one is given. Never throws. */
export async function probeProvider(provider: ProviderConfig, options: ProbeOptions = {}): Promise<ProbeResult> {
  const base = provider.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const listRequest = `GET ${base}/models`;
  const list = await ask(provider, `${base}/models`, undefined, timeoutMs);
  if (list.kind === "no answer") return { verdict: "unreachable", request: listRequest, detail: list.detail };
  const models = modelIds(list.body);
  const listed = { request: listRequest, detail: `${list.status} ${list.statusText} (${list.ms} ms)${models ? `, ${count(models.length, "model")}` : ""}`, ...(models ? { models } : {}) };
  const { model } = options;
  if (list.status === 401) return { ...listed, verdict: "unauthorized", detail: `${listed.detail}: ${list.message}` };
  if (list.ok && models !== undefined && (model === undefined || models.length === 0 || lists(models, model) || servesAnyName(list.body))) {
    return { ...listed, verdict: "ok" };
  }
  const refused = !list.ok && [403, 404, 405].includes(list.status);
  // 5xx, 429 and the like say nothing for sure; a 200 that is no model list (a web page) is asked again with a model.
  if (!list.ok && !refused) return { ...listed, verdict: "unsure", detail: `${listed.detail}: ${list.message}` };
  if (model === undefined) {
    if (list.ok) return { ...listed, verdict: "unsure", detail: `${listed.detail}, but not a model list` };
    if (list.status === 403) return { ...listed, verdict: "unauthorized", detail: `${listed.detail}: ${list.message}` };
    return { ...listed, verdict: "unreachable", detail: `${listed.detail}: ${list.message}`, notAnApi: true };
  }
  return confirmModel(provider, base, model, timeoutMs, { ...listed, listStatus: list.status });
}

/** A one-token chat request: the server's own word on the model (and the key). */
async function confirmModel(
  provider: ProviderConfig, base: string, model: string, timeoutMs: number, listed: Omit<ProbeResult, "verdict"> & { listStatus: number },
): Promise<ProbeResult> {
  const body = { model, messages: [{ role: "user", content: "Reply with OK." }], max_tokens: 1, stream: false };
  const chat = await ask(provider, `${base}/chat/completions`, body, timeoutMs);
  const request = `POST ${base}/chat/completions (model "${model}")`;
  const { models } = listed;
  const withList = models ? { models } : {};
  // The list answered; a chat request that does not is left to the tasks (a model may take long to load).
  if (chat.kind === "no answer") return { verdict: "unsure", request, detail: chat.detail, ...withList };
  const detail = `${chat.status} ${chat.statusText}: ${chat.message}`;
  if (chat.ok) return { verdict: "ok", request, detail: `${chat.status} ${chat.statusText} (${chat.ms} ms)`, ...withList };
  if (chat.status === 401 || chat.status === 403) return { verdict: "unauthorized", request, detail, ...withList };
  if (refusesModel(chat.status, chat.message, model)) return { verdict: "unknown_model", request, detail, ...withList };
  // Both the list and the chat request not found, and not for the model: no OpenAI-compatible API at this URL.
  if (chat.status === 404 && listed.listStatus === 404) return { verdict: "unreachable", request, detail: `${detail}; ${listed.request} answered 404 too`, notAnApi: true, ...withList };
  return { verdict: "unsure", request, detail, ...withList };
}

type Answer =
  | { kind: "no answer"; detail: string }
  | { kind: "answer"; ok: boolean; status: number; statusText: string; ms: number; body: unknown; message: string };

async function ask(provider: ProviderConfig, url: string, body: object | undefined, timeoutMs: number): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = {
    ...provider.headers,
    ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}),
    ...(body ? { "content-type": "application/json" } : {}),
  };
  try {
    const response = await send(url, {
      method: body ? "POST" : "GET",
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const parsed = parseJson(text);
    return { kind: "answer", ok: response.ok, status: response.status, statusText: response.statusText, ms: Date.now() - started, body: parsed, message: serverMessage(parsed, text) };
  } catch (error) {
    return { kind: "no answer", detail: describeFailure(error, timeoutMs) };
  }
}

/** 404 (vLLM, OpenAI, Ollama), or a 400/422 whose message says the model is unknown (OpenRouter: "x is not a valid model ID"). */
function refusesModel(status: number, message: string, model: string): boolean {
  const aboutModel = /model/i.test(message) && /(not (a )?valid|not found|does not exist|unknown|invalid|no such|not available|unsupported model)/i.test(message);
  if (status === 404) return aboutModel || message.includes(model);
  return (status === 400 || status === 422) && aboutModel;
}

/** The ids of an OpenAI-style list (`{data: [{id}]}`); Ollama's native `{models: [{name}]}` too. */
function modelIds(body: unknown): string[] | undefined {
  if (!isRecord(body)) return undefined;
  const entries = Array.isArray(body.data) ? body.data : Array.isArray(body.models) ? body.models : undefined;
  if (!entries) return undefined;
  return entries.flatMap((entry) => (isRecord(entry) && typeof (entry.id ?? entry.name) === "string" ? [String(entry.id ?? entry.name)] : []));
}

/** Listed as given, or (Ollama) a name without a tag whose `:latest` is listed. */
function lists(models: readonly string[], model: string): boolean {
  return models.includes(model) || (!model.includes(":") && models.includes(`${model}:latest`));
}

/** llama.cpp's server lists the one model it loaded (`owned_by: "llamacpp"`) and answers under any name. */
function servesAnyName(body: unknown): boolean {
  return isRecord(body) && Array.isArray(body.data) && body.data.some((entry) => isRecord(entry) && entry.owned_by === "llamacpp");
}

/** The server's own words: `error.message` (or `error` as text, or `message`) from a JSON body, else the start of the text. */
function serverMessage(body: unknown, text: string): string {
  if (isRecord(body)) {
    const error = body.error;
    if (isRecord(error) && typeof error.message === "string") return error.message;
    if (typeof error === "string") return error;
    if (typeof body.message === "string") return body.message;
  }
  const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain || "(no body)";
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (inCauses(error, (cause) => cause instanceof Error && cause.name === "TimeoutError")) return `no answer in ${timeoutMs / 1000} s`;
  const code = errorCode(error);
  if (code === "ECONNREFUSED") return "connection refused (ECONNREFUSED)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host not found (${code})`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
  return code ? `cannot connect: ${cause} (${code})` : `cannot connect: ${cause}`;
}

function inCauses(error: unknown, test: (cause: unknown) => boolean): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (test(current)) return true;
    current = typeof current === "object" && "cause" in current ? current.cause : undefined;
  }
  return false;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The list for a message: the first few names, and how many more. */
export function describeModels(models: readonly string[]): string {
  const shown = models.slice(0, MODELS_SHOWN).join(", ");
  return models.length > MODELS_SHOWN ? `${shown} and ${models.length - MODELS_SHOWN} more` : shown;
}

/** What a probe found, and how to fix it, for one line of the provider check or of `nanocoder doctor`. */
export function describeProbe(result: ProbeResult, provider: ProviderConfig, fixAt: ProviderFixAt, model?: string): { text: string; fix?: string } {
  const text = `${result.request}: ${result.detail}`;
  switch (result.verdict) {
    case "ok":
    case "unsure":
      return { text };
    case "unreachable":
      if (result.notAnApi) return { text, fix: `no OpenAI-compatible API answers at ${provider.baseUrl} (most end in /v1); fix ${fixAt.baseUrl}` };
      return { text, fix: `is the server running at ${provider.baseUrl}? Fix ${fixAt.baseUrl}` };
    case "unauthorized":
      return { text, fix: provider.apiKey ? `the server refuses the key: check ${fixAt.apiKey}` : `no key was sent: set ${fixAt.apiKey}` };
    case "unknown_model": {
      const listed = result.models?.length ? ` (it lists ${describeModels(result.models)})` : "";
      const pull = new URL(provider.baseUrl).port === "11434" ? `, or pull it: ollama pull ${model ?? ""}` : "";
      return { text, fix: `choose a model the server serves${listed} with --model, the task's model: or the provider's models${pull}` };
    }
  }
}
