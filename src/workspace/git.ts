import { spawn } from "node:child_process";
import { UserError } from "../shared/errors.ts";

/**
 * Git runs with the GIT_* variables of the caller removed (a pre-commit hook sets GIT_INDEX_FILE,
 * which would point our commands at the user's index) and with hooks switched off.
 */
export async function git(args: string[], cwd: string): Promise<string> {
  return (await gitBytes(args, cwd)).toString("utf8");
}

/**
 * Git's output as bytes, for output that holds file contents (a patch of a file that is not UTF-8).
 * Plain child_process: git runs several times per task, and a lean spawn keeps that cheap.
 */
export function gitBytes(args: string[], cwd: string): Promise<Buffer> {
  return capture("git", [...GIT_OPTIONS, ...args], cwd, `git ${args.join(" ")}`);
}

/**
 * Several git commands in a row, stopping at the first that fails; their output together. One shell
 * starts them: starting a process from a large Node process costs more than from a small shell.
 */
export async function gitSteps(steps: string[][], cwd: string): Promise<string> {
  const script = steps.map((args) => ["git", ...GIT_OPTIONS, ...args].map(shellQuote).join(" ")).join(" && ");
  const what = steps.map((args) => `git ${args.join(" ")}`).join(" && ");
  return (await capture("/bin/sh", ["-c", script], cwd, what)).toString("utf8");
}

const GIT_OPTIONS = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

function capture(file: string, args: string[], cwd: string, what: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(stdout));
      const status = signal ? `signal ${signal}` : `exit ${code}`;
      reject(new Error(`${what} failed (${status}): ${Buffer.concat(stderr).toString("utf8").trim()}`));
    });
  });
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
