import type { Emit } from "../agent/events.ts";
import { describeRule } from "../policy/decide.ts";
import { deniedWrites, type Violation } from "../policy/effects.ts";
import type { Policy } from "../policy/types.ts";
import { undoChanges } from "../workspace/changes.ts";
import { createChangeTracker } from "../workspace/tracker.ts";
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
   * for each. Returns the lines to add to what the model reads, one per path. By WHOLE_TASK, git looks at
   * the whole worktree; after a command, only where a snapshot says something may have changed.
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
  /** Every path of the base, when the run has listed it already (see TrackerOptions.trackedFiles). */
  basePaths?(): Promise<string[]>;
}

/** The check before the patch is made: what `by` names it, the one that never trusts a snapshot. */
export const WHOLE_TASK = "the task";

/** Paths already changed before the model starts (what the task's setup made) are the task's starting point. */
export async function createEffectCheck(options: EffectCheckOptions): Promise<EffectCheck> {
  const { worktree, base, policy, leaveOut, emit, onNewFiles, basePaths } = options;
  // Only refused writes are undone, so a change to a tracked file the policy lets commands write changes
  // nothing here: the tracker need not watch those files, which is what keeps it cheap. A new file matters
  // whatever the policy says (onNewFiles), and the tracker sees every new name.
  const tracker = await createChangeTracker(worktree, { leaveOut, matters: refusedWrite(policy), ...(basePaths ? { trackedFiles: basePaths } : {}) });
  const startingPoint = new Set((await tracker.look()).map((change) => change.path));
  const violations: RecordedViolation[] = [];
  return {
    violations,
    async afterCommand(by, id) {
      const all = by === WHOLE_TASK ? await tracker.lookEverywhere() : await tracker.look();
      const changes = all.filter((change) => !startingPoint.has(change.path));
      // Python's caches count too, though no patch carries them: Python loads a .pyc in place of its source,
      // so a cache written into a folder the policy keeps from writes changes what runs from there.
      const refused = deniedWrites(policy, changes);
      // A secret moved to a new name (`mv config config.bak`) is hidden under that name from the next command on.
      onNewFiles?.(changes.filter((change) => !change.tracked && !refused.some((violation) => violation.path === change.path)).map((change) => change.path));
      if (refused.length === 0) return [];
      try {
        await undoChanges(worktree, changes.filter((change) => refused.some((violation) => violation.path === change.path)));
      } finally {
        tracker.undone(refused.map((violation) => violation.path));
      }
      const lines = refused.map((violation) => {
        violations.push({ ...violation, by });
        const reason = `${by} wrote ${violation.path} (${violation.reason}); the change was undone`;
        emit({ type: "policy_decision", id: id ?? "", tool: by, subject: `write ${violation.path}`, decision: "deny", reason, rule: violation.rule, ...describeRule(policy, violation.rule), effect: true });
        return `denied by policy: ${reason}`;
      });
      // git looks at the folders put back now rather than after the next command, whose check then costs a
      // snapshot alone where nothing else changed. The answer is only kept: a write it still shows (a
      // process writing again) is refused by the next check, which decides on kept answers too. If git
      // fails here, the next check asks about these folders.
      if (by !== WHOLE_TASK) await tracker.look().catch(() => undefined);
      return lines;
    },
  };
}

/**
 * Whether the policy refuses writing a path, remembered per policy: the tasks of a run mostly share theirs
 * (equal, if not the same object) and the base's files, and deciding each file of a large repository costs
 * some 5 µs. The whole policy is the key, whatever part of it a decision reads. The latest few are kept.
 */
function refusedWrite(policy: Policy): (path: string) => boolean {
  const key = JSON.stringify(policy);
  const decisions = decided.get(key) ?? new Map<string, boolean>();
  decided.delete(key);
  decided.set(key, decisions);
  for (const oldest of [...decided.keys()].slice(0, -POLICIES_KEPT)) decided.delete(oldest);
  return (path) => {
    let refused = decisions.get(path);
    if (refused === undefined) decisions.set(path, (refused = deniedWrites(policy, [{ path }]).length > 0));
    return refused;
  };
}

const decided = new Map<string, Map<string, boolean>>();
const POLICIES_KEPT = 4;
