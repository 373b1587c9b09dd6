import { z } from "zod";

/** How a task ended, in one word for people and exit codes. `stop_reason` says why. */
export const taskStatusSchema = z.enum(["succeeded", "failed", "limit_exceeded", "error", "interrupted"]);
/** `interrupted`: the run was stopped (SIGINT, SIGTERM) before the task finished, or before it started. */
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/**
 * Why a task stopped. Each reason belongs to exactly one status (STATUS_OF); docs/outputs.md describes them.
 * `output_invalid`: a task with an `output:` schema whose answer stayed invalid after its corrections (agent/output.ts).
 */
export const stopReasonSchema = z.enum([
  "completed",
  "no_changes",
  "unexpected_changes",
  "blocked",
  "checks_failed",
  "output_invalid",
  "policy_violation",
  "max_turns",
  "max_denials",
  "budget",
  "timeout",
  "provider_error",
  "setup_failed",
  "runner_error",
  "interrupted",
]);
export type StopReason = z.infer<typeof stopReasonSchema>;

const STATUS_OF = {
  completed: "succeeded",
  no_changes: "failed",
  unexpected_changes: "failed",
  blocked: "failed",
  checks_failed: "failed",
  output_invalid: "failed",
  policy_violation: "failed",
  max_turns: "limit_exceeded",
  max_denials: "limit_exceeded",
  budget: "limit_exceeded",
  timeout: "limit_exceeded",
  provider_error: "error",
  setup_failed: "error",
  runner_error: "error",
  interrupted: "interrupted",
} as const satisfies Record<StopReason, TaskStatus>;

/** The one place a stop reason becomes a status. */
export function statusOf(reason: StopReason): TaskStatus {
  return STATUS_OF[reason];
}

/**
 * What a task should leave behind. `changes` (the default): an empty patch fails with `no_changes`.
 * `none`, for review-only tasks: any change fails with `unexpected_changes`. `any`: either is fine.
 */
export const expectSchema = z.enum(["changes", "none", "any"]);
export type Expect = z.infer<typeof expectSchema>;
