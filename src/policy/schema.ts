import { z } from "zod";
import { invalidHostPattern } from "./hosts.ts";
import { durationSchema } from "../shared/duration.ts";
import { isRunnerSecret } from "../shared/secret-names.ts";

const POSITIVE_INTEGER = "expected a positive integer";

const examplesSchema = z.strictObject({
  match: z.array(z.string()).default([]).describe("Calls this rule must match."),
  not_match: z.array(z.string()).default([]).describe("Calls this rule must not match."),
});

/** A list entry: a bare pattern, or a pattern with a reason and examples checked when the policy loads. */
const ruleSchema = z.union([
  z.string().min(1),
  z.strictObject({
    pattern: z.string().min(1).describe("Glob for paths and tool names; shell-like words for commands."),
    reason: z.string().optional().describe("Shown to the model and in reports when this rule decides."),
    examples: examplesSchema.optional(),
  }),
]);

const ruleListSchema = z
  .strictObject({
    allow: z.array(ruleSchema).default([]),
    deny: z.array(ruleSchema).default([]),
  })
  .prefault({});

/**
 * A tool rule may also look at the call's arguments (MCP tools): it matches only when every argument it
 * names has a value matching the glob (strings as they are, lists item by item, other values as JSON).
 */
const toolRuleSchema = z.union([
  z.string().min(1),
  z.strictObject({
    pattern: z.string().min(1).describe("Glob for tool names, e.g. mcp__github__* ."),
    when: z.record(z.string().min(1), z.string()).optional()
      .describe("Argument name → glob its value must match (`*` matches any characters, `/` included; a list matches a deny rule when any item does, an allow rule when every item does); an argument the call lacks does not match."),
    reason: z.string().optional().describe("Shown to the model and in reports when this rule decides."),
    examples: examplesSchema.optional().describe('Tool names, each optionally followed by the arguments as JSON: `mcp__github__create_issue {"repo": "me/x"}`.'),
  }),
]);

const toolRuleListSchema = z
  .strictObject({
    allow: z.array(toolRuleSchema).default([]),
    deny: z.array(toolRuleSchema).default([]),
  })
  .prefault({});

/**
 * A command allow rule may hold only inside the sandbox: programs that run the workspace's own code (a test
 * script, `python x.py`) are safe to allow there, where secrets are hidden, the network is off and every
 * write is checked, and not outside it, where they could read any file the runner can.
 */
const commandAllowSchema = z.union([
  z.string().min(1),
  z.strictObject({
    pattern: z.string().min(1).describe("Shell-like words: `*` one word or part of one within a folder, `**` any words or across folders."),
    reason: z.string().optional().describe("Shown to the model and in reports when this rule decides."),
    examples: examplesSchema.optional(),
    sandboxed: z.boolean().optional()
      .describe("true: this rule allows only when commands run in the sandbox (docs/sandbox.md); without one, the command is refused with that reason."),
  }),
]);

const commandRulesSchema = z
  .strictObject({
    allow: z.array(commandAllowSchema).default([]),
    deny: z.array(ruleSchema).default([]),
  })
  .prefault({});

const envPassSchema = z
  .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected a variable name" }))
  .default([])
  .superRefine((names, context) => {
    names.forEach((name, index) => {
      if (!isRunnerSecret(name)) return;
      context.addIssue({ code: "custom", path: [index], message: `${name} holds the runner's credentials and is never passed to commands; remove it from env.pass` });
    });
  });

/** false: no network; true: the host's network; a list: only these hosts, through nanocoder's filtering proxy. */
const networkSchema = z.union([
  z.boolean(),
  z.array(z.string().superRefine((entry, context) => {
    const why = invalidHostPattern(entry);
    if (why) context.addIssue({ code: "custom", message: why });
  })).min(1, { error: "expected at least one host name; use false for no network" }),
], { error: "expected true, false or a list of host names" });

