/**
 * Runs a bundled entry point once for each step asked for on stdin, all in this one process: each step a line
 * of JSON, `{entry, argv, cwd, env}`, answered on fd 3 by a line `{code, stdout, stderr, output}` (`output`:
 * stdout and stderr as they came, interleaved). For each step the process's environment is replaced by the
 * step's, its working folder and argv set, and the entry point imported again: a new query string makes a new
 * module, while the chunks it imports are loaded once. What it prints and the exit code it sets are the
 * step's. The Actions toolkit keeps the first job summary path it was given, so every step's summary goes
 * through one file (argv[2]) and is copied to the step's own. See steps.ts.
 */
import { copyFileSync, createWriteStream, writeFileSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

interface Step {
  entry: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

enableCompileCache();
const sharedSummary = process.argv[2] ?? "";
const ownArgv = [...process.argv];
const results = createWriteStream("", { fd: 3 });
const streams = [process.stdout, process.stderr] as const;
const writes = streams.map((stream) => stream.write);
let steps = 0;

for await (const line of createInterface({ input: process.stdin })) {
  const { entry, argv, cwd, env } = JSON.parse(line) as Step;
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env, env.GITHUB_STEP_SUMMARY ? { GITHUB_STEP_SUMMARY: sharedSummary } : {});
  if (env.GITHUB_STEP_SUMMARY) writeFileSync(sharedSummary, "");
  process.argv = [process.execPath, entry, ...argv];
  process.chdir(cwd);
  process.exitCode = 0;
  const printed = { stdout: "", stderr: "", output: "" };
  const errorListeners = streams.map((stream) => stream.listeners("error"));
  streams.forEach((stream, at) => {
    const name = at === 0 ? "stdout" : "stderr";
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
      printed[name] += text;
      printed.output += text;
      const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
  });
  try {
    await import(`${pathToFileURL(entry).href}?step=${++steps}`);
  } catch (error) {
    // What escapes the entry point fails the step, as node would print it and exit 1 in a process of its own.
    const text = `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
    printed.stderr += text;
    printed.output += text;
    process.exitCode = 1;
  } finally {
    streams.forEach((stream, at) => {
      stream.write = writes[at] as typeof stream.write;
      // The listeners the step's entry point added (the CLI's EPIPE handler) go with it.
      for (const listener of stream.listeners("error")) if (!errorListeners[at]?.includes(listener)) stream.off("error", listener as () => void);
    });
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  process.argv = ownArgv;
  if (env.GITHUB_STEP_SUMMARY) copyFileSync(sharedSummary, env.GITHUB_STEP_SUMMARY);
  results.write(`${JSON.stringify({ code, ...printed })}\n`);
}
