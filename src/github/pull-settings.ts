import { parseLabels } from "../cli/args.ts";
import { UserError } from "../shared/errors.ts";
import { gitSucceeds } from "./git.ts";

/**
 * Pull-request settings are checked before any task runs, by the command line (`--branch-prefix`) and the
 * Action (`branch-prefix`) alike: a setting found wrong after the run has cost its money.
 */

/** An explicit empty prefix is refused rather than defaulted: it is more likely an unset variable than a wish. */
export async function parseBranchPrefix(value: string | undefined, name: string, cwd = process.cwd()): Promise<string> {
  if (value === undefined) return "nanocoder/";
  if (value === "") throw new UserError(`${name}: expected a prefix such as nanocoder/ or bot/, got ""`, "E_USAGE");
  // Branches are <prefix><task-id>; a plain stand-in id lets git judge the prefix alone.
  if (!(await gitSucceeds(["check-ref-format", `refs/heads/${value}task`], cwd))) {
    throw new UserError(`${name}: "${value}" cannot start a git branch name (no spaces, "..", "~", "^", ":", "?", "*", "[" or "\\"); use e.g. nanocoder/`, "E_USAGE");
  }
  return value;
}

export function parsePrLabels(value: string | undefined, name: string): string[] {
  if (value === undefined) return [];
  const labels = parseLabels(value);
  if (labels.length === 0) throw new UserError(`${name}: expected labels separated by commas, e.g. nanocoder,refactoring, got "${value}"`, "E_USAGE");
  return labels;
}

/** true or false, in YAML 1.2's spellings (true, True, TRUE…), as the Actions toolkit reads booleans. */
export function parseDraft(value: string | undefined, name: string): boolean {
  if (value === undefined || value === "") return false;
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new UserError(`${name}: expected true or false, got "${value}"`, "E_USAGE");
}
