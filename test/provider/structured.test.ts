import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkAnswer, correctionMessage, parseJsonAnswer } from "../../src/agent/output.ts";
import { requestDigest } from "../../src/provider/cassette.ts";
import { requestBody } from "../../src/provider/openai.ts";
import { qualifiesForStrict, structuredOutputFields, withStructuredOutput } from "../../src/provider/structured.ts";
import { ProviderError, type ChatRequest, type ModelTurn, type ProviderEvent } from "../../src/provider/types.ts";

const CLOSED = { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false };
const OPEN = { type: "object", properties: { a: { type: "string" } } };
const output = { name: "output", schema: CLOSED };

describe("the field each server setting sends", () => {
  it.each([
    ["response_format", { response_format: { type: "json_schema", json_schema: { name: "output", schema: CLOSED, strict: true } } }],
    ["json_schema", { json_schema: CLOSED }],
    ["guided_json", { guided_json: CLOSED }],
    ["none", {}],
  ] as const)("%s", (mode, fields) => {
    expect(structuredOutputFields(mode, output)).toEqual(fields);
  });

  it("sends nothing for a request without an output schema", () => {
    expect(structuredOutputFields("response_format", undefined)).toEqual({});
  });

  it("puts the field beside the streamed request's own, response_format unless told", () => {
    const signal = new AbortController().signal;
    expect(requestBody("m", { messages: [], signal, output })).toMatchObject({ model: "m", stream: true, response_format: { type: "json_schema" } });
    expect(requestBody("m", { messages: [], signal, output }, "guided_json")).toMatchObject({ guided_json: CLOSED });
    expect(requestBody("m", { messages: [], signal })).not.toHaveProperty("response_format");
  });
});

describe("strict mode only for a schema it can take as written", () => {
  it.each([
    ["every object closed and fully required", CLOSED, true],
    ["an object without additionalProperties: false", OPEN, false],
    ["a property left out of required", { ...CLOSED, properties: { a: { type: "string" }, b: { type: "number" } } }, false],
    ["a nested object left open", { ...CLOSED, properties: { a: { type: "object", properties: {} } } }, false],
    ["a nested object in array items, closed", { ...CLOSED, properties: { a: { type: "array", items: CLOSED } } }, true],
    ["a root that is not an object", { type: "array", items: CLOSED }, false],
  ])("%s", (_, schema, strict) => {
    expect(qualifiesForStrict(schema)).toBe(strict);
  });

  it("leaves the user's schema as written when it does not qualify", () => {
    expect(structuredOutputFields("response_format", { name: "output", schema: OPEN })).toEqual({
      response_format: { type: "json_schema", json_schema: { name: "output", schema: OPEN } },
    });
  });
});

describe("a server that refuses the field", () => {
  const turn: ModelTurn = { content: '{"a": "x"}', toolCalls: [], finishReason: "stop", usage: { input: 1, output: 1, cached: 0, estimated: false } };
  const signal = new AbortController().signal;

  it("gets the request again without it, and never again with it, said once", async () => {
    const seen: (ChatRequest["output"] | undefined)[] = [];
    const events: ProviderEvent[] = [];
    const complete = withStructuredOutput(async (request) => {
      seen.push(request.output);
      if (request.output) throw new ProviderError("400 Bad Request from http://x/v1: Unrecognized request argument supplied: response_format", 400);
      return turn;
    }, { mode: "response_format", onEvent: (event) => events.push(event) });
    await complete({ messages: [], signal, output });
    await complete({ messages: [], signal, output });
    expect(seen).toEqual([output, undefined, undefined]);
    expect(events).toEqual([{ type: "structured_output", mode: "none", reason: expect.stringContaining("the server refused response_format json_schema") }]);
  });

  it("passes any other failure on", async () => {
    const complete = withStructuredOutput(async () => {
      throw new ProviderError("500 Internal Server Error from http://x/v1: boom", 500);
    }, { mode: "response_format" });
    await expect(complete({ messages: [], signal, output })).rejects.toThrow("boom");
  });
});

describe("record and replay", () => {
  it("digests a request without an output schema as before, and one with it differently", () => {
    const request = { messages: [{ role: "user" as const, content: "hi" }], tools: [] };
    // The digest of this request before output schemas existed: cassettes recorded then still replay.
    const before = createHash("sha256").update('{"messages":[{"content":"hi","role":"user"}],"model":"m","tools":[]}').digest("hex");
    expect(requestDigest("m", request)).toBe(before);
    expect(requestDigest("m", { ...request, output })).not.toBe(requestDigest("m", request));
  });
});

describe("reading and checking an answer", () => {
  it.each([
    ["bare JSON", '{"a": "x"}'],
    ["a code fence in prose", 'Here it is:\n```json\n{"a": "x"}\n```\nDone.'],
    ["prose around the value", 'The answer is {"a": "x"}.'],
  ])("finds the value in %s", (_, text) => {
    expect(parseJsonAnswer(text)).toEqual({ ok: true, value: { a: "x" } });
  });

  it("says what is wrong, one line per error with its place", () => {
    const schema = { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } } }, required: ["items", "total"] };
    expect(checkAnswer('{"items": [{"name": 1}, {}]}', schema)).toEqual({
      ok: false,
      errors: ["(root): must have required property 'total'", "/items/0/name: must be string", "/items/1: must have required property 'name'"],
    });
    expect(checkAnswer("", schema)).toEqual({ ok: false, errors: ["the reply is empty; expected one JSON value"] });
    expect(checkAnswer("no JSON here", schema)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^the reply is not valid JSON/)] });
  });

  it("asks for the correction with the errors and the tries left", () => {
    expect(correctionMessage(["/a: must be string"], 1)).toBe(
      "That answer is not valid against the schema:\n- /a: must be string\n\nReply with only the corrected JSON value (1 more try).",
    );
  });
});
