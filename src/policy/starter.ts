import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { INSPECTION_COMMANDS } from "./default.ts";

/** Facts about a repository that shape its starter policy. */
export interface RepositoryFacts {
  packageManager?: "npm" | "pnpm" | "yarn";
  /** package.json scripts worth allowing, e.g. test, lint, typecheck. */
  scripts: string[];
}

const CHECK_SCRIPTS = ["test", "lint", "typecheck", "check", "format", "build"];

function pickScripts(scripts: Record<string, string>): string[] {
  return CHECK_SCRIPTS.filter((name) => name in scripts);
}

/** What the starter policy is shaped by: the package manager (from the lockfile) and package.json's check scripts. */
export async function inspectRepository(dir: string): Promise<RepositoryFacts> {
  const manifest = await readFile(join(dir, "package.json"), "utf8").then(
    (text) => JSON.parse(text) as { scripts?: Record<string, string> },
    () => undefined,
  );
  if (!manifest) return { scripts: [] };
  const packageManager = existsSync(join(dir, "pnpm-lock.yaml")) ? "pnpm" : existsSync(join(dir, "yarn.lock")) ? "yarn" : "npm";
  return { packageManager, scripts: pickScripts(manifest.scripts ?? {}) };
}

/**
 * Programs that change files in the workspace. What each writes is known from its words, so `files.write`
 * decides it with or without a sandbox, and the effect check undoes anything else a command changed.
 */
export const EDIT_COMMANDS = [
  "mkdir **", "touch **", "cp **", "mv **", "rm **", "rmdir **", "tee **", "sed -i **", "chmod **",
  "git add **", "git restore **", "git checkout -- **",
];

/**
 * Programs that run the workspace's own code (tests, scripts, build tools): what they read and write cannot
 * be known from their words. Inside the sandbox that is safe: denied files are hidden, the network is off
 * unless the policy opens it, protected paths are read-only and every write is checked. Without a sandbox
 * they could read any file the runner can, so these rules hold only inside it.
 */
export const SANDBOXED_COMMANDS = [
  "python **", "python3 **", "pytest **", "node **", "npx **", "bun **", "deno **", "make **", "awk **",
  "bash *.sh **", "sh *.sh **", "bash **/*.sh **", "sh **/*.sh **",
  "go build **", "go test **", "go run **", "go vet **", "cargo build **", "cargo test **", "cargo run **", "cargo check **",
];

/**
 * Installs change the environment every later task shares and need the network: they belong in the
 * policy's `setup:` (docs/environment.md), not in a task.
 */
const INSTALLS = [
  "pip install **", "pip3 install **", "python -m pip **", "python3 -m pip **", "npm install **", "npm i **", "npm ci **",
  "yarn add **", "pnpm add **", "pnpm install **", "bun add **", "bun install **", "uv pip **", "uv add **", "poetry add **",
];

/** A commented policy a maintainer can read top to bottom and tighten or widen on purpose. */
export function renderStarterPolicy(facts: RepositoryFacts): string {
  const scripts = facts.packageManager ? scriptCommands(facts.packageManager, facts.scripts) : [];
  const quoted = (pattern: string) => JSON.stringify(pattern);
  const sandboxed = (pattern: string) => `{ pattern: ${quoted(pattern)}, sandboxed: true }`;
  const sandboxedRules = [...scripts, ...SANDBOXED_COMMANDS].map(sandboxed);
  return `# nanocoder batch policy: decides every tool call of an unattended run.
# Reference: docs/policy.md. Try a decision: nanocoder policy check --command "npm test"
version: 1
default: deny                 # when no rule matches

files:
  read:
    allow: ["**"]
    deny: ["**/.env", "**/.env.*", "**/*.pem", "**/*.key", "**/id_rsa*", "**/id_ed25519*", "**/id_ecdsa*", "**/.npmrc", "**/.netrc"]
  write:
    allow: ["**"]             # narrow this to the folders tasks should change, e.g. ["src/**", "test/**", "docs/**"]
    deny:
      - pattern: ".github/workflows/**"
        reason: "CI workflows are changed by people"
      - "**/.env"
      - "**/.env.*"

commands:                     # every simple command of a shell line must be allowed on its own
  allow: [
    # Looking: these read only what their words name, so files.read decides what they see.
${flowRows(INSPECTION_COMMANDS.map(quoted), 8)}
    # Changing files: what they write is known from their words, so files.write decides it.
${flowRows(EDIT_COMMANDS.map(quoted), 8)}
    # Running the project's code: only inside the sandbox, where denied files are hidden, the network is off
    # and every write is checked (docs/sandbox.md). Without "sandboxed: true" they could read every file.
${flowRows(sandboxedRules, 2)}
  ]
  deny:
    - pattern: "git push **"
      reason: "pushes happen in the release job"
    - pattern: "git commit **"
      reason: "changes are delivered as patches"
${INSTALLS.map((pattern) => `    - { pattern: ${quoted(pattern)}, reason: "installs belong in the policy's setup (docs/environment.md)" }`).join("\n")}

tools:                        # MCP tools of .mcp.json (docs/mcp.md), e.g. allow: [mcp__docs__*]
  allow: []
  deny: []

env:
  pass: []                    # extra environment variables commands may see, e.g. [NODE_OPTIONS]

limits:                       # defaults for every task; a task may only lower them
  max_turns: 50
  max_denials: 20
`;
}

/** Items of a YAML flow sequence, `perLine` to a line, each followed by a comma. */
function flowRows(items: string[], perLine: number): string {
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(`    ${items.slice(i, i + perLine).join(", ")},`);
  return lines.join("\n");
}

function scriptCommands(manager: "npm" | "pnpm" | "yarn", scripts: string[]): string[] {
  return scripts.flatMap((name) => {
    if (manager === "npm" && name === "test") return ["npm test", "npm test -- **"];
    const run = manager === "yarn" ? `yarn ${name}` : `${manager} run ${name}`;
    return [run, `${run} -- **`];
  });
}
