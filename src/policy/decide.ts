import { minimatch } from "minimatch";
import { decideCommand } from "./commands.ts";
import type { Access, Decision, Policy, Rule, RuleList, ToolCallRequest } from "./types.ts";

/**
 * The one decision function for tool calls: pure, total, never throws.
 * A call is allowed only when every access it makes is allowed; deny beats allow.
 */
export function decide(policy: Policy, request: ToolCallRequest): Decision {
  const toolDenied = denyingToolRule(policy, request.tool);
  if (toolDenied) return toolDenied;
  const accesses: Access[] = request.accesses.length > 0 ? request.accesses : [{ kind: "tool", name: request.tool }];
  let allowed: Decision | undefined;
  for (const access of accesses) {
    const decision = decideAccess(policy, access);
    if (decision.decision === "deny") return decision;
    allowed ??= decision;
  }
  return allowed ?? denyByDefault(policy, request.tool);
}

/** A redirect target is checked as written and where it resolves; one outside the workspace is refused. */
function decideRedirectTarget(policy: Policy, file: { kind: "read" | "write"; path: string }, resolved: string | null | undefined): Decision {
  const verb = file.kind === "read" ? "read" : "write";
  if (resolved === null) return { decision: "deny", reason: `${verb} ${file.path}: it resolves outside the workspace`, rule: "workspace" };
  const written = decideAccess(policy, file);
  if (written.decision === "deny" || resolved === undefined || resolved === file.path) return written;
  return decideAccess(policy, { ...file, path: resolved });
}

/**
 * A command that names a file the policy does not let the model read (`cat .env` under an allow for `cat *`)
 * is refused: the file tools would refuse that read, and a command must not be a way around them.
 */
function unreadableArgument(policy: Policy, command: string, files: Record<string, string | null>): Decision | undefined {
  for (const [written, resolved] of Object.entries(files)) {
    const named = `run \`${clipCommand(command)}\`: it names ${written}`;
    if (resolved === null) return { decision: "deny", reason: `${named}, which leads outside the workspace through a symbolic link`, rule: "workspace" };
    for (const path of resolved === written ? [written] : [written, resolved]) {
      const read = decideAccess(policy, { kind: "read", path });
      if (read.decision === "deny") return { ...read, reason: `${named}, a file the policy does not let you read (${read.reason})` };
    }
  }
  return undefined;
}

/** A file-changing program (`cp`, `rm`, `sed -i`…) given a path the policy does not let the model write is refused. */
function unwritableArgument(policy: Policy, command: string, paths: Record<string, string | null>): Decision | undefined {
  for (const [written, resolved] of Object.entries(paths)) {
    const named = `run \`${clipCommand(command)}\`: it changes ${written}`;
    if (resolved === null) return { decision: "deny", reason: `${named}, which leads outside the workspace through a symbolic link`, rule: "workspace" };
    for (const path of resolved === written ? [written] : [written, resolved]) {
      const write = decideAccess(policy, { kind: "write", path });
      if (write.decision === "deny") return { ...write, reason: `${named}, a path the policy does not let you write (${write.reason})` };
    }
  }
  return undefined;
}

function clipCommand(command: string, max = 200): string {
  return command.length > max ? `${command.slice(0, max - 3)}...` : command;
}

/** A `tools.deny` rule takes a tool away whole, built-in tools included (`execute_bash`). */
function denyingToolRule(policy: Policy, tool: string): Decision | undefined {
  const index = policy.tools.deny.findIndex((rule) => matchName(tool, rule.pattern));
  const rule = policy.tools.deny[index];
  return rule ? denied(`tools.deny[${index}]`, rule, `use tool ${tool}: matches deny rule "${rule.pattern}"`) : undefined;
}

/** The tools the model is offered: those no `tools.deny` rule takes away. */
export function offeredTools<T extends { name: string }>(policy: Policy, tools: T[]): T[] {
  return tools.filter((tool) => denyingToolRule(policy, tool.name) === undefined);
}

