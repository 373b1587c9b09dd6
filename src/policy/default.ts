import type { Policy } from "./types.ts";

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
 * Applies when no policy file is given: reads anywhere but secrets, writes anywhere but `.git`,
 * and no commands at all, since nobody is there to approve them.
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
    allow: [],
    deny: [],
  },
  tools: { allow: [], deny: [] },
  env: { pass: [] },
  limits: {},
  sandbox: { mode: "auto", required: false, network: false, writable: [] },
  protect: [".git", ".git/**", ".nanocoder/runs/**", "**/.git", "**/.git/**"],
};
