import { calcPrice } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { isContextOverflow, resolveContextLimits, windowFromError } from "../../src/provider/context-window.ts";
import { ProviderError } from "../../src/provider/types.ts";
import type { ProviderConfig } from "../../src/provider/types.ts";

const local: ProviderConfig = { name: "local", baseUrl: "http://127.0.0.1:8080/v1", models: [] };

describe("resolveContextLimits", () => {
  it.each<[string, ProviderConfig, string, { contextWindow: number; toolResultLimit: number }]>([
    ["contextWindows for the model first", { ...local, contextWindow: 8_192, contextWindows: { m: 16_384 } }, "m", { contextWindow: 16_384, toolResultLimit: 16_384 }],
    ["then contextWindow", { ...local, contextWindow: 8_192, contextWindows: { other: 16_384 } }, "m", { contextWindow: 8_192, toolResultLimit: 8_192 }],
    ["then the price table, for the URL's provider", { ...local, baseUrl: "https://api.openai.com/v1" }, "gpt-4o", { contextWindow: 128_000, toolResultLimit: 30_000 }],
    ["then the price table, without the vendor prefix", { ...local, baseUrl: "https://openrouter.ai/api/v1" }, "anthropic/claude-sonnet-4", { contextWindow: 200_000, toolResultLimit: 30_000 }],
    ["else 32,768", local, "qwen2.5-coder:14b", { contextWindow: 32_768, toolResultLimit: 30_000 }],
    ["toolResultLimit as configured", { ...local, contextWindow: 4_096, toolResultLimit: 50_000 }, "m", { contextWindow: 4_096, toolResultLimit: 50_000 }],
  ])("%s", (_behaviour, config, model, expected) => {
    expect(resolveContextLimits(config, model, calcPrice)).toEqual(expected);
  });
});

describe("isContextOverflow and windowFromError", () => {
  const error = (message: string, status?: number) => new ProviderError(`${status ?? ""} from http://h/v1: ${message}`, status);

  it.each<[string, number | undefined, boolean, number | undefined]>([
    ["This model's maximum context length is 8192 tokens. However, you requested 9000 tokens", 400, true, 8192],
    ["request (9000 tokens) exceeds the available context size (4,096 tokens), try increasing it", 400, true, 4096],
    ["prompt is too long: 210000 tokens > 200000 maximum", 400, true, undefined],
    ["Input validation error: too many tokens", 422, true, undefined],
    ["context_length_exceeded", 400, true, undefined],
    ["maximum context length exceeded", 500, false, undefined],
    ["tool call call_9 has no result", 400, false, undefined],
  ])("%s (%s) → %s, window %s", (message, status, overflow, window) => {
    expect(isContextOverflow(error(message, status))).toBe(overflow);
    expect(windowFromError(error(message, status))).toBe(window);
  });
});
