import { runCommand, showUsage, defineCommand, type CommandDef } from "citty";
import { createRequire, enableCompileCache } from "node:module";
import { UserError } from "../shared/errors.ts";
import { keepHeapSmall } from "../shared/heap.ts";

// V8's code cache on disk (os.tmpdir()/node-compile-cache): the modules a command imports below
// (openai, zod, yaml, execa, the price table...) are compiled once per machine, not on every start.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off; a failure to write the cache is silent.
enableCompileCache();
keepHeapSmall();
// A reader that stops early (`| head`) closes the pipe: the output is no longer wanted, which is no error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };

const main = defineCommand({
  meta: { name: "nanocoder", version, description: "Run coding-agent tasks unattended: one patch, event log and cost line per task" },
  subCommands: {
    batch: () => import("./commands/batch.ts").then((module) => module.default),
    run: () => import("./commands/run.ts").then((module) => module.default),
    validate: () => import("./commands/validate.ts").then((module) => module.default),
    policy: () => import("./commands/policy.ts").then((module) => module.default),
    doctor: () => import("./commands/doctor.ts").then((module) => module.default),
    report: () => import("./commands/report.ts").then((module) => module.default),
  },
});

/** Exit codes: 0 all succeeded, 1 a task did not, 2 invalid input, 130 interrupted. */
async function start(rawArgs: string[]): Promise<void> {
  if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
    process.stdout.write(`${version}\n`);
    return;
  }
  try {
    if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
      await showUsage(...(await resolveForUsage(main, rawArgs)));
      return;
    }
    await runCommand(main, { rawArgs });
  } catch (error) {
    process.exitCode = report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof UserError) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (isCittyError(error)) {
    process.stderr.write(`${error.message}\nRun nanocoder --help for usage.\n`);
    return 2;
  }
  process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

/** citty's own usage errors (unknown command, missing argument) carry a code but no exported class. */
function isCittyError(error: unknown): error is Error {
  return error instanceof Error && error.name === "CLIError";
}

async function resolveForUsage(command: CommandDef, rawArgs: string[]): Promise<[CommandDef, CommandDef?]> {
  let current = command;
  let parent: CommandDef | undefined;
  for (const name of rawArgs.filter((arg) => !arg.startsWith("-"))) {
    const subCommands = (await resolveValue(current.subCommands)) as Record<string, () => Promise<CommandDef> | CommandDef> | undefined;
    const load = subCommands?.[name];
    if (!load) break;
    parent = current;
    current = await (typeof load === "function" ? load() : load);
  }
  return parent ? [current, parent] : [current];
}

async function resolveValue<T>(value: T | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : value;
}

await start(process.argv.slice(2));
