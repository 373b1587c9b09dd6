import type { PolicyFile } from "./schema.ts";
import type { ParsedCommand } from "./shell/types.ts";

/** What a tool call is about to do, described by the tool before it runs. Paths are workspace-relative, POSIX. */
export type Access = FileAccess | { kind: "command"; command: string } | ToolAccess;

/** A tool that is neither a file nor a command tool; `arguments` when rules may look at them (MCP tools). */
export interface ToolAccess {
  kind: "tool";
  name: string;
  /**
   * An MCP tool's name as its server wrote it (`mcp__<server>__<tool>`), when the name offered differs (cut to
   * 64 characters with a hash, or with characters providers refuse replaced): `tools` rules match either, so a
   * rule written for the name in the server's documentation still denies the tool.
   */
  writtenAs?: string;
  arguments?: Readonly<Record<string, unknown>>;
}

/**
 * What a command line names, looked up in the workspace by the resolver (resolve/index.ts). Every field is
 * there, empty when the line names nothing of that kind: the decision never guesses a missing fact as "none".
 */
export interface CommandFacts {
  /** Redirect targets as written (normalised) → where they resolve through symlinks; null when outside the workspace. */
  redirectTargets: Record<string, string | null>;
  /**
   * Existing files (not folders) that literal arguments name, as written (normalised) → where they resolve
   * through symlinks; null when outside the workspace. Checked as reads.
   */
  argumentFiles: Record<string, string | null>;
  /**
   * Paths that file-changing programs (`cp`, `mv`, `rm`, `tee`, `sed -i`…) are given, as written
   * (normalised) → where they resolve through symlinks; null when outside the workspace. Checked as writes.
   */
  argumentWrites: Record<string, string | null>;
  /** Absolute redirect and output targets that stay outside the workspace, as written → their real path. */
  outsideTargets: Record<string, string>;
  /**
   * Files and folders the command reads that lie outside the workspace (named so, or reached through a
   * link), as written → their real path. The sandbox decides what exists there; without one, only system
   * folders and installed packages may be read.
   */
  outsideReads: Record<string, string>;
  /** Paths changing programs are given that lie outside the workspace, as written → their real path. */
  outsideWrites: Record<string, string>;
  /**
   * Paths whose target cannot be known, as written → why: per-process paths under /proc, a path through a
   * file descriptor, a relative path after `cd -`. Always refused.
   */
  uncheckablePaths: Record<string, string>;
  /** Commands whose file accesses cannot be known from their words (`tar x`, `git apply`), and why. */
  uncheckableCommands: { command: string; why: string }[];
  /** Commands of the line that make links (`ln`, `cp -s`, a copy of a link), which its other commands would use unseen. */
  linkMakers: string[];
  /** Folders the command reads with everything in them (`grep -r`, `rg`, `cp -r`, `tar c`), and what they hold. */
  folderReads: FolderReadFact[];
  /**
   * Folders a program fills with files it names itself (`git clone SRC DIR`, `git init DIR`), workspace-relative
   * as written and as resolved. Checked like a folder output option.
   */
  folderWrites: string[];
  /**
   * Commands that read files whose names come from their input or a file (`xargs cat`, `sort
   * --files0-from=-`): any path at all may be read, so they count as reading every file.
   */
  namesFromInput: { command: string; via: string }[];
}

/** Only the resolver makes resolved accesses: the key of this brand is not exported. */
declare const resolvedBrand: unique symbol;

/**
 * An access as the decision takes it: a file access checked as written and where it leads (one access each,
 * folders expanded), a command parsed and looked up in the workspace, or a tool.
 */
export type ResolvedAccess =
  | { readonly kind: "read" | "write"; readonly path: string }
  | ({ readonly kind: "command"; readonly command: string; readonly parsed: ParsedCommand } & Readonly<CommandFacts>)
  | Readonly<ToolAccess>;

/**
 * A tool call ready for `decide`: made only by `resolveAccesses` (resolve/index.ts), so a caller cannot hand
 * the decision a command it did not parse and look up (`cat .env` with no facts would name no file).
 */
export interface ResolvedRequest {
  readonly tool: string;
  readonly accesses: readonly ResolvedAccess[];
  /** Whether commands run in a working sandbox: command rules marked `sandboxed` allow only then. */
  readonly sandboxed: boolean;
  readonly [resolvedBrand]: true;
}

/** A folder a command reads whole: the files it would read there, workspace-relative. */
export interface FolderReadFact {
  /** The folder as the command names it. */
  folder: string;
  command: string;
  files: string[];
  /** False when the folder holds more entries than were looked at. */
  complete: boolean;
  /** How to leave a file out with this program, e.g. `--exclude=NAME`. */
  exclude: string;
  /** Why the whole folder counts as read, when it is not named (`xargs cat` reads what its input names). */
  why?: string;
}

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
  /** A command allow rule that holds only when commands run in the sandbox. */
  sandboxed?: boolean;
  /** A tool rule that matches only calls whose arguments match these globs, by argument name. */
  when?: Record<string, string>;
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
  /** Installed dependencies shown to commands; absent means the defaults (detected, nothing more). */
  dependencies?: DependencySettings;
  /** The setup step; absent means none. */
  setup?: SetupSettings;
  /** What each MCP server gets in the sandbox: variables and network. Absent: nothing, no network. */
  mcp?: McpSettings;
  /**
   * Workspace paths never writable whatever the rules say (globs): git's own files, the policy file
   * itself, the run's output folder.
   */
  protect: string[];
  /** Risks found when the policy loaded (allow rules that hand out arbitrary code execution), with file:line. */
  warnings?: string[];
}

/** `sandbox` as the policy file gives it: mode, required, network (a boolean or host names), writable. */
export type SandboxSettings = PolicyFile["sandbox"];

/** Which installed dependency folders commands see (docs/environment.md). */
export type DependencySettings = PolicyFile["dependencies"];

/** Commands that prepare each worktree before its first task; `timeout` in milliseconds. */
export type SetupSettings = PolicyFile["setup"];

/** `mcp` as the policy file gives it: per server, the variables it sees and its network. */
export type McpSettings = PolicyFile["mcp"];
