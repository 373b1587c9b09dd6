import { Minimatch } from "minimatch";
import { decideCommand } from "./commands.ts";
import { refusedWrapper } from "./wrapper-checks.ts";
import { SECRETS } from "./default.ts";
import { readableOutside, writableOutside } from "./special-paths.ts";
import type { Decision, Policy, ResolvedAccess, ResolvedRequest, Rule, RuleList, ToolAccess } from "./types.ts";

type CommandAccess = Extract<ResolvedAccess, { kind: "command" }>;
type CommandPath = { kind: "read" | "write"; path: string; within?: boolean };

/**
 * The one decision function for tool calls: pure, total, never throws. It takes only a resolved request
 * (resolve/index.ts), so every command it sees was parsed and looked up in the workspace.
 * A call is allowed only when every access it makes is allowed; deny beats allow.
 */
export function decide(policy: Policy, request: ResolvedRequest): Decision {
  // An MCP tool's access carries its name as its server wrote it too: a rule naming either takes it away.
  const names = request.accesses.find((access): access is Readonly<ToolAccess> => access.kind === "tool" && access.name === request.tool) ?? { name: request.tool };
  const toolDenied = denyingToolRule(policy, names);
  if (toolDenied) return toolDenied;
  const accesses: readonly ResolvedAccess[] = request.accesses.length > 0 ? request.accesses : [{ kind: "tool", name: request.tool }];
  let allowed: Decision | undefined;
  for (const access of accesses) {
    const decision = decideAccess(policy, access, request.sandboxed);
    if (decision.decision === "deny") return decision;
    allowed ??= decision;
  }
  return allowed ?? denyByDefault(policy, names);
}

/**
 * A path the shell or a program opens (a redirection, `--outputFile=…`): decided where it really leads. An
 * absolute path inside the workspace is checked as that workspace path; outside, reads are left to the
 * sandbox and writes refused but for /tmp and the output streams.
 */
function decideCommandPath(policy: Policy, file: CommandPath, access: CommandAccess, sandboxed: boolean): Decision {
  const verb = file.kind === "read" ? "read" : "write";
  const uncheckable = access.uncheckablePaths[file.path];
  if (uncheckable) return { decision: "deny", reason: `${verb} ${file.path}, which cannot be checked: ${uncheckable}`, rule: "workspace" };
  if (!file.path.startsWith("/")) return decideRedirectTarget(policy, file, access.redirectTargets[file.path]);
  const inside = access.redirectTargets[file.path];
  if (typeof inside === "string") return decideRedirectTarget(policy, { ...file, path: inside }, inside);
  const real = access.outsideTargets[file.path];
  if (real === undefined) return { decision: "deny", reason: `${verb} ${file.path}: where it leads was not looked up`, rule: "workspace" };
  if (file.kind === "read") return decideOutsideRead(policy, file.path, real, sandboxed) ?? { decision: "allow", reason: `read ${file.path}: outside the workspace, ${sandboxed ? "where the sandbox decides what there is to read" : "in a system folder or installed packages"}`, rule: "workspace" };
  if (writableOutside(real)) return { decision: "allow", reason: `write ${file.path}: in /tmp, outside the workspace`, rule: "workspace" };
  return { decision: "deny", reason: `write ${file.path}: it leads to ${real}, outside the workspace`, rule: "workspace" };
}

/** A redirect target is checked as written and where it resolves; one outside the workspace is refused. */
function decideRedirectTarget(policy: Policy, file: CommandPath, resolved: string | null | undefined): Decision {
  const verb = file.kind === "read" ? "read" : "write";
  if (resolved === null) return { decision: "deny", reason: `${verb} ${file.path}: it resolves outside the workspace`, rule: "workspace" };
  const plain = { kind: file.kind, path: file.path };
  const written = decideAccess(policy, plain);
  if (written.decision === "deny") return written;
  const target = resolved === undefined || resolved === file.path ? written : decideAccess(policy, { ...plain, path: resolved });
  if (target.decision === "deny" || !file.within) return target;
  return folderWriteDenied(policy, resolved ?? file.path) ?? target;
}

/**
 * A program fills this folder with files it names itself (`--outDir`, `--basetemp`): refused when a file
 * there would be refused, or when a deny or protected rule names a path below it.
 */
