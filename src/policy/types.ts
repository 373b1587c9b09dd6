import type { ParsedCommand } from "./shell/types.ts";

/** What a tool call is about to do, described by the tool before it runs. Paths are workspace-relative, POSIX. */
export type Access =
  | FileAccess
  /** `parsed` is filled in before the decision; a command without it is refused. */
  | {
      kind: "command";
      command: string;
      parsed?: ParsedCommand;
      /** Redirect targets as written (normalised) → where they resolve through symlinks; null when outside the workspace. */
      redirectTargets?: Record<string, string | null>;
      /**
       * Existing files (not folders) that literal arguments name, as written (normalised) → where they resolve
       * through symlinks; null when outside the workspace. Checked as reads.
       */
      argumentFiles?: Record<string, string | null>;
      /**
       * Paths that file-changing programs (`cp`, `mv`, `rm`, `tee`, `sed -i`…) are given, as written
       * (normalised) → where they resolve through symlinks; null when outside the workspace. Checked as writes.
       */
      argumentWrites?: Record<string, string | null>;
    }
  | { kind: "tool"; name: string };

/**
 * A file read or written. `within`: everything inside too, when the path is a folder (deleting or moving
 * one). `contentsOf`: the files of that other path land under this one (a folder copied or moved here).
 * Both are expanded into plain accesses, path by path, before the decision.
 */
export interface FileAccess {
  kind: "read" | "write";
  path: string;
  within?: boolean;
  contentsOf?: string;
}

export interface ToolCallRequest {
  tool: string;
  accesses: Access[];
}

export interface Decision {
  decision: "allow" | "deny";
  reason: string;
  /** Which rule decided, e.g. `files.write.deny[0]` or `default`. */
  rule: string;
  /** For a command: how each simple command and redirection in it was decided. */
  segments?: { command: string; decision: "allow" | "deny"; rule: string; reason: string }[];
}

export interface Rule {
  pattern: string;
  reason?: string;
  /** Where the rule was written, e.g. `.nanocoder/policy.yaml:14:7`. */
  source?: string;
  examples?: { match: string[]; not_match: string[] };
}

export interface RuleList {
  allow: Rule[];
  deny: Rule[];
}

export interface Policy {
  /** Where the policy came from: a file path, or "built-in". */
  source: string;
  default: "allow" | "deny";
  files: { read: RuleList; write: RuleList };
  commands: RuleList;
  tools: RuleList;
  /** Extra environment variables commands may see. */
  env: { pass: string[] };
  /** Defaults for every task run under this policy; a task may only lower them. */
  limits: { max_turns?: number; max_denials?: number };
  /** The OS sandbox commands run in; absent means the defaults (mode auto, no network). */
  sandbox?: SandboxSettings;
  /**
   * Workspace paths never writable whatever the rules say (globs): git's own files, the policy file
   * itself, the run's output folder.
   */
  protect: string[];
  /** Risks found when the policy loaded (allow rules that hand out arbitrary code execution), with file:line. */
  warnings?: string[];
}

export interface SandboxSettings {
  /** auto: bubblewrap when it works here, else none with a warning; bwrap: always; none: never. */
  mode: "auto" | "bwrap" | "none";
  /** Refuse to run commands without a working sandbox. */
  required: boolean;
  /** The host's network (true) or none at all (false). */
  network: boolean;
  /** Extra paths commands may write, relative to the workspace or absolute. */
  writable: string[];
}
