import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { mcpCassetteFile, recordingMcpCassette, replayingMcpCassette } from "../../src/mcp/cassette.ts";
import { renderContent } from "../../src/mcp/content.ts";
import { LineBuffer } from "../../src/mcp/process-transport.ts";
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
    recorder.recordEffects("mcp__docs__search", ["denied by policy: mcp__docs__search wrote locked.txt (…); the change was undone"]);
    expect(readFileSync(file, "utf8")).not.toContain("s3cret");
    const replay = replayingMcpCassette(file, "/tmp/new-worktree");
    expect(replay.toolsOf("docs").map((tool) => tool.name)).toEqual(["search"]);
    expect(replay.nextCall("mcp__docs__search", { a: "/tmp/other/x", b: 1 })).toBeUndefined();
    expect(replay.nextCall("mcp__docs__search", { a: "/tmp/new-worktree/x", b: 1 })).toEqual({ status: "ok", output: "found in /tmp/new-worktree/x: [REDACTED]" });
    expect(replay.replayedEffects("mcp__docs__search")).toEqual(["denied by policy: mcp__docs__search wrote locked.txt (…); the change was undone"]);
    expect(replay.nextCall("mcp__docs__search", { a: "/tmp/new-worktree/x", b: 1 })).toBeUndefined();
    expect(replayingMcpCassette(join(file, "missing"), "/w").toolsOf("docs")).toEqual([]);
  });
});

describe("a stdio server's output as lines", () => {
  it("splits lines across and within chunks, with or without \\r", () => {
    const buffer = new LineBuffer(100);
    expect(buffer.append(Buffer.from('{"a":'))).toEqual([]);
    expect(buffer.append(Buffer.from('1}\r\n{"b":2}\nlog line\n{"c"'))).toEqual(['{"a":1}', '{"b":2}', "log line"]);
    expect(buffer.append(Buffer.from(":3}\n"))).toEqual(['{"c":3}']);
    expect(() => buffer.append(Buffer.alloc(101, 0x41))).toThrow(/longer than 100 bytes/);
    expect(buffer.append(Buffer.from("x\n"))).toEqual(["x"]);
  });

  it("joins a long line's chunks once, when it ends: linear in its size", () => {
    const buffer = new LineBuffer(32 * 1024 * 1024);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const concat = vi.spyOn(Buffer, "concat");
    try {
      for (let index = 0; index < 320; index++) expect(buffer.append(chunk)).toEqual([]);
      const [line] = buffer.append(Buffer.from("\n"));
      expect(line?.length).toBe(320 * 64 * 1024);
      expect(concat).toHaveBeenCalledTimes(1);
    } finally {
      concat.mockRestore();
    }
  });
});
