import { runCommand, showUsage, defineCommand, type CommandDef } from "citty";
import { createRequire } from "node:module";
import type { Ending } from "../shared/exit-codes.ts";
import { keepHeapSmall } from "../shared/heap.ts";

// The compile cache is enabled by src/cli/main.ts, the entry, before this module loads.
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

/**
 * Runs the command named in rawArgs and sets the exit code: the only place that decides it. A command
 * returns its Outcome; an error that stops it is printed here (a message alone for the user's and the
 * provider's errors, a stack for anything else). The codes are in exit-codes.ts.
 */
async function start(rawArgs: string[]): Promise<void> {
  if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
    process.stdout.write(`${version}\n`);
    return;
  }
  // Loaded past --version, which answers without them: they bring zod, some 0.05 s of CPU to load.
  const [{ endingOfError, EXIT_CODES, outcomeOf }, { renderJsonError, wantsJson }] = await Promise.all([import("../shared/exit-codes.ts"), import("./json-output.ts")]);
  try {
    const target = await findCommand(main, rawArgs);
    if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
      await showUsage(target.command, target.parent);
      return;
    }
    // citty hands the result of a subcommand's run to no one: the command found is run directly.
    const { result } = await runCommand(target.command, { rawArgs: target.rawArgs });
    process.exitCode = EXIT_CODES[outcomeOf(result)];
  } catch (error) {
    const ending = endingOfError(error);
    process.stderr.write(describeError(error, ending));
    // A tool reading --json or --jsonl output learns of the error where it reads.
    if (wantsJson(rawArgs)) process.stdout.write(`${renderJsonError(error, ending)}\n`);
    process.exitCode = EXIT_CODES[ending];
  }
}

function describeError(error: unknown, ending: Ending): string {
  if (ending === "internal_error") return `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof Error && error.name === "CLIError" ? `${message}\nRun nanocoder --help for usage.\n` : `${message}\n`;
}

/**
 * The (sub)command rawArgs name, its parent, and the arguments left for it. A name that is no subcommand
 * stops the walk: citty then reports it as an unknown command.
 */
async function findCommand(command: CommandDef, rawArgs: string[], parent?: CommandDef): Promise<{ command: CommandDef; parent?: CommandDef; rawArgs: string[] }> {
  const found = { command, rawArgs, ...(parent ? { parent } : {}) };
  const subCommands = (await resolveValue(command.subCommands)) as Record<string, () => Promise<CommandDef> | CommandDef> | undefined;
  // The commands that have subcommands take no flags of their own: the first word is the subcommand's name.
  const index = rawArgs.findIndex((arg) => arg === "--" || !arg.startsWith("-"));
  const name = rawArgs[index];
  if (!subCommands || name === undefined || name === "--" || !Object.hasOwn(subCommands, name)) return found;
  const load = subCommands[name];
  if (!load) return found;
  return findCommand(await (typeof load === "function" ? load() : load), rawArgs.slice(index + 1), command);
}

async function resolveValue<T>(value: T | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : value;
}

await start(process.argv.slice(2));
