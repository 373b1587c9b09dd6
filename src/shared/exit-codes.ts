import { ProviderUnavailable, UserError } from "./errors.ts";
import { Outcome } from "./outcome.ts";

/** How the process ended: a command's outcome, or the error that stopped it. */
export type Ending = Outcome | "invalid_input" | "internal_error";

/**
 * The exit codes, documented in docs/outputs.md and the README. 1 for an internal error as well: it is
 * the code any Node.js program exits with on a crash, which scripts already treat as a failure.
 */
export const EXIT_CODES = {
  succeeded: 0,
  failed: 1,
  internal_error: 1,
  invalid_input: 2,
  infrastructure: 3,
  interrupted: 130,
} as const satisfies Record<Ending, number>;

/**
 * What a command's `run` returned: an Outcome, or nothing for a command that has no other ending than
 * success (validate, policy init). Anything else is a bug of the command's.
 */
export function outcomeOf(result: unknown): Outcome {
  if (result === undefined) return "succeeded";
  const parsed = Outcome.safeParse(result);
  if (!parsed.success) throw new Error(`a command returned ${JSON.stringify(result)}, not one of ${Outcome.options.join(", ")}`);
  return parsed.data;
}

/**
 * The ending of an error that stopped a command. citty's own usage errors (unknown command, missing
 * argument) carry a code but no exported class: they are known by name.
 */
export function endingOfError(error: unknown): Ending {
  if (error instanceof UserError) return "invalid_input";
  if (error instanceof ProviderUnavailable) return "infrastructure";
  if (error instanceof Error && error.name === "CLIError") return "invalid_input";
  return "internal_error";
}
