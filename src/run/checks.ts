import { createReadStream, createWriteStream } from "node:fs";
import { appendFile, mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import { join } from "node:path";
import type { Emit } from "../agent/events.ts";
import type { CheckOutcome } from "../report/types.ts";
import { formatDurationText } from "../shared/duration.ts";
import { killLeftoversAfterExit, killProcessGroup } from "../shared/process-tree.ts";
import type { Check } from "../task/check-schema.ts";
import type { WrapCommand } from "../tools/types.ts";
import { loadExeca } from "../shared/execa.ts";
import type { Redact } from "../report/redact.ts";
import type { HeldWorktreeState } from "../workspace/patch.ts";

/** After SIGTERM, the process tree gets this long before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** The end of a check's output read back from its log: far more than the tail the model gets. */
const OUTPUT_END_BYTES = 64 * 1024;
/** What of a check's output goes back to the model and into events: its end, where the failures are. */
const TAIL_MAX_LINES = 80;
const TAIL_MAX_BYTES = 4_096;
/** What reports and the task line show of a failed check: enough lines to say why, few enough to read. */
const REPORT_TAIL_LINES = 20;
const REPORT_TAIL_BYTES = 2_048;

export interface CheckRun extends CheckOutcome {
  command: string;
  timeout_ms: number;
  /** The end of stdout and stderr (64 KB at most), interleaved as written; the whole is in the check's log. */
  output: string;
  /** Lines of the whole output, when `output` may be only its end. */
  lines?: number;
}

export interface CheckContext {
  workspace: string;
  env: Record<string, string>;
  signal: AbortSignal;
  /** Where each run's whole output is saved: `<attempt>-<name-slug>.log`. */
  logDir: string;
  /** The same folder as results name the logs: relative to the run folder. Default: logDir. */
  logDirName?: string;
  /** Hides secrets in the saved output; none hidden when absent. */
  redact?: Redact;
  emit: Emit;
  /** How commands are spawned: e.g. inside an OS sandbox. Absent: as they are. */
  wrapCommand?: WrapCommand;
  /** The effect check after each check command (run/effects.ts): writes the policy refuses are undone. */
  afterCommand?(by: string): Promise<string[]>;
  /** Holds the worktree as the checks find it, put back after the last (workspace/patch.ts); absent, what they write stays. */
  holdWorktree?(): Promise<HeldWorktreeState>;
}

/** Runs the checks in order, up to the first that fails. Throws when the signal aborts, after killing the process tree. */
export async function runChecks(checks: readonly Check[], attempt: number, context: CheckContext): Promise<CheckRun[]> {
  await mkdir(context.logDir, { recursive: true });
  // A log's name comes from the check's name, which may hold a secret's value like its command.
  const slugs = checkSlugs(checks.map((check) => (context.redact ? context.redact(check.name) : check.name)));
  const runs: CheckRun[] = [];
  const held = await context.holdWorktree?.();
  try {
    for (const [index, check] of checks.entries()) {
      const file = `${attempt}-${slugs[index]}.log`;
      const run = await runCheck(check, attempt, { path: join(context.logDir, file), name: `${context.logDirName ?? context.logDir}/${file}` }, context);
      // The policy's verdict on what the check wrote comes first: a refused write is a violation, whoever made it.
      await context.afterCommand?.(`check "${check.name}"`);
      runs.push(run);
      const last = !run.passed || index === checks.length - 1;
      // The rest of what the checks wrote goes once the last has run, so that the patch holds the task's work
      // alone; not before, since a check may read what one before it built (`npm run build`, then its test).
      const undone = last ? ((await held?.putBack()) ?? []) : [];
      context.emit({
        type: "check_result", name: run.name, attempt, exit_code: run.exit_code, timed_out: run.timed_out, duration_ms: run.duration_ms,
        output_tail: outputTail(run.output, undefined, undefined, run.lines), ...(undone.length > 0 ? { undone } : {}),
      });
      if (last) break;
    }
  } catch (error) {
    // Stopped (a timeout, Ctrl-C): the partial patch holds no check's files either, as far as git can still say.
    await held?.putBack().catch(() => undefined);
    throw error;
  } finally {
    await held?.release();
  }
  return runs;
}

/**
 * Runs one check with its output going straight to `logPath` (stdout and stderr interleaved as written,
 * however long: nothing is held in memory), then reads back the end of it.
 */
async function runCheck(
  check: Check, attempt: number, log: { path: string; name: string }, { workspace, env, signal, emit, redact, wrapCommand }: CheckContext,
): Promise<CheckRun> {
  const logPath = log.path;
  emit({ type: "check_start", name: check.name, command: check.run, attempt });
  const started = Date.now();
  const rawPath = `${logPath}.partial`;
  await writeFile(rawPath, "");
  const result = await runCommandToLog(check.run, rawPath, { workspace, env, signal, timeoutMs: check.timeout_ms, ...(wrapCommand ? { wrapCommand } : {}) });
  const ran = result.exitCode !== undefined || result.timedOut;
  if (!ran) await appendFile(rawPath, `${result.shortMessage}\n`);
  await saveLog(rawPath, logPath, redact);
  if (result.isCanceled) throw new Error(`check "${check.name}" was stopped; its process tree was killed`);
  const output = await readEnd(logPath, OUTPUT_END_BYTES);
  const lines = await countLines(logPath);
  const exitCode = result.timedOut ? null : (result.exitCode ?? null);
  const passed = exitCode === 0;
  const run: CheckRun = {
    name: check.name,
    command: check.run,
    passed,
    exit_code: exitCode,
    timed_out: result.timedOut,
    duration_ms: Date.now() - started,
    log: log.name,
    // The saved log is already redacted: its tail holds no secret.
    ...(passed ? {} : { output_tail: outputTail(asShown(output), REPORT_TAIL_LINES, REPORT_TAIL_BYTES, lines) }),
    timeout_ms: check.timeout_ms,
    output,
    lines,
  };
  return run;
}

export interface LoggedCommandOptions {
  workspace: string;
  env: Record<string, string>;
  signal: AbortSignal;
  timeoutMs: number;
  wrapCommand?: WrapCommand;
}

/**
 * Runs `bash -c command` (inside the sandbox when `wrapCommand` says so) with stdout and stderr appended to
 * `logPath` as written, and its whole process tree killed when it ends, times out or is cancelled. Checks
 * and the setup step run their commands this way.
 */
export async function runCommandToLog(command: string, logPath: string, { workspace, env, signal, timeoutMs, wrapCommand }: LoggedCommandOptions) {
  const plain = { file: "bash", args: ["-c", command], env };
  const spawn = wrapCommand ? wrapCommand(plain) : plain;
  const { execa } = await loadExeca();
  // Both streams append to one file, so their lines interleave as written.
  const toLog = { file: logPath, append: true };
  const subprocess = execa(spawn.file, spawn.args, {
    cwd: workspace,
    env: spawn.env,
    extendEnv: false,
    stdin: "ignore",
    stdout: toLog,
    stderr: toLog,
    reject: false,
    timeout: timeoutMs,
    cancelSignal: signal,
    killDescendants: true,
    forceKillAfterDelay: KILL_GRACE_MS,
  });
  killLeftoversAfterExit(subprocess);
  const result = await subprocess;
  killProcessGroup(subprocess.pid);
  return result;
}

/** Moves the raw output to its log, line by line through `redact` when there are secrets to hide. */
export async function saveLog(rawPath: string, logPath: string, redact: Redact | undefined): Promise<void> {
  if (!redact) {
    await rename(rawPath, logPath);
    return;
  }
  const lines = createInterface({ input: createReadStream(rawPath), crlfDelay: Number.POSITIVE_INFINITY });
  const out = createWriteStream(logPath);
  let first = true;
  for await (const line of lines) {
    if (!first && !out.write("\n")) await once(out, "drain");
    first = false;
    if (!out.write(redact(line))) await once(out, "drain");
  }
  if (await endsWithNewline(rawPath)) out.write("\n");
  out.end();
  await finished(out);
  await rm(rawPath, { force: true });
}

async function endsWithNewline(path: string): Promise<boolean> {
  return (await readEnd(path, 1)) === "\n";
}

/** Lines in a file, the last one counted whether or not a newline ends it. */
async function countLines(path: string): Promise<number> {
  let newlines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) newlines++;
    last = chunk.at(-1) ?? last;
  }
  return last === 0x0a ? newlines : newlines + 1;
}

