import { describe, expect, it } from "vitest";
import { parseToolCalls, type ParsedReply } from "../../src/provider/text-tool-parser.ts";
import { isToolsRejection, textToolReason, toTextMessages, withToolCalling } from "../../src/provider/text-tools.ts";
import { ProviderError } from "../../src/provider/types.ts";
import type { ChatMessage, ChatRequest, ModelTurn, ProviderConfig, ProviderEvent, ToolSchema } from "../../src/provider/types.ts";

const TOOLS: ToolSchema[] = [
  { type: "function", function: { name: "read_file", description: "Read a file.", parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } } },
  { type: "function", function: { name: "list_directory", description: "List a folder.", parameters: { type: "object", properties: {} } } },
];

describe("parseToolCalls", () => {
  it.each<[string, string, ParsedReply]>([
    [
      "an XML-like block with prose around it",
      'I will read it.\n<tool_call name="read_file">{"path": "a.ts"}</tool_call>\nThen edit.',
      { content: "I will read it.\n\nThen edit.", calls: [{ name: "read_file", arguments: '{"path": "a.ts"}' }] },
    ],
    [
      "a fenced JSON object",
      'Reading:\n```json\n{"tool": "read_file", "arguments": {"path": "a.ts"}}\n```',
      { content: "Reading:", calls: [{ name: "read_file", arguments: '{"path":"a.ts"}' }] },
    ],
    [
      "a bare JSON object inside a sentence",
      'Let me look {"tool": "list_directory", "arguments": {}} first.',
      { content: "Let me look  first.", calls: [{ name: "list_directory", arguments: "{}" }] },
    ],
    [
      "several calls in both formats, in the order written",
      '<tool_call name="read_file">{"path": "a.ts"}</tool_call>\n{"tool": "read_file", "arguments": {"path": "b.ts"}}\n<tool_call name="list_directory"></tool_call>',
      {
        content: "",
        calls: [
          { name: "read_file", arguments: '{"path": "a.ts"}' },
          { name: "read_file", arguments: '{"path":"b.ts"}' },
          { name: "list_directory", arguments: "{}" },
        ],
      },
    ],
    [
      "the Hermes form, name and arguments inside the block, body fenced",
      '<tool_call>\n```json\n{"name": "read_file", "arguments": {"path": "a.ts"}}\n```\n</tool_call>',
      { content: "", calls: [{ name: "read_file", arguments: '{"path":"a.ts"}' }] },
    ],
    [
      "a block in a fence of its own, the fence going with it",
      'Listing.\n```xml\n<tool_call name="list_directory">{}</tool_call>\n```\nWaiting for it.',
      { content: "Listing.\n\nWaiting for it.", calls: [{ name: "list_directory", arguments: "{}" }] },
    ],
    [
      "a fenced array of calls, with `name` and `parameters`",
      '```\n[{"name": "read_file", "parameters": {"path": "a.ts"}}, {"tool": "list_directory"}]\n```',
      { content: "", calls: [{ name: "read_file", arguments: '{"path":"a.ts"}' }, { name: "list_directory", arguments: "{}" }] },
    ],
    [
      "a block with bad JSON: a call whose raw arguments the argument check will refuse",
      'Here: <tool_call name="read_file">{"path": a.ts}</tool_call>',
      { content: "Here:", calls: [{ name: "read_file", arguments: '{"path": a.ts}' }] },
    ],
    [
      "a block never closed",
      'Reading <tool_call name="read_file">{"path": "a.ts"}',
      { content: "Reading", calls: [{ name: "read_file", arguments: '{"path": "a.ts"}' }] },
    ],
    [
      "a broken fenced call",
      '```json\n{"tool": "read_file", "arguments": {"path": "a.ts"\n```',
      { content: "", calls: [{ name: "read_file", arguments: '{"tool": "read_file", "arguments": {"path": "a.ts"' }] },
    ],
    [
      "an unclosed bare call",
      'Go {"tool": "read_file", "arguments": {"path": "a.ts"}',
      { content: "Go", calls: [{ name: "read_file", arguments: '{"tool": "read_file", "arguments": {"path": "a.ts"}' }] },
    ],
    [
      "JSON that is no call: package.json in a fence, objects in code",
      'Done.\n```json\n{"name": "demo", "version": "1.0.0"}\n```\n```ts\nconst x = {"name": "n", "arguments": {}};\n```',
      { content: 'Done.\n```json\n{"name": "demo", "version": "1.0.0"}\n```\n```ts\nconst x = {"name": "n", "arguments": {}};\n```', calls: [] },
    ],
    [
      "calls inside <think> are thoughts, not calls",
      '<think>maybe <tool_call name="read_file">{"path": "x"}</tool_call></think>All done.',
      { content: '<think>maybe <tool_call name="read_file">{"path": "x"}</tool_call></think>All done.', calls: [] },
    ],
  ])("%s", (_behaviour, text, expected) => {
    expect(parseToolCalls(text)).toEqual(expected);
  });
});

