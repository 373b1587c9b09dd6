import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { scratchDir } from "../helpers/temp.ts";
import { decide } from "../../src/policy/decide.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";
import { renderStarterPolicy } from "../../src/policy/starter.ts";
import type { Decision, Policy } from "../../src/policy/types.ts";

/*
 * Policies and real workspaces for the tests that decide commands as a run does (parse, resolve in the
 * workspace, decide): the files and links a case names exist, so what a command would reach is looked up.
 */

/** (a) What `nanocoder policy init` writes for an npm project with test and lint scripts. */
export const starterNpm: Policy = withoutSandboxOnly(parsePolicy(renderStarterPolicy({ packageManager: "npm", scripts: ["test", "lint"] }), ".nanocoder/policy.yaml"));

/** (b) The issue's example policy, with mv and cp for the link cases. */
export const issueExample = parsePolicy(
  `version: 1
default: deny
files:
  read:
    allow: ["**"]
    deny: ["**/.env", "**/.env.*", "**/*.pem", "**/id_rsa*"]
  write:
    allow: ["src/**", "test/**", "docs/**"]
    deny: [".github/workflows/**"]
commands:
  allow: ["npm test", "npm run lint **", "git status", "git diff **", "npx vitest run **", "mv **", "cp **", "env **"]
  deny:
    - pattern: "git push **"
      reason: "pushes happen in the release job"
`,
  "issue.yaml",
);

/** (c) The permissive policy of the audit, with mkdir. */
export const permissive = parsePolicy(
  `version: 1
files:
  read: {allow: ["**"], deny: ["**/.env"]}
  write: {allow: ["**"], deny: [".github/workflows/**"]}
commands:
  allow: ["cat *", "cp **", "grep **", "git **", "npm test **", "npx vitest run **", "tar **", "rsync **", "zip **", "cd *", "xargs cat", "mkdir **", "mv **"]
`,
  "permissive.yaml",
);


