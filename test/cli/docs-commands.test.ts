/**
 * The commands the README and docs/ show must be ones the CLI takes: every `nanocoder …` line of their code
 * blocks passes the command's own flag check, and the README's options table lists exactly the flags of
 * `batch`, `run` and `report merge`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ArgsDef, CommandDef } from "citty";
import { describe, expect, it } from "vitest";
import { rejectUnknownFlags } from "../../src/cli/args.ts";
import batch from "../../src/cli/commands/batch.ts";
import doctor from "../../src/cli/commands/doctor.ts";
import policy from "../../src/cli/commands/policy.ts";
import report from "../../src/cli/commands/report.ts";
import run from "../../src/cli/commands/run.ts";
import validate from "../../src/cli/commands/validate.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const files = ["README.md", ...readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

// citty's CommandDef is generic in its args; the commands differ, and only their args are read here.
const COMMANDS = { batch, run, validate, doctor, policy, report } as unknown as Record<string, CommandDef<ArgsDef>>;

async function argsOf(words: string[]): Promise<{ args: ArgsDef; rest: string[] }> {
  let command = COMMANDS[words[0] ?? ""];
  let rest = words.slice(1);
  const subCommands = command?.subCommands as Record<string, CommandDef<ArgsDef>> | undefined;
  if (subCommands && rest[0] && rest[0] in subCommands) {
    command = subCommands[rest[0]];
    rest = rest.slice(1);
  }
  if (!command) throw new Error(`no command ${words[0] ?? ""}`);
  const args = typeof command.args === "function" ? await command.args() : await Promise.resolve(command.args);
  return { args: args ?? {}, rest };
}

/** The words of a shell line up to a comment, pipe, list or redirection, quotes removed. */
function words(line: string): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(#.*$|\|\|?|&&|;|[<>]\S*)|(\S+)/g)) {
    if (match[3] !== undefined) break;
    found.push(match[1] ?? match[2] ?? match[4] ?? "");
  }
  return found;
}

/** `nanocoder …` lines of the fenced code blocks, with where they are. */
function documentedCommands(): { where: string; words: string[] }[] {
  return files.flatMap((file) => {
    let fenced = false;
    return readFileSync(join(root, file), "utf8")
      .split("\n")
      .flatMap((line, index) => {
        if (/^\s*```/.test(line)) fenced = !fenced;
        const command = fenced ? /^\s*(?:\$ )?nanocoder ((?:batch|run|validate|doctor|policy|report)\b.*)$/.exec(line)?.[1] : undefined;
        return command ? [{ where: `${file}:${index + 1}`, words: words(command) }] : [];
      });
  });
}

describe("the docs' commands", () => {
  const commands = documentedCommands();

  it("are found in the README and docs/", () => {
    expect(commands.length).toBeGreaterThan(40);
  });

  it("take only flags their command knows", async () => {
    const refused: string[] = [];
    for (const { where, words: line } of commands) {
      const { args, rest } = await argsOf(line);
      try {
        rejectUnknownFlags(rest, args);
      } catch (error) {
        refused.push(`${where}: ${(error as Error).message}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it("the README's options table lists exactly the flags of batch, run and report merge", async () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const start = readme.indexOf("| option | meaning |");
    const table = readme.slice(start, readme.indexOf("\n\n", start)).split("\n").slice(2);
    const listed = new Set(table.flatMap((row) => [...(row.split(" | ")[0] ?? "").matchAll(/`--(?:no-)?([a-z-]+)/g)].map((match) => match[1])));
    const merge = await argsOf(["report", "merge"]);
    const known = new Set([...Object.keys((await argsOf(["batch"])).args), ...Object.keys((await argsOf(["run"])).args), ...Object.keys(merge.args)]);
    for (const name of ["tasks", "prompt", "dirs"]) known.delete(name);
    expect([...listed].sort()).toEqual([...known].sort());
  });
});
