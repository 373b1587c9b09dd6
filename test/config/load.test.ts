import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findConfigFile, loadConfig, resolveProvider } from "../../src/config/load.ts";
import { PROVIDER_FIELDS } from "../../src/config/schema.ts";
import { UserError, UserErrors } from "../../src/shared/errors.ts";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "nanocoder-config-test-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeFile(relative: string, text: string): string {
  const file = path.join(dir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function loadErrors(name: string, text: string): Promise<string[]> {
  const file = writeFile(name, text);
  const error: unknown = await loadConfig(file, {}, { cwd: dir }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (error instanceof UserErrors) return error.errors.map((each) => each.message);
  if (error instanceof UserError) return [error.message];
  throw new Error(`expected a UserError, got ${String(error)}`);
}

describe("findConfigFile", () => {
  const cwd = () => path.join(dir, "lookup/project");
  const home = () => path.join(dir, "lookup/home");
  const configDir = () => path.join(dir, "lookup/config-dir");
  const xdg = () => path.join(dir, "lookup/xdg");
  const find = (env: Record<string, string> = {}, explicitPath?: string) =>
    findConfigFile({ explicitPath, cwd: cwd(), home: home(), env });

  beforeAll(() => {
    for (const folder of ["lookup/project", "lookup/home/.config/nanocoder", "lookup/config-dir", "lookup/xdg/nanocoder"]) {
      writeFile(`${folder}/agents.config.json`, "{}");
    }
    writeFile("lookup/explicit.json", "{}");
  });

  it("takes --config first, relative to cwd", () => {
    expect(find({ NANOCODER_CONFIG_DIR: configDir() }, "../explicit.json")).toBe(path.join(dir, "lookup/explicit.json"));
  });

  it("rejects a --config file that does not exist", () => {
    expect(() => find({}, "nope.json")).toThrow(/^--config nope.json: file not found$/);
  });

  it("then ./agents.config.json", () => {
    expect(find({ NANOCODER_CONFIG_DIR: configDir() })).toBe(path.join(cwd(), "agents.config.json"));
  });

  it("then $NANOCODER_CONFIG_DIR, then $XDG_CONFIG_HOME/nanocoder, then ~/.config/nanocoder", () => {
    rmSync(path.join(cwd(), "agents.config.json"));
    expect(find({ NANOCODER_CONFIG_DIR: configDir(), XDG_CONFIG_HOME: xdg() })).toBe(path.join(configDir(), "agents.config.json"));
    expect(find({ NANOCODER_CONFIG_DIR: path.join(dir, "lookup/empty"), XDG_CONFIG_HOME: xdg() })).toBe(
      path.join(xdg(), "nanocoder/agents.config.json"),
    );
    expect(find({})).toBe(path.join(home(), ".config/nanocoder/agents.config.json"));
  });

  it("finds nothing when no file exists", () => {
    rmSync(path.join(home(), ".config/nanocoder/agents.config.json"));
    expect(find({})).toBeUndefined();
  });
});

describe("loadConfig", () => {
  it("reads providers under nanocoder, substituting env vars in them only", async () => {
    const file = writeFile(
      "nested/agents.config.json",
      JSON.stringify({
        nanocoder: {
          providers: [
            {
              name: "ollama",
              baseUrl: "http://${OLLAMA_HOST:-localhost}:11434/v1",
              apiKey: "$OLLAMA_KEY",
              models: ["qwen2.5-coder:14b"],
              pricing: { "qwen2.5-coder:14b": { input: 0.2, output: 0.8, cached_input: 0.02 } },
              maxRetries: 6,
              requestTimeout: 120000,
              headers: { "X-Team": "${TEAM}" },
            },
          ],
          nanocoderTools: { webSearch: { apiKey: "$OLLAMA_KEY" } },
        },
      }),
    );
    const config = await loadConfig(file, { OLLAMA_KEY: "secret", TEAM: "core" }, { cwd: dir });
    expect(config).toEqual({
      file: "nested/agents.config.json",
      providers: [
        {
          name: "ollama",
          baseUrl: "http://localhost:11434/v1",
          apiKey: "secret",
          models: ["qwen2.5-coder:14b"],
          pricing: { "qwen2.5-coder:14b": { input: 0.2, output: 0.8, cached_input: 0.02 } },
          maxRetries: 6,
          requestTimeout: 120000,
          headers: { "X-Team": "core" },
        },
      ],
      where: ["nested/agents.config.json:1:28"],
      variables: [{ apiKey: ["OLLAMA_KEY"], baseUrl: ["OLLAMA_HOST"] }],
    });
  });

  it("accepts a bare top-level providers array", async () => {
    const file = writeFile("bare.json", '{"providers": [{"name": "local", "baseUrl": "http://127.0.0.1:8080/v1"}]}');
    const config = await loadConfig(file, {});
    expect(config).toEqual({ file, providers: [{ name: "local", baseUrl: "http://127.0.0.1:8080/v1", models: [] }], where: [`${file}:1:16`], variables: [{ apiKey: [], baseUrl: [] }] });
  });

  it("ignores the nanocoder keys it does not use, at every level", async () => {
    const provider = {
      name: "mock",
      baseUrl: "http://127.0.0.1:8080/v1",
      models: ["mock-model"],
      sdkProvider: "openai-compatible",
      contextWindow: 131072,
      connectionPool: { idleTimeout: 4000 },
      pricing: { "mock-model": { input: 1, output: 2, currency: "USD" } },
      openrouter: { provider: { order: ["x"] } },
    };
    const nanocoder = { providers: [provider], alwaysAllow: ["execute_bash"], tune: { enabled: true }, headless: { maxTurns: 200 } };
    const file = writeFile("full.json", JSON.stringify({ nanocoder, $schema: "https://example.com/schema.json" }, null, 2));
    const config = await loadConfig(file, {});
    expect(config.providers.map((entry) => entry.name)).toEqual(["mock"]);
  });

  it("reads the context and tool-calling fields, and checks them", async () => {
    const provider = {
      name: "small", baseUrl: "http://127.0.0.1:8080/v1", contextWindow: 16384, contextWindows: { big: 131072 },
      toolResultLimit: 8000, toolCalling: "text", disableTools: false, disableToolModels: ["gemma:2b"],
    };
    const file = writeFile("context.json", JSON.stringify({ providers: [provider] }));
    expect((await loadConfig(file, {})).providers).toEqual([{ ...provider, models: [] }]);
    const bad = { name: "x", contextWindow: 0, toolCalling: "xml" };
    expect(await loadErrors("agents.config.json", JSON.stringify({ providers: [bad] }))).toEqual([
      "agents.config.json:1:27: providers[0].contextWindow: expected a positive number, got 0",
      'agents.config.json:1:45: providers[0].toolCalling: expected one of "native", "text", got "xml"',
    ]);
  });

  const invalidConfig = `{
  "nanocoder": {
    "providers": [
      {
        "name": "ollama",
        "baseUrl": "localhost:11434",
        "models": "qwen",
        "pricing": { "qwen": { "input": -1, "output": "cheap" } },
        "maxRetries": 1.5
      },
      { "baseUrl": "http://localhost:8080/v1" }
    ]
  }
}`;

  it.each([
    [
      "wrong field types, with positions",
      invalidConfig,
      [
        'agents.config.json:6:9: nanocoder.providers[0].baseUrl: expected a URL like "http://localhost:11434/v1", got "localhost:11434"',
        'agents.config.json:7:9: nanocoder.providers[0].models: expected a list, got "qwen"',
        "agents.config.json:8:32: nanocoder.providers[0].pricing.qwen.input: expected a non-negative number, got -1",
        'agents.config.json:8:45: nanocoder.providers[0].pricing.qwen.output: expected a non-negative number, got "cheap"',
        "agents.config.json:9:9: nanocoder.providers[0].maxRetries: expected an integer, got 1.5",
        "agents.config.json:11:7: nanocoder.providers[1].name: expected a string, got nothing (the field is required)",
      ],
    ],
    [
      "an empty value left by a missing variable",
      '{"providers": [{"name": "x", "baseUrl": "$MISSING_URL"}]}',
      ['agents.config.json:1:30: providers[0].baseUrl: expected a URL like "http://localhost:11434/v1", got "" ($MISSING_URL is not set here); the provider "x" cannot be used until it is set'],
    ],
    ["a trailing comma", '{\n  "providers": [],\n}', ["agents.config.json:3:1: invalid JSON: Expected double-quoted property name (trailing commas are not allowed in JSON)"]],
    ["a trailing comma in a list", '{\n  "providers": [1, 2,]\n}', ["agents.config.json:2:22: invalid JSON: Unexpected token ']' (trailing commas are not allowed in JSON)"]],
    ["a misspelled literal", '{\n  "a": tru\n}', ["agents.config.json:2:11: invalid JSON: Unexpected token '\\n'"]],
    ["a missing comma", '{\n  "a": 1\n  "b": 2\n}', ["agents.config.json:3:3: invalid JSON: Expected ',' or '}' after property value"]],
    ["an empty file", "", ["agents.config.json:1:1: invalid JSON: Unexpected end of JSON input"]],
  ])("reports %s", async (_behaviour, text, expected) => {
    expect(await loadErrors("agents.config.json", text)).toEqual(expected);
  });
});

it("a provider keeps every field the schema reads, and none of nanocoder's others", async () => {
  const entry = {
    name: "full", baseUrl: "http://127.0.0.1:1/v1", apiKey: "k", models: ["m"], pricing: { m: { input: 1, output: 2, cached_input: 0.5, note: "x" } },
    maxRetries: 1, requestTimeout: 1000, streamIdleTimeout: 1000, retryBaseDelay: 1, retryMaxDelay: 2, maxConcurrency: 3, requestsPerMinute: 60,
    headers: { "x-a": "b" }, contextWindow: 8000, contextWindows: { m: 4000 }, toolResultLimit: 2000, toolCalling: "text", disableTools: false, disableToolModels: ["n"], structuredOutput: "json_schema",
    nanocodersOwn: true,
  };
  expect(Object.keys(entry).filter((key) => key !== "nanocodersOwn").sort()).toEqual([...PROVIDER_FIELDS].sort());
  const config = await loadConfig(writeFile("full/agents.config.json", JSON.stringify({ providers: [entry] })), {}, { cwd: dir });
  const { nanocodersOwn: _, ...known } = entry;
  expect(resolveProvider({ config, env: {} }).provider).toEqual({ ...known, pricing: { m: { input: 1, output: 2, cached_input: 0.5 } } });
});

it("a provider with baseURL for baseUrl is told to rename it", async () => {
  const text = JSON.stringify({ providers: [{ name: "local", baseURL: "http://127.0.0.1:1/v1", models: ["q"] }] });
  const config = await loadConfig(writeFile("base-url-case/agents.config.json", text), {}, { cwd: dir });
  expect(() => resolveProvider({ config, env: {} })).toThrow('provider "local" has no "baseUrl": rename "baseURL" to "baseUrl", or pass --base-url URL');
});

describe("a provider that names an unset variable", () => {
  const text = JSON.stringify({
    nanocoder: {
      providers: [
        { name: "local", baseUrl: "http://127.0.0.1:11434/v1", apiKey: "$OLLAMA_KEY", models: ["qwen"] },
        { name: "cloud", baseUrl: "${CLOUD_URL}", apiKey: "$CLOUD_KEY", models: ["big"] },
      ],
    },
  }, null, 2);

  it("does not stop the others: the config loads, and an unset apiKey alone is no problem", async () => {
    const config = await loadConfig(writeFile("unset/agents.config.json", text), {}, { cwd: dir });
    expect(config.providers.map((provider) => provider.name)).toEqual(["local"]);
    expect(config.where).toEqual(["unset/agents.config.json:4:7"]);
    expect(resolveProvider({ config, env: {} })).toMatchObject({ provider: { name: "local" }, model: "qwen" });
  });

  it("is refused when chosen, naming the variable and where the provider is", async () => {
    const config = await loadConfig(writeFile("unset/agents.config.json", text), {}, { cwd: dir });
    expect(() => resolveProvider({ config, flags: { provider: "Cloud" }, env: {} })).toThrow(
      'unset/agents.config.json:14:9: nanocoder.providers[1].baseUrl: expected a URL like "http://localhost:11434/v1", got "" ($CLOUD_URL, $CLOUD_KEY are not set here); the provider "cloud" cannot be used until they are set',
    );
  });

  it("is refused when it is the default, the first listed", async () => {
    const first = JSON.stringify({ providers: [{ name: "cloud", baseUrl: "$CLOUD_URL", models: ["big"] }, { name: "local", baseUrl: "http://127.0.0.1:1/v1", models: ["q"] }] });
    const config = await loadConfig(writeFile("unset-first/agents.config.json", first), {}, { cwd: dir });
    expect(() => resolveProvider({ config, env: {} })).toThrow('got "" ($CLOUD_URL is not set here); the provider "cloud" cannot be used until it is set');
    expect(resolveProvider({ config, flags: { provider: "local" }, env: {} }).provider.name).toBe("local");
  });

  it("still refuses the whole file for any other mistake, with every error", async () => {
    const broken = JSON.stringify({ providers: [{ name: "local", baseUrl: "http://127.0.0.1:1/v1", models: "q" }, { name: "cloud", baseUrl: "$CLOUD_URL", models: ["big"] }] });
    const errors = await loadErrors("unset-broken/agents.config.json", broken);
    expect(errors).toHaveLength(2);
    expect(errors.join("\n")).toMatch(/models/);
    expect(errors.join("\n")).toMatch(/baseUrl/);
  });
});
