import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSteps } from "./steps.ts";

export const ACTION = fileURLToPath(new URL("../../action/index.mjs", import.meta.url));

/**
 * Node's compile cache for the bundle, kept across the test run: each run of the Action otherwise compiles its
 * 7 MB again (as a runner does once per job), some 0.25 s of CPU a run. What the Action does is the same.
 */
const COMPILE_CACHE = join(tmpdir(), "nanocoder-test-compile-cache");

export interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionSetup {
  /** The checkout the Action runs in (GITHUB_WORKSPACE). */
  repo: string;
  /** A folder for HOME and the runner's output and summary files. */
  scratch: string;
  githubUrl: string;
  /** A name for this run's output and summary files. */
  name: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
}

/** Runs the bundled Action with node as the runner does: inputs as INPUT_*, outputs and summary in files. */
export function runBundledAction(setup: ActionSetup): Promise<ActionRun> {
  const { env, output, summary } = prepareStep(setup);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION], { cwd: setup.repo, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stdout += data.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve(finishedStep(code, stdout, output, summary)));
  });
}

/** The step's environment as the runner sets it, with its output and summary files made empty. */
function prepareStep({ repo, scratch, githubUrl, name, inputs, env: extra = {} }: ActionSetup): { env: Record<string, string>; output: string; summary: string } {
  const output = join(scratch, `${name}-output`);
  const summary = join(scratch, `${name}-summary.md`);
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: scratch,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: repo,
    GITHUB_REPOSITORY: "acme/widgets",
    GITHUB_API_URL: githubUrl,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GIT_AUTHOR_NAME: "Runner",
    GIT_AUTHOR_EMAIL: "runner@localhost",
    GIT_COMMITTER_NAME: "Runner",
    GIT_COMMITTER_EMAIL: "runner@localhost",
    NODE_COMPILE_CACHE: COMPILE_CACHE,
    ...extra,
  };
  for (const [key, value] of Object.entries(inputs)) env[`INPUT_${key.toUpperCase()}`] = value;
  return { env, output, summary };
}

function finishedStep(code: number | null, stdout: string, output: string, summary: string): ActionRun {
  return { code, stdout, outputs: parseOutputs(readFileSync(output, "utf8")), summary: readFileSync(summary, "utf8") };
}

/** Runs of the bundled Action in one node process; `close` ends the process. */
export interface ActionSteps {
  run(setup: ActionSetup): Promise<ActionRun>;
  close(): Promise<void>;
}

/**
 * Runs the bundled Action's entry point once per step, as runBundledAction does, but all in one node process
 * that loads the bundle once (steps.ts): some 0.7 s of CPU less for each run. For runs in which no task starts
 * (an input refused, a shard holding none); a run of tasks gets a process of its own (runBundledAction).
 */
export function startActionSteps(scratch: string): ActionSteps {
  const steps = startSteps(join(scratch, "steps-summary.md"), { NODE_COMPILE_CACHE: COMPILE_CACHE });
  return {
    run: async (setup) => {
      const { env, output, summary } = prepareStep(setup);
      const { code, output: stdout } = await steps.run({ entry: ACTION, argv: [], cwd: setup.repo, env });
      return finishedStep(code, stdout, output, summary);
    },
    close: () => steps.close(),
  };
}

/** The runner's GITHUB_OUTPUT file: `name<<DELIMITER`, the value, the delimiter. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1] ?? ""] = match[3] ?? "";
  return outputs;
}