function folderWriteDenied(policy: Policy, folder: string): Decision | undefined {
  const probe = decideAccess(policy, { kind: "write", path: folder === "." ? "file" : `${folder}/file` });
  if (probe.decision === "deny") return { ...probe, reason: `write into ${folder}: ${probe.reason}` };
  const below = guardedBelow(policy, folder);
  if (below === undefined) return undefined;
  return { decision: "deny", reason: `write into ${folder}: the program names the files it writes there, and "${below}" keeps part of that folder from writes`, rule: "workspace" };
}

/** A deny rule or protected path that names something below `folder` (`.github/workflows/**` below `.github`). */
function guardedBelow(policy: Policy, folder: string): string | undefined {
  const guarded = [...policy.files.write.deny.map((rule) => rule.pattern), ...policy.protect];
  return guarded.find((pattern) => {
    const prefix = staticPrefix(pattern);
    return prefix !== "" && (folder === "." || prefix.startsWith(`${folder}/`));
  });
}

/** The literal folder a glob starts with (`.github/workflows/` of `.github/workflows/**`), the whole of a plain path. */
function staticPrefix(pattern: string): string {
  const glob = pattern.search(/[*?[{!]/);
  if (glob === -1) return pattern;
  return pattern.slice(0, pattern.lastIndexOf("/", glob) + 1);
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

/** A path whose target cannot be known (`/proc/self/cwd/.env`, a relative path after `cd -`) is refused. */
function uncheckablePath(access: CommandAccess): Decision | undefined {
  const [path, why] = Object.entries(access.uncheckablePaths)[0] ?? [];
  if (path === undefined) return undefined;
  return { decision: "deny", reason: `run \`${clipCommand(access.command)}\`: it names ${path}, which cannot be checked: ${why}`, rule: "workspace" };
}

/** A program that writes (or reads) paths its words do not name, such as `tar x` or `git apply`, is refused. */
function uncheckableCommand(access: CommandAccess): Decision | undefined {
  const [first] = access.uncheckableCommands;
  if (!first) return undefined;
  const whole = first.command === access.command.trim();
  const prefix = whole ? "" : `run \`${clipCommand(access.command)}\`: `;
  return { decision: "deny", reason: `${prefix}\`${clipCommand(first.command)}\` ${first.why}`, rule: "commands.uncheckable" };
}

/**
 * Links are looked at before the line runs: a link made by one command of the line (`ln -s ../.env e && cat e`)
 * would carry the others' reads and writes where nobody looked. Such a link must be made on its own.
 */
function linkedLine(access: CommandAccess): Decision | undefined {
  const [maker] = access.linkMakers;
  if (maker === undefined || !access.parsed.ok || access.parsed.commands.length < 2) return undefined;
  return {
    decision: "deny",
    reason: `run \`${clipCommand(access.command)}\`: \`${clipCommand(maker)}\` makes a link, and the other commands of the line would go through it before it could be checked; make the link in a command of its own`,
    rule: "commands.link",
  };
}

/**
 * A program given the names of the files it reads by its input or a file (`ls | xargs cat`, `sort
 * --files0-from=-`) may read any path: it counts as reading every file, so any file the policy keeps from
 * reads refuses it.
 */
function unreadableNames(policy: Policy, access: CommandAccess): Decision | undefined {
  const [first] = access.namesFromInput;
  if (first === undefined) return undefined;
  const limit = everyReadAllowed(policy);
  if (limit === undefined) return undefined;
  const rule = first.via === "xargs" ? "commands.xargs" : "commands.names-from-input";
  return {
    decision: "deny",
    reason: `run \`${clipCommand(access.command)}\`: \`${clipCommand(first.command)}\` reads files whose names come from its input or a file (${first.via}), so it counts as reading every file, and ${limit}; name the files in the command`,
    rule,
  };
}

/** Why not every file may be read, if so: a `files.read.deny` rule, or no allow rule for everything under `default: deny`. */
function everyReadAllowed(policy: Policy): string | undefined {
  const [deny] = policy.files.read.deny;
  if (deny) return `files.read.deny[0] ("${deny.pattern}") keeps some from reads`;
  if (policy.default === "allow" || policy.files.read.allow.some((rule) => rule.pattern === "**")) return undefined;
  return "no allow rule lets every file be read";
}

/** A folder read with everything in it (`grep -r KEY .`) must not hold a file the policy keeps from reads. */
function unreadableFolder(policy: Policy, access: CommandAccess, sandboxed: boolean): Decision | undefined {
  for (const read of access.folderReads) {
    const named = `run \`${clipCommand(access.command)}\`: \`${clipCommand(read.command)}\` ${read.why ?? `reads the folder ${read.folder} with everything in it`}`;
    if (!read.complete) {
      return { decision: "deny", reason: `${named}, and it holds more entries than this check looks into; name narrower folders`, rule: "commands.folder-read" };
    }
    for (const file of read.files) {
      const decision = decideAccess(policy, { kind: "read", path: file });
      // In the sandbox a file a deny rule names is shown empty (sandboxMasks): `grep -rn x .` over a folder
      // holding `.env` reads nothing of it. One refused by `default: deny` is shown as it is.
      if (decision.decision === "deny" && !(sandboxed && decision.rule.startsWith("files.read.deny"))) {
        const name = file.slice(file.lastIndexOf("/") + 1);
        const exclude = read.exclude.replace("NAME", name);
        return { ...decision, reason: `${named}, which holds ${file}, a file the policy does not let you read (${decision.reason}); name narrower paths, or leave it out (${exclude})` };
      }
    }
  }
  return undefined;
}

/** A folder a program fills with files it names itself (`git clone SRC DIR`): decided like `--outDir`. */
function unwritableFolder(policy: Policy, access: CommandAccess): Decision | undefined {
  for (const folder of access.folderWrites) {
    const named = `run \`${clipCommand(access.command)}\`: it fills the folder ${folder}`;
    const own = folder === "." ? undefined : decideAccess(policy, { kind: "write", path: folder });
    const denied = own?.decision === "deny" ? own : folderWriteDenied(policy, folder);
    if (denied) return { ...denied, reason: `${named} (${denied.reason})` };
  }
  return undefined;
}

/**
 * Reads outside the workspace: in the sandbox, only what it shows exists there (the toolchain, the
 * dependencies, read-only), so any is fine. Without one, a command could read the runner's home folder and
 * other checkouts: only system folders, installed packages and /tmp are allowed.
 */
function outsideRead(policy: Policy, access: CommandAccess, sandboxed: boolean): Decision | undefined {
  for (const [given, real] of Object.entries(access.outsideReads)) {
    const refused = decideOutsideRead(policy, given, real, sandboxed);
    if (refused) return { ...refused, reason: `run \`${clipCommand(access.command)}\`: ${refused.reason}` };
  }
  return undefined;
}

function decideOutsideRead(policy: Policy, given: string, real: string, sandboxed: boolean): Decision | undefined {
  const where = given === real ? "" : ` (${real})`;
  // Secrets are secrets wherever they lie: the checkout's own `.env`, a key in /tmp.
  const secret = [...policy.files.read.deny.map((rule) => rule.pattern), ...SECRETS].find((pattern) => matchPath(real.replace(/^\/+/, ""), pattern));
  if (secret !== undefined) {
    return { decision: "deny", reason: `it reads ${given}${where}, outside the workspace, which "${secret}" keeps from reads wherever it lies`, rule: "workspace" };
  }
  if (sandboxed || readableOutside(real)) return undefined;
  return {
    decision: "deny",
    reason: `it reads ${given}${where}, outside the workspace; without a sandbox, commands may read outside it only in system folders (/usr, /opt), installed packages (node_modules, site-packages) and /tmp`,
    rule: "workspace",
  };
}

/** A changing program given a path outside the workspace is refused, but for /tmp and the output streams. */
function outsideWrite(access: CommandAccess): Decision | undefined {
  const outside = Object.entries(access.outsideWrites).find(([, real]) => !writableOutside(real));
  if (!outside) return undefined;
  const [given, real] = outside;
  const where = given === real ? "" : ` (${real})`;
  return {
    decision: "deny",
    reason: `run \`${clipCommand(access.command)}\`: it changes ${given}${where}, outside the workspace; commands may write outside it only to /tmp, /dev/null and their output streams`,
    rule: "workspace",
  };
}

function clipCommand(command: string, max = 200): string {
  return command.length > max ? `${command.slice(0, max - 3)}...` : command;
}

/**
 * A `tools.deny` rule takes a tool away whole, built-in tools included (`execute_bash`); one with `when`
 * leaves the tool offered and refuses only the calls whose arguments match.
 */
function denyingToolRule(policy: Policy, tool: ToolNames): Decision | undefined {
  const index = policy.tools.deny.findIndex((rule) => rule.when === undefined && matchToolName(tool, rule.pattern));
  const rule = policy.tools.deny[index];
  return rule ? denied(`tools.deny[${index}]`, rule, `use tool ${tool.name}: matches deny rule "${rule.pattern}"`) : undefined;
}

/** The tools the model is offered: those no `tools.deny` rule takes away. */
export function offeredTools<T extends ToolNames>(policy: Policy, tools: T[]): T[] {
  return tools.filter((tool) => denyingToolRule(policy, tool) === undefined);
}

/** A tool's name as offered, and an MCP tool's as its server wrote it when that differs (ToolAccess). */
type ToolNames = { readonly name: string; readonly writtenAs?: string | undefined };

function matchToolName(tool: ToolNames, pattern: string): boolean {
  return matchName(tool.name, pattern) || (tool.writtenAs !== undefined && matchName(tool.writtenAs, pattern));
}

/**
 * Whether a path that changed may have been written, whoever wrote it: protected paths, then `files.write`.
 * The effect check asks this of every path a command changed. A path under which a deny rule or protected
 * path names something is refused too: git reports a folder by its files, so such a path is a file or a
 * link, and a link there (`.github` → `ghsrc/`) would carry what it points to in under the guarded name.
 */
export function decideWrite(policy: Policy, path: string): Decision {
  const decision = decideAccess(policy, { kind: "write", path });
  if (decision.decision === "deny") return decision;
  const below = guardedBelow(policy, path);
  if (below === undefined) return decision;
  return { decision: "deny", reason: `write ${path}: "${below}" keeps a path below it from writes, and a link or file here would stand in for that folder`, rule: "workspace" };
}

function decideAccess(policy: Policy, access: ResolvedAccess, sandboxed = false): Decision {
  switch (access.kind) {
    case "read":
      return decideByRules(policy, policy.files.read, "files.read", access.path, matchPath, `read ${access.path}`);
    case "write":
      return decideProtected(policy, access.path) ?? decideByRules(policy, policy.files.write, "files.write", access.path, matchPath, `write ${access.path}`);
    case "command": {
      const decision = decideCommand(policy, access.parsed, (file) => decideCommandPath(policy, file, access, sandboxed), sandboxed);
      if (decision.decision === "deny") return decision;
      return (
        refusedWrapper(access) ??
        unreadableNames(policy, access) ??
        uncheckablePath(access) ??
        uncheckableCommand(access) ??
        linkedLine(access) ??
        unreadableArgument(policy, access.command, access.argumentFiles) ??
        unreadableFolder(policy, access, sandboxed) ??
        unwritableArgument(policy, access.command, access.argumentWrites) ??
        unwritableFolder(policy, access) ??
        outsideRead(policy, access, sandboxed) ??
        outsideWrite(access) ??
        decision
      );
    }
    case "tool":
      return decideTool(policy, access, access.arguments);
  }
}

/** `tools` rules: by name, and for rules with `when`, by the call's arguments. Deny beats allow. */
function decideTool(policy: Policy, tool: ToolNames, args: Readonly<Record<string, unknown>> | undefined): Decision {
  const fits = (kind: "allow" | "deny") => (rule: Rule) => matchToolName(tool, rule.pattern) && argumentsMatch(rule.when, args, kind);
  const action = `use tool ${tool.name}`;
  const denyIndex = policy.tools.deny.findIndex(fits("deny"));
  const deny = policy.tools.deny[denyIndex];
  if (deny) return denied(`tools.deny[${denyIndex}]`, deny, `${action}: matches deny rule "${deny.pattern}"${describeWhen(deny.when)}`);
  const allowIndex = policy.tools.allow.findIndex(fits("allow"));
  const allow = policy.tools.allow[allowIndex];
  if (allow) return { decision: "allow", reason: `${action}: matches allow rule "${allow.pattern}"${describeWhen(allow.when)}`, rule: `tools.allow[${allowIndex}]` };
  const narrowed = policy.tools.allow.some((rule) => rule.when !== undefined && matchToolName(tool, rule.pattern));
  const because = narrowed ? "; its allow rules name arguments this call does not match" : "";
  if (policy.default === "allow") return { decision: "allow", reason: `${action}: no rule matches; default is allow`, rule: "default" };
  return { decision: "deny", reason: `${action}: no allow rule matches${because} (policy ${policy.source}; default is deny)`, rule: "default" };
}

/**
 * Whether every argument a rule names has a value matching its glob. A string is matched as it is, with `*`
 * matching any characters, `/` included (an argument is no path: `*password*` matches `my/password`); a
 * list matches a deny rule when any of its items does, and an allow rule when every item does; any other
 * value is matched as JSON. An argument the call lacks does not match, so an allow rule with `when` never
 * allows it. Pure.
 */
export function argumentsMatch(
  when: Readonly<Record<string, string>> | undefined, args: Readonly<Record<string, unknown>> | undefined, kind: "allow" | "deny",
): boolean {
  if (when === undefined) return true;
  return Object.entries(when).every(([name, pattern]) => {
    const value = args?.[name];
    if (value === undefined) return false;
    return valueMatches(value, valueGlob(pattern), kind);
  });
}

function valueMatches(value: unknown, glob: RegExp, kind: "allow" | "deny"): boolean {
  if (Array.isArray(value)) return kind === "deny" ? value.some((item) => valueMatches(item, glob, kind)) : value.every((item) => valueMatches(item, glob, kind));
  return glob.test(typeof value === "string" ? value : JSON.stringify(value));
}

const valueGlobs = new Map<string, RegExp>();

/**
 * A glob for an argument's value as a regular expression: `*` any characters, `?` one, `[abc]`/`[!abc]` a
 * class, `{a,b}` alternatives, `\x` the character x. Linear in the value for the patterns policies use. Pure.
 */
export function valueGlob(pattern: string): RegExp {
  let glob = valueGlobs.get(pattern);
  if (glob) return glob;
  let source = "";
  let inBraces = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index);
    if (char === "\\" && index + 1 < pattern.length) source += escapeRegex(pattern.charAt(++index));
    else if (char === "*") source += source.endsWith("[\\s\\S]*") ? "" : "[\\s\\S]*";
    else if (char === "?") source += "[\\s\\S]";
    else if (char === "{" && !inBraces && pattern.indexOf("}", index) > index) {
      inBraces = true;
      source += "(?:";
    } else if (char === "," && inBraces) source += "|";
    else if (char === "}" && inBraces) {
      inBraces = false;
      source += ")";
    } else if (char === "[" && pattern.indexOf("]", index + 2) > index) {
      const end = pattern.indexOf("]", index + 2);
      const body = pattern.slice(index + 1, end);
      const negated = body.startsWith("!") || body.startsWith("^");
      source += `[${negated ? "^" : ""}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&")}]`;
      index = end;
    } else source += escapeRegex(char);
  }
  glob = new RegExp(`^${source}$`);
  valueGlobs.set(pattern, glob);
  return glob;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function describeWhen(when: Readonly<Record<string, string>> | undefined): string {
  if (when === undefined) return "";
  return ` when ${Object.entries(when).map(([name, pattern]) => `${name} is "${pattern}"`).join(" and ")}`;
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

function denyByDefault(policy: Policy, tool: ToolNames): Decision {
  return decideTool(policy, tool, undefined);
}

/** "." is the workspace root: only a rule for everything ("**") or for the root itself covers it. */
function matchPath(path: string, pattern: string): boolean {
  if (path === ".") return pattern === "**" || pattern === ".";
  return compiled(pattern, true).match(path);
}

function matchName(name: string, pattern: string): boolean {
  return compiled(pattern, false).match(name);
}

/** Compiled globs, kept: a folder read checks thousands of paths against the same few rules. */
const matchers = new Map<string, Minimatch>();

function compiled(pattern: string, dot: boolean): Minimatch {
  const key = `${dot ? "dot" : "nodot"}:${pattern}`;
  let matcher = matchers.get(key);
  if (!matcher) {
    matcher = new Minimatch(pattern, { dot });
    matchers.set(key, matcher);
  }
  return matcher;
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