function decideAccess(policy: Policy, access: Access): Decision {
  switch (access.kind) {
    case "read":
      return decideByRules(policy, policy.files.read, "files.read", access.path, matchPath, `read ${access.path}`);
    case "write":
      return decideProtected(policy, access.path) ?? decideByRules(policy, policy.files.write, "files.write", access.path, matchPath, `write ${access.path}`);
    case "command": {
      if (!access.parsed) return { decision: "deny", reason: `run \`${access.command}\`: the command was not parsed`, rule: "commands.parse" };
      const decision = decideCommand(policy, access.parsed, (file) => decideRedirectTarget(policy, file, access.redirectTargets?.[file.path]));
      if (decision.decision === "deny") return decision;
      return unreadableArgument(policy, access.command, access.argumentFiles ?? {}) ?? unwritableArgument(policy, access.command, access.argumentWrites ?? {}) ?? decision;
    }
    case "tool":
      return decideByRules(policy, policy.tools, "tools", access.name, matchName, `use tool ${access.name}`);
  }
}

function decideByRules(
  policy: Policy,
  rules: RuleList,
  section: string,
  subject: string,
  matches: (subject: string, pattern: string) => boolean,
  action: string,
): Decision {
  const denyIndex = rules.deny.findIndex((rule) => matches(subject, rule.pattern));
  const deny = rules.deny[denyIndex];
  if (deny) return denied(`${section}.deny[${denyIndex}]`, deny, `${action}: matches deny rule "${deny.pattern}"`);
  const allowIndex = rules.allow.findIndex((rule) => matches(subject, rule.pattern));
  const allow = rules.allow[allowIndex];
  if (allow) {
    return { decision: "allow", reason: `${action}: matches allow rule "${allow.pattern}"`, rule: `${section}.allow[${allowIndex}]` };
  }
  if (policy.default === "allow") return { decision: "allow", reason: `${action}: no rule matches; default is allow`, rule: "default" };
  return { decision: "deny", reason: `${action}: no allow rule matches (policy ${policy.source}; default is deny)`, rule: "default" };
}

/** Git's own files, the policy file and run outputs are never writable, whatever the rules say. */
function decideProtected(policy: Policy, path: string): Decision | undefined {
  const index = policy.protect.findIndex((pattern) => matchPath(path, pattern));
  if (index < 0) return undefined;
  return { decision: "deny", reason: `write ${path}: this path is never writable (protected: "${policy.protect[index]}")`, rule: `protect[${index}]` };
}

function denied(rule: string, matched: Rule, fallbackReason: string): Decision {
  return { decision: "deny", reason: matched.reason ? `${fallbackReason}: ${matched.reason}` : fallbackReason, rule };
}

function denyByDefault(policy: Policy, tool: string): Decision {
  return decideByRules(policy, policy.tools, "tools", tool, matchName, `use tool ${tool}`);
}

/** "." is the workspace root: only a rule for everything ("**") or for the root itself covers it. */
function matchPath(path: string, pattern: string): boolean {
  if (path === ".") return pattern === "**" || pattern === ".";
  return minimatch(path, pattern, { dot: true });
}

function matchName(name: string, pattern: string): boolean {
  return minimatch(name, pattern);
}

/** The pattern and the place in the policy file of the rule a decision names, for audit logs. */
export function describeRule(policy: Policy, ruleId: string): { pattern?: string; rule_source?: string } {
  const match = /^(files\.read|files\.write|commands|tools)\.(allow|deny)\[(\d+)\]$/.exec(ruleId);
  if (!match) return {};
  const [, section = "", kind = "allow", index = "0"] = match;
  const lists: Record<string, RuleList> = { "files.read": policy.files.read, "files.write": policy.files.write, commands: policy.commands, tools: policy.tools };
  const rule = lists[section]?.[kind as "allow" | "deny"][Number(index)];
  if (!rule) return {};
  return { pattern: rule.pattern, ...(rule.source ? { rule_source: rule.source } : {}) };
}
