import { defineCommand } from "citty";
import { homedir } from "node:os";
import { execa } from "execa";
import { findConfigFile, loadConfig, resolveProvider } from "../../config/load.ts";
import { loadPolicy } from "../../policy/load.ts";
import { describeProbe, probeProvider } from "../../provider/probe.ts";
import type { Policy } from "../../policy/types.ts";
import { DEFAULT_SANDBOX, describeNetwork, UNCONFINED } from "../../sandbox/index.ts";
import { probeBwrap } from "../../sandbox/probe.ts";
import { describeMissingInstall, findDependencies, missingInstalls } from "../../workspace/dependencies.ts";
import type { Outcome } from "../../shared/outcome.ts";
import { findRepoRoot } from "../../workspace/git.ts";
import { rejectUnknownFlags, runArgs } from "../args.ts";
import { loadMcpServers } from "../../mcp/config.ts";
import { inspectServers } from "../../mcp/inspect.ts";
import { builtinPolicy } from "../../policy/default.ts";
import { commandEnv } from "../../run/command-env.ts";
import { resolveSandbox } from "../../sandbox/index.ts";

const doctorArgs = { config: runArgs.config, policy: runArgs.policy, provider: runArgs.provider, model: runArgs.model, "base-url": runArgs["base-url"] };

interface Finding {
  level: "ok" | "warn" | "FAIL";
  subject: string;
  text: string;
  fix?: string;
}