/** The last `maxBytes` bytes of a file as text, starting at a whole UTF-8 character. */
export async function readEnd(path: string, maxBytes: number): Promise<string> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    return lastBytes(buffer.toString("utf8"), maxBytes);
  } finally {
    await file.close();
  }
}

// --- pure helpers ---

/** "failed with exit code 1", "timed out after 5m", "could not run". */
export function describeCheckFailure(run: CheckRun): string {
  if (run.timed_out) return `timed out after ${formatDurationText(run.timeout_ms)}`;
  if (run.exit_code === null) return "could not run";
  return `failed with exit code ${run.exit_code}`;
}

/** The user message that sends a failed check back to the model. `attemptsLeft` counts the attempt about to start. */
export function checkFailureMessage(run: CheckRun, attemptsLeft: number): string {
  const command = run.command === run.name ? "" : ` (\`${run.command}\`)`;
  const tail = outputTail(run.output, undefined, undefined, run.lines);
  const fence = "`".repeat(Math.max(3, longestBacktickRun(tail) + 1));
  const left = attemptsLeft <= 1 ? "This is the last attempt." : `${attemptsLeft - 1} more attempt(s) after this one.`;
  return [
    `You finished, but the check "${run.name}"${command} ${describeCheckFailure(run)}. Its output:`,
    "",
    fence,
    tail === "" ? "(no output)" : tail,
    fence,
    "",
    `Fix the cause and call finish when you are done: the checks then run again. ${left}`,
  ].join("\n");
}

