import { decide, offeredTools } from "../policy/decide.ts";
import { serverNeverAllowed } from "../policy/mcp.ts";
import { resolvePathsAsWritten } from "../policy/resolve/index.ts";
import type { Policy } from "../policy/types.ts";
import type { Sandbox } from "../sandbox/index.ts";
import { refuseRunnerCredentials, type McpServerConfig } from "./config.ts";
import { serverPrefix } from "./names.ts";
import type { ToolDefinition } from "../tools/types.ts";

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
    const tools = session.tools;
    await session.close();
    // Each tool as a call to it would be decided: by its name offered and, changed, as its server wrote it.
    const request = (tool: (typeof tools)[number]) => resolvePathsAsWritten(tool.name, [{ kind: "tool", name: tool.name, ...(tool.writtenAs === undefined ? {} : { writtenAs: tool.writtenAs }) }]);
    const decidedBy = (rules: Policy["tools"], tool: (typeof tools)[number]) => decide({ ...policy, tools: rules }, request(tool)).decision;
    const offered = offeredTools(policy, tools);
    const allowed = offered.filter((tool) => decide(policy, request(tool)).decision === "allow");
    // A deny rule with `when` refuses some calls of a tool otherwise allowed; an allow rule with `when` allows some of one otherwise denied.
    const narrowed = allowed.filter((tool) => policy.tools.deny.some((rule) => rule.when !== undefined && decidedBy({ allow: policy.tools.allow, deny: [{ ...rule, when: undefined }] }, tool) === "deny"));
    const byArguments = offered.filter((tool) => !allowed.includes(tool) && policy.tools.allow.some((rule) => rule.when !== undefined && decidedBy({ allow: [{ ...rule, when: undefined }], deny: [] }, tool) === "allow"));
    const denied = tools.filter((tool) => !allowed.includes(tool) && !byArguments.includes(tool));
    const plainly = allowed.filter((tool) => !narrowed.includes(tool));
    const where = sandbox.status.active ? "in the sandbox" : "WITHOUT a sandbox";
    const parts = [
      `${plainly.length} allowed${list(plainly)}`,
      ...(narrowed.length ? [`${narrowed.length} allowed but for some arguments${list(narrowed)}`] : []),
      ...(byArguments.length ? [`${byArguments.length} allowed for some arguments${list(byArguments)}`] : []),
      `${denied.length} denied${list(denied)}`,
    ];
    return { server: server.name, level: allowed.length + byArguments.length > 0 ? "ok" : "warn", text: `starts ${where} (${server.transport}, ${Date.now() - started} ms); ${tools.length} tools: ${parts.join("; ")}` };
  } catch (error) {
    return { server: server.name, level: "FAIL", text: error instanceof Error ? error.message : String(error) };
  }
}

/** The first tools of a list by the names their server gives them; a renamed one with the name the model and events see. */
function list(tools: readonly ToolDefinition[]): string {
  if (tools.length === 0) return "";
  const shown = tools.slice(0, 8).map((tool) => {
    const own = tool.mcp?.tool ?? tool.name;
    return tool.writtenAs === undefined ? own : `${own} as ${tool.name}`;
  });
  return ` (${shown.join(", ")}${tools.length > 8 ? ", …" : ""})`;
}
