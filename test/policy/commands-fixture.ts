import { minimatch } from "minimatch";
import { expect, it } from "vitest";
import { type CommandDecision, decideCommand } from "../../src/policy/commands.ts";
import { builtinPolicy } from "../../src/policy/default.ts";
import { loadShellParser } from "../../src/policy/shell/parser.ts";
import type { Decision, Policy } from "../../src/policy/types.ts";

const rules = (patterns: string[]) => patterns.map((pattern) => ({ pattern }));

const DENY = rules(["git push **", "rm -r **", "rm -f **", "curl **"]);

/** The policy of the issue: a handful of everyday commands, four deny rules, default deny. */
export const testPolicy: Policy = {
  ...builtinPolicy,
  source: "test",
  commands: {
    allow: rules(["npm test", "npm run lint **", "git status", "git diff **", "git log **", "ls **", "cat *", "npx vitest run **", "echo **", "find **"]),
    deny: DENY,
  },
};

/** Innocuous-looking rules for tools whose flags can run commands or write files. */
export const toolPolicy: Policy = {
  ...testPolicy,
  commands: {
    allow: rules(["rg **", "sed **", "sort **", "tar **", "find **", "git log **", "git diff **", "git status", "echo **", "git -c core.quotepath=off log **", "find ** -exec **"]),
    deny: DENY,
  },
};

/** Deny-list mode: everything not denied runs. Deny rules must see through disguises on their own here. */
export const denyListPolicy: Policy = { ...testPolicy, default: "allow", commands: { allow: [], deny: DENY } };

/** Reads anything but .env; writes only under src/. */
export function checkFile(access: { kind: "read" | "write"; path: string }): Decision {
  if (access.kind === "read") {
    return minimatch(access.path, "**/.env", { dot: true })
      ? { decision: "deny", rule: "files.read.deny[0]", reason: `read ${access.path}: secrets are never read` }
      : { decision: "allow", rule: "files.read.allow[0]", reason: `read ${access.path}: allowed` };
  }
  return minimatch(access.path, "src/**", { dot: true })
    ? { decision: "allow", rule: "files.write.allow[0]", reason: `write ${access.path}: allowed` }
    : { decision: "deny", rule: "default", reason: `write ${access.path}: no allow rule matches` };
}

export type Case = [command: string, expected: "allow" | "deny", rule?: string];

export type Decider = (policy: Policy, command: string) => CommandDecision;

export async function commandDecider(): Promise<Decider> {
  const parser = await loadShellParser();
  return (policy, command) => decideCommand(policy, parser.parse(command), checkFile);
}

/** Checks the decision, the rule when the case names one, and that every denial explains itself. */
export function expectDecision(decision: CommandDecision, expected: "allow" | "deny", rule?: string): void {
  expect({ decision: decision.decision, reason: decision.reason }).toMatchObject({ decision: expected });
  if (rule) expect(decision.rule).toBe(rule);
  expect(decision.reason.length).toBeGreaterThan(10);
}

/** A table of commands decided by the rules alone (files by `checkFile`), each with its decision and rule. */
export function decideEachByRules(policy: Policy, cases: Case[]): void {
  it.each(cases)("%j → %s", async (command, expected, rule) => expectDecision((await commandDecider())(policy, command), expected, rule));
}