describe("toTextMessages", () => {
  const history: ChatMessage[] = [
    { role: "system", content: "You are a coding agent." },
    { role: "user", content: "Fix a.ts." },
    {
      role: "assistant",
      content: "Reading both.",
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "read_file", arguments: '{"path":"a.ts"}' } },
        { id: "call_2", type: "function", function: { name: "list_directory", arguments: "" } },
      ],
    },
    { role: "tool", tool_call_id: "call_1", content: "1: const a = 1;" },
    { role: "tool", tool_call_id: "call_2", content: "a.ts" },
    { role: "user", content: "This is your last turn." },
  ];

  it("sends calls as assistant text and results as one user message, without tool roles", () => {
    const messages = toTextMessages(history, TOOLS);
    expect(messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(messages.some((message) => "tool_calls" in message)).toBe(false);
    expect(messages[2]?.content).toBe('Reading both.\n\n<tool_call name="read_file">{"path":"a.ts"}</tool_call>\n\n<tool_call name="list_directory">{}</tool_call>');
    expect(messages[3]?.content).toBe("Result of read_file (call_1):\n1: const a = 1;\n\nResult of list_directory (call_2):\na.ts\n\nThis is your last turn.");
  });

  it("describes the tools and the call format in the system prompt, only when tools are offered", () => {
    const system = String(toTextMessages(history, TOOLS)[0]?.content);
    expect(system.startsWith("You are a coding agent.\n\n# Tools")).toBe(true);
    expect(system).toContain('<tool_call name="TOOL_NAME">{"parameter": "value"}</tool_call>');
    expect(system).toContain('## read_file\nRead a file.\nParameters (JSON Schema): {"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}');
    expect(toTextMessages(history, undefined)[0]?.content).toBe("You are a coding agent.");
  });
});

describe("withToolCalling", () => {
  const turn = (content: string): ModelTurn => ({ content, toolCalls: [], finishReason: "stop", usage: { input: 1, output: 1, cached: 0, estimated: false } });
  const request = (tools: ToolSchema[] | undefined): ChatRequest => ({ messages: [{ role: "user", content: "go" }], tools, signal: new AbortController().signal });

  it("in text mode sends no tools and gives parsed calls ids unique in the task", async () => {
    const sent: ChatRequest[] = [];
    const events: ProviderEvent[] = [];
    const complete = withToolCalling(
      (req) => (sent.push(req), Promise.resolve(turn('Reading.\n<tool_call name="read_file">{"path": "a.ts"}</tool_call>'))),
      { textReason: "configured", onEvent: (event) => events.push(event) },
    );
    const first = await complete(request(TOOLS));
    const second = await complete(request(TOOLS));
    expect(first).toMatchObject({ content: "Reading.", finishReason: "tool_calls", toolCalls: [{ id: "call_1", name: "read_file", arguments: '{"path": "a.ts"}' }] });
    expect(second.toolCalls.map((call) => call.id)).toEqual(["call_2"]);
    expect(sent.every((req) => req.tools === undefined)).toBe(true);
    expect(events).toEqual([{ type: "tool_calling", mode: "text", reason: "configured" }]);
    // The last turn offers no tools: the reply is the answer, whatever it contains.
    expect((await complete(request(undefined))).toolCalls).toEqual([]);
  });

  it("switches to text for good when the server refuses tools, and sends the refused request again", async () => {
    const sent: ChatRequest[] = [];
    const events: ProviderEvent[] = [];
    const refusal = new ProviderError("400 Bad Request from http://h/v1: registry.ollama.ai/library/gemma:2b does not support tools", 400);
    const complete = withToolCalling(
      (req) => (sent.push(req), req.tools ? Promise.reject(refusal) : Promise.resolve(turn('{"tool": "list_directory", "arguments": {}}'))),
      { textReason: undefined, onEvent: (event) => events.push(event) },
    );
    expect((await complete(request(TOOLS))).toolCalls).toEqual([{ id: "call_1", name: "list_directory", arguments: "{}" }]);
    await complete(request(TOOLS));
    expect(sent.map((req) => req.tools !== undefined)).toEqual([true, false, false]);
    expect(events).toEqual([{ type: "tool_calling", mode: "text", reason: `the server refused native tool calls (${refusal.message})` }]);
  });

  it("passes other failures through", async () => {
    const failure = new ProviderError("400 Bad Request from http://h/v1: tool call call_9 has no result", 400);
    const complete = withToolCalling(() => Promise.reject(failure), { textReason: undefined });
    await expect(complete(request(TOOLS))).rejects.toBe(failure);
  });
});

describe("isToolsRejection", () => {
  it.each([
    ["registry.ollama.ai/library/gemma:2b does not support tools", 400, true],
    ['"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', 400, true],
    ["tools param requires --jinja flag", 500, true],
    ["No endpoints found that support tool use", 404, true],
    ["Unsupported parameter: 'tools' is not supported with this model.", 400, true],
    ["This model does not support function calling", 400, true],
    ["tool call call_9 has no result", 400, false],
    ["This model's maximum context length is 8192 tokens", 400, false],
    ["maximum context length is 8192 tokens, of which 'tools' take 3000", 400, false],
  ])("%s (%i) → %s", (message, status, expected) => {
    expect(isToolsRejection(new ProviderError(`${status} from http://h/v1: ${message}`, status))).toBe(expected);
  });

  it("is never a connection failure", () => {
    expect(isToolsRejection(new ProviderError("cannot connect to http://h/v1: does not support tools"))).toBe(false);
  });
});

describe("textToolReason", () => {
  const base: ProviderConfig = { name: "p", baseUrl: "http://h/v1", models: [] };
  it.each<[Partial<ProviderConfig>, string | undefined]>([
    [{}, undefined],
    [{ toolCalling: "text" }, 'the provider sets "toolCalling": "text"'],
    [{ disableTools: true }, 'the provider sets "disableTools": true'],
    [{ disableToolModels: ["gemma:2b"] }, 'the provider lists gemma:2b in "disableToolModels"'],
    [{ disableToolModels: ["other"] }, undefined],
    [{ toolCalling: "native", disableTools: true }, undefined],
  ])("%j → %s", (config, expected) => {
    expect(textToolReason({ ...base, ...config }, "gemma:2b")).toBe(expected);
  });
});
