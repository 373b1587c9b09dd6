import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { z } from "zod";
import type { Redact } from "../report/redact.ts";
import { defineTool, ToolError, type ToolDefinition, type WrapCommand } from "../tools/types.ts";
import type { McpCassette, RecordedTool } from "./cassette.ts";
import type { McpServerConfig } from "./config.ts";
import { renderContent } from "./content.ts";
import { McpStartFailed } from "./errors.ts";
import { exposedToolName, writtenToolName } from "./names.ts";
import { MAX_MESSAGE_BYTES, ProcessTransport } from "./process-transport.ts";
import { toolInputSchema } from "./schema.ts";

const CLIENT_INFO = { name: "nanocoder-batch", version: "1" };
/** Servers that list more tools than this are cut (their schemas would fill the prompt). */
const MAX_TOOLS_PER_SERVER = 100;

export { McpStartFailed };

/** What a server needs from the run to start: its process wrapper (the sandbox) and environment. */
export interface ServerLaunch {
  /** The sandbox for this server's process (its network), or undefined to run it as it is. */
  wrap?: WrapCommand | undefined;
  env: Record<string, string>;
}

export interface StartOptions {
  /** The task's worktree: a stdio server's folder. */
  workspace: string;
  launch(server: McpServerConfig & { transport: "stdio" }): Promise<ServerLaunch>;
  /** Names the tools may not take: the built-in tools'. */
  taken: readonly string[];
  redact: Redact;
  signal: AbortSignal;
  /** Record each server's tools and each call's result; or serve them from a recording, starting nothing. */
  cassette?: McpCassette | undefined;
  /** A server started (or was served from a recording), with its tools and what was left out. */
  onStarted?(started: StartedServer): void;
}

export interface StartedServer {
  server: string;
  transport: "stdio" | "http";
  tools: Pick<ToolDefinition, "name" | "writtenAs">[];
  skipped: { tool: string; why: string }[];
  duration_ms: number;
  replayed: boolean;
}

export interface McpSession {
  tools: ToolDefinition[];
  /** Ends every server: process groups killed, HTTP sessions closed. Never throws. */
  close(): Promise<void>;
}

const listSchema = z.looseObject({ tools: z.array(z.unknown()), nextCursor: z.string().optional() });
const listedToolSchema = z.looseObject({ name: z.string().min(1), description: z.string().optional(), inputSchema: z.unknown() });
const callResultSchema = z.looseObject({ content: z.array(z.unknown()).default([]), structuredContent: z.unknown().optional(), isError: z.boolean().optional() });

/**
 * Starts the servers (or replays them), lists their tools and adapts each to a ToolDefinition that every
 * call passes through the usual gate with. A server that does not start throws McpStartFailed, after the
 * ones already started are stopped.
 */
