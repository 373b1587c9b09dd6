import type { ArgsDef } from "citty";
import { homedir } from "node:os";
import type { RunRequest } from "../run/plan.ts";
import { parseShard } from "../run/shard.ts";
import { UserError } from "../shared/errors.ts";

/** Flags every command that runs tasks shares. */
export const runArgs = {
  config: { type: "string", description: "agents.config.json to use (default ./agents.config.json, then ~/.config/nanocoder/agents.config.json)", valueHint: "PATH" },
  policy: { type: "string", description: "Policy file (default .nanocoder/policy.yaml when present, else the built-in policy)", valueHint: "PATH" },
  provider: { type: "string", description: "Provider name from the config, for every task", valueHint: "NAME" },
  model: { type: "string", description: "Model, for every task", valueHint: "NAME" },
  "base-url": { type: "string", description: "OpenAI-compatible base URL, overriding the provider's", valueHint: "URL" },
  concurrency: { type: "string", description: "Tasks run at once (default 4)", valueHint: "N" },
  out: { type: "string", description: "Run folder (default .nanocoder/runs/<run-id>)", valueHint: "DIR" },
  base: { type: "string", description: "Commit the tasks start from (default HEAD)", valueHint: "REF" },
  staged: { type: "boolean", description: "Start the tasks from the staged changes (the index, as a commit on HEAD) instead of HEAD, as a pre-commit hook needs" },
  json: { type: "boolean", description: "Print summary.json to stdout, with the run folder's path as run_dir; an error, as JSON too" },
  jsonl: { type: "boolean", description: "Stream every event of every task to stdout as JSON lines, each with its task id, while the run goes; an error, as JSON too" },
  "max-cost-usd": { type: "string", description: "USD the whole run may spend; no task starts or asks the model once it is spent", valueHint: "USD" },
  "allow-unpriced": { type: "boolean", description: "With a cost budget, accept models of unknown price (their cost counts as 0)" },
  resume: { type: "string", description: "Go on with the run in DIR: keep the tasks that succeeded, failed or hit a limit; run the others (error, interrupted, not started) again from scratch", valueHint: "DIR" },
  "retry-failed": { type: "boolean", description: "With --resume: run the failed and limit_exceeded tasks again too, keeping only the succeeded ones" },
  preflight: { type: "boolean", default: true, description: "Check each provider and model before the first task (--no-preflight skips it)" },
  shard: { type: "string", description: "Run only shard i of n: the tasks whose id hashes to it (report merge joins the shards)", valueHint: "i/n" },
  record: { type: "string", description: "Write every model exchange to DIR/<task-id>.jsonl", valueHint: "DIR" },
  replay: { type: "string", description: "Serve the model's answers from DIR/<task-id>.jsonl, without network; a request that differs is an error", valueHint: "DIR" },
} as const satisfies ArgsDef;

export type RunArgs = { [K in keyof typeof runArgs]?: (typeof runArgs)[K]["type"] extends "boolean" ? boolean : string };

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
    allowUnpriced: args["allow-unpriced"],
    resume: args.resume,
    retryFailed: args["retry-failed"] === true,
    shard: parseShard(args.shard),
    ...parseCassettes(args.record, args.replay),
  };
}

/** The pull-request flags of the commands that can open pull requests (`batch`, `report merge`). */
export const pullRequestArgs = {
  "open-pr": { type: "string", description: "none, per-task or combined: push branches and open pull requests (needs GITHUB_TOKEN and GITHUB_REPOSITORY)", valueHint: "MODE" },
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

export function parseMaxCost(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new UserError(`--max-cost-usd: expected a positive number of US dollars, e.g. 5 or 0.50, got "${value}"`, "E_USAGE");
  }
  return number;
}

export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return 4;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new UserError(`--concurrency: expected a positive integer, got "${value}"`, "E_USAGE");
  }
  return number;
}

/** Pull-request labels separated by commas (or new lines, as the Action's pr-labels input allows); blanks are dropped. */
export function parseLabels(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((label) => label.trim())
    .filter(Boolean);
}

/** citty ignores flags it does not know; a typo like --concurency must not pass silently. */
export function rejectUnknownFlags(rawArgs: string[], known: ArgsDef): void {
  const names = new Set(Object.keys(known).flatMap((name) => [name, name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]));
  for (const arg of rawArgs) {
    if (arg === "--") return;
    const match = /^--(?:no-)?([^=]+)/.exec(arg);
    if (match?.[1] && !names.has(match[1]) && match[1] !== "help") {
      throw new UserError(`unknown option --${match[1]}; see --help`, "E_USAGE");
    }
  }
}
