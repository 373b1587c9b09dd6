import { describe, expect, it } from "vitest";
import { resolveProvider, type LoadedConfig, type ResolveProviderOptions } from "../../src/config/load.ts";

const config: LoadedConfig = {
  file: "agents.config.json",
  providers: [
    { name: "Ollama", baseUrl: "http://localhost:11434/v1", apiKey: "", models: ["qwen2.5-coder:14b", "llama3"], requestTimeout: 600000 },
    {
      name: "openrouter",
      baseUrl: "https://openrouter.ai/api/v1",
      apiKey: "sk-or",
      models: ["anthropic/claude-sonnet-4"],
      pricing: { "anthropic/claude-sonnet-4": { input: 3, output: 15 } },
    },
    { name: "bare", baseUrl: "http://127.0.0.1:9000/v1", models: [] },
  ],
};

type Choice = Omit<ResolveProviderOptions, "config" | "env">;

function choose(options: Choice, env: Record<string, string> = {}): [string, string, string] {
  const { provider, model } = resolveProvider({ config, env, ...options });
  return [provider.name, model, provider.baseUrl];
}

describe("resolveProvider with a config", () => {
  it.each<[string, Choice, [string, string, string]]>([
    ["defaults to the first provider and its first model", {}, ["Ollama", "qwen2.5-coder:14b", "http://localhost:11434/v1"]],
    ["uses the task's provider", { task: { provider: "openrouter" } }, ["openrouter", "anthropic/claude-sonnet-4", "https://openrouter.ai/api/v1"]],
    ["matches provider names case-insensitively", { task: { provider: "ollama" } }, ["Ollama", "qwen2.5-coder:14b", "http://localhost:11434/v1"]],
    ["uses the task's model", { task: { model: "llama3" } }, ["Ollama", "llama3", "http://localhost:11434/v1"]],
    [
      "lets --provider override the task's provider",
      { task: { provider: "openrouter" }, flags: { provider: "OLLAMA" } },
      ["Ollama", "qwen2.5-coder:14b", "http://localhost:11434/v1"],
    ],
    ["lets --model override the task's model", { task: { model: "llama3" }, flags: { model: "qwen3" } }, ["Ollama", "qwen3", "http://localhost:11434/v1"]],
    [
      "lets --base-url override the provider's baseUrl",
      { task: { provider: "openrouter" }, flags: { baseUrl: "http://proxy.local:8080/v1" } },
      ["openrouter", "anthropic/claude-sonnet-4", "http://proxy.local:8080/v1"],
    ],
  ])("%s", (_behaviour, options, expected) => {
    expect(choose(options)).toEqual(expected);
  });

  it("returns the provider's settings, with an empty apiKey left out", () => {
    expect(resolveProvider({ config, env: {} })).toEqual({
      provider: { name: "Ollama", baseUrl: "http://localhost:11434/v1", models: ["qwen2.5-coder:14b", "llama3"], requestTimeout: 600000 },
      model: "qwen2.5-coder:14b",
      fixAt: { baseUrl: "baseUrl in agents.config.json (or --base-url)", apiKey: "apiKey in agents.config.json" },
    });
    expect(resolveProvider({ config, env: {}, task: { provider: "openrouter" } }).provider).toEqual({
      name: "openrouter",
      baseUrl: "https://openrouter.ai/api/v1",
      apiKey: "sk-or",
      models: ["anthropic/claude-sonnet-4"],
      pricing: { "anthropic/claude-sonnet-4": { input: 3, output: 15 } },
    });
  });

  it.each<[string, Choice, string]>([
    [
      "an unknown --provider, listing the configured ones",
      { flags: { provider: "lmstudio" } },
      'unknown provider "lmstudio" (from --provider); agents.config.json defines: Ollama, openrouter, bare',
    ],
    [
      "an unknown task provider",
      { task: { provider: "lmstudio" } },
      `unknown provider "lmstudio" (from the task's provider); agents.config.json defines: Ollama, openrouter, bare`,
    ],
    [
      "an unknown task provider, pointing at the task",
      { task: { provider: "lmstudio", source: { file: "tasks/a.yaml", line: 2, column: 1 } } },
      `tasks/a.yaml:2:1: unknown provider "lmstudio" (from the task's provider); agents.config.json defines: Ollama, openrouter, bare`,
    ],
    [
      "a provider with no models and no model chosen",
      { task: { provider: "bare" } },
      'agents.config.json: no model for provider "bare": add one to its "models", pass --model NAME, or set "model:" in the task',
    ],
    ["a --base-url that is not a URL", { flags: { baseUrl: "localhost:8080" } }, '--base-url "localhost:8080": expected a URL like "http://localhost:11434/v1"'],
  ])("rejects %s", (_behaviour, options, message) => {
    expect(() => choose(options)).toThrow(message);
  });
});

