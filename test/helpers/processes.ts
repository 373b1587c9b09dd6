import { readdirSync, readFileSync } from "node:fs";

export interface RunningProcess {
  pid: number;
  /** The process's command line, word by word, as `ps -o args` shows it joined by spaces. */
  args: string[];
}

/**
 * The processes running on the machine with their command lines, read from /proc in this process: a test
 * that waits for a process polls this often, and spawning `ps` for each look cost ten times the CPU.
 * Kernel threads and zombies have no command line and are left out (ps shows them as `[name]`).
 */
export function runningProcesses(): RunningProcess[] {
  const found: RunningProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue; // The process ended while the list was read.
    }
    if (cmdline === "") continue;
    found.push({ pid: Number(entry), args: cmdline.replace(/\0$/, "").split("\0") });
  }
  return found;
}