/** A workspace with a secret, a workflow, links to both, and room for more files. */
export function auditWorkspace(extra: Record<string, string> = {}): string {
  const dir = realpathSync(scratchDir("nanocoder-reaudit-"));
  const files: Record<string, string> = {
    ".env": "TOKEN=x\n",
    ".github/workflows/ci.yml": "on: push\n",
    "src/a.ts": "export const a = 1;\n",
    "src/deep/b.ts": "export const b = 2;\n",
    "tpl/a.txt": "a\n",
    "README.md": "# ws\n",
    "x.mbox": "From x\n",
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(join(dir, ".git"));
  mkdirSync(join(dir, "empty"));
  symlinkSync("../.env", join(dir, "src/env-link"));
  symlinkSync("../.github/workflows/ci.yml", join(dir, "src/wf"));
  return dir;
}

/** The issue's example policy, with the everyday rules a maintainer would add. */
export const maintainerPolicy = parsePolicy(
  `version: 1
default: deny
files:
  read:
    allow: ["**"]
    deny: ["**/.env", "**/.env.*", "**/*.pem", "**/id_rsa*"]
  write:
    allow: ["src/**", "test/**", "docs/**"]
    deny: [".github/workflows/**"]
commands:
  allow:
    - "npm test"
    - "npm run lint **"
    - "git status"
    - "git diff **"
    - "npx vitest run **"
    - "cat *"
    - "cp **"
    - "cd *"
    - "tee **"
    - "chmod **"
    - "touch **"
    - "truncate **"
    - "rm **"
    - "unlink **"
    - "mv **"
    - "ln **"
    - "link **"
    - "echo **"
    - "mkdir **"
    - "grep **"
    - "egrep **"
    - "rg **"
    - "tar **"
    - "zip **"
    - "unzip **"
    - "rsync **"
    - "diff **"
    - "ls **"
    - "git add **"
    - "git show **"
    - "git cat-file **"
    - "git log **"
    - "git mv **"
    - "git rm **"
    - "git checkout **"
    - "git restore **"
    - "git clean **"
    - "git apply **"
    - "patch **"
    - "find ** -delete"
    - "sed -i **"
  deny:
    - pattern: "git push **"
      reason: "pushes happen in the release job"
`,
  "issue.yaml",
);

/** What `nanocoder policy init` writes for an npm project with test and lint scripts, loaded from the repository. */
export const protectedStarter: Policy = (() => {
  const policy = withoutSandboxOnly(parsePolicy(renderStarterPolicy({ packageManager: "npm", scripts: ["test", "lint"] }), ".nanocoder/policy.yaml"));
  return { ...policy, protect: [...policy.protect, ".nanocoder/policy.yaml"] };
})();

/** Writes anywhere but workflows, as the starter policy has it, with cd, touch and cp allowed. */
export const writeAnywhere = parsePolicy(
  'version: 1\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["**"], deny: [".github/workflows/**"]}\ncommands:\n  allow: ["cd *", "touch **", "cp **"]\n',
  "anywhere.yaml",
);

/** A workspace folder named `ws` (so `../ws/…` comes back in), with secrets, a workflow and links. */
export function linkedWorkspace(): string {
  const parent = realpathSync(scratchDir("nanocoder-reentry-"));
  const dir = join(parent, "ws");
  const files: Record<string, string> = {
    ".env": "TOKEN=x\n",
    ".github/workflows/ci.yml": "on: push\n",
    ".nanocoder/policy.yaml": "version: 1\n",
    "keys/id_rsa": "PRIVATE\n",
    "src/a.ts": "export const a = 1;\n",
    "src/deep/er/b.ts": "export const b = 2;\n",
    "README.md": "# ws\n",
    "x.sh": "echo hi\n",
    "x.py": "print(1)\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(join(dir, ".git"));
  writeFileSync(join(dir, ".git/config"), "[core]\n");
  symlinkSync("../.github/workflows/ci.yml", join(dir, "src/wf"));
  symlinkSync("../.env", join(dir, "src/env-link"));
  symlinkSync("deep/er", join(dir, "src/lnk"));
  symlinkSync("/proc/self/cwd", join(dir, "src/cwd"));
  return dir;
}

export type Case = [command: string, expected: "allow" | "deny", rule?: string | RegExp];

let linked: string | undefined;

/** The linked workspace of this test file, made once (again in the next file, after its folders are removed: test files share this module). */
export function linkedDir(): string {
  if (linked === undefined || !existsSync(linked)) linked = linkedWorkspace();
  return linked;
}

/**
 * The starter's rules that hold only in the sandbox, as plain rules: these tables are about what the checker
 * reads from a command line without a sandbox (sandboxed-rules.test.ts decides both ways).
 */
function withoutSandboxOnly(policy: Policy): Policy {
  return { ...policy, commands: { ...policy.commands, allow: policy.commands.allow.map(({ sandboxed: _sandboxed, ...rule }) => rule) } };
}

/** Decides `command` as execute_bash would in `where`; `WS` in it stands for the workspace's absolute path. */
export async function decideAt(policy: Policy, command: string, where: string): Promise<Decision> {
  return decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command: command.replaceAll("WS", where) }], where));
}

/**
 * A table of commands decided in a workspace (the linked one unless given): the decision, the rule when a
 * case names one (or a pattern its reason must match), and a reason that explains itself.
 */
export function decideEach(policy: Policy | (() => Policy), cases: Case[], where: string | (() => string) = linkedDir): void {
  beforeAll(() => {
    if (typeof where === "function") where();
  });
  it.each(cases)("%s → %s %s", async (command, expected, rule) => {
    const decision = await decideAt(typeof policy === "function" ? policy() : policy, command, typeof where === "function" ? where() : where);
    expect(`${decision.decision}: ${decision.reason}`).toMatch(new RegExp(`^${expected}: `));
    if (typeof rule === "string") expect(decision.rule).toBe(rule);
    else if (rule) expect(decision.reason).toMatch(rule);
    expect(decision.reason.length).toBeGreaterThan(10);
  });
}

let audit: string | undefined;
let auditIgnoring: string | undefined;

/** The audit workspace of this test file, made once. */
export function auditDir(): string {
  if (audit === undefined || !existsSync(audit)) audit = auditWorkspace();
  return audit;
}

/** The same with `.env` in its .gitignore. */
export function auditIgnoringDir(): string {
  if (auditIgnoring === undefined || !existsSync(auditIgnoring)) auditIgnoring = auditWorkspace({ ".gitignore": ".env\n" });
  return auditIgnoring;
}
