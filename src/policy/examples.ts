import { minimatch } from "minimatch";
import { decideCommand } from "./commands.ts";
import { argumentsMatch } from "./decide.ts";
import type { ShellParser } from "./shell/parser.ts";
import type { Decision, Policy, Rule } from "./types.ts";

type Section = "files.read" | "files.write" | "commands" | "tools";

/**
 * Checks every rule's examples against the rule alone, so a policy that contradicts its own
 * examples fails to load. Returns one message per broken example, with the rule's file:line.
 */
export function checkExamples(policy: Policy, parser: ShellParser): string[] {
  const sections: [Section, { allow: Rule[]; deny: Rule[] }][] = [
    ["files.read", policy.files.read],
    ["files.write", policy.files.write],
    ["commands", policy.commands],
    ["tools", policy.tools],
  ];
  return sections.flatMap(([section, rules]) => [
    ...rules.allow.flatMap((rule) => checkRule(section, "allow", rule, parser)),
    ...rules.deny.flatMap((rule) => checkRule(section, "deny", rule, parser)),
  ]);
}

function checkRule(section: Section, kind: "allow" | "deny", rule: Rule, parser: ShellParser): string[] {
  if (!rule.examples) return [];
  const where = rule.source ? `${rule.source}: ` : "";
  const problems: string[] = [];
  for (const example of rule.examples.match) {
    if (!matches(section, kind, rule, example, parser)) problems.push(`${where}${section}.${kind} "${rule.pattern}": example "${example}" should match but does not`);
  }
  for (const example of rule.examples.not_match) {
    if (matches(section, kind, rule, example, parser)) problems.push(`${where}${section}.${kind} "${rule.pattern}": example "${example}" should not match but does`);
  }
  return problems;
}

/** Whether this rule, on its own, decides the example the way its kind says (allows it, or denies it). */
function matches(section: Section, kind: "allow" | "deny", rule: Rule, example: string, parser: ShellParser): boolean {
  if (section === "tools") return toolExampleMatches(kind, rule, example);
  if (section !== "commands") return minimatch(example, rule.pattern, { dot: true });
  const decision = decideCommand(soloPolicy(kind, rule), parser.parse(example), allowFiles);
  return kind === "allow" ? decision.decision === "allow" : decision.rule === "commands.deny[0]";
}

function soloPolicy(kind: "allow" | "deny", rule: Rule): Policy {
  const empty = { allow: [], deny: [] };
  return {
    source: "example",
    default: kind === "allow" ? "deny" : "allow",
    files: { read: empty, write: empty },
    commands: kind === "allow" ? { allow: [rule], deny: [] } : { allow: [], deny: [rule] },
    tools: empty,
    env: { pass: [] },
    limits: {},
    protect: [],
  };
}

function allowFiles(): Decision {
  return { decision: "allow", reason: "examples check commands, not files", rule: "example" };
}

/** A tool example: its name, then optionally the call's arguments as a JSON object. */
function toolExampleMatches(kind: "allow" | "deny", rule: Rule, example: string): boolean {
  const space = example.search(/\s/);
  const name = space < 0 ? example : example.slice(0, space);
  const json = space < 0 ? "" : example.slice(space).trim();
  let args: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = json === "" ? undefined : JSON.parse(json);
    args = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return false;
  }
  return minimatch(name, rule.pattern) && argumentsMatch(rule.when, args, kind);
}
