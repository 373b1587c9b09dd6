import { createHash } from "node:crypto";

/** Providers take tool names of at most 64 characters of this set (OpenAI: `^[a-zA-Z0-9_-]{1,64}$`). */
export const MAX_TOOL_NAME = 64;
const UNSAFE = /[^A-Za-z0-9_-]/g;
const HASH_LENGTH = 6;

/**
 * The name a server's tool has for the model and the policy: `mcp__<server>__<tool>`. Characters providers
 * refuse become `_`; a name that is too long or changed is cut and ends in a short hash of the server and
 * tool as written, so the same tool always gets the same name, whatever other servers a task has. A name
 * that is taken all the same (two tools of one server written alike) is not renamed again: the later tool
 * is left out (session.ts), so that no tool gets a name the policy's rules were not written for. Pure.
 */
export function exposedToolName(server: string, tool: string): string {
  const plain = `mcp__${server.replace(UNSAFE, "_")}__${tool.replace(UNSAFE, "_")}`;
  const changed = plain !== `mcp__${server}__${tool}`;
  if (!changed && plain.length <= MAX_TOOL_NAME) return plain;
  const hash = createHash("sha256").update(`${server}\0${tool}`).digest("hex").slice(0, HASH_LENGTH);
  return `${plain.slice(0, MAX_TOOL_NAME - HASH_LENGTH - 1)}_${hash}`;
}

/** `mcp__<server>__<tool>` as the server wrote it, when the name offered differs: policy rules match it too. */
export function writtenToolName(server: string, tool: string): string | undefined {
  const written = `mcp__${server}__${tool}`;
  return written === exposedToolName(server, tool) ? undefined : written;
}

/** The prefix every tool of `server` starts with, as policy globs see it. */
export function serverPrefix(server: string): string {
  return `mcp__${server.replace(UNSAFE, "_")}__`;
}