describe("resolveProvider without a config", () => {
  const adHoc = (options: Choice, env: Record<string, string>) => resolveProvider({ config: undefined, env, ...options });

  it("makes a provider from OPENAI_BASE_URL and OPENAI_API_KEY, named after the host", () => {
    const env = { OPENAI_BASE_URL: "http://127.0.0.1:8080/v1", OPENAI_API_KEY: "sk-test" };
    expect(adHoc({ flags: { model: "scripted" } }, env)).toEqual({
      provider: { name: "127.0.0.1", baseUrl: "http://127.0.0.1:8080/v1", apiKey: "sk-test", models: ["scripted"] },
      model: "scripted",
      fixAt: { baseUrl: "OPENAI_BASE_URL (or --base-url)", apiKey: "OPENAI_API_KEY" },
    });
  });

  it("uses OpenAI itself when only OPENAI_API_KEY is set, with the task's model", () => {
    expect(adHoc({ task: { model: "gpt-5-mini" } }, { OPENAI_API_KEY: "sk-test" })).toEqual({
      provider: { name: "openai", baseUrl: "https://api.openai.com/v1", apiKey: "sk-test", models: ["gpt-5-mini"] },
      model: "gpt-5-mini",
      fixAt: { baseUrl: "OPENAI_BASE_URL (or --base-url)", apiKey: "OPENAI_API_KEY" },
    });
  });

  it("lets --base-url win over OPENAI_BASE_URL", () => {
    const { provider, fixAt } = adHoc({ flags: { baseUrl: "http://localhost:11434/v1", model: "qwen3" } }, { OPENAI_BASE_URL: "http://other:1/v1" });
    expect(provider).toEqual({ name: "localhost", baseUrl: "http://localhost:11434/v1", models: ["qwen3"] });
    expect(fixAt.baseUrl).toBe("--base-url");
  });

  it("treats a config with no providers like no config", () => {
    const empty: LoadedConfig = { file: "agents.config.json", providers: [] };
    const { provider } = resolveProvider({ config: empty, env: {}, flags: { baseUrl: "http://localhost:11434/v1", model: "qwen3" } });
    expect(provider.name).toBe("localhost");
  });

  it.each<[string, Choice, Record<string, string>, string]>([
    [
      "no model, explaining the three ways to choose one",
      { flags: { baseUrl: "http://localhost:11434/v1" } },
      {},
      'no model chosen for http://localhost:11434/v1: pass --model NAME, set "model:" in the task, or list "models" for a provider in agents.config.json',
    ],
    [
      "nothing to connect to",
      { flags: { model: "qwen3" } },
      {},
      "no provider configured: create agents.config.json (or pass --config PATH), pass --base-url URL and --model NAME, or set OPENAI_BASE_URL / OPENAI_API_KEY",
    ],
    ["a named provider", { task: { provider: "ollama" } }, { OPENAI_API_KEY: "sk" }, 'unknown provider "ollama" (from the task\'s provider): no agents.config.json was found'],
    ["a bad OPENAI_BASE_URL", { flags: { model: "m" } }, { OPENAI_BASE_URL: "nope" }, 'OPENAI_BASE_URL "nope": expected a URL like "http://localhost:11434/v1"'],
  ])("rejects %s", (_behaviour, options, env, message) => {
    expect(() => adHoc(options, env)).toThrow(message);
  });
});

describe("an empty --model", () => {
  it("is refused rather than sent to the server as a model named \"\"", () => {
    expect(() => resolveProvider({ config: undefined, flags: { model: " ", baseUrl: "http://127.0.0.1:1/v1" }, env: {} })).toThrow("--model: empty; give a model name");
  });
});
