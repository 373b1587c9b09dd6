import type { Policy, Rule, RuleList } from "./types.ts";

type DenyEntry = string | { pattern: string; reason?: string };

/** A task's own deny rules, as its file gives them. */
export interface TaskPolicy {
  files: { read: { deny: DenyEntry[] }; write: { deny: DenyEntry[] } };
  commands: { deny: DenyEntry[] };
  tools: { deny: DenyEntry[] };
}

/** The run's policy with a task's deny rules appended: it can only refuse more, never allow more. */
export function narrowPolicy(policy: Policy, task: TaskPolicy | undefined, source: string): Policy {
  if (!task) return policy;
  const add = (list: RuleList, entries: DenyEntry[]): RuleList => ({ allow: list.allow, deny: [...list.deny, ...entries.map((entry) => toRule(entry, source))] });
  return {
    ...policy,
    source: `${policy.source} + ${source}`,
    files: { read: add(policy.files.read, task.files.read.deny), write: add(policy.files.write, task.files.write.deny) },
    commands: add(policy.commands, task.commands.deny),
    tools: add(policy.tools, task.tools.deny),
  };
}

function toRule(entry: DenyEntry, source: string): Rule {
  return typeof entry === "string" ? { pattern: entry, source } : { ...entry, source };
}
