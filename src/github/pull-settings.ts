import { UserError } from "../shared/errors.ts";
import { gitSucceeds } from "../workspace/git.ts";
import { parseOpenPr } from "./groups.ts";
import type { PullRequestOptions } from "./pulls.ts";

/**
 * Pull-request settings are checked before any task runs, by the command line (`--branch-prefix`) and the
 * Action (`branch-prefix`) alike: a setting found wrong after the run has cost its money.
 */

/** What opening pull requests needs beyond the run itself. */
export type PullSettings = Omit<PullRequestOptions, "repoRoot" | "outDir" | "summary" | "log">;

/** The pull-request flags of `batch` and `report merge`. */
export interface PullRequestFlags {
  "open-pr"?: string;
  "base-branch"?: string;
  "branch-prefix"?: string;
  "pr-labels"?: string;
  "pr-draft"?: boolean;
}

const FLAGS_NEEDING_OPEN_PR = ["branch-prefix", "pr-labels", "pr-draft", "base-branch"] as const;

/**
 * The command line's pull-request settings, with the token and repository from the environment. Undefined
 * without --open-pr (or with --open-pr none), where the other pull-request flags would silently do nothing
 * and are refused.
 */
export async function pullSettingsFromFlags(args: PullRequestFlags, env: NodeJS.ProcessEnv): Promise<PullSettings | undefined> {
  const mode = args["open-pr"] === undefined ? "none" : parseOpenPr(args["open-pr"]);
  if (mode === "none") {
    const given = FLAGS_NEEDING_OPEN_PR.find((flag) => args[flag] !== undefined);
    if (given) throw new UserError(`--${given} only applies to pull requests: add --open-pr per-task or --open-pr combined, or drop --${given}`, "E_USAGE");
    return undefined;
  }
  const branchPrefix = await parseBranchPrefix(args["branch-prefix"], "--branch-prefix");
  const labels = parsePrLabels(args["pr-labels"], "--pr-labels");
  const { GITHUB_TOKEN: token, GITHUB_REPOSITORY: repository } = env;
  if (!token || !repository) throw new UserError("--open-pr needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name) in the environment", "E_USAGE");
  return {
    mode,
    repository,
    token,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    baseBranch: args["base-branch"],
    branchPrefix,
    labels,
    draft: args["pr-draft"] === true,
  };
}

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
  return parseBooleanInput(value, name, false);
}

/** An input that is true or false in YAML's spellings (as core.getBooleanInput reads them); `absent` when empty. */
export function parseBooleanInput(value: string | undefined, name: string, absent: boolean): boolean {
  if (value === undefined || value === "") return absent;
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new UserError(`${name}: expected true or false, got "${value}"`, "E_USAGE");
}

/** Pull-request labels separated by commas (or new lines, as the Action's pr-labels input allows); blanks are dropped. */
export function parseLabels(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((label) => label.trim())
    .filter(Boolean);
}
