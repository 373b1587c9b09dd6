import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { UserError, UserErrors } from "../shared/errors.ts";
import { parseYamlDocuments, positionOf, validateYaml, type YamlSource } from "../shared/yaml-source.ts";
import { builtinPolicy, DEFAULT_POLICY_FILE } from "./default.ts";
import { checkExamples } from "./examples.ts";
import { lintAllowPattern } from "./lint.ts";
import { loadShellParser } from "./shell/parser.ts";
import { policyFileSchema, type PolicyFile, type RuleEntry } from "./schema.ts";
import type { Policy, Rule, RuleList } from "./types.ts";
import { readUserFile } from "../shared/user-file.ts";
import { looksLikeSecret } from "../shared/secret-names.ts";

export const DEFAULT_POLICY_PATH = join(...DEFAULT_POLICY_FILE.split("/"));

export interface PolicyLocation {
  /** `--policy PATH`, when given. */
  explicitPath?: string;
  cwd: string;
  /** The repository root, when known: the policy file is protected by its path inside it. */
  repoRoot?: string;
}

/** `--policy PATH`, else `.nanocoder/policy.yaml` when present, else the built-in policy. */
export async function loadPolicy({ explicitPath, cwd, repoRoot }: PolicyLocation): Promise<Policy> {
  const path = explicitPath ?? findDefaultPolicy(repoRoot ?? cwd, cwd);
  if (path === undefined) return builtinPolicy;
  const absolute = resolve(cwd, path);
  const notFound = explicitPath ? "policy file not found; pass --policy with an existing file, or omit it to use the built-in policy" : "policy file not found";
  const text = (await readUserFile(absolute, path, "E_POLICY", notFound)).toString("utf8");
  const policy = parsePolicy(text, path);
  const problems = checkExamples(policy, await loadShellParser());
  if (problems.length > 0) throw new UserErrors(problems.map((problem) => new UserError(problem, "E_POLICY_EXAMPLE")));
  const inRepo = repoRoot ? relative(repoRoot, absolute) : undefined;
  const protectPolicy = inRepo && !inRepo.startsWith("..") && !isAbsolute(inRepo) ? [inRepo.split("\\").join("/")] : [];
  return { ...policy, protect: [...new Set([...policy.protect, ...protectPolicy])] };
}

function findDefaultPolicy(root: string, cwd: string): string | undefined {
  const absolute = join(root, DEFAULT_POLICY_PATH);
  return existsSync(absolute) ? relative(cwd, absolute) : undefined;
}

/** Parses and validates policy text; every problem is reported with file:line:col. */
export function parsePolicy(text: string, file: string): Policy {
  const documents = parseYamlDocuments(text, file);
  const [source, extra] = documents;
  if (!source) throw new UserError(`${file}: the policy file is empty; start it with "version: 1"`, "E_POLICY");
  if (extra) {
    const { line, col } = positionOf(extra, [], "value");
    throw new UserError(`${file}:${line}:${col}: a policy file holds one YAML document, not several; merge this one into the first, or remove the "---" before it`, "E_POLICY");
  }
  const result = validateYaml(policyFileSchema, source);
  if (!result.ok) throw new UserErrors(result.errors);
  return toPolicy(result.value, source);
}

function toPolicy(file: PolicyFile, source: YamlSource): Policy {
  const list = (section: string[], rules: { allow: RuleEntry[]; deny: RuleEntry[] }): RuleList => ({
    allow: rules.allow.map((entry, index) => toRule(entry, source, [...section, "allow", index])),
    deny: rules.deny.map((entry, index) => toRule(entry, source, [...section, "deny", index])),
  });
  return {
    source: source.file,
    default: file.default,
    files: { read: list(["files", "read"], file.files.read), write: list(["files", "write"], file.files.write) },
    commands: list(["commands"], file.commands),
    tools: list(["tools"], file.tools),
    env: { pass: file.env.pass },
    limits: file.limits,
    sandbox: file.sandbox,
    dependencies: file.dependencies,
    setup: file.setup,
    mcp: file.mcp,
    protect: builtinPolicy.protect,
    warnings: [...lintCommands(file, source), ...lintPassedVariables(file, source)],
  };
}

/**
 * Allow patterns that hand out arbitrary code execution load, with a warning naming the risk. A rule that
 * holds only inside the sandbox is what such programs are meant to get: it is warned about only when the
 * policy turns the sandbox off, where it can never apply.
 */
function lintCommands(file: PolicyFile, source: YamlSource): string[] {
  return file.commands.allow.flatMap((entry, index) => {
    const sandboxed = typeof entry !== "string" && entry.sandboxed === true;
    const pattern = typeof entry === "string" ? entry : entry.pattern;
    const warning = sandboxed
      ? file.sandbox.mode === "none" ? `allow pattern "${pattern}" is sandboxed, and sandbox.mode is none: it never applies` : undefined
      : lintAllowPattern(pattern);
    if (!warning) return [];
    const { line, col } = positionOf(source, ["commands", "allow", index], "value");
    return [`${source.file}:${line}:${col}: warning: ${warning}`];
  });
}

/** Names that look like secrets (shared/secret-names.ts: their values are hidden in the reports) load, with a warning. */
function lintPassedVariables(file: PolicyFile, source: YamlSource): string[] {
  return file.env.pass.flatMap((name, index) => {
    if (!looksLikeSecret(name)) return [];
    const { line, col } = positionOf(source, ["env", "pass", index], "value");
    return [`${source.file}:${line}:${col}: warning: env.pass hands ${name} to every command the model runs, and its name looks like a secret; pass it only if commands need it and the model may see it`];
  });
}

function toRule(entry: RuleEntry, source: YamlSource, path: (string | number)[]): Rule {
  const { line, col } = positionOf(source, path, "value");
  const location = `${source.file}:${line}:${col}`;
  if (typeof entry === "string") return { pattern: entry, source: location };
  return {
    pattern: entry.pattern,
    source: location,
    ...(entry.reason ? { reason: entry.reason } : {}),
    ...(entry.examples ? { examples: entry.examples } : {}),
    ...("sandboxed" in entry && entry.sandboxed ? { sandboxed: true } : {}),
    ...("when" in entry && entry.when ? { when: entry.when } : {}),
  };
}