/** The end of a check's output, at most TAIL_MAX_LINES lines and TAIL_MAX_BYTES bytes, saying when it was cut. */
export function outputTail(output: string, maxLines = TAIL_MAX_LINES, maxBytes = TAIL_MAX_BYTES, totalLines?: number): string {
  const lines = output.replace(/\n$/, "").split("\n");
  const total = Math.max(totalLines ?? lines.length, lines.length);
  let kept = lines.slice(-maxLines);
  while (kept.length > 1 && Buffer.byteLength(kept.join("\n")) > maxBytes) kept = kept.slice(1);
  let text = kept.join("\n");
  if (Buffer.byteLength(text) > maxBytes) text = lastBytes(text, maxBytes);
  const cut = kept.length < total || text !== kept.join("\n");
  return cut ? `[output cut: the last ${kept.length} of ${total} lines]\n${text}` : text;
}

/** A file name for each check, from its name: lower-case letters, digits and "-", unique within the task. */
export function checkSlugs(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = checkSlug(name);
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    return slug;
  });
}

export function checkSlug(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60).replace(/^-+|-+$/g, "");
  return slug === "" ? "check" : slug;
}

/**
 * Output as a terminal would have shown it, fit for a report: colour and other escape sequences taken out,
 * and of a line redrawn with carriage returns (a progress bar) only what was drawn last.
 */
export function asShown(output: string): string {
  return output
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g, "")
    .split("\n")
    .map((line) => line.replace(/\r+$/, "").split("\r").at(-1) ?? "")
    .join("\n")
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}

function lastBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  let start = bytes.length - maxBytes;
  // Never start in the middle of a UTF-8 character.
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString("utf8");
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