export async function startMcpSession(servers: readonly McpServerConfig[], options: StartOptions): Promise<McpSession> {
  const connections: Connection[] = [];
  const close = async () => {
    await Promise.all(connections.map((connection) => connection.close()));
  };
  const taken = new Set(options.taken);
  const tools: ToolDefinition[] = [];
  const replayed = options.cassette?.replaying === true;
  const started = Date.now();
  // All servers start at once (each mostly waits for its own start-up); their tools are taken in the
  // order of .mcp.json, so the tool list, and a replay's request, is the same every run.
  const connecting = await Promise.allSettled(servers.map((server) => (replayed ? Promise.resolve(undefined) : connect(server, options))));
  for (const outcome of connecting) if (outcome.status === "fulfilled" && outcome.value) connections.push(outcome.value);
  try {
    const failed = connecting.find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
    for (const [index, server] of servers.entries()) {
      options.signal.throwIfAborted();
      const outcome = connecting[index];
      const connection = outcome?.status === "fulfilled" ? outcome.value : undefined;
      const listed = connection ? await connection.listTools() : (options.cassette?.toolsOf(server.name) ?? []);
      if (connection) options.cassette?.recordTools(server.name, listed);
      const skipped: StartedServer["skipped"] = [];
      const offered: StartedServer["tools"] = [];
      for (const tool of listed.slice(0, MAX_TOOLS_PER_SERVER)) {
        const adapted = adaptTool(server, tool, taken, connection, options);
        if ("why" in adapted) {
          skipped.push({ tool: tool.name, why: adapted.why });
          continue;
        }
        taken.add(adapted.name);
        offered.push(adapted);
        tools.push(adapted);
      }
      if (listed.length > MAX_TOOLS_PER_SERVER) skipped.push({ tool: `${listed.length - MAX_TOOLS_PER_SERVER} more`, why: `only the first ${MAX_TOOLS_PER_SERVER} tools of a server are offered` });
      options.onStarted?.({ server: server.name, transport: server.transport, tools: offered, skipped, duration_ms: Date.now() - started, replayed });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { tools, close };
}

interface Connection {
  listTools(): Promise<RecordedTool[]>;
  call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<{ text: string; isError: boolean }>;
  close(): Promise<void>;
}

async function connect(server: McpServerConfig, options: StartOptions): Promise<Connection> {
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  let transport: Transport;
  let processTransport: ProcessTransport | undefined;
  let httpTransport: StreamableHTTPClientTransport | undefined;
  // A response larger than the cap aborts the requests waiting then (the SDK reads an SSE stream apart from
  // its request, so the request alone would wait for its timeout); later requests get a fresh signal.
  let oversize = new AbortController();
  const tooLarge = (message: string) => {
    const current = oversize;
    oversize = new AbortController();
    current.abort(`the MCP server "${server.name}" ${message}`);
  };
  if (server.transport === "stdio") {
    const launch = await options.launch(server);
    const plain = { file: server.command, args: server.args, env: launch.env };
    const spec = launch.wrap ? launch.wrap(plain) : plain;
    processTransport = new ProcessTransport({ ...spec, cwd: options.workspace });
    transport = processTransport;
  } else {
    httpTransport = new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: server.headers },
      fetch: onlyAt(server.url, MAX_MESSAGE_BYTES, tooLarge),
      redirectPolicy: "same-origin",
    });
    transport = httpTransport;
  }
  const where = () => describeEnd(processTransport);
  const requestOptions = (signal?: AbortSignal) => ({ timeout: server.timeoutMs, signal: AbortSignal.any([...(signal ? [signal] : []), options.signal, oversize.signal]) });
  try {
    await client.connect(transport, requestOptions());
  } catch (error) {
    await client.close().catch(() => undefined);
    await processTransport?.close();
    throw new McpStartFailed(`MCP server "${server.name}" (${server.source}) did not start: ${reasonOf(error)}${where()}`);
  }
  return {
    async listTools() {
      const tools: RecordedTool[] = [];
      let cursor: string | undefined;
      try {
        do {
          const page = await client.request({ method: "tools/list", params: cursor ? { cursor } : {} }, listSchema, requestOptions());
          for (const raw of page.tools) {
            const tool = listedToolSchema.safeParse(raw);
            if (tool.success) tools.push({ name: tool.data.name, description: tool.data.description ?? "", inputSchema: tool.data.inputSchema });
          }
          cursor = page.nextCursor;
        } while (cursor !== undefined && tools.length <= MAX_TOOLS_PER_SERVER);
      } catch (error) {
        await client.close().catch(() => undefined);
        await processTransport?.close();
        throw new McpStartFailed(`MCP server "${server.name}" (${server.source}) did not list its tools: ${reasonOf(error)}${where()}`);
      }
      return tools;
    },
    async call(tool, args, signal) {
      if (processTransport?.exitStatus !== undefined) throw new ToolError(`the MCP server "${server.name}" is not running: it ${processTransport.exitStatus}${where()}. Its tools cannot be used in this task.`);
      try {
        const result = await client.request({ method: "tools/call", params: { name: tool, arguments: args } }, callResultSchema, requestOptions(signal));
        return { text: renderContent(result.content, result.structuredContent), isError: result.isError === true };
      } catch (error) {
        if (signal.aborted || options.signal.aborted) throw error;
        throw new ToolError(`the MCP server "${server.name}" gave no result for ${tool}: ${reasonOf(error)}${where()}`);
      }
    },
    async close() {
      // A server that keeps sessions is told this one is over (one that keeps none answers 405).
      if (httpTransport?.sessionId !== undefined) await within(httpTransport.terminateSession(), 2_000).catch(() => undefined);
      await client.close().catch(() => undefined);
      await processTransport?.close();
    },
  };
}

