import { z } from "zod";

/**
 * How a command ended, as the exit code tells it; the commands return one and src/cli/cli.ts alone turns it
 * into the exit code (the Action into its outputs and failure). In order of weight: when two parts of a
 * command end differently, the later in this list is the one reported.
 * - succeeded: everything asked for was done (every task succeeded, doctor found nothing wrong).
 * - failed: something the run did ended badly: a task did not succeed, a finding, a refusal, a pull request not delivered.
 * - infrastructure: a model server could not be used: the provider check failed, or it failed task after task and the run stopped starting tasks.
 * - interrupted: the user stopped the run (Ctrl-C, SIGTERM).
 */
export const Outcome = z.enum(["succeeded", "failed", "infrastructure", "interrupted"]);
export type Outcome = z.infer<typeof Outcome>;

/** The weightier of two outcomes (see Outcome). */
export function worseOutcome(a: Outcome, b: Outcome): Outcome {
  return Outcome.options.indexOf(a) >= Outcome.options.indexOf(b) ? a : b;
}
