/** Facts about a repository that shape its starter policy. */
export interface RepositoryFacts {
  packageManager?: "npm" | "pnpm" | "yarn";
  /** package.json scripts worth allowing, e.g. test, lint, typecheck. */
  scripts: string[];
}

const CHECK_SCRIPTS = ["test", "lint", "typecheck", "check", "format", "build"];

export function pickScripts(scripts: Record<string, string>): string[] {
  return CHECK_SCRIPTS.filter((name) => name in scripts);
}

/** A commented policy a maintainer can read top to bottom and tighten or widen on purpose. */
export function renderStarterPolicy(facts: RepositoryFacts): string {
  const commands = facts.packageManager ? scriptCommands(facts.packageManager, facts.scripts) : [];
  const allowed = [...commands, '"git status"', '"git status **"', '"git diff **"', '"git log **"', '"git show **"', '"ls **"'];
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
  allow:
${allowed.map((pattern) => `    - ${pattern}`).join("\n")}
  deny:
    - pattern: "git push **"
      reason: "pushes happen in the release job"
    - pattern: "git commit **"
      reason: "changes are delivered as patches"

tools:
  allow: []
  deny: []

env:
  pass: []                    # extra environment variables commands may see, e.g. [NODE_OPTIONS]

limits:                       # defaults for every task; a task may only lower them
  max_turns: 50
  max_denials: 20
`;
}

function scriptCommands(manager: "npm" | "pnpm" | "yarn", scripts: string[]): string[] {
  return scripts.flatMap((name) => {
    if (manager === "npm" && name === "test") return ['"npm test"', '"npm test -- **"'];
    const run = manager === "yarn" ? `yarn ${name}` : `${manager} run ${name}`;
    return [`"${run}"`, `"${run} -- **"`];
  });
}
