import { z } from "zod";

/**
 * The codes of mistakes in what the user gave us. Each names the input at fault, so a caller (a test, a
 * wrapper script reading the Action's log) can tell them apart; every one of them exits 2.
 */
export const UserErrorCode = z.enum([
  "E_INPUT",
  "E_USAGE",
  "E_SYNTAX",
  "E_INVALID",
  "E_CONFIG_NOT_FOUND",
  "E_CONFIG_PROVIDER",
  "E_CONFIG_MODEL",
  "E_TASK_NOT_FOUND",
  "E_TASK_INVALID",
  "E_TASK_DUPLICATE_ID",
  "E_TASK_CONTEXT",
  "E_POLICY",
  "E_POLICY_EXAMPLE",
  "E_SANDBOX",
  "E_UNPRICED",
  "E_NOT_GIT",
  "E_BAD_BASE",
  "E_STAGED",
  "E_APPLY_CONFLICT",
  "E_MERGE_INPUT",
  "E_MERGE_BASE",
  "E_MERGE_DUPLICATE",
]);
export type UserErrorCode = z.infer<typeof UserErrorCode>;

/**
 * The codes of a model server that cannot be used: nothing answers at its URL, it refuses the key, or it
 * does not serve the model. Not the user's input alone and not a task's result: they exit 3.
 */
export const ProviderErrorCode = z.enum(["E_PROVIDER_UNREACHABLE", "E_PROVIDER_UNAUTHORIZED", "E_PROVIDER_UNKNOWN_MODEL"]);
export type ProviderErrorCode = z.infer<typeof ProviderErrorCode>;

export type ErrorCode = UserErrorCode | ProviderErrorCode;

/**
 * A mistake in what the user gave us (task file, config, policy, flags).
 * Printed as its message alone, never with a stack; the process exits 2.
 * Messages start with `file:line:col:` when they point into a file, and say how to fix it.
 */
export class UserError extends Error {
  override name = "UserError";
  readonly code: UserErrorCode;
  constructor(message: string, code: UserErrorCode = "E_INPUT") {
    super(message);
    this.code = code;
  }
}

/** Several user errors found in one pass, reported together. */
export class UserErrors extends UserError {
  readonly errors: UserError[];
  constructor(errors: UserError[]) {
    super(errors.map((error) => error.message).join("\n"), errors[0]?.code);
    this.errors = errors;
  }
}

/**
 * A model server the run needs cannot be used, found before any task started (the provider check).
 * Printed as its message alone, one line per server and model, each with its fix; the process exits 3.
 */
export class ProviderUnavailable extends Error {
  override name = "ProviderUnavailable";
  readonly code: ProviderErrorCode;
  constructor(message: string, code: ProviderErrorCode) {
    super(message);
    this.code = code;
  }
}

/** A tool call the model can correct (a path outside the workspace, a missing file): its message is the tool result. */
export class ToolError extends Error {
  override name = "ToolError";
}
