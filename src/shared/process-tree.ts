import type { ResultPromise } from "execa";

/** After the shell exits, how long its background jobs may keep the output open before they are killed. */
const LEFTOVER_GRACE_MS = 500;

/**
 * A background job (`server &`) keeps the output pipes open, so the command would wait for its timeout.
 * Once the shell itself has exited, give the output a moment to drain, then end what is left of the tree.
 */
export function killLeftoversAfterExit(subprocess: ResultPromise): { killed: boolean } {
  const state = { killed: false };
  const pid = subprocess.pid;
  if (pid !== undefined) {
    running.add(pid);
    subprocess.finally(() => running.delete(pid)).catch(() => {});
  }
  subprocess.nodeChildProcess.once("exit", () => {
    const timer = setTimeout(() => {
      state.killed = subprocess.kill();
    }, LEFTOVER_GRACE_MS);
    subprocess.finally(() => clearTimeout(timer)).catch(() => {});
  });
  return state;
}

/**
 * Ends what is left of the command's process group once the command is over: a background job whose output
 * went elsewhere (`server >log 2>&1 &`) lets the command end at once and would outlive it. True when
 * something was left. The group exists only while some process of it runs, so nothing else is hit.
 */
export function killProcessGroup(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}

/** Process groups of the commands and checks running now, for a quit that cannot wait for them. */
const running = new Set<number>();

/**
 * Counts a long-lived process group (an MCP server) among the running ones, so a second Ctrl-C ends it too.
 * Returns the call that forgets it again, once it has exited.
 */
export function trackProcessGroup(pid: number): () => void {
  running.add(pid);
  return () => running.delete(pid);
}

/** Ends every running command's process group at once: the second Ctrl-C quits without waiting. */
export function killRunningCommands(): void {
  for (const pid of running) killProcessGroup(pid);
}