/** Policy file v1. Omitted lists are empty: when no rule matches, `default` decides. */
export const policyFileSchema = z
  .strictObject({
    version: z.literal(1, { error: "expected version: 1" }),
    default: z.enum(["allow", "deny"]).default("deny").describe("Decision when no rule matches."),
    files: z
      .strictObject({ read: ruleListSchema, write: ruleListSchema })
      .prefault({})
      .describe("Path globs, relative to the workspace root, dotfiles matched."),
    commands: commandRulesSchema.describe("Command patterns, checked against every simple command of a shell line."),
    tools: toolRuleListSchema.describe("Tools that are neither file nor command tools: MCP tools (mcp__<server>__<tool>)."),
    env: z.strictObject({ pass: envPassSchema.describe("Extra environment variables commands may see; never the runner's credentials.") }).prefault({}),
    limits: z
      .strictObject({
        max_turns: z.int({ error: POSITIVE_INTEGER }).positive({ error: POSITIVE_INTEGER }).optional(),
        max_denials: z.int({ error: POSITIVE_INTEGER }).positive({ error: POSITIVE_INTEGER }).optional(),
      })
      .prefault({}),
    sandbox: z
      .strictObject({
        mode: z.enum(["auto", "bwrap", "none"]).default("auto")
          .describe("auto: bubblewrap when it works on this machine, else none with a warning; bwrap: always; none: never."),
        required: z.boolean().default(false).describe("true: refuse to run commands without a working sandbox."),
        network: networkSchema.default(false)
          .describe("false: commands have no network at all; true: the host's network; a list of host names (`*.example.org` for subdomains): only those, through a filtering proxy."),
        writable: z.array(z.string().min(1)).default([])
          .describe("Extra paths commands may write (caches), relative to the workspace or absolute."),
      })
      .prefault({})
      .describe("The OS sandbox every command and check runs in. See docs/sandbox.md."),
    dependencies: z
      .strictObject({
        detect: z.boolean().default(true)
          .describe("Show commands the repository's installed dependency folders git ignores (node_modules, also of workspace packages, .venv, venv, vendor/bundle)."),
        paths: z.array(z.string().min(1)).default([])
          .describe("More git-ignored folders or files to show, relative to the repository root; globs allowed."),
      })
      .prefault({})
      .describe("Installed dependencies every worktree sees, read-only. See docs/environment.md."),
    mcp: z
      .strictObject({
        servers: z
          .record(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected a server name of letters, digits, "_" and "-"' }), z.strictObject({
            env: envPassSchema.describe("Variables this stdio server may see: its .mcp.json `env` entry, else the runner's value; never the runner's credentials."),
            network: networkSchema.default(false)
              .describe("false: the server has no network; true: the host's network; a list of host names: only those, through the filtering proxy."),
            read: z.array(z.string().regex(/^\//, { error: "expected an absolute path" })).default([])
              .describe("Folders outside the worktree the server may read, e.g. where it is installed; shown read-only at the same path."),
          }))
          .default({}),
      })
      .prefault({})
      .describe("What each MCP server from .mcp.json gets in the sandbox; which of its tools may be called is up to `tools`. See docs/mcp.md."),
    setup: z
      .strictObject({
        run: z.array(z.string().min(1)).default([]).describe("Commands run in each worktree before its first task, in the sandbox; their results serve the worktree's later tasks."),
        inputs: z.array(z.string().min(1)).default([])
          .describe("Files whose content decides whether setup results can be reused (lockfiles). Default: the lockfiles at the repository root."),
        timeout: durationSchema.prefault("10m").describe("Wall-clock limit for all setup commands of one worktree."),
        network: networkSchema.optional().describe("The network setup commands get; default: sandbox.network."),
      })
      .prefault({})
      .describe("Commands that prepare a worktree (an install, a build). See docs/environment.md."),
  })
  .meta({ title: "nanocoder policy", description: "Decides every tool call of an unattended run." });

export type PolicyFile = z.output<typeof policyFileSchema>;
export type RuleEntry = z.output<typeof ruleSchema> | z.output<typeof commandAllowSchema> | z.output<typeof toolRuleSchema>;
