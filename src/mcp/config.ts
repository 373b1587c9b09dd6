/**
 * MCP servers as a nanocoder user configures them: `.mcp.json` in the project, then the one in the config
 * folder, merged by server name (the project's entry wins). `$VAR` references are filled as in
 * agents.config.json; keys this tool does not use (nanocoder's `alwaysAllow`, `description`, `tags`) are
 * ignored: the policy, not the server's entry, decides every call.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { substituteEnv, variablesIn, type Env } from "../config/env.ts";
import { isRunnerSecret, looksLikeSecret } from "../shared/secret-names.ts";
import { UserError, UserErrors } from "../shared/errors.ts";
import { readUserFile } from "../shared/user-file.ts";
import { parseJsonDocument, positionOf, validateYaml, type YamlSource } from "../shared/yaml-source.ts";
import { McpStartFailed } from "./errors.ts";

export const MCP_CONFIG_NAME = ".mcp.json";
/** A call or start-up without `timeout` in its entry is given up after this long. */
export const DEFAULT_MCP_TIMEOUT_MS = 60_000;

/**
 * Letters, digits, `_` and `-`, without `__` and not ending in `_`: `__` ends the server's part of
 * `mcp__<server>__<tool>`, so that a glob such as `mcp__docs__*` never reaches another server's tools.
 */
const SERVER_NAME = /^(?!.*__)[A-Za-z0-9_-]*[A-Za-z0-9-]$/;

/** One entry of `mcpServers`. Unknown keys are dropped (z.object strips them): nanocoder's extras mean nothing here. */
const serverEntrySchema = z
  .object({
    transport: z.enum(["stdio", "http"]).optional().describe("stdio: a local process; http: a Streamable HTTP server. Default: stdio with `command`, http with `url`."),
    type: z.enum(["stdio", "http"]).optional().describe("Claude Code's spelling of `transport`."),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}).describe("Variables for a stdio server; only those the policy names for the server are passed (mcp.servers.<name>.env)."),
    url: z.url().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeout: z.number().int().positive().optional().describe("Milliseconds a start-up or call may take."),
    enabled: z.boolean().default(true),
  })
  .superRefine((entry, context) => {
    const transport = entry.transport ?? entry.type ?? (entry.url !== undefined && entry.command === undefined ? "http" : "stdio");
    if (transport === "stdio" && entry.command === undefined) context.addIssue({ code: "custom", path: ["command"], message: "a stdio server needs a command" });
    if (transport === "http" && entry.url === undefined) context.addIssue({ code: "custom", path: ["url"], message: "an http server needs a url" });
    if (transport === "http" && entry.url !== undefined && !/^https?:/i.test(entry.url)) context.addIssue({ code: "custom", path: ["url"], message: "expected an http or https URL" });
  });

export const mcpFileSchema = z.object({
  mcpServers: z
    .record(z.string(), serverEntrySchema)
    .default({})
    // Checked here rather than by the key's schema, whose message zod replaces with "Invalid key in record".
    .superRefine((servers, context) => {
      for (const name of Object.keys(servers)) {
        if (!SERVER_NAME.test(name)) context.addIssue({ code: "custom", path: [name], message: 'a server name is letters, digits, "_" and "-", without "__" and not ending in "_" ("__" separates server and tool in mcp__<server>__<tool>): rename the server' });
      }
    }),
});

interface CommonServer {
  name: string;
  /** Where the entry is written, `file:line:col`, for every message about the server. */
  source: string;
  timeoutMs: number;
}

export type McpServerConfig =
  | (CommonServer & { transport: "stdio"; command: string; args: string[]; env: Record<string, string> })
  | (CommonServer & { transport: "http"; url: string; headers: Record<string, string> });

export interface McpLookup {
  /** The project's root: its `.mcp.json` comes first. */
  projectRoot: string;
  home: string;
  env: Env;
  /** For shorter names in messages. */
  cwd?: string;
}

/** Where `.mcp.json` files are looked for, the project's first. */
export function mcpConfigCandidates({ projectRoot, home, env, cwd = projectRoot }: McpLookup): string[] {
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, ".config");
  const global = env.NANOCODER_CONFIG_DIR ? path.resolve(cwd, env.NANOCODER_CONFIG_DIR, MCP_CONFIG_NAME) : path.join(xdg, "nanocoder", MCP_CONFIG_NAME);
  return [...new Set([path.join(projectRoot, MCP_CONFIG_NAME), global])];
}

/**
 * The enabled servers of every `.mcp.json` found, merged by name: an entry of an earlier file wins, and
 * `enabled: false` in any file leaves the server out (a user turns off a project's server in their own file).
 */
export async function loadMcpServers(lookup: McpLookup): Promise<McpServerConfig[]> {
  const cwd = lookup.cwd ?? lookup.projectRoot;
  const byName = new Map<string, McpServerConfig | "disabled">();
  for (const file of mcpConfigCandidates(lookup).filter(isFile)) {
    const display = displayPath(file, cwd);
    const text = (await readUserFile(file, display, "E_CONFIG_NOT_FOUND")).toString("utf8");
    for (const [name, server] of parseMcpConfig(text, display, lookup.env)) if (!byName.has(name) || server === "disabled") byName.set(name, server);
  }
  return [...byName.values()].filter((server) => server !== "disabled");
}

