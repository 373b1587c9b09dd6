/**
 * Several runs of a bundled entry point (the Action's, the command line's) in one node process that loads the
 * bundle once (step-driver.ts), instead of a process each: some 0.5-0.7 s of CPU less a run. For runs in which
 * no task starts (a refused input or flag, a shard holding no task, run folders merged, their pull requests
 * opened or not), which leave nothing behind in the process that the next one could see; a run of tasks gets a
 * process of its own.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const DRIVER = fileURLToPath(new URL("./step-driver.ts", import.meta.url));

export interface Step {
  /** The module to import for the run: what node would run for it. */
  entry: string;
  /** The arguments after the entry point (process.argv.slice(2)). */
  argv: string[];
  cwd: string;
  /** The run's whole environment. */
  env: Record<string, string>;
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, interleaved. */
  output: string;
}

export interface Steps {
  run(step: Step): Promise<StepResult>;
  close(): Promise<void>;
}

/** `summaryFile`: the one file that every step's job summary goes through (see step-driver.ts). */
export function startSteps(summaryFile: string, env: Record<string, string> = {}): Steps {
  const child = spawn(process.execPath, [DRIVER, summaryFile], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["pipe", "pipe", "pipe", "pipe"] });
  // Anything the driver itself prints (not a step's output, which it captures) is kept for the failure message.
  let own = "";
  child.stdout?.on("data", (data: Buffer) => (own += data.toString()));
  child.stderr?.on("data", (data: Buffer) => (own += data.toString()));
  const waiting: { resolve: (result: StepResult) => void; reject: (error: Error) => void }[] = [];
  const closed = new Promise<void>((resolve) =>
    child.on("close", (code) => {
      for (const step of waiting.splice(0)) step.reject(new Error(`step driver exited with ${String(code)}: ${own}`));
      resolve();
    }),
  );
  let pending = "";
  (child.stdio[3] as NodeJS.ReadableStream).on("data", (data: Buffer) => {
    pending += data.toString();
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
      waiting.shift()?.resolve(JSON.parse(pending.slice(0, end)) as StepResult);
      pending = pending.slice(end + 1);
    }
  });
  return {
    run: (step) => {
      const result = new Promise<StepResult>((resolve, reject) => waiting.push({ resolve, reject }));
      child.stdin?.write(`${JSON.stringify(step)}\n`);
      return result;
    },
    close: async () => {
      // Every step has answered: nothing is cut short, whatever the bundle left open (a socket, a timer).
      child.stdin?.end();
      child.kill();
      await closed;
    },
  };
}
