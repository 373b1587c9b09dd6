import type { Emit } from "../agent/events.ts";
import type { Env } from "../config/env.ts";
import { offeredTools } from "../policy/decide.ts";
import { serverNeverAllowed } from "../policy/mcp.ts";
import type { Policy } from "../policy/types.ts";
import type { Redact } from "../report/redact.ts";
import type { WrapCommand } from "../tools/types.ts";
import { mcpCassetteFile, recordingMcpCassette, replayingMcpCassette } from "./cassette.ts";
import { refuseRunnerCredentials, type McpServerConfig } from "./config.ts";
import { serverPrefix } from "./names.ts";
import type { McpSession } from "./session.ts";

/** The run's MCP servers and what starting them needs, the same for every task. */
export interface RunMcp {
  servers: McpServerConfig[];
  /** The runner's environment: the values of the variables the policy names for a server. */
  runnerEnv: Env;
  /** What every stdio server sees besides its named variables: PATH, locale, no home, no credentials. */
  baseEnv: Record<string, string>;
  /** Absolute cassette folders (--record / --replay). */
  record?: string | undefined;
  replay?: string | undefined;
}

export interface TaskServers {
  taskId: string;
  /** The task's `mcp:` list; undefined: every server. */
  only: readonly string[] | undefined;
  policy: Policy;
  workspace: string;
  /** The sandbox for a process of this worktree with this network (false, true or hosts through the proxy). */
  wrapFor(network: boolean | string[], setting: string, readOnly?: string[]): Promise<WrapCommand | undefined>;
  /** Names MCP tools may not take: the built-in tools'. */
  taken: readonly string[];
  redact: Redact;
  signal: AbortSignal;
  emit: Emit;
}

/**
 * Starts the task's servers in its worktree, each in the sandbox with the variables and network the policy
 * gives it; a server none of whose tools the policy could allow is not started. Undefined when the task
 * has no server to start.
 */
export async function startTaskServers(run: RunMcp, task: TaskServers): Promise<McpSession | undefined> {
  const chosen = run.servers.filter((server) => task.only === undefined || task.only.includes(server.name));
  const starting: McpServerConfig[] = [];
  const dropped = new Map<string, string[]>();
  for (const server of chosen) {
    const never = serverNeverAllowed(task.policy, serverPrefix(server.name));
    if (never) {
      task.emit({ type: "mcp_server", server: server.name, transport: server.transport, status: "not_started", reason: never, tools: [], skipped: [], duration_ms: 0 });
      continue;
    }
    starting.push(server);
  }
  if (starting.length === 0) return undefined;
  const cassette = run.replay !== undefined
    ? replayingMcpCassette(mcpCassetteFile(run.replay, task.taskId), task.workspace)
    : run.record !== undefined ? recordingMcpCassette(mcpCassetteFile(run.record, task.taskId), task.redact, task.workspace) : undefined;
  // The SDK takes half a second to load: only runs with servers pay for it.
  const { startMcpSession } = await import("./session.ts");
  return startMcpSession(starting, {
    workspace: task.workspace,
    taken: task.taken,
    redact: task.redact,
    signal: task.signal,
    cassette,
    async launch(server) {
      const settings = task.policy.mcp?.servers[server.name];
      const named = settings?.env ?? [];
      const env = { ...run.baseEnv };
      for (const name of named) {
        const value = server.env[name] ?? run.runnerEnv[name];
        if (value !== undefined) env[name] = value;
      }
      refuseRunnerCredentials(server, env, run.runnerEnv);
      const unnamed = Object.keys(server.env).filter((name) => !named.includes(name));
      if (unnamed.length > 0) dropped.set(server.name, unnamed);
      const wrap = await task.wrapFor(settings?.network ?? false, `mcp.servers.${server.name}.network`, settings?.read ?? []);
      return { wrap, env };
    },
    onStarted(started) {
      const envDropped = dropped.get(started.server);
      const offered = offeredTools(task.policy, started.tools).map((tool) => tool.name);
      const takenAway = started.tools.filter((tool) => !offered.includes(tool.name)).map((tool) => ({ tool: tool.name, why: "a tools.deny rule takes it away" }));
      task.emit({
        type: "mcp_server",
        server: started.server,
        transport: started.transport,
        status: started.replayed ? "replayed" : "started",
        tools: offered,
        skipped: [...started.skipped, ...takenAway],
        ...(envDropped ? { env_dropped: envDropped } : {}),
        duration_ms: started.duration_ms,
      });
    },
  });
}