function adaptTool(
  server: McpServerConfig, tool: RecordedTool, taken: ReadonlySet<string>, connection: Connection | undefined, options: StartOptions,
): ToolDefinition | { why: string } {
  const schema = toolInputSchema(tool.inputSchema);
  if (!schema.ok) return { why: schema.why };
  const name = exposedToolName(server.name, tool.name);
  const writtenAs = writtenToolName(server.name, tool.name);
  if (taken.has(name)) return { why: `its name ${name} is another tool's already (tool names are told apart only by letters, digits, "_" and "-")` };
  const parameters = z.record(z.string(), z.unknown()).superRefine((args, context) => {
    for (const message of schema.validate(args)) context.addIssue({ code: "custom", message });
  });
  const description = `${tool.description.trim() || `Tool ${tool.name}`} (MCP server "${server.name}", tool "${tool.name}")`;
  return defineTool({
    name,
    description: description.length > 1_024 ? `${description.slice(0, 1_021)}...` : description,
    parameters,
    inputSchema: schema.schema,
    mcp: { server: server.name, tool: tool.name },
    ...(writtenAs === undefined ? {} : { writtenAs }),
    accesses: (args) => [{ kind: "tool", name, ...(writtenAs === undefined ? {} : { writtenAs }), arguments: args }],
    async effects(check) {
      const refused = await check();
      // A replay starts no server, so nothing is written: the recorded verdict is the call's.
      if (!connection) return [...(options.cassette?.replayedEffects(name) ?? []), ...refused];
      options.cassette?.recordEffects(name, refused);
      return refused;
    },
    async execute(args, context) {
      const cassette = options.cassette;
      if (!connection) {
        const recorded = cassette?.nextCall(name, args);
        if (!recorded) throw new ToolError(`no recorded result for ${name} with these arguments: the replay differs from the recording`);
        if (recorded.status === "error") throw new ToolError(recorded.output);
        return recorded.output;
      }
      let outcome: { text: string; isError: boolean };
      try {
        outcome = await connection.call(tool.name, args, context.signal);
      } catch (error) {
        if (error instanceof ToolError) cassette?.recordCall(name, args, "error", options.redact(error.message));
        throw error;
      }
      const text = options.redact(outcome.isError ? `the tool reported an error: ${outcome.text}` : outcome.text);
      cassette?.recordCall(name, args, outcome.isError ? "error" : "ok", text);
      if (outcome.isError) throw new ToolError(text);
      return text;
    },
  });
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch that reaches only the server's own origin (the client never talks to anything else) and reads at
 * most `maxBytes` of each response body: a server streaming an endless event or a huge body would otherwise
 * fill the runner's memory. Past the cap the body fails and `tooLarge` is told. Exported for tests.
 */
export function onlyAt(url: string, maxBytes: number, tooLarge: (message: string) => void): (input: string | URL, init?: RequestInit) => Promise<Response> {
  const origin = new URL(url).origin;
  return async (input, init) => {
    const target = new URL(input.toString());
    if (target.origin !== origin) throw new Error(`refused to reach ${target.origin}: this server is reached only at ${origin}`);
    const response = await fetch(target, { ...init, redirect: "manual" });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new Error(`redirect to ${response.headers.get("location") ?? "(no location)"} refused: MCP HTTP servers are reached only at their configured URL`);
    }
    if (!response.body || NULL_BODY_STATUS.has(response.status)) return response;
    let seen = 0;
    const capped = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen <= maxBytes) return controller.enqueue(chunk);
        const message = `sent a response larger than ${maxBytes} bytes; it was cut off`;
        controller.error(new Error(message));
        tooLarge(message);
      },
    }));
    return new Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function describeEnd(transport: ProcessTransport | undefined): string {
  if (!transport) return "";
  const status = transport.exitStatus ? `; the server ${transport.exitStatus}` : "";
  const tail = transport.stderrTail;
  return `${status}${tail ? `; its stderr ends with:\n${tail.split("\n").slice(-20).join("\n")}` : ""}`;
}

/** `promise`, or a rejection once `ms` have passed: closing never waits long on a server. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function reasonOf(error: unknown): string {
  // An answer that does not fit the protocol: zod's message is a JSON dump of its issues.
  const issues = error instanceof Error && "issues" in error && Array.isArray(error.issues) ? (error.issues as unknown[]) : undefined;
  if (issues) return `its answer is not what MCP expects (${issues.slice(0, 3).map(describeIssue).join("; ")}${issues.length > 3 ? "; …" : ""})`;
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^MCP error -?\d+: /, "");
}

const issueSchema = z.looseObject({ path: z.array(z.unknown()).default([]), message: z.string().default("invalid") }).catch({ path: [], message: "invalid" });

function describeIssue(issue: unknown): string {
  const { path, message } = issueSchema.parse(issue);
  return `${path.length > 0 ? path.join(".") : "(answer)"}: ${message}`;
}
