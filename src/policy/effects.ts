import { decideWrite } from "./decide.ts";
import type { Policy } from "./types.ts";

/** A path a command changed that the policy lets nothing write: the change is undone, the task records it. */
export interface Violation {
  path: string;
  /** The rule that refuses the write, e.g. `files.write.deny[0]` or `protect[1]`. */
  rule: string;
  reason: string;
}

/**
 * Of the paths a command changed (new, changed, deleted, in mode or type), those the policy does not let
 * anything write. Pure: the same decision as for the file tools, made on what happened instead of on what a
 * command line seemed to say.
 */
export function deniedWrites(policy: Policy, paths: readonly string[]): Violation[] {
  return paths.flatMap((path) => {
    const decision = decideWrite(policy, path);
    return decision.decision === "deny" ? [{ path, rule: decision.rule, reason: decision.reason }] : [];
  });
}
