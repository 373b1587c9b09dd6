import { decide, offeredTools } from "../policy/decide.ts";
import { serverNeverAllowed } from "../policy/mcp.ts";
import { resolvePathsAsWritten } from "../policy/resolve/index.ts";
import type { Policy } from "../policy/types.ts";
import type { Sandbox } from "../sandbox/index.ts";
import { refuseRunnerCredentials, type McpServerConfig } from "./config.ts";
import { serverPrefix } from "./names.ts";

/** What `doctor` says of one server: whether it starts, its tools, and what the policy allows of them. */
export interface ServerReport {
  server: string;
  level: "ok" | "warn" | "FAIL";
  text: string;
}

/**
 * Starts each server as a task would (in `folder`, in the sandbox, with the policy's variables, network off
 * for a host list: doctor runs no proxy), lists its tools and sorts them by what the policy says of a call
 * without arguments. Never throws.
 */
export async function inspectServers(
  servers: readonly McpServerConfig[], policy: Policy, sandbox: Sandbox, folder: string, env: Record<string, string>, runnerEnv: NodeJS.ProcessEnv,
): Promise<ServerReport[]> {
  // All at once: each waits mostly for its own start-up.
  if (servers.length === 0) return [];
  return Promise.all(servers.map((server) => inspectServer(server, policy, sandbox, folder, env, runnerEnv)));
}

async function inspectServer(
  server: McpServerConfig, policy: Policy, sandbox: Sandbox, folder: string, env: Record<string, string>, runnerEnv: NodeJS.ProcessEnv,
): Promise<ServerReport> {
  const never = serverNeverAllowed(policy, serverPrefix(server.name));
  if (never) return { server: server.name, level: "warn", text: `not started: ${never}` };
  const started = Date.now();
  const settings = policy.mcp?.servers[server.name];
  try {
    const { startMcpSession } = await import("./session.ts");
    const session = await startMcpSession([server], {
      workspace: folder,
      taken: [],
      redact: (text) => text,
      signal: AbortSignal.timeout(server.timeoutMs + 5_000),
      async launch(stdio) {
        const wrap = await sandbox.wrapperFor(folder, { network: settings?.network === true, readOnly: settings?.read ?? [] });
        const named = Object.fromEntries((settings?.env ?? []).flatMap((name) => {
          const value = stdio.env[name] ?? runnerEnv[name];
          return value === undefined ? [] : [[name, value]];
        }));
        const final = { ...env, ...named };
        refuseRunnerCredentials(stdio, final, runnerEnv);
        return { wrap, env: final };
      },
    });
    const names = session.tools.map((tool) => tool.name);
    await session.close();
    // Each tool as a call to it would be decided: by its name offered and, changed, as its server wrote it.
    const request = (tool: (typeof session.tools)[number]) => resolvePathsAsWritten(tool.name, [{ kind: "tool", name: tool.name, ...(tool.writtenAs === undefined ? {} : { writtenAs: tool.writtenAs }) }]);
    const offered = offeredTools(policy, session.tools);
    const allowed = offered.filter((tool) => decide(policy, request(tool)).decision === "allow").map((tool) => tool.name);
    const byArguments = offered.filter((tool) => !allowed.includes(tool.name) && policy.tools.allow.some((rule) => rule.when !== undefined && decide({ ...policy, tools: { allow: [{ ...rule, when: undefined }], deny: [] } }, request(tool)).decision === "allow")).map((tool) => tool.name);
    const denied = names.filter((name) => !allowed.includes(name) && !byArguments.includes(name));
    const where = sandbox.status.active ? "in the sandbox" : "WITHOUT a sandbox";
    const parts = [`${allowed.length} allowed${list(allowed, server.name)}`, ...(byArguments.length ? [`${byArguments.length} allowed for some arguments${list(byArguments, server.name)}`] : []), `${denied.length} denied${list(denied, server.name)}`];
    return { server: server.name, level: allowed.length + byArguments.length > 0 ? "ok" : "warn", text: `starts ${where} (${server.transport}, ${Date.now() - started} ms); ${names.length} tools: ${parts.join("; ")}` };
  } catch (error) {
    return { server: server.name, level: "FAIL", text: error instanceof Error ? error.message : String(error) };
  }
}

function list(names: string[], server: string): string {
  if (names.length === 0) return "";
  const prefix = serverPrefix(server);
  const shown = names.slice(0, 8).map((name) => (name.startsWith(prefix) ? name.slice(prefix.length) : name));
  return ` (${shown.join(", ")}${names.length > 8 ? ", …" : ""})`;
}
