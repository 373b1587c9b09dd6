import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { decide } from "../../policy/decide.ts";
import { DEFAULT_POLICY_PATH, loadPolicy } from "../../policy/load.ts";
import { resolveAccesses } from "../../policy/resolve/index.ts";
import { inspectRepository, renderStarterPolicy } from "../../policy/starter.ts";
import type { Access, Decision, Policy } from "../../policy/types.ts";
import { resolveSandbox } from "../../sandbox/index.ts";
import { UserError } from "../../shared/errors.ts";
import type { Outcome } from "../../shared/outcome.ts";
import { findRepoRoot } from "../../workspace/git.ts";
import { rejectUnknownFlags } from "../args.ts";

const checkArgs = {
  policy: { type: "string", description: "Policy file (default .nanocoder/policy.yaml when present, else the built-in policy)", valueHint: "FILE" },
  workspace: { type: "string", description: "Folder paths are resolved in, symlinks included (default: the current folder)", valueHint: "DIR" },
  command: { type: "string", description: "A shell command, as execute_bash would run it", valueHint: "CMD" },
  read: { type: "string", description: "A path a tool would read", valueHint: "PATH" },
  write: { type: "string", description: "A path a tool would write", valueHint: "PATH" },
  tool: { type: "string", description: "A tool name", valueHint: "NAME" },
  args: { type: "string", description: "With --tool: the call's arguments as a JSON object, for rules with `when`", valueHint: "JSON" },
  sandbox: { type: "string", description: "Decide as with the sandbox on or off (default: as a run here would, by sandbox.mode and whether bubblewrap works)", valueHint: "on|off" },
  json: { type: "boolean", description: "Print the decision trace as JSON" },
} as const;

const check = defineCommand({
  meta: { name: "check", description: "Show how the policy decides one command, path or tool; exit 0 allow, 1 deny" },
  args: checkArgs,
  async run({ args, rawArgs }): Promise<Outcome> {
    rejectUnknownFlags(rawArgs, checkArgs);
    const access = withArguments(requestedAccess(args), args.args);
    const workspace = await existingFolder(args.workspace);
    const repoRoot = await findRepoRoot(process.cwd()).catch(() => undefined);
    const policy = await loadPolicy({ explicitPath: args.policy, cwd: process.cwd(), repoRoot });
    for (const warning of policy.warnings ?? []) process.stderr.write(`${warning}\n`);
    const sandboxed = await sandboxedHere(args.sandbox, policy);
    const decision: Decision = await resolveAccesses(toolFor(access), [access], workspace, sandboxed).then(
      (request) => decide(policy, request),
      (error: unknown) => ({ decision: "deny", reason: error instanceof Error ? error.message : String(error), rule: "workspace" }),
    );
    const trace = { decision: decision.decision, reason: decision.reason, rule: decision.rule, segments: decision.segments ?? [] };
    process.stdout.write(args.json ? `${JSON.stringify(trace, null, 2)}\n` : `${decision.decision}: ${decision.reason} [${decision.rule}]\n`);
    return decision.decision === "allow" ? "succeeded" : "failed";
  },
});

function requestedAccess(args: { command?: string; read?: string; write?: string; tool?: string }): Access {
  const given: Access[] = [
    ...(args.command !== undefined ? [{ kind: "command" as const, command: args.command }] : []),
    ...(args.read !== undefined ? [{ kind: "read" as const, path: args.read }] : []),
    ...(args.write !== undefined ? [{ kind: "write" as const, path: args.write }] : []),
    ...(args.tool !== undefined ? [{ kind: "tool" as const, name: args.tool }] : []),
  ];
  const [access] = given;
  if (!access || given.length > 1) throw new UserError("policy check: give exactly one of --command, --read, --write or --tool", "E_USAGE");
  const empty = Object.entries({ command: args.command, read: args.read, write: args.write, tool: args.tool }).find(([, value]) => value !== undefined && value.trim() === "");
  if (empty) throw new UserError(`policy check: --${empty[0]} needs a value, e.g. ${EXAMPLES[empty[0]] ?? ""}`, "E_USAGE");
  return access;
}

/** `--args JSON` with `--tool`: the arguments rules with `when` look at. */
function withArguments(access: Access, json: string | undefined): Access {
  if (json === undefined) return access;
  if (access.kind !== "tool") throw new UserError("policy check: --args goes with --tool, e.g. --tool mcp__github__create_issue --args '{\"repo\": \"me/site\"}'", "E_USAGE");
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new UserError(`policy check: --args is not valid JSON (${error instanceof Error ? error.message : String(error)}); give one JSON object`, "E_USAGE");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UserError("policy check: --args must be a JSON object, e.g. '{\"repo\": \"me/site\"}'", "E_USAGE");
  return { ...access, arguments: parsed as Record<string, unknown> };
}

const EXAMPLES: Record<string, string> = {
  command: '--command "npm test"',
  read: "--read src/index.ts",
  write: "--write src/index.ts",
  tool: "--tool fetch_url",
};

/** `--workspace DIR` (default: the current folder), which must be an existing folder. */
async function existingFolder(given: string | undefined): Promise<string> {
  const folder = resolve(given ?? process.cwd());
  const stats = await stat(folder).catch(() => undefined);
  if (!stats?.isDirectory()) {
    throw new UserError(`policy check: --workspace ${given ?? ""}: ${stats ? "not a folder" : "no such folder"}; give the folder paths are resolved in (default: the current folder)`, "E_USAGE");
  }
  return folder;
}

/** `--sandbox on|off`, else whether a run on this machine would put commands in the sandbox. */
async function sandboxedHere(given: string | undefined, policy: Policy): Promise<boolean> {
  if (given === "on" || given === "off") return given === "on";
  if (given !== undefined) throw new UserError(`policy check: --sandbox ${given}: expected on or off`, "E_USAGE");
  return (await resolveSandbox(policy.sandbox)).status.active;
}

function toolFor(access: Access): string {
  if (access.kind === "command") return "execute_bash";
  if (access.kind === "tool") return access.name;
  return access.kind === "read" ? "read_file" : "write_file";
}

const init = defineCommand({
  meta: { name: "init", description: `Write a commented starter policy to ${DEFAULT_POLICY_PATH}` },
  args: { force: { type: "boolean", description: "Overwrite an existing policy file" } },
  async run({ args, rawArgs }): Promise<Outcome> {
    rejectUnknownFlags(rawArgs, { force: { type: "boolean" } });
    const path = join(process.cwd(), DEFAULT_POLICY_PATH);
    if (existsSync(path) && !args.force) throw new UserError(`${DEFAULT_POLICY_PATH} already exists; pass --force to overwrite it`, "E_USAGE");
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, renderStarterPolicy(await inspectRepository(process.cwd())));
    process.stdout.write(`wrote ${DEFAULT_POLICY_PATH}; try: nanocoder policy check --command "git status"\n`);
    return "succeeded";
  },
});

export default defineCommand({
  meta: { name: "policy", description: "Check decisions of a policy, or write a starter policy" },
  subCommands: { check, init },
});
