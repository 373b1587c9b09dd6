import { access, constants } from "node:fs/promises";
import path from "node:path";
import type { Result } from "execa";
import { killLeftoversAfterExit, killProcessGroup } from "../shared/process-tree.ts";
import { z } from "zod";
import { truncateMiddle } from "./truncate.ts";
import { defineTool } from "./types.ts";
import { loadExeca } from "../shared/execa.ts";

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_TIMEOUT_MS = 600_000;
/** After SIGTERM, the process tree gets this long before SIGKILL. */
const KILL_GRACE_MS = 2_000;
const MAX_OUTPUT_BYTES = 16_000;
/** Output kept in memory while the command runs; only head and tail are shown anyway. */
const MAX_BUFFER_CHARS = 10_000_000;

export const parameters = z.object({
  command: z.string().min(1).describe("The bash command line to run, from the workspace root. Each call starts a fresh shell: cd and variables do not carry over."),
  timeout_ms: z.number().int().min(1).optional()
    .describe(`Stop the command after this many milliseconds. Defaults to ${DEFAULT_TIMEOUT_MS}, at most ${MAX_TIMEOUT_MS}.`),
});

export default defineTool({
  name: "execute_bash",
  description: "Run a shell command in the workspace (bash -c) and return its exit code and combined stdout/stderr. " +
    "There is no terminal and no input: use non-interactive flags. Long output is cut in the middle. " +
    "To read, search or edit files, prefer the file tools.",
  parameters,
  accesses: (args) => [{ kind: "command", command: args.command }],
  async execute(args, ctx) {
    const timeout = Math.min(args.timeout_ms ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS);
    const plain = { file: await findShell(ctx.env), args: ["-c", args.command], env: ctx.env };
    const spawn = ctx.wrapCommand ? ctx.wrapCommand(plain) : plain;
    const { execa } = await loadExeca();
    const subprocess = execa(spawn.file, spawn.args, {
      cwd: ctx.workspace,
      env: spawn.env,
      extendEnv: false,
      stdin: "ignore",
      all: true,
      reject: false,
      timeout,
      cancelSignal: ctx.signal,
      killDescendants: true,
      forceKillAfterDelay: KILL_GRACE_MS,
      maxBuffer: MAX_BUFFER_CHARS,
    });
    const leftovers = killLeftoversAfterExit(subprocess);
    const result = await subprocess;
    const leftBehind = killProcessGroup(subprocess.pid);
    if (leftBehind && !result.timedOut && !result.isMaxBuffer && !result.isCanceled) leftovers.killed = true;
    if (result.isCanceled) throw new Error("the command was cancelled; its process tree was killed");
    const output = result.all === "" ? "(no output)" : truncateMiddle(result.all, MAX_OUTPUT_BYTES);
    const note = leftovers.killed ? `\n[background processes still running when the command ended were killed]` : "";
    return `${renderStatus(result, timeout)}\n${output}${note}`;
  },
});

// --- internal ---

/** bash from the command's PATH or the usual places, else sh (minimal images ship without bash). */
async function findShell(env: Record<string, string>): Promise<string> {
  const folders = [...(env.PATH ?? "").split(path.delimiter).filter(Boolean), "/bin", "/usr/bin", "/usr/local/bin"];
  for (const folder of folders) {
    const candidate = path.join(folder, "bash");
    if (await isExecutable(candidate)) return candidate;
  }
  return "/bin/sh";
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(() => true, () => false);
}

type Outcome = Pick<Result, "timedOut" | "isMaxBuffer" | "exitCode" | "signal" | "shortMessage">;

function renderStatus(result: Outcome, timeout: number): string {
  if (result.timedOut) return `timed out after ${timeout} ms; the process tree was killed`;
  if (result.isMaxBuffer) return `stopped: the output passed ${MAX_BUFFER_CHARS} characters; the process tree was killed`;
  if (result.exitCode !== undefined) return `exit code: ${result.exitCode}`;
  if (result.signal !== undefined) return `killed by signal ${result.signal}`;
  return `could not run the command: ${result.shortMessage}`;
}
