import { describe, expect, it } from "vitest";
import { substituteEnv, substituteEnvInString } from "../../src/config/env.ts";

const env = { KEY: "sk-123", HOST: "localhost", EMPTY: "" };

describe("substituteEnvInString", () => {
  it.each([
    ["$KEY", "sk-123"],
    ["${KEY}", "sk-123"],
    ["${MISSING:-fallback}", "fallback"],
    ["${KEY:-fallback}", "sk-123"],
    ["${EMPTY:-fallback}", "fallback"],
    ["${MISSING:-}", ""],
    ["$MISSING", ""],
    ["${MISSING}", ""],
    ["http://${HOST}:11434/v1", "http://localhost:11434/v1"],
    ["Bearer $KEY!", "Bearer sk-123!"],
    ["$lowercase stays", "$lowercase stays"],
    ["no variables", "no variables"],
  ])("%s becomes %j", (text, expected) => {
    expect(substituteEnvInString(text, env)).toBe(expected);
  });
});

describe("substituteEnv", () => {
  it("replaces strings at any depth and leaves other values alone", () => {
    const value = { apiKey: "$KEY", models: ["${HOST}-model"], headers: { "X-Key": "${KEY}" }, maxRetries: 3, on: true, none: null };
    expect(substituteEnv(value, env)).toEqual({
      apiKey: "sk-123",
      models: ["localhost-model"],
      headers: { "X-Key": "sk-123" },
      maxRetries: 3,
      on: true,
      none: null,
    });
  });
});
