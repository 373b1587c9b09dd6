import { CONFIG_NAME } from "../config/load.ts";
import type { Policy } from "./types.ts";

/** Where a repository keeps its policy: found there when `--policy` is not given. */
export const DEFAULT_POLICY_FILE = ".nanocoder/policy.yaml";

/** Files that hold secrets in most projects: never read or written under the built-in policy, and hidden from sandboxed commands under any policy. */
export const SECRETS = [
  "**/.env",
  "**/.env.*",
  "**/*.pem",
  "**/*.key",
  "**/id_rsa*",
  "**/id_ed25519*",
  "**/id_ecdsa*",
  "**/.npmrc",
  "**/.netrc",
];

/**
 * Programs that only look. What each reads is known from its words (the files it names, the folders it
 * searches), so `files.read` decides what it may see, with or without a sandbox; what it writes is only a
 * redirect or an output option, which `files.write` decides. Their options that write or run other programs
 * (`sed -i`, `find -exec`, `sort -o`) are refused unless a rule names them. The built-in policy allows these,
 * and so does the starter policy from `nanocoder policy init`.
 */
export const INSPECTION_COMMANDS = [
  "cd **", "pwd", "ls **", "cat **", "head **", "tail **", "nl **", "wc **", "grep **", "egrep **", "fgrep **", "rg **",
  "find **", "sed **", "sort **", "uniq **", "cut **", "tr **", "column **", "diff **", "cmp **", "comm **", "stat **",
  "du **", "realpath **", "readlink **", "basename **", "dirname **", "od **", "md5sum **", "sha256sum **", "jq **",
  "echo **", "printf **", "true", "false", "test **", "[ **", "which **", "type **", "date", "date +*", "uname **", "sleep **",
  "git status **", "git diff **", "git log **", "git show **", "git blame **", "git grep **", "git ls-files **", "git rev-parse **",
  "git describe **", "git shortlog **", "git branch --show-current",
];

/**
 * Applies when no policy file is given: reads anywhere but secrets, writes anywhere but `.git`, and of
 * commands only those that look (INSPECTION_COMMANDS), since nobody is there to approve anything more.
 */
export const builtinPolicy: Policy = {
  source: "built-in",
  default: "deny",
  files: {
    read: {
      allow: [{ pattern: "**" }],
      deny: SECRETS.map((pattern) => ({ pattern, reason: "secrets are never read" })),
    },
    write: {
      allow: [{ pattern: "**" }],
      deny: [
        ...SECRETS.map((pattern) => ({ pattern, reason: "secrets are never written" })),
      ],
    },
  },
  commands: {
    allow: INSPECTION_COMMANDS.map((pattern) => ({ pattern })),
    deny: [],
  },
  tools: { allow: [], deny: [] },
  env: { pass: [] },
  limits: {},
  sandbox: { mode: "auto", required: false, network: false, writable: [] },
  // The default policy file and the project's provider config too, whether or not they exist yet: a task
  // that wrote one (`default: allow`, a provider at another URL given the same key variable) would otherwise
  // disarm the next run, or send its code and key elsewhere, once its patch is applied.
  protect: [".git", ".git/**", ".nanocoder/runs/**", "**/.git", "**/.git/**", DEFAULT_POLICY_FILE, CONFIG_NAME],
};