/** Parses one `.mcp.json`; every problem is reported with file:line:col. Pure. */
export function parseMcpConfig(text: string, file: string, env: Env): Map<string, McpServerConfig | "disabled"> {
  const source = parseJsonDocument(text, file);
  if (typeof source.data !== "object" || source.data === null || Array.isArray(source.data)) {
    throw new UserError(`${file}:1:1: expected an object with "mcpServers"`, "E_INVALID");
  }
  const data = substituteEnv(source.data, env);
  const leaks = runnerCredentialErrors(source, source.data, data, env, []);
  if (leaks.length > 0) throw new UserErrors(leaks);
  const result = validateYaml(mcpFileSchema, source, data);
  if (!result.ok) throw new UserErrors(result.errors);
  const servers = new Map<string, McpServerConfig | "disabled">();
  for (const [name, entry] of Object.entries(result.value.mcpServers)) {
    if (!entry.enabled) {
      servers.set(name, "disabled");
      continue;
    }
    const { line, col } = positionOf(source, ["mcpServers", name], "key");
    const common = { name, source: `${file}:${line}:${col}`, timeoutMs: entry.timeout ?? DEFAULT_MCP_TIMEOUT_MS };
    const transport = entry.transport ?? entry.type ?? (entry.url !== undefined && entry.command === undefined ? "http" : "stdio");
    servers.set(name, transport === "http"
      ? { ...common, transport, url: entry.url ?? "", headers: entry.headers }
      : { ...common, transport, command: entry.command ?? "", args: entry.args, env: entry.env });
  }
  return servers;
}

/** A runner's credential shorter than this is not looked for in values (it would match by chance). */
const MIN_CREDENTIAL_LENGTH = 8;

/** The runner's own credentials set in `env` (GITHUB_TOKEN, provider keys, NANOCODER_*), by name. Pure. */
export function runnerCredentials(env: Env): [name: string, value: string][] {
  return Object.entries(env).flatMap(([name, value]) => (isRunnerSecret(name) && value !== undefined && value.length >= MIN_CREDENTIAL_LENGTH ? [[name, value] as [string, string]] : []));
}

/** The name of the runner's credential that `value` holds, if any. Pure. */
export function runnerCredentialIn(value: string, credentials: readonly [string, string][]): string | undefined {
  return credentials.find(([, secret]) => value.includes(secret))?.[0];
}

/**
 * Throws when a stdio server's final variables (its entry's and the runner's values the policy names) hold
 * one of the runner's credentials: the last check before the server is started.
 */
export function refuseRunnerCredentials(server: McpServerConfig, env: Record<string, string>, runnerEnv: Env): void {
  const credentials = runnerCredentials(runnerEnv);
  for (const [name, value] of Object.entries(env)) {
    const held = runnerCredentialIn(value, credentials);
    if (held !== undefined) throw new McpStartFailed(`MCP server "${server.name}" (${server.source}) was not started: its variable ${name} holds the value of ${held}, one of the runner's own credentials, which no MCP server is given`);
  }
}

/**
 * Every string of the file that refers to one of the runner's credentials (`$OPENAI_API_KEY`, `${GITHUB_TOKEN}`)
 * or, once filled, holds one's value: a server would be handed the runner's own keys through its command
 * line, variables, URL or headers. Pure.
 */
function runnerCredentialErrors(source: YamlSource, raw: unknown, filled: unknown, env: Env, at: (string | number)[]): UserError[] {
  if (typeof raw === "string") {
    const named = variablesIn(raw).filter(isRunnerSecret);
    const held = named.length === 0 && typeof filled === "string" ? runnerCredentialIn(filled, runnerCredentials(env)) : undefined;
    if (named.length === 0 && held === undefined) return [];
    const { line, col } = positionOf(source, at, "value");
    const what = named.length > 0 ? `refers to ${named.map((name) => `$${name}`).join(", ")}` : `holds the value of ${held ?? ""}`;
    return [new UserError(
      `${source.file}:${line}:${col}: ${at.join(".")}: ${what}, one of the runner's own credentials, which no MCP server is given. Fix: give the server a credential of its own in a variable of another name (e.g. DOCS_TOKEN) and name it in the policy's mcp.servers.<name>.env`,
      "E_INVALID",
    )];
  }
  if (Array.isArray(raw)) return raw.flatMap((item, index) => runnerCredentialErrors(source, item, Array.isArray(filled) ? filled[index] : undefined, env, [...at, index]));
  if (typeof raw === "object" && raw !== null) {
    const filledObject = typeof filled === "object" && filled !== null ? (filled as Record<string, unknown>) : {};
    return Object.entries(raw).flatMap(([key, item]) => runnerCredentialErrors(source, item, filledObject[key], env, [...at, key]));
  }
  return [];
}

/**
 * Values of the servers' entries to hide wherever the run writes or shows text: variables whose names look
 * like secrets, and every header value (an Authorization header as a whole and its token alone). Pure.
 */
export function serverSecrets(servers: readonly McpServerConfig[]): string[] {
  return servers.flatMap((server) => {
    if (server.transport === "stdio") return Object.entries(server.env).filter(([name]) => looksLikeSecret(name)).map(([, value]) => value);
    return Object.values(server.headers).flatMap((value) => [value, value.split(/\s+/).at(-1) ?? ""]);
  });
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
