import type { ArgDef, ArgsDef } from "citty";
import { homedir } from "node:os";
import type { RunRequest } from "../run/plan.ts";
import { parseConcurrency, parseMaxCost, parseMaxTurns } from "../run/request-values.ts";
import { parseShard } from "../run/shard.ts";
import { closestMatch } from "../shared/closest-match.ts";
import { UserError } from "../shared/errors.ts";

/** Flags every command that runs tasks shares (`batch` and `run`). */
export const runArgs = {
  config: { type: "string", description: "agents.config.json to use (default ./agents.config.json, then $NANOCODER_CONFIG_DIR/agents.config.json, else ~/.config/nanocoder/agents.config.json)", valueHint: "PATH" },
  policy: { type: "string", description: "Policy file (default .nanocoder/policy.yaml when present, else the built-in policy)", valueHint: "PATH" },
  provider: { type: "string", description: "Provider name from the config, for every task", valueHint: "NAME" },
  model: { type: "string", alias: "m", description: "Model, for every task", valueHint: "NAME" },
  "base-url": { type: "string", description: "OpenAI-compatible base URL, overriding the provider's", valueHint: "URL" },
  out: { type: "string", description: "Run folder (default .nanocoder/runs/<run-id>)", valueHint: "DIR" },
  base: { type: "string", description: "Commit the tasks start from (default HEAD)", valueHint: "REF" },
  staged: { type: "boolean", description: "Start the tasks from the staged changes (the index, as a commit on HEAD) instead of HEAD, as a pre-commit hook needs" },
  json: { type: "boolean", description: "Print summary.json to stdout, with the run folder's path as run_dir; an error, as JSON too" },
  jsonl: { type: "boolean", description: "Stream every event of every task to stdout as JSON lines, each with its task id, while the run goes; an error, as JSON too" },
  "max-turns": { type: "string", description: "Model turns each task may take, for every task (a task's own limits.max_turns otherwise; never above the policy's)", valueHint: "N" },
  verbose: { type: "boolean", alias: "v", description: "Print each step's tool call and the policy's decision on it to stderr" },
  "max-cost-usd": { type: "string", description: "USD the whole run may spend; no task starts or asks the model once it is spent", valueHint: "USD" },
  "allow-unpriced": { type: "boolean", description: "With a cost budget, accept models of unknown price (their cost counts as 0)" },
  preflight: { type: "boolean", default: true, description: "Check each provider and model before the first task (--no-preflight skips it)" },
  record: { type: "string", description: "Write every model exchange to DIR/<task-id>.jsonl", valueHint: "DIR" },
  replay: { type: "string", description: "Serve the model's answers from DIR/<task-id>.jsonl, without network; a request that differs is an error", valueHint: "DIR" },
} as const satisfies ArgsDef;

/** Flags that only a batch of tasks needs: `run` runs one task, from scratch. */
export const batchOnlyArgs = {
  concurrency: { type: "string", description: "Tasks run at once (default 4)", valueHint: "N" },
  resume: { type: "string", description: "Go on with the run in DIR: keep the tasks that succeeded, failed or hit a limit; run the others (error, interrupted, not started) again from scratch", valueHint: "DIR" },
  "retry-failed": { type: "boolean", description: "With --resume: run the failed and limit_exceeded tasks again too, keeping only the succeeded ones" },
  shard: { type: "string", description: "Run only shard i of n: the tasks whose id hashes to it (report merge joins the shards)", valueHint: "i/n" },
} as const satisfies ArgsDef;

/** Flags that choose among the tasks the files hold (`batch`, `validate`). */
export const selectionArgs = {
  label: { type: "string", description: "Run only the tasks with this label (repeat the flag, or separate labels by commas, for any of several)", valueHint: "LABEL" },
  only: { type: "string", description: "Run only the tasks whose id matches this glob; a task's id also takes the tasks its for_each makes (repeatable)", valueHint: "GLOB" },
  limit: { type: "string", description: "Run only the first N of the chosen tasks, before --shard splits them", valueHint: "N" },
} as const satisfies ArgsDef;

/** Task patterns come before `--`; file names after it (as the pre-commit framework passes them). */
export function splitFileNames(positionals: string[], rawArgs: string[]): { patterns: string[]; files: string[] | undefined } {
  const dash = rawArgs.indexOf("--");
  if (dash < 0) return { patterns: positionals, files: undefined };
  const files = rawArgs.slice(dash + 1);
  return { patterns: positionals.slice(0, positionals.length - files.length), files };
}

/** Every value of a flag given several times (citty keeps the last): `--label a --label=b,c` → a, b, c. */
export function repeatedValues(rawArgs: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let at = 0; at < rawArgs.length; at++) {
    const arg = rawArgs[at] ?? "";
    if (arg === "--") break;
    if (arg === `--${name}`) values.push(rawArgs[++at] ?? "");
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values.flatMap((value) => value.split(",")).map((value) => value.trim()).filter((value) => value !== "");
}

