/**
 * The probe the provider check and doctor share, against small servers over real HTTP that answer as the
 * kinds of servers nanocoder batch talks to do.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { describeProbe, probeProvider, type ProbeVerdict } from "../../src/provider/probe.ts";
import type { ProviderConfig } from "../../src/provider/types.ts";

type Answer = { status: number; body?: unknown } | "hang";
type Handler = (request: { method: string; path: string; body: { model?: string } }) => Answer;

let server: Server | undefined;
let asked: string[] = [];

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: Handler): Promise<ProviderConfig> {
  asked = [];
  server = createServer((req: IncomingMessage, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      const request = { method: req.method ?? "", path: (req.url ?? "").replace(/^\/v1/, ""), body: (text ? JSON.parse(text) : {}) as { model?: string } };
      asked.push(`${request.method} ${request.path}${request.body.model ? ` ${request.body.model}` : ""}`);
      const answer = handler(request);
      if (answer === "hang") return;
      res.writeHead(answer.status, { "content-type": "application/json" }).end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { name: "local", baseUrl: `http://127.0.0.1:${(server?.address() as AddressInfo).port}/v1`, models: [] };
}

const list = (...ids: string[]) => ({ object: "list", data: ids.map((id) => ({ id, object: "model", owned_by: "library" })) });
const error = (message: string) => ({ error: { message, type: "invalid_request_error" } });
const chat = { id: "c", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "OK" }, finish_reason: "length" }] };

describe("probing a provider for a model", () => {
  it.each<[string, Handler, string, ProbeVerdict, string[]]>([
    ["a listed model: the list alone", () => ({ status: 200, body: list("qwen3", "llama3") }), "qwen3", "ok", ["GET /models"]],
    ["Ollama's name without a tag, listed as :latest", () => ({ status: 200, body: list("qwen3:latest") }), "qwen3", "ok", ["GET /models"]],
    ["a server that lists nothing", () => ({ status: 200, body: list() }), "anything", "ok", ["GET /models"]],
    [
      "llama.cpp, which serves its one model under any name",
      () => ({ status: 200, body: { object: "list", data: [{ id: "/models/qwen.gguf", object: "model", owned_by: "llamacpp" }] } }),
      "gpt-4o", "ok", ["GET /models"],
    ],
    [
      "a model the list lacks but the server serves (an Azure deployment, an OpenRouter variant)",
      ({ method }) => (method === "GET" ? { status: 200, body: list("gpt-4o") } : { status: 200, body: chat }),
      "my-deployment", "ok", ["GET /models", "POST /chat/completions my-deployment"],
    ],
    [
      "a model the server refuses with 404 (vLLM, OpenAI, Ollama)",
      ({ method }) => (method === "GET" ? { status: 200, body: list("qwen3") } : { status: 404, body: error("The model `qwen-3` does not exist.") }),
      "qwen-3", "unknown_model", ["GET /models", "POST /chat/completions qwen-3"],
    ],
    [
      "a model the server refuses with 400 (OpenRouter)",
      ({ method }) => (method === "GET" ? { status: 200, body: list("openai/gpt-4o") } : { status: 400, body: error("gpt-4o is not a valid model ID") }),
      "gpt-4o", "unknown_model", ["GET /models", "POST /chat/completions gpt-4o"],
    ],
    [
      "a 400 about something else (a reasoning model refusing max_tokens): the tasks will see",
      ({ method }) => (method === "GET" ? { status: 200, body: list("o3") } : { status: 400, body: error("Unsupported parameter: 'max_tokens'") }),
      "o3-mini", "unsure", ["GET /models", "POST /chat/completions o3-mini"],
    ],
    ["a key refused on the list (401): not asked again", () => ({ status: 401, body: error("Incorrect API key provided") }), "m", "unauthorized", ["GET /models"]],
    [
      "a key without the list permission (403) that may chat",
      ({ method }) => (method === "GET" ? { status: 403, body: error("Missing scopes: api.model.read") } : { status: 200, body: chat }),
      "m", "ok", ["GET /models", "POST /chat/completions m"],
    ],
    ["a key refused everywhere (403)", () => ({ status: 403, body: error("Forbidden") }), "m", "unauthorized", ["GET /models", "POST /chat/completions m"]],
    [
      "no OpenAI-compatible API at the URL (a missing /v1)",
      () => ({ status: 404, body: "404 page not found" }),
      "m", "unreachable", ["GET /models", "POST /chat/completions m"],
    ],
    ["a server failing for now (503): the tasks retry", () => ({ status: 503, body: error("loading model") }), "m", "unsure", ["GET /models"]],
  ])("%s", async (_case, handler, model, verdict, requests) => {
    const provider = await serve(handler);
    const result = await probeProvider(provider, { model, timeoutMs: 2_000 });
    expect(result.verdict).toBe(verdict);
    expect(asked).toEqual(requests);
  });

  it("takes a server that does not answer in time for unreachable", async () => {
    const provider = await serve(() => "hang");
    const result = await probeProvider(provider, { model: "m", timeoutMs: 200 });
    expect(result).toEqual({ verdict: "unreachable", request: `GET ${provider.baseUrl}/models`, detail: "no answer in 0.2 s" });
  });
});

describe("what a probe says to fix", () => {
  const fixAt = { baseUrl: "baseUrl in agents.config.json:3:5 (or --base-url)", apiKey: "apiKey in agents.config.json:3:5" };
  const provider: ProviderConfig = { name: "ollama", baseUrl: "http://127.0.0.1:11434/v1", models: [] };

  it.each<[string, Parameters<typeof describeProbe>[0], ProviderConfig, string | undefined]>([
    ["nothing listening", { verdict: "unreachable", request: "GET http://127.0.0.1:11434/v1/models", detail: "connection refused (ECONNREFUSED)" }, provider, "is the server running at http://127.0.0.1:11434/v1? Fix baseUrl in agents.config.json:3:5 (or --base-url)"],
    ["no API at the URL", { verdict: "unreachable", request: "POST …", detail: "404", notAnApi: true }, provider, "no OpenAI-compatible API answers at http://127.0.0.1:11434/v1 (most end in /v1); fix baseUrl in agents.config.json:3:5 (or --base-url)"],
    ["a key refused", { verdict: "unauthorized", request: "GET …", detail: "401" }, { ...provider, apiKey: "k" }, "the server refuses the key: check apiKey in agents.config.json:3:5"],
    ["no key sent", { verdict: "unauthorized", request: "GET …", detail: "401" }, provider, "no key was sent: set apiKey in agents.config.json:3:5"],
    [
      "an unknown model on Ollama's port",
      { verdict: "unknown_model", request: "POST …", detail: "404", models: ["qwen3:latest", "llama3:8b"] }, provider,
      "choose a model the server serves (it lists qwen3:latest, llama3:8b) with --model, the task's model: or the provider's models, or pull it: ollama pull qwen-3",
    ],
    ["a server that answered", { verdict: "ok", request: "GET …", detail: "200 OK (3 ms)" }, provider, undefined],
  ])("%s", (_case, result, given, fix) => {
    expect(describeProbe(result, given, fixAt, "qwen-3").fix).toBe(fix);
  });
});
