import type { ProviderEvent } from "../provider/types.ts";
import type { StopReason, TaskStatus } from "./outcome.ts";

export type { StopReason, TaskStatus } from "./outcome.ts";

/** Everything a task does, in order. Written one JSON object per line to `tasks/<id>/events.jsonl`. */
export type AgentEvent =
  | {
      type: "task_start";
      task: string;
      title?: string;
      provider: string;
      model: string;
      base: string;
      policy: string;
    }
  | {
      type: "prompt";
      system_prompt: string;
      user_message: string;
      context_files: string[];
      context_skipped: { path: string; reason: string }[];
    }
  /**
   * `purpose: "summary"` marks the request that summarises older turns to fit the context window; `"output"`
   * a request for the structured final answer.
   */
  | { type: "model_request"; turn: number; messages: number; tools: number; final: boolean; purpose?: "summary" | "output" }
  | {
      type: "model_response";
      turn: number;
      content: string;
      tool_calls: { id: string; name: string; arguments: string }[];
      finish_reason: string;
      usage: UsageEvent;
      duration_ms: number;
      purpose?: "summary" | "output";
    }
  /** The structured final answer failed the schema; it goes back to the model while corrections are left. */
  | { type: "output_invalid"; turn: number; errors: string[]; corrections_left: number }
  | {
      type: "context_compacted";
      turn: number;
      strategy: "truncate_results" | "summarize";
      tokens_before: number;
      tokens_after: number;
      context_window: number;
    }
  | ProviderEvent
  | { type: "tool_call"; turn: number; id: string; name: string; arguments: string }
  | {
      type: "policy_decision";
      id: string;
      tool: string;
      /** What the call would do, e.g. "write src/a.ts" or "run npm test". */
      subject: string;
      decision: "allow" | "deny";
      reason: string;
      rule: string;
      /** The deciding rule's pattern and where the policy file sets it. */
      pattern?: string;
      rule_source?: string;
      segments?: { command: string; decision: "allow" | "deny"; rule: string; reason: string }[];
      /** True for a decision made on what a command changed, after it ran (the change was undone). */
      effect?: boolean;
    }
  | { type: "tool_result"; id: string; name: string; status: ToolResultStatus; output: string; duration_ms: number }
  | { type: "check_start"; name: string; command: string; attempt: number }
  | {
      type: "check_result";
      name: string;
      attempt: number;
      /** null when the check timed out or could not start. */
      exit_code: number | null;
      timed_out: boolean;
      duration_ms: number;
      output_tail: string;
    }
  | { type: "retry"; attempt: number; reason: string }
  /** The setup step starts in the task's worktree; its output goes to `log`, relative to the run folder. */
  | { type: "setup_start"; commands: string[]; log: string }
  /** `results`: what setup made that git ignores, kept for the worktree's later tasks; `undone`: tracked changes it made, undone. */
  | { type: "setup_end"; ok: boolean; duration_ms: number; log: string; results?: string[]; undone?: string[] }
  /** The worktree's setup results are current (same commands, same inputs): setup did not run again. */
  | { type: "setup_reused"; log: string }
  | {
      type: "task_end";
      status: TaskStatus;
      stop_reason: StopReason;
      turns: number;
      denials: number;
      error?: string;
      final_message?: string;
      files_changed?: string[];
    };

/** Token use of one response; `cost_usd` only when the server reported a cost itself. */
export interface UsageEvent {
  input: number;
  output: number;
  cached: number;
  estimated: boolean;
  cost_usd?: number;
}

export type ToolResultStatus = "ok" | "error" | "denied";

export type Emit = (event: AgentEvent) => void;
