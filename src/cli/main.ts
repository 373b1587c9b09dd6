#!/usr/bin/env node
import { runCommand, showUsage, defineCommand, type CommandDef } from "citty";
import { createRequire } from "node:module";
import { UserError } from "../shared/errors.ts";

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
  const name = rawArgs.find((arg) => !arg.startsWith("-"));
  const subCommands = command.subCommands as Record<string, () => Promise<CommandDef>> | undefined;
  const load = name ? subCommands?.[name] : undefined;
  return load ? [await load(), command] : [command];
}

await start(process.argv.slice(2));
