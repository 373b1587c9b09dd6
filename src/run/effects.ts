import type { Emit } from "../agent/events.ts";
import { describeRule } from "../policy/decide.ts";
import { deniedWrites, type Violation } from "../policy/effects.ts";
import type { Policy } from "../policy/types.ts";
import { changedPaths, undoChanges } from "../workspace/changes.ts";
import type { Worktree } from "../workspace/worktree.ts";

/** A write the policy refused after the fact: what wrote it, and that it was undone. */
export interface RecordedViolation extends Violation {
  /** `execute_bash`, `check "<name>"`, or `the task` for the check before the patch is made. */
  by: string;
}

/**
 * The policy's file rules applied to what commands actually did. The command checker reads a command line
 * and guesses what the program will touch; this looks at the worktree after each command instead. A changed
 * path that `files.write` or a protected path refuses is put back as the base has it, whatever changed it:
 * a rewritten test script, a program the checker does not model, a check. Runs outside the sandbox, so it
 * holds without one too.
 */
export interface EffectCheck {
  /**
   * After a command: undoes the changes the policy refuses, records them and emits a `policy_decision`
   * for each. Returns the lines to add to what the model reads, one per path.
   */
  afterCommand(by: string, id?: string): Promise<string[]>;
  /** Every refused write of the task so far. */
  readonly violations: readonly RecordedViolation[];
}

export interface EffectCheckOptions {
  worktree: Worktree;
  base: string;
  policy: Policy;
  /** Paths never looked at: the linked dependency folders. */
  leaveOut: readonly string[];
  emit: Emit;
  /** Told the files a command made or moved that were kept: the sandbox hides or protects them from then on. */
  onNewFiles?(paths: string[]): void;
}

/** Paths already changed before the model starts (what the task's setup made) are the task's starting point. */
export async function createEffectCheck(options: EffectCheckOptions): Promise<EffectCheck> {
  const { worktree, base, policy, leaveOut, emit, onNewFiles } = options;
  const startingPoint = new Set((await changedPaths(worktree, leaveOut)).map((change) => change.path));
  const violations: RecordedViolation[] = [];
  return {
    violations,
    async afterCommand(by, id) {
      const changes = (await changedPaths(worktree, leaveOut)).filter((change) => !startingPoint.has(change.path));
      const refused = deniedWrites(policy, changes);
      // A secret moved to a new name (`mv config config.bak`) is hidden under that name from the next command on.
      onNewFiles?.(changes.filter((change) => !change.tracked && !refused.some((violation) => violation.path === change.path)).map((change) => change.path));
      if (refused.length === 0) return [];
      await undoChanges(worktree, base, changes.filter((change) => refused.some((violation) => violation.path === change.path)));
      return refused.map((violation) => {
        violations.push({ ...violation, by });
        const reason = `${by} wrote ${violation.path} (${violation.reason}); the change was undone`;
        emit({ type: "policy_decision", id: id ?? "", tool: by, subject: `write ${violation.path}`, decision: "deny", reason, rule: violation.rule, ...describeRule(policy, violation.rule), effect: true });
        return `denied by policy: ${reason}`;
      });
    },
  };
}