export default defineCommand({
  meta: { name: "doctor", description: "Check this machine: git, the provider, the policy and the command sandbox; exit 0 when all is fine" },
  args: doctorArgs,
  async run({ args, rawArgs }): Promise<Outcome> {
    rejectUnknownFlags(rawArgs, doctorArgs);
    const cwd = process.cwd();
    const policy = await loadPolicy({ explicitPath: args.policy, cwd }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    const findings = [
      await checkGit(),
      await checkProvider(args, cwd),
      ...checkPolicy(policy),
      await checkSandbox(policy instanceof Error ? undefined : policy),
      ...(await checkDependencies(policy instanceof Error ? undefined : policy, cwd)),
      ...(await checkMcpServers(policy instanceof Error ? undefined : policy, cwd)),
    ];
    for (const { level, subject, text, fix } of findings) {
      process.stdout.write(`${level.padEnd(4)}  ${subject}: ${text}\n${fix ? `      fix: ${fix}\n` : ""}`);
    }
    return findings.some((finding) => finding.level === "FAIL") ? "failed" : "succeeded";
  },
});

async function checkGit(): Promise<Finding> {
  const result = await execa("git", ["--version"], { reject: false });
  if (result.exitCode === 0) return { level: "ok", subject: "git", text: result.stdout.trim() };
  return { level: "FAIL", subject: "git", text: `not usable: ${(result.shortMessage ?? "").split("\n")[0] ?? ""}`, fix: "install git" };
}

/** The same probe as the provider check before a run (provider/probe.ts), without a model: the server and the key. */
async function checkProvider(args: { config?: string; provider?: string; model?: string; "base-url"?: string }, cwd: string): Promise<Finding> {
  try {
    const configPath = findConfigFile({ explicitPath: args.config, cwd, home: homedir(), env: process.env });
    const config = configPath ? await loadConfig(configPath, process.env, { cwd }) : undefined;
    // Any model name will do when none is given: only the server is asked, for its model list.
    const flags = { provider: args.provider, baseUrl: args["base-url"], model: args.model ?? "doctor" };
    const { provider, fixAt } = resolveProvider({ config, flags, env: process.env });
    const result = await probeProvider(provider);
    const { text, fix } = describeProbe(result, provider, fixAt);
    // What the run's check lets pass as unsure (a 503, a page that is no model list) is still worth a look here.
    return { level: result.verdict === "ok" ? "ok" : "FAIL", subject: `provider ${provider.name}`, text, ...(fix ? { fix } : {}) };
  } catch (error) {
    return { level: "FAIL", subject: "provider", text: error instanceof Error ? error.message : String(error) };
  }
}

function checkPolicy(policy: Policy | Error): Finding[] {
  if (policy instanceof Error) return [{ level: "FAIL", subject: "policy", text: policy.message }];
  const { source, warnings = [] } = policy;
  return [
    { level: "ok", subject: "policy", text: `${source} loads` },
    ...warnings.map((warning): Finding => ({ level: "warn", subject: "policy", text: warning })),
  ];
}

async function checkSandbox(policy: Policy | undefined): Promise<Finding> {
  const settings = policy?.sandbox ?? DEFAULT_SANDBOX;
  if (settings.mode === "none" && settings.required) {
    return { level: "FAIL", subject: "sandbox", text: "the policy says sandbox.required true but sandbox.mode none; runs would stop before any command", fix: "set sandbox.mode to auto or bwrap" };
  }
  if (settings.mode === "none") return { level: "warn", subject: "sandbox", text: `off: the policy says sandbox.mode none; commands run unconfined: ${UNCONFINED}` };
  const probe = await probeBwrap();
  if (!probe.ok) {
    const effect = settings.mode === "auto" && !settings.required ? `commands would run WITHOUT a sandbox: ${UNCONFINED}${sandboxOnlyNote(policy)}` : "runs would stop before any command";
    return { level: "FAIL", subject: "sandbox", text: `${probe.reason}; ${effect}`, fix: probe.fix };
  }
  return { level: "ok", subject: "sandbox", text: `bubblewrap works (${probe.bwrap}); commands run ${describeNetwork(settings.network)}` };
}

/** The policy's allow rules that hold only in the sandbox, which refuse their commands without one. */
export function sandboxOnlyNote(policy: Policy | undefined): string {
  const rules = policy?.commands.allow.filter((rule) => rule.sandboxed) ?? [];
  if (rules.length === 0) return "";
  const shown = rules.slice(0, 3).map((rule) => `"${rule.pattern}"`).join(", ");
  return `; the policy's ${rules.length} allow rule(s) marked sandboxed (${shown}${rules.length > 3 ? ", …" : ""}) will refuse their commands`;
}

/** Which installed dependencies tasks will see here, and installs the repository lacks. */
async function checkDependencies(policy: Policy | undefined, cwd: string): Promise<Finding[]> {
  const repoRoot = await findRepoRoot(cwd).catch(() => undefined);
  if (!repoRoot) return [];
  const { folders, skipped } = await findDependencies(repoRoot, policy?.dependencies ?? { detect: true, paths: [] });
  const setup = policy?.setup?.run ?? [];
  const findings: Finding[] = [];
  if (folders.length > 0) findings.push({ level: "ok", subject: "dependencies", text: `tasks see ${folders.map((folder) => folder.path).join(", ")} (read-only, from the repository)` });
  for (const { path, reason, named } of skipped) findings.push({ level: "warn", subject: "dependencies", text: `${named ? "dependencies.paths: " : ""}${path} is not shared: ${reason}` });
  if (setup.length > 0) findings.push({ level: "ok", subject: "setup", text: `each worktree runs ${setup.map((command) => `\`${command}\``).join(", ")} before its first task` });
  else {
    for (const missing of await missingInstalls(repoRoot, folders)) {
      const { problem, fix } = describeMissingInstall(missing, policy?.source ?? "built-in");
      findings.push({ level: "warn", subject: "dependencies", text: problem, fix });
    }
  }
  if (folders.length === 0 && setup.length === 0 && findings.length === 0) findings.push({ level: "ok", subject: "dependencies", text: "none installed, none needed (no installed folder and no lockfile at the root)" });
  return findings;
}

/** Each MCP server of .mcp.json: whether it starts, its tools, and what the policy allows of them (docs/mcp.md). */
async function checkMcpServers(policy: Policy | undefined, cwd: string): Promise<Finding[]> {
  try {
    const projectRoot = (await findRepoRoot(cwd).catch(() => undefined)) ?? cwd;
    const servers = await loadMcpServers({ projectRoot, home: homedir(), env: process.env, cwd });
    if (servers.length === 0) return [];
    const effective = policy ?? builtinPolicy;
    const sandbox = await resolveSandbox(effective.sandbox);
    const { HOME: _home, ...env } = commandEnv(process.env, []);
    const reports = await inspectServers(servers, effective, sandbox, projectRoot, env, process.env);
    return reports.map(({ server, level, text }) => ({ level, subject: `mcp ${server}`, text }));
  } catch (error) {
    return [{ level: "FAIL", subject: "mcp", text: error instanceof Error ? error.message : String(error) }];
  }
}
