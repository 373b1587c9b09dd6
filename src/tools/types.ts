import type { z } from "zod";
import type { Access } from "../policy/types.ts";

export interface ToolContext {
  /** Absolute path of the task's workspace (its git worktree). */
  workspace: string;
  signal: AbortSignal;
  /** Environment for commands: already stripped of secrets. */
  env: Record<string, string>;
  /**
   * Whether the policy lets the model read this workspace-relative path. Tools that read many files
   * at once (search) leave out what the model could not read one by one.
   */
  isReadable(path: string): boolean;
  /** How commands are spawned: e.g. inside an OS sandbox. Absent: as they are. */
  wrapCommand?: WrapCommand;
  /** Whether `wrapCommand` puts commands in the OS sandbox: the policy's sandboxed rules allow only then. */
  sandboxed?: boolean;
  /**
   * Called after a tool that ran a command: the policy's file rules applied to what the command changed
   * (run/effects.ts). Returns lines for the model, one per change that was refused and undone.
   */
  afterCommand?(by: string, callId: string): Promise<string[]>;
}

/** A process to start from the workspace: program (a path or a name looked up in `env.PATH`), arguments, environment. */
export interface SpawnSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
}

/** Turns the process a command needs into the one to start, e.g. the same inside bubblewrap. */
export type WrapCommand = (spec: SpawnSpec) => SpawnSpec;

export interface ToolDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: Schema;
  /** The parameters as JSON Schema, for a tool whose schema comes as one (an MCP tool); else made from `parameters`. */
  inputSchema?: Record<string, unknown>;
  /** For an MCP tool: its server and its name there, for the event log. */
  mcp?: { server: string; tool: string };
  /** For an MCP tool offered under a changed name: `mcp__<server>__<tool>` as written, which `tools` rules match too. */
  writtenAs?: string;
  /** What the call will touch, for the policy. Pure: no I/O. Paths exactly as the model gave them. */
  accesses(args: z.infer<Schema>): Access[];
  /** Runs the call. Returns the text the model sees. Throws ToolError for failures the model should read. */
  execute(args: z.infer<Schema>, ctx: ToolContext): Promise<string>;
  /**
   * How what the call wrote is checked after it (`check`: ToolContext.afterCommand's verdict). Absent:
   * `check()`. An MCP tool records the verdict, and a replay, whose server writes nothing, gives the recorded one.
   */
  effects?(check: () => Promise<string[]>): Promise<string[]>;
}

export function defineTool<Schema extends z.ZodType>(tool: ToolDefinition<Schema>): ToolDefinition<Schema> {
  return tool;
}

/** A failure the model caused and can correct (bad path, no match...). Its message is written for the model. */
export { ToolError } from "../shared/errors.ts";
