import { execa } from "execa";
import { UserError } from "../shared/errors.ts";

/**
 * Git runs with the GIT_* variables of the caller removed (a pre-commit hook sets GIT_INDEX_FILE,
 * which would point our commands at the user's index) and with hooks switched off.
 */
export async function git(args: string[], cwd: string): Promise<string> {
  const result = await execa("git", ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", ...args], {
    cwd,
    env: gitEnv(),
    extendEnv: false,
    stripFinalNewline: false,
    reject: false,
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.exitCode !== 0) {
    throw new Error(`git ${args.join(" ")} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

function gitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("GIT_")) env[name] = value;
  }
  return env;
}

/** The top of the git repository that holds `cwd`; a user error outside one. */
export async function findRepoRoot(cwd: string): Promise<string> {
  try {
    return (await git(["rev-parse", "--show-toplevel"], cwd)).trim();
  } catch {
    throw new UserError(
      `${cwd} is not inside a git repository. nanocoder batch runs each task in a git worktree of your repository; run it from inside one (git init && git commit if needed).`,
      "E_NOT_GIT",
    );
  }
}

/** The full commit id of `ref`; a user error when it names no commit. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  try {
    return (await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], root)).trim();
  } catch {
    const hint = ref === "HEAD" ? "the repository has no commits yet; commit something first" : "pass --base with a branch, tag or commit id";
    throw new UserError(`--base ${ref}: no such commit (${hint})`, "E_BAD_BASE");
  }
}
