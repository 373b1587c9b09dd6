/**
 * Runs of the built command line in one node process (steps.ts) for the runs that stop before any task starts:
 * a refused flag, --help. Each is what runCli (cli.ts) gives, with some 0.5 s of CPU less: the command line's
 * modules are loaded once. Without the chunk this needs (a build laid out otherwise), each run is runCli's.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CLI, runCli, type CliResult } from "./cli.ts";
import { startSteps } from "./steps.ts";
import { scratchDir } from "./temp.ts";

export interface CliSteps {
  run(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult>;
  close(): Promise<void>;
}

/**
 * The chunk dist/cli/main.js imports once it has checked the Node version: the command line itself, which runs
 * the command that process.argv names as it loads.
 */
function cliChunk(): string | undefined {
  const imported = /await import\("\.\/(cli[\w-]*\.js)"\)/.exec(readFileSync(CLI, "utf8"))?.[1];
  return imported === undefined ? undefined : join(dirname(CLI), imported);
}

export function startCliSteps(): CliSteps {
  const entry = cliChunk();
  if (entry === undefined) return { run: (args, options) => runCli(args, options), close: async () => {} };
  // As runCli: an empty home, no variable of the machine running the tests; NO_COLOR as main.js sets it for a pipe.
  const home = scratchDir("nanocoder-test-home-");
  const steps = startSteps(join(home, "no-job-summary.md"));
  return {
    run: async (args, { cwd, env = {} }) => {
      const { code, stdout, stderr } = await steps.run({ entry, argv: args, cwd, env: { PATH: process.env.PATH ?? "", HOME: home, CI: "true", NO_COLOR: "1", ...env } });
      return { code, stdout, stderr };
    },
    close: () => steps.close(),
  };
}

/**
 * startCliSteps for a test file whose tests may each run alone (`vitest -t`): the process starts with the first
 * run asked for, and `close` ends it only if it started.
 */
export function lazyCliSteps(): CliSteps {
  let started: CliSteps | undefined;
  return {
    run: (args, options) => (started ??= startCliSteps()).run(args, options),
    close: async () => started?.close(),
  };
}
