import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a command left: its exit status (128 + n when signal n ended it), its output and its error output. */
export interface Finished {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

/**
 * Runs `script` (shell text) in `cwd`, with `env` as its whole environment and `input` (or nothing) as its
 * standard input, through one /bin/sh that the process starts once and keeps. Starting a process from Node
 * costs some 8 ms of CPU here (the kernel copies the page tables of a 90 MB process, and Node sets up three
 * pipes); from a shell of a few hundred KB it costs a fraction of that, and a run starts a dozen git
 * commands plus four per task. Each script is a background job of that shell, in a subshell of its own,
 * with its output in files of a private folder, so scripts run side by side as separate processes did. A
 * new shell takes over when `env` differs from the last one's, or when the last one was killed.
 */
export function runInShell(script: string, cwd: string, env: Record<string, string>, input?: string): Promise<Finished> {
  return runOnCurrentShell(script, cwd, env, input, false);
}

/** `again`: the script's first shell ended before starting it. A second such end is an error, not a third shell. */
function runOnCurrentShell(script: string, cwd: string, env: Record<string, string>, input: string | undefined, again: boolean): Promise<Finished> {
  const key = JSON.stringify(env);
  if (!current || current.retired || current.key !== key) {
    current?.retire();
    current = startShell(env, key);
  }
  return current.run(script, cwd, input, again);
}

interface Shell {
  key: string;
  /** Takes no more scripts: it has ended, or another shell took over. */
  readonly retired: boolean;
  run(script: string, cwd: string, input: string | undefined, again: boolean): Promise<Finished>;
  /** Takes no more scripts, and ends once those it has are done. */
  retire(): void;
}

let current: Shell | undefined;

/** What a script's wait ends with when its shell ended after starting it, before saying how it ended. */
const LOST = -1;
/** The same when its shell ended before starting it: it can go to another shell. */
const NOT_STARTED = -2;

function startShell(env: Record<string, string>, key: string): Shell {
  // Private to this process (0700): the scripts' output passes through it.
  const folder = mkdtempSync(join(tmpdir(), "nanocoder-sh-"));
  const child = spawn("/bin/sh", ["-s"], { env, stdio: ["pipe", "pipe", "ignore"] });
  // Pipes to a child are sockets: like the child, they can stop holding the process alive.
  const [commands, reports] = [child.stdin as Socket, child.stdout as Socket];
  // The shell ends when its input does: when it is retired, or when this process ends, however it ends.
  // Its jobs finish first. Retired, it leaves the folder to this process, which removes it once the shell
  // has ended and the last output is read (`ended`); else the shell removes it. Ctrl-C, which reaches the
  // whole process group, leaves the shell running: it has nothing to stop (its jobs ignore the signal, as a
  // shell's background jobs do).
  commands.write(`trap 'wait; [ -n "$retired" ] || rm -rf ${shellQuote(folder)}' EXIT; trap '' INT; trap 'exit 143' TERM HUP\n`);
  const hold = (on: boolean) => {
    for (const handle of [child, commands, reports]) {
      if (on) handle.ref();
      else handle.unref();
    }
  };
  hold(false);

  const waiting = new Map<number, (code: number) => void>();
  let next = 0;
  let retired = false;
  let over = false;
  /** Scripts whose files are still in the folder: it goes once the shell is over and none is left. */
  let open = 0;
  const removeFolderOnceDone = () => {
    if (over && open === 0) rmSync(folder, { recursive: true, force: true });
  };
  let unread = "";
  const retire = () => {
    if (retired) return;
    retired = true;
    commands.end("retired=1\n");
  };
  // Each line the shell writes is `<job> <exit status>`.
  reports.setEncoding("latin1");
  reports.on("data", (chunk: string) => {
    unread += chunk;
    for (let newline = unread.indexOf("\n"); newline >= 0; newline = unread.indexOf("\n")) {
      const [job = "", code = ""] = unread.slice(0, newline).split(" ");
      unread = unread.slice(newline + 1);
      waiting.get(Number(job))?.(Number(code));
      waiting.delete(Number(job));
    }
    if (waiting.size > 0) return;
    // The shell and its pipes hold the process alive only while a script runs.
    hold(false);
    // A finished job stays in the shell's table until waited for; all are finished now.
    if (!retired) commands.write("wait\n");
  });
  // Once the shell and every job that could still report are gone, what has not reported never will.
  const ended = () => {
    retired = true;
    // A job's subshell makes its output file first thing.
    for (const [job, settle] of waiting) settle(existsSync(join(folder, `${job}.out`)) ? LOST : NOT_STARTED);
    waiting.clear();
    hold(false);
    process.removeListener("beforeExit", waitForShell);
    over = true;
    removeFolderOnceDone();
  };
  // A process that ends by running out of work waits for its shell, so that nothing it started outlives it
  // and the shell's CPU time (its commands' included) is counted as its children's.
  const waitForShell = () => {
    retire();
    hold(true);
  };
  process.once("beforeExit", waitForShell);
  child.on("exit", () => (retired = true));
  child.on("close", ended);
  child.on("error", ended);
  commands.on("error", () => undefined);

  return {
    key,
    get retired() {
      return retired;
    },
    retire,
    async run(script, cwd, input, again) {
      const job = next++;
      const [out, err, given, text] = ["out", "err", "in", "sh"].map((name) => join(folder, `${job}.${name}`)) as [string, string, string, string];
      open++;
      try {
        // The script is read from a file by the job, never written into the shell's own commands: a script that
        // is not whole shell text (an unclosed quote) then fails alone, where it would swallow what comes after.
        // Written at once, not awaited: between choosing this shell and giving it the script nothing else may run,
        // or a caller with another environment could retire it in between (and each would retire the other's).
        writeFileSync(text, script);
        if (input !== undefined) writeFileSync(given, input);
        const code = await new Promise<number>((resolve) => {
          waiting.set(job, resolve);
          if (waiting.size === 1) hold(true);
          // No input is /dev/null: nothing waits on a terminal. `cd` and `exit` act on the job's subshell alone.
          const stdin = input === undefined ? "/dev/null" : shellQuote(given);
          commands.write(`{ (cd ${shellQuote(cwd)} || exit 126; . ${shellQuote(text)}) <${stdin} >${shellQuote(out)} 2>${shellQuote(err)}; echo "${job} $?"; } &\n`);
        });
        // A shell that was killed leaves its scripts to the next one; one that ends again before starting the
        // script has something wrong with it that another shell would not mend.
        if (code === NOT_STARTED && again) throw new Error("the shell that runs git ended twice before starting the command");
        if (code === NOT_STARTED) return await runOnCurrentShell(script, cwd, env, input, true);
        if (code === LOST) throw new Error("the shell that runs git ended before the command did");
        const [stdout, stderr] = await Promise.all([readFile(out), readFile(err)]);
        return { code, stdout, stderr };
      } finally {
        await Promise.all([out, err, given, text].map((file) => rm(file, { force: true })));
        open--;
        removeFolderOnceDone();
      }
    },
  };
}

/** One word for /bin/sh, quoted so that nothing in it is special. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