type AllRunArgs = typeof runArgs & typeof batchOnlyArgs;
export type RunArgs = { [K in keyof AllRunArgs]?: AllRunArgs[K]["type"] extends "boolean" ? boolean : string };

export function toRunRequest(args: RunArgs): RunRequest {
  return {
    cwd: process.cwd(),
    env: process.env,
    home: homedir(),
    config: args.config,
    policy: args.policy,
    provider: args.provider,
    model: args.model,
    baseUrl: args["base-url"],
    out: args.out,
    base: args.base,
    staged: args.staged === true,
    maxCostUsd: parseMaxCost(args["max-cost-usd"]),
    maxTurns: parseMaxTurns(args["max-turns"]),
    allowUnpriced: args["allow-unpriced"],
    resume: args.resume,
    retryFailed: args["retry-failed"] === true,
    shard: parseShard(args.shard),
    ...parseCassettes(args.record, args.replay),
  };
}

/** The pull-request flags of the commands that can open pull requests (`batch`, `report merge`). */
export const pullRequestArgs = {
  "open-pr": { type: "string", description: "none, per-task, combined, combined:file or combined:label: push branches and open pull requests, one per task, for the run, per task file or per label (needs GITHUB_TOKEN and GITHUB_REPOSITORY)", valueHint: "MODE" },
  "base-branch": { type: "string", description: "Branch the pull requests target (default the repository's default branch)", valueHint: "BRANCH" },
  "branch-prefix": { type: "string", description: "With --open-pr: prefix of the branches nanocoder creates and may overwrite (default nanocoder/)", valueHint: "PREFIX" },
  "pr-labels": { type: "string", description: "With --open-pr: labels for the pull requests, separated by commas", valueHint: "A,B" },
  "pr-draft": { type: "boolean", description: "With --open-pr: open the pull requests as drafts" },
} as const satisfies ArgsDef;

/** --record and --replay, which exclude each other. */
export function parseCassettes(record: string | undefined, replay: string | undefined): { record?: string; replay?: string } {
  if (record !== undefined && replay !== undefined) throw new UserError("--record and --replay exclude each other: give one", "E_USAGE");
  for (const [flag, value] of [["--record", record], ["--replay", replay]] as const) {
    if (value !== undefined && value.trim() === "") throw new UserError(`${flag}: expected a folder, got ""`, "E_USAGE");
  }
  return { ...(record === undefined ? {} : { record }), ...(replay === undefined ? {} : { replay }) };
}

/**
 * citty ignores flags it does not know, and reads an unknown short flag's value as a positional (a task
 * file): a typo like --concurency or -q must not pass silently. The value of a string flag is skipped.
 */
export function rejectUnknownFlags(rawArgs: string[], known: ArgsDef): void {
  const long = new Map<string, ArgDef>([["help", { type: "boolean" }]]);
  const short = new Map<string, ArgDef>([["h", { type: "boolean" }]]);
  for (const [name, def] of Object.entries(known)) {
    if (def.type === "positional") continue;
    long.set(name, def);
    long.set(name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), def);
    const aliases = "alias" in def && def.alias !== undefined ? [def.alias].flat() : [];
    for (const alias of aliases) (alias.length === 1 ? short : long).set(alias, def);
  }
  for (let at = 0; at < rawArgs.length; at++) {
    const arg = rawArgs[at] ?? "";
    if (arg === "--") return;
    if (arg.startsWith("--")) {
      const [, name = "", value] = /^--(?:no-)?([^=]*)(=.*)?$/.exec(arg) ?? [];
      const def = long.get(name);
      if (!def) throw new UserError(`unknown option --${name}${suggest(name, long)}; see --help`, "E_USAGE");
      if (def.type === "string" && value === undefined) at++;
    } else if (/^-[^-\d]/.test(arg)) {
      // -mv, -m gpt-4o, -mgpt-4o: letters until one that takes a value, which is the rest or the next word.
      for (const [index, letter] of [...arg.slice(1)].entries()) {
        const def = short.get(letter);
        if (!def) throw new UserError(`unknown option -${letter}${suggest(letter, long)}; see --help`, "E_USAGE");
        if (def.type === "string") {
          if (index === arg.length - 2) at++;
          break;
        }
      }
    }
  }
}

/** " (did you mean --x?)": for a letter, the long flags it starts; for a word, the closest long flag. */
function suggest(typed: string, long: ReadonlyMap<string, ArgDef>): string {
  const names = [...long.keys()].filter((name) => !/[A-Z]/.test(name) && name.length > 1);
  const close = typed.length === 1 ? names.filter((name) => name.startsWith(typed)) : [closestMatch(typed, names) ?? names.find((name) => name.startsWith(typed))].filter((name) => name !== undefined);
  if (close.length === 0 || close.length > 3) return "";
  return ` (did you mean ${close.map((name) => `--${name}`).join(" or ")}?)`;
}
