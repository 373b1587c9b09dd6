import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mcpCassetteFile, recordingMcpCassette, replayingMcpCassette } from "../../src/mcp/cassette.ts";
import { renderContent } from "../../src/mcp/content.ts";
import { toolInputSchema } from "../../src/mcp/schema.ts";
import { scratchDir } from "../helpers/temp.ts";

describe("MCP results as text for the model", () => {
  it("keeps text and describes what is not text", () => {
    const text = renderContent([
      { type: "text", text: "hello" },
      { type: "image", mimeType: "image/png", data: "AAAA" },
      { type: "audio", mimeType: "audio/wav", data: "AAAAAA==" },
      { type: "resource_link", uri: "file:///a.txt", name: "a" },
      { type: "resource", resource: { uri: "file:///b.txt", text: "b's text" } },
      { type: "resource", resource: { uri: "file:///c.bin", mimeType: "application/octet-stream", blob: "AAAA" } },
      { type: "video" },
    ], undefined);
    expect(text.split("\n")).toEqual([
      "hello",
      "[image image/png, 3 bytes, not shown: the model is given text only]",
      "[audio audio/wav, 4 bytes, not shown: the model is given text only]",
      "[resource link file:///a.txt (a)]",
      "[resource file:///b.txt]",
      "b's text",
      "[resource file:///c.bin, application/octet-stream, 3 bytes of binary data, not shown]",
      "[content of type video, not shown]",
    ]);
  });

  it("shows structured content when there is nothing else, and says when there is nothing", () => {
    expect(renderContent([], { sum: 5 })).toBe('{\n  "sum": 5\n}');
    expect(renderContent([], undefined)).toBe("(no content)");
  });
});

describe("input schemas as providers take them", () => {
  it("adds what providers require and drops $schema", () => {
    const result = toolInputSchema({ $schema: "http://json-schema.org/draft-07/schema#", required: ["a"] });
    expect(result).toMatchObject({ ok: true, schema: { type: "object", properties: {}, required: ["a"] } });
    if (result.ok) expect(result.validate({})).toEqual(["(arguments): must have required property 'a'"]);
  });

  it("leaves regular expressions to the server: a catastrophic pattern is never run", () => {
    const result = toolInputSchema({
      type: "object",
      properties: { pattern: { type: "string", pattern: "^(a|a)*$" }, list: { type: "array", items: { type: "string", pattern: "^(a|a)*$" } } },
      patternProperties: { "^(x|x)*$": { type: "number" } },
      additionalProperties: false,
      required: ["pattern"],
    });
    expect(result).toMatchObject({ ok: true, schema: { properties: { pattern: { pattern: "^(a|a)*$" } } } });
    if (!result.ok) return;
    expect(result.validate({ pattern: "aab", list: ["aab"], xxy: 1 })).toEqual([]);
    expect(result.validate({ list: [3] })).toEqual(["(arguments): must have required property 'pattern'", "/list/0: must be string"]);
  });

  it("refuses schemas that are no object schema or do not compile", () => {
    expect(toolInputSchema({ type: "string" })).toMatchObject({ ok: false, why: expect.stringContaining('type "string"') });
    expect(toolInputSchema([])).toMatchObject({ ok: false });
    expect(toolInputSchema({ type: "object", properties: { a: { type: "no-such-type" } } })).toMatchObject({ ok: false, why: expect.stringContaining("does not compile") });
  });
});

describe("MCP cassettes", () => {
  it("replay what was recorded, in order, with the worktree's path moved to the new one", () => {
    const file = mcpCassetteFile(scratchDir("nanocoder-mcp-cassette-"), "t");
    const recorder = recordingMcpCassette(file, (text) => text.replaceAll("s3cret", "[REDACTED]"), "/tmp/old-worktree");
    recorder.recordTools("docs", [{ name: "search", description: "d", inputSchema: { type: "object" } }]);
    recorder.recordCall("mcp__docs__search", { b: 1, a: "/tmp/old-worktree/x" }, "ok", "found in /tmp/old-worktree/x: s3cret");
    expect(readFileSync(file, "utf8")).not.toContain("s3cret");
    const replay = replayingMcpCassette(file, "/tmp/new-worktree");
    expect(replay.toolsOf("docs").map((tool) => tool.name)).toEqual(["search"]);
    expect(replay.nextCall("mcp__docs__search", { a: "/tmp/other/x", b: 1 })).toBeUndefined();
    expect(replay.nextCall("mcp__docs__search", { a: "/tmp/new-worktree/x", b: 1 })).toEqual({ status: "ok", output: "found in /tmp/new-worktree/x: [REDACTED]" });
    expect(replay.nextCall("mcp__docs__search", { a: "/tmp/new-worktree/x", b: 1 })).toBeUndefined();
    expect(replayingMcpCassette(join(file, "missing"), "/w").toolsOf("docs")).toEqual([]);
  });
});
