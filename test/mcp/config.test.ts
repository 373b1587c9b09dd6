import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMcpServers, parseMcpConfig, refuseRunnerCredentials, serverSecrets } from "../../src/mcp/config.ts";
import { exposedToolName, MAX_TOOL_NAME, writtenToolName } from "../../src/mcp/names.ts";
import { scratchDir } from "../helpers/temp.ts";

describe(".mcp.json", () => {
  it("reads stdio and http servers, fills $VAR and ignores keys it does not use", () => {
    const text = JSON.stringify({
      mcpServers: {
        docs: { command: "node", args: ["server.js", "$ROOT"], env: { TOKEN: "${DOCS_TOKEN:-none}" }, alwaysAllow: ["search"], description: "d" },
        remote: { transport: "http", url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer $KEY" }, timeout: 5000 },
        off: { command: "x", enabled: false },
      },
    }, null, 2);
    const servers = parseMcpConfig(text, ".mcp.json", { ROOT: "/r", KEY: "k" });
    expect(servers.get("docs")).toEqual({ name: "docs", source: ".mcp.json:3:5", timeoutMs: 60_000, transport: "stdio", command: "node", args: ["server.js", "/r"], env: { TOKEN: "none" } });
    expect(servers.get("remote")).toMatchObject({ transport: "http", url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer k" }, timeoutMs: 5000 });
    expect(servers.get("off")).toBe("disabled");
    const configured = [...servers.values()].filter((server) => server !== "disabled");
    expect(serverSecrets(configured)).toEqual(["none", "Bearer k", "k"]);
  });

  it("names file:line:col for a broken entry", () => {
    const text = '{\n  "mcpServers": {\n    "a": { "transport": "http" },\n    "b": { "command": 3 }\n  }\n}\n';
    expect(() => parseMcpConfig(text, ".mcp.json", {})).toThrow(/\.mcp\.json:3:10: .*an http server needs a url[\s\S]*\.mcp\.json:4:12: mcpServers\.b\.command: expected a string/);
    expect(() => parseMcpConfig("{ oops", ".mcp.json", {})).toThrow(/\.mcp\.json:1:\d+/);
  });

  it("never hands a server the runner's own credentials: not by $VAR anywhere, nor by value", () => {
    const env = { OPENAI_API_KEY: "sk-runner-0123456789", GITHUB_TOKEN: "ghp_runner_abcdefgh", DOCS_TOKEN: "docs-token-1" };
    const text = JSON.stringify({
      mcpServers: {
        a: { command: "node", args: ["$OPENAI_API_KEY"], env: { SMUGGLED: "$OPENAI_API_KEY", OK: "$DOCS_TOKEN" } },
        b: { url: "http://127.0.0.1:9/mcp?k=${OPENAI_API_KEY}", headers: { X: "$GITHUB_TOKEN" } },
        c: { command: "node", env: { PASTED: "sk-runner-0123456789" } },
      },
    }, null, 2);
    let message = "";
    try {
      parseMcpConfig(text, ".mcp.json", env);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message.split("\n")).toEqual([
      expect.stringMatching(/^\.mcp\.json:6:9: mcpServers\.a\.args\.0: refers to \$OPENAI_API_KEY, one of the runner's own credentials, which no MCP server is given\. Fix: /),
      expect.stringMatching(/^\.mcp\.json:9:21: mcpServers\.a\.env\.SMUGGLED: refers to \$OPENAI_API_KEY/),
      expect.stringMatching(/^\.mcp\.json:14:14: mcpServers\.b\.url: refers to \$OPENAI_API_KEY/),
      expect.stringMatching(/^\.mcp\.json:16:14: mcpServers\.b\.headers\.X: refers to \$GITHUB_TOKEN/),
      expect.stringMatching(/^\.mcp\.json:22:19: mcpServers\.c\.env\.PASTED: holds the value of OPENAI_API_KEY/),
    ]);
    const docs = parseMcpConfig(JSON.stringify({ mcpServers: { d: { command: "node", env: { OK: "$DOCS_TOKEN" } } } }), ".mcp.json", env).get("d");
    if (docs === undefined || docs === "disabled") throw new Error("no server d");
    expect(() => refuseRunnerCredentials(docs, { OK: "docs-token-1" }, env)).not.toThrow();
    expect(() => refuseRunnerCredentials(docs, { SMUGGLED: "ghp_runner_abcdefgh" }, env)).toThrow(/MCP server "d" \(\.mcp\.json:1:\d+\) was not started: its variable SMUGGLED holds the value of GITHUB_TOKEN/);
  });

  it("refuses server names with \"__\" or a final \"_\", which would let a glob reach another server's tools", () => {
    const text = '{\n  "mcpServers": {\n    "h__b": { "command": "x" },\n    "h_": { "command": "x" },\n    "h_b": { "command": "x" }\n  }\n}\n';
    expect(() => parseMcpConfig(text, ".mcp.json", {})).toThrow(/\.mcp\.json:3:5: .*without "__"[\s\S]*\.mcp\.json:4:5: /);
    expect(parseMcpConfig('{"mcpServers": {"h_b": {"command": "x"}, "a-": {"command": "x"}}}', ".mcp.json", {}).size).toBe(2);
  });

  it("merges the project's file over the config folder's by name; enabled: false in either turns a server off", async () => {
    const root = scratchDir("nanocoder-mcp-config-");
    const configDir = join(root, "config");
    mkdirSync(configDir);
    writeFileSync(join(root, ".mcp.json"), JSON.stringify({ mcpServers: { docs: { command: "project-docs" }, gone: { command: "x", enabled: false }, turnedOff: { command: "t" } } }));
    writeFileSync(join(configDir, ".mcp.json"), JSON.stringify({ mcpServers: { docs: { command: "global-docs" }, memory: { command: "mem" }, gone: { command: "y" }, turnedOff: { command: "t", enabled: false } } }));
    const servers = await loadMcpServers({ projectRoot: root, home: root, env: { NANOCODER_CONFIG_DIR: configDir } });
    expect(servers.map((server) => [server.name, server.transport === "stdio" ? server.command : ""])).toEqual([["docs", "project-docs"], ["memory", "mem"]]);
  });
});

describe("MCP tool names", () => {
  it("are mcp__<server>__<tool>, kept when providers take them", () => {
    expect(exposedToolName("everything", "get-sum")).toBe("mcp__everything__get-sum");
  });

  it("replace refused characters and cut long names, with a stable hash", () => {
    const dotted = exposedToolName("fs", "read.file");
    expect(dotted).toMatch(/^mcp__fs__read_file_[0-9a-f]{6}$/);
    expect(exposedToolName("fs", "read.file")).toBe(dotted);
    expect(exposedToolName("fs", "read_file")).toBe("mcp__fs__read_file");
    const long = exposedToolName("server", "x".repeat(100));
    expect(long.length).toBe(MAX_TOOL_NAME);
    expect(long).toMatch(/^[A-Za-z0-9_-]+$/);
    // The name as written stays known, for the policy's rules, only where it differs.
    expect(writtenToolName("server", "x".repeat(100))).toBe(`mcp__server__${"x".repeat(100)}`);
    expect(writtenToolName("fs", "read.file")).toBe("mcp__fs__read.file");
    expect(writtenToolName("fs", "read_file")).toBeUndefined();
  });

  it("are the same whatever other tools there are", () => {
    expect(exposedToolName("a", "b.c")).toBe(exposedToolName("a", "b.c"));
    expect(exposedToolName("a", "b")).toBe("mcp__a__b");
  });
});
