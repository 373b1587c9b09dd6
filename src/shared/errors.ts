/**
 * A mistake in what the user gave us (task file, config, policy, flags).
 * Printed as its message alone, never with a stack; the process exits 2.
 * Messages start with `file:line:col:` when they point into a file, and say how to fix it.
 */
export class UserError extends Error {
  override name = "UserError";
  readonly code: string;
  constructor(message: string, code = "E_INPUT") {
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

/** A tool call the model can correct (a path outside the workspace, a missing file): its message is the tool result. */
export class ToolError extends Error {
  override name = "ToolError";
}
