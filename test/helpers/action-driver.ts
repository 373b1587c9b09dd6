/**
 * Runs the bundled Action's entry point (argv[2]) once for each step asked for on stdin, in this one process:
 * each step a line of JSON, `{cwd, env}`, answered on fd 3 by a line `{code, stdout}`. For each, the process's
 * environment is replaced by the step's and its working folder set, the entry point is imported again (a new
 * query string makes a new module; the bundle's chunk it imports is loaded once), and what it prints to stdout
 * and stderr, and the exit code it sets, are the step's. @actions/core keeps the first job summary path it
 * was given, so every step's summary goes through one file (argv[3]) and is copied to the step's own.
 * See startActionSteps in action.ts.
 */
import { copyFileSync, createWriteStream, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [entry = "", sharedSummary = ""] = process.argv.slice(2);
const results = createWriteStream("", { fd: 3 });
const streams = [process.stdout, process.stderr];
const writes = streams.map((stream) => stream.write);
let steps = 0;

for await (const line of createInterface({ input: process.stdin })) {
  const { cwd, env } = JSON.parse(line) as { cwd: string; env: Record<string, string> };
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env, { GITHUB_STEP_SUMMARY: sharedSummary });
  writeFileSync(sharedSummary, "");
  process.chdir(cwd);
  process.exitCode = 0;
  let stdout = "";
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
      const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
  }
  try {
    await import(`${pathToFileURL(entry).href}?step=${++steps}`);
  } catch (error) {
    // The entry point catches what the Action throws; anything escaping it fails the step, as in its own process.
    stdout += `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
    process.exitCode = 1;
  } finally {
    streams.forEach((stream, at) => (stream.write = writes[at] as typeof stream.write));
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  if (env.GITHUB_STEP_SUMMARY) copyFileSync(sharedSummary, env.GITHUB_STEP_SUMMARY);
  results.write(`${JSON.stringify({ code, stdout })}\n`);
}
