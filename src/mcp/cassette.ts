/**
 * Record and replay of MCP servers, beside the model's cassette: `<dir>/<task-id>.mcp.jsonl` holds each
 * server's tools and each call's result as the model saw it. A replay starts no server: the tools and
 * results come from the file, so a replayed task needs neither the servers nor their network.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { WORKSPACE_PLACEHOLDER, workspaceSpellings } from "../provider/cassette.ts";
import { stringifyRedacted, type Redact } from "../report/redact.ts";

const recordedToolSchema = z.object({ name: z.string(), description: z.string(), inputSchema: z.unknown() });
export type RecordedTool = z.output<typeof recordedToolSchema>;

const entrySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("server"), server: z.string(), tools: z.array(recordedToolSchema) }),
  z.object({ type: z.literal("call"), tool: z.string(), arguments: z.string(), status: z.enum(["ok", "error"]), output: z.string() }),
  // What the effect check refused of the call's writes and undid (its lines for the model), after the call.
  z.object({ type: z.literal("effects"), tool: z.string(), refused: z.array(z.string()) }),
]);
type Entry = z.output<typeof entrySchema>;

export interface McpCassette {
  replaying: boolean;
  toolsOf(server: string): RecordedTool[];
  nextCall(tool: string, args: unknown): { status: "ok" | "error"; output: string } | undefined;
  /** The effect check's verdict on the call `nextCall` last served: the lines of the writes it refused. */
  replayedEffects(tool: string): string[];
  recordTools(server: string, tools: RecordedTool[]): void;
  recordCall(tool: string, args: unknown, status: "ok" | "error", output: string): void;
  recordEffects(tool: string, refused: string[]): void;
}

export function mcpCassetteFile(dir: string, taskId: string): string {
  return join(dir, `${taskId}.mcp.jsonl`);
}

/**
 * Appends to `file`, which starts empty. Written synchronously: a line is there even when the run is killed
 * right after. The task's worktree is written as the model cassette's placeholder: a replay works in another.
 */
export function recordingMcpCassette(file: string, redact: Redact, workspace: string): McpCassette {
  const spellings = workspaceSpellings(workspace);
  const placeheld = (text: string) => spellings.reduce((result, path) => result.replaceAll(path, WORKSPACE_PLACEHOLDER), text);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, "");
  const append = (entry: Entry) => appendFileSync(file, `${stringifyRedacted(entry, redact)}\n`);
  return {
    replaying: false,
    toolsOf: () => [],
    nextCall: () => undefined,
    replayedEffects: () => [],
    recordTools: (server, tools) => append({ type: "server", server, tools }),
    recordCall: (tool, args, status, output) => append({ type: "call", tool, arguments: placeheld(canonicalArguments(args)), status, output: placeheld(output) }),
    recordEffects: (tool, refused) => {
      if (refused.length > 0) append({ type: "effects", tool, refused: refused.map(placeheld) });
    },
  };
}

/** Serves what `file` recorded; a missing file is a recording without servers. Calls are served in order and must match. */
export function replayingMcpCassette(file: string, workspace: string): McpCassette {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // No servers were recorded for this task.
  }
  const entries = text.split("\n").filter((line) => line.trim() !== "").map((line, index) => {
    const parsed = entrySchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${index + 1}:1: invalid MCP recording line`);
    return parsed.data;
  });
  // Each call with the effect check's verdict recorded right after it, if any.
  const calls = entries.flatMap((entry, index) => {
    if (entry.type !== "call") return [];
    const after = entries[index + 1];
    return [{ ...entry, refused: after?.type === "effects" && after.tool === entry.tool ? after.refused : [] }];
  });
  let next = 0;
  return {
    replaying: true,
    toolsOf: (server) => entries.flatMap((entry) => (entry.type === "server" && entry.server === server ? entry.tools : [])),
    nextCall(tool, args) {
      const call = calls[next];
      const inWorkspace = (text: string) => text.replaceAll(WORKSPACE_PLACEHOLDER, workspace);
      if (!call || call.tool !== tool || inWorkspace(call.arguments) !== canonicalArguments(args)) return undefined;
      next++;
      return { status: call.status, output: inWorkspace(call.output) };
    },
    replayedEffects(tool) {
      const call = calls[next - 1];
      return call && call.tool === tool ? call.refused.map((line) => line.replaceAll(WORKSPACE_PLACEHOLDER, workspace)) : [];
    },
    recordTools: () => undefined,
    recordCall: () => undefined,
    recordEffects: () => undefined,
  };
}

/** Arguments as JSON with sorted keys, so that key order never makes a replay differ. */
function canonicalArguments(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, item]) => [key, sortKeys(item)]));
  }
  return value;
}
