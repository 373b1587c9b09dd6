import type { Policy, Rule, RuleList } from "./types.ts";

type DenyEntry = string | { pattern: string; reason?: string };

/** A task's own deny rules, as its file gives them. */
export interface TaskPolicy {
  files: { read: { deny: DenyEntry[] }; write: { deny: DenyEntry[] } };
  commands: { deny: DenyEntry[] };
  tools: { deny: DenyEntry[] };
}

/** The run's policy with a task's deny rules appended: it can only refuse more, never allow more. */
export function narrowPolicy(policy: Policy, task: TaskPolicy | undefined, source: string, locate: (path: readonly (string | number)[]) => string = () => source): Policy {
  if (!task) return policy;
  const add = (list: RuleList, entries: DenyEntry[], section: string[]): RuleList => ({
    allow: list.allow,
    deny: [...list.deny, ...entries.map((entry, index) => toRule(entry, locate(["policy", ...section, "deny", index])))],
  });
  return {
    ...policy,
    source: `${policy.source} + ${source}`,
    files: { read: add(policy.files.read, task.files.read.deny, ["files", "read"]), write: add(policy.files.write, task.files.write.deny, ["files", "write"]) },
    commands: add(policy.commands, task.commands.deny, ["commands"]),
    tools: add(policy.tools, task.tools.deny, ["tools"]),
  };
}

function toRule(entry: DenyEntry, source: string): Rule {
  return typeof entry === "string" ? { pattern: entry, source } : { ...entry, source };
}
