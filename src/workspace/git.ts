import { spawn } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UserError } from "../shared/errors.ts";

/**
 * Git runs with the GIT_* variables of the caller removed (a pre-commit hook sets GIT_INDEX_FILE,
 * which would point our commands at the user's index), with hooks switched off and no prompt for a
 * password, and with `env` added (a temporary index, an identity, push credentials). The one git runner
 * of the program; `input` is its standard input.
 */
export async function git(args: string[], cwd: string, env: Record<string, string> = {}, input?: string): Promise<string> {
  return (await capture("git", [...GIT_OPTIONS, ...args], cwd, `git ${args.join(" ")}`, [], env, input)).stdout.toString("utf8");
}

/** Like git, but only says whether git succeeded. */
export async function gitSucceeds(args: string[], cwd: string, env: Record<string, string> = {}): Promise<boolean> {
  return await git(args, cwd, env).then(
    () => true,
    () => false,
  );
}

/**
 * A shell script of git commands (each built with gitCommand); its output as bytes (a patch of a file that
 * is not UTF-8 stays as it is). One shell starts them all: starting a process from a large Node process
 * costs more than from a small shell. `what` names the work in an error.
 */
export async function gitScript(script: string, cwd: string, what: string): Promise<Buffer> {
  return (await capture("/bin/sh", ["-c", script], cwd, what)).stdout;
}

/** Exit status of the shell when the later script failed after the first one succeeded. */
const LATER_SCRIPT_FAILED = 97;

/**
 * `script` as in gitScript, then `later` in the same process, whose failure keeps the output of the first
 * (and whose own output is dropped).
 */
export async function gitScriptThen(script: string, later: string, cwd: string, what: string): Promise<{ output: Buffer; laterSucceeded: boolean }> {
  const whole = `${script} || exit $?\n{ ${later}; } >/dev/null || exit ${LATER_SCRIPT_FAILED}`;
  const { stdout, code } = await capture("/bin/sh", ["-c", whole], cwd, what, [LATER_SCRIPT_FAILED]);
  return { output: stdout, laterSucceeded: code === 0 };
}

const GIT_OPTIONS = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

/** One git command as shell text, every word quoted, with `env` set for it alone. */
export function gitCommand(args: string[], env: Record<string, string> = {}): string {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value)} `);
  return assignments.join("") + ["git", ...GIT_OPTIONS, ...args].map(shellQuote).join(" ");
}

/** One word for /bin/sh, quoted so that nothing in it is special. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Plain child_process: git runs several times per task, and a lean spawn keeps that cheap. */
function capture(file: string, args: string[], cwd: string, what: string, alsoFine: number[] = [], env: Record<string, string> = {}, input?: string): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: { ...gitEnv(), ...env }, stdio: ["pipe", "pipe", "pipe"] });
    // No input is an empty standard input, closed at once: git never waits on the terminal's.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0 || (code !== null && alsoFine.includes(code))) return resolve({ stdout: Buffer.concat(stdout), code });
      const status = signal ? `signal ${signal}` : `exit ${code}`;
      reject(new Error(`${what} failed (${status}): ${Buffer.concat(stderr).toString("utf8").trim()}`));
    });
  });
}

function gitEnv(): Record<string, string> {
  // Unattended: a remote that wants a password fails instead of waiting for one.
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: "0" };
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

/**
 * The top of the repository that holds `cwd` and the full commit id of `ref` there, from one git process (a
 * run needs both first). `commit` is undefined when `ref` names no commit: resolveCommit then says why. Where
 * git fails otherwise, findRepoRoot runs alone and says why.
 */
export async function findRepoRootAndCommit(cwd: string, ref: string): Promise<{ root: string; commit: string | undefined }> {
  // `--verify --quiet` exits 1, with the top still printed, when the ref names no commit.
  const found = await capture("git", [...GIT_OPTIONS, "rev-parse", "--show-toplevel", "--verify", "--quiet", `${ref}^{commit}`], cwd, "git rev-parse", [1]).catch(() => undefined);
  const lines = found?.stdout.toString("utf8").replace(/\n$/, "").split("\n") ?? [];
  const commit = found?.code === 0 && lines.length > 1 ? lines.pop() : undefined;
  const root = lines.join("\n").trim();
  if (!root) return { root: await findRepoRoot(cwd), commit: undefined };
  return { root, commit };
}

/** The full commit id of `ref`; a user error when it names no commit. */
export async function resolveCommit(root: string, ref: string, given = true): Promise<string> {
  try {
    return (await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], root)).trim();
  } catch {
    // HEAD by default, not by --base: the message names no flag the user did not give.
    if (!given) throw new UserError(`the repository has no commits yet, and tasks start from a commit: commit something first, or stage the files and pass --staged`, "E_BAD_BASE");
    const empty = ref === "HEAD" || !(await gitSucceeds(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root));
    const hint = empty ? "the repository has no commits yet; commit something first" : "pass --base with a branch, tag or commit id";
    throw new UserError(`--base ${ref}: no such commit (${hint})`, "E_BAD_BASE");
  }
}

/** Who the commit of the staged changes is by: fixed, so it works where git has no user.name. */
const STAGED_COMMIT_IDENTITY = {
  GIT_AUTHOR_NAME: "nanocoder",
  GIT_AUTHOR_EMAIL: "nanocoder@localhost",
  GIT_COMMITTER_NAME: "nanocoder",
  GIT_COMMITTER_EMAIL: "nanocoder@localhost",
};

/**
 * A commit of the index `indexFile` (default: the repository's own), on top of HEAD when there is one, else
 * without parent. No ref moves. git reads a copy of the index: in a hook, git holds the lock on it.
 */
export async function commitIndex(root: string, indexFile?: string): Promise<string> {
  const source = indexFile ?? resolve(root, (await git(["rev-parse", "--git-path", "index"], root)).trim());
  const scratch = await mkdtemp(join(tmpdir(), "nanocoder-index-"));
  try {
    const copy = join(scratch, "index");
    // No index file yet (nothing ever staged) is an empty index: git writes the empty tree for it.
    await copyFile(source, copy).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
    const tree = (await gitScript(gitCommand(["write-tree"], { GIT_INDEX_FILE: copy }), root, "git write-tree")).toString("utf8").trim();
    const head = await git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root).then((id) => id.trim(), () => undefined);
    const args = ["commit-tree", tree, ...(head ? ["-p", head] : []), "-m", "nanocoder: the staged changes"];
    return (await gitScript(gitCommand(args, STAGED_COMMIT_IDENTITY), root, "git commit-tree")).toString("utf8").trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
