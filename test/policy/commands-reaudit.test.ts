import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../helpers/temp.ts";
import { decide } from "../../src/policy/decide.ts";
import { lintAllowPattern } from "../../src/policy/lint.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { renderStarterPolicy } from "../../src/policy/starter.ts";
import type { Policy } from "../../src/policy/types.ts";
import { commandEnv } from "../../src/run/command-env.ts";
import executeBash from "../../src/tools/execute-bash.ts";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";

/*
 * The second adversarial audit: false allows found in real bash after the first hardening round, each
 * decided through the facts and the decision against a real workspace, under the three policies the audit
 * used: (a) `nanocoder policy init` for an npm project, (b) the issue's example, (c) a permissive one.
 */

/** (a) What `nanocoder policy init` writes for an npm project with test and lint scripts. */
const starter: Policy = parsePolicy(renderStarterPolicy({ packageManager: "npm", scripts: ["test", "lint"] }), ".nanocoder/policy.yaml");

/** (b) The issue's example policy, with mv and cp for the link cases. */
const issue = parsePolicy(
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
const permissive = parsePolicy(
  `version: 1
files:
  read: {allow: ["**"], deny: ["**/.env"]}
  write: {allow: ["**"], deny: [".github/workflows/**"]}
commands:
  allow: ["cat *", "cp **", "grep **", "git **", "npm test **", "npx vitest run **", "tar **", "rsync **", "zip **", "cd *", "xargs cat", "mkdir **", "mv **"]
`,
  "permissive.yaml",
);

function workspace(extra: Record<string, string> = {}): string {
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

const plain = workspace();
const ignoring = workspace({ ".gitignore": ".env\n" });

async function decideIn(policy: Policy, command: string, where = plain) {
  return decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command }], where));
}

type Case = [command: string, expected: "allow" | "deny", rule?: string | RegExp];

function run(policy: Policy, cases: Case[], where = plain) {
  it.each(cases)("%s → %s %s", async (command, expected, rule) => {
    const decision = await decideIn(policy, command, where);
    expect(`${decision.decision}: ${decision.reason}`).toMatch(new RegExp(`^${expected}: `));
    if (typeof rule === "string") expect(decision.rule).toBe(rule);
    else if (rule) expect(decision.reason).toMatch(rule);
  });
}

describe("1. git diff --no-index reads folders whole", () => {
  run(permissive, [
    ["git diff --no-index src .", "deny", "files.read.deny[0]"],
    ["git diff --no-index . src", "deny", "files.read.deny[0]"],
    ["git diff --no-index src/a.ts .env", "deny", "files.read.deny[0]"],
    ["git diff --no-index src/a.ts README.md", "allow"],
    ["git diff --no-index src/deep src", "allow"],
    ["git diff src", "allow"],
  ]);
});

describe("2. recursive copies of folders made or changed in the same line", () => {
  run(permissive, [
    ["cp -r .github gh && cp README.md gh/workflows/ci.yml && cp -rT gh .github", "deny", /command of its own/],
    ["cp -rT gh .github", "deny", /does not exist when the line is checked/],
    ["mkdir -p g/workflows && cp README.md g/workflows/ci.yml && cp -r g/workflows .github", "deny", "commands.uncheckable"],
    ["rsync -a g/ .github/", "deny", /command of its own/],
    ["mv g .github", "deny", "commands.uncheckable"],
    ["cp README.md empty/ci.yml && cp -rT empty .github/workflows", "deny", /changes first/],
    ["mkdir empty/workflows && cp -r empty .github", "deny", /changes first/],
    ["cd src && cp README.md x && cp -r deep ../.github", "deny", "commands.uncheckable"],
    ["cp -r tpl .github/workflows", "deny", "files.write.deny[0]"],
    ["rsync -a tpl/ .github/workflows/", "deny", "files.write.deny[0]"],
    ["cp -rT empty .github", "allow"],
    ["cp -r src/deep src/copy && cp README.md src/copy/r.md", "allow"],
    ["cp -r tpl tpl2", "allow"],
    ["cp -r src/deep src/c1 && cp -r src/deep src/c2", "allow"],
    ["cp -r tpl g/ && cp -r g .github", "deny", "commands.uncheckable"],
  ]);
});

describe("3. a folder shaped like a bare repository does not run its config", () => {
  it("keeps the existing git hardening and adds safe.bareRepository=explicit", () => {
    const env = commandEnv({ PATH: "/usr/bin" });
    const count = Number(env.GIT_CONFIG_COUNT);
    const pairs = Array.from({ length: count }, (_, i) => `${env[`GIT_CONFIG_KEY_${i}`]}=${env[`GIT_CONFIG_VALUE_${i}`]}`);
    expect(pairs).toEqual(["core.hooksPath=/dev/null", "core.fsmonitor=false", "safe.bareRepository=explicit"]);
  });

  it("git diff in a fake bare repository does not run diff.external; git in the worktree still works", async () => {
    const ws = realpathSync(scratchDir("nanocoder-bare-"));
    const marker = join(ws, "pwned");
    const env = { ...commandEnv(process.env), GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };
    await execa("git", ["init", "-q", ws], { env });
    writeFileSync(join(ws, "README.md"), "# x\n");
    await execa("git", ["add", "README.md"], { cwd: ws, env });
    await execa("git", ["commit", "-qm", "init"], { cwd: ws, env });
    const evil = join(ws, "src/evil");
    mkdirSync(join(evil, "objects"), { recursive: true });
    mkdirSync(join(evil, "refs"), { recursive: true });
    writeFileSync(join(evil, "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(evil, "config"), `[core]\n\trepositoryformatversion = 0\n\tbare = true\n[diff]\n\texternal = "touch ${marker}; true"\n`);
    writeFileSync(join(evil, "objects/.keep"), "");
    writeFileSync(join(evil, "refs/.keep"), "");
    const ctx = { workspace: ws, signal: new AbortController().signal, env, isReadable: () => true };
    const attack = await executeBash.execute({ command: "cd src/evil && git diff --no-index HEAD config; echo done" }, ctx);
    expect(attack).toContain("done");
    expect(existsSync(marker)).toBe(false);
    writeFileSync(join(ws, "README.md"), "# changed\n");
    const status = await executeBash.execute({ command: "git status --short && git diff --stat && git log --oneline" }, ctx);
    expect(status).toMatch(/^exit code: 0\n/);
    expect(status).toContain("M README.md");
    expect(status).toContain("init");
  });
});

describe("4. git subcommands that write files, and pathspec patterns", () => {
  run(permissive, [
    ["git merge-file .github/workflows/ci.yml README.md README.md", "deny", "files.write.deny[0]"],
    ["git merge-file -p .github/workflows/ci.yml README.md README.md", "allow"],
    ["git merge-file src/a.ts README.md README.md", "allow"],
    ["git update-index --cacheinfo 100644,0123456789abcdef0123456789abcdef01234567,.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["git update-index --add --cacheinfo 100644 0123456789abcdef0123456789abcdef01234567 .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["git update-index --index-info", "deny", "commands.uncheckable"],
    ["git checkout-index -f .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["git checkout-index --prefix=.github/ -f workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["git checkout-index -a --prefix=out/", "deny", "commands.uncheckable"],
    ["git checkout-index -f src/a.ts", "allow"],
    ["git config --file .github/workflows/ci.yml a.b c", "deny", "files.write.deny[0]"],
    ["git config -f.github/workflows/ci.yml a.b c", "deny", "files.write.deny[0]"],
    ["git config --global core.pager 'sh -c x'", "deny", /outside the workspace/],
    ["git config diff.external ./x.sh", "deny", /can make git run commands/],
    ["git config --get user.name", "allow"],
    ["git config user.name", "allow"],
    ["git config --file src/x.cfg a.b c", "allow"],
    ["git archive -o .github/workflows/ci.yml HEAD", "deny", "files.write.deny[0]"],
    ["git archive --output .github/workflows/ci.yml HEAD", "deny"],
    ["git archive -o out.tar HEAD", "allow"],
    ["git format-patch -o .github/workflows HEAD~1", "deny", "files.write.deny[0]"],
    ["git format-patch -o patches HEAD~1", "allow"],
    ["git bundle create .github/workflows/b HEAD", "deny", "files.write.deny[0]"],
    ["git clone . .github/workflows/x", "deny", /fills the folder/],
    ["git clone . .github", "deny", /keeps part of that folder from writes/],
    ["git clone . copy", "allow"],
    ["git init .github/workflows", "deny", /fills the folder/],
    ["git init", "deny", /fills the folder \./],
    ["git init sub", "allow"],
    ["git worktree add .github main", "deny", /fills the folder .github/],
    ["git mailsplit -o.github/workflows x.mbox", "deny", "files.write.deny[0]"],
    ["git bugreport -o .github/workflows", "deny", "files.write.deny[0]"],
    ["git apply x.diff", "deny", "commands.uncheckable"],
    ["git am x.mbox", "deny", "commands.uncheckable"],
    ["git rm '*.yml'", "deny", /pathspec `\*\.yml`/],
    ["git checkout 'stash@{0}' -- '*.yml'", "deny", "commands.uncheckable"],
    ["git restore ':(glob)**/ci.yml'", "deny", "commands.uncheckable"],
    ["git log -p -- '*'", "deny", "commands.uncheckable"],
    ["git stash push -- ':!src'", "deny", "commands.uncheckable"],
    ["git rm src/a.ts", "allow"],
    ["git log --grep 'fix*' --oneline", "allow"],
    ["git frobnicate", "deny", /does not model/],
    ["git mktree", "deny", "commands.uncheckable"],
    ["git status --short", "allow"],
  ]);
});

describe("5. git reads of unreadable files, and values glued to short options", () => {
  run(permissive, [
    ["git add -f . && git diff --cached", "deny", "files.read.deny[0]"],
    ["git add .", "deny", "files.read.deny[0]"],
    ["git add -A", "deny", "files.read.deny[0]"],
    ["git add src", "allow"],
    ["git grep --no-index -e SECRET -- '*'", "deny"],
    ["git grep --no-index -e SECRET -- ':(glob)**'", "deny", "commands.uncheckable"],
    ["git grep -e SECRET -- ':!src'", "deny", "commands.uncheckable"],
    ["git grep SECRET 'src/*'", "deny", "commands.uncheckable"],
    ["git grep 'SEC*RET' src", "allow"],
    ["git tag -F.env t1", "deny", "files.read.deny[0]"],
    ["git notes add -F.env", "deny", "files.read.deny[0]"],
    ["git commit -F.env", "deny", "files.read.deny[0]"],
    ["git commit -sF.env", "deny", "files.read.deny[0]"],
    ["grep -f.env src/a.ts", "deny", "files.read.deny[0]"],
    ["grep -rf.env src", "deny", "files.read.deny[0]"],
    ["cat -n.env", "deny", "files.read.deny[0]"],
    ["git commit -F README.md", "allow"],
  ]);
  describe("with .env in .gitignore", () => {
    run(permissive, [
      ["git add .", "allow"],
      ["git add -A", "allow"],
      ["git add -f .", "deny", "files.read.deny[0]"],
      ["git add --force src .", "deny", "files.read.deny[0]"],
    ], ignoring);
  });
});

describe("6. git commands that write links count as link makers", () => {
  run(permissive, [
    ["git update-index --add --cacheinfo 120000,0123456789abcdef0123456789abcdef01234567,src/q && git checkout-index -f src/q && cat src/q", "deny", "commands.link"],
    ["git checkout main && cat README.md", "deny", "commands.link"],
    ["git stash pop && cat src/a.ts", "deny", "commands.link"],
    ["git reset --hard && cat src/a.ts", "deny", "commands.link"],
    ["git reset src/a.ts && cat src/a.ts", "allow"],
    ["git stash list && cat src/a.ts", "allow"],
    ["git checkout main", "allow"],
  ]);
});

describe("7. --opt=value past -- is read like before it", () => {
  run(starter, [
    ["npm test -- --config=.env", "deny", "files.read.deny[0]"],
    ["npm test -- --reporter=dot", "allow"],
    ["git status --short", "allow"],
    ["git status -s", "allow"],
  ]);
  run(issue, [
    ["npm run lint -- --config=.env", "deny", "files.read.deny[0]"],
    ["npm run lint -- --config .env", "deny", "files.read.deny[0]"],
    ["npm run lint -- --fix", "allow"],
  ]);
});

describe("8. tar options that write or run code", () => {
  run(permissive, [
    ["tar cf /tmp/a.tar src --index-file=.github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["tar -cf /tmp/a.tar --remove-files .github", "deny", "files.write.deny[0]"],
    ["tar -g .github/workflows/snap -cf /tmp/a.tar src", "deny", "files.write.deny[0]"],
    ["tar --listed-incremental=.github/workflows/snap -cf /tmp/a.tar src", "deny", "files.write.deny[0]"],
    ["tar --to-command=sh -xf a.tar", "deny"],
    ["tar -I 'sh -c x' -cf /tmp/a.tar src", "deny"],
    ["tar --use-compress-program=./x.sh -cf /tmp/a.tar src", "deny"],
    ["tar --checkpoint-action=exec=sh -cf /tmp/a.tar src", "deny"],
    ["tar cf /tmp/a.tar src", "allow"],
  ]);
});

describe("9. options that run code or follow links", () => {
  run(permissive, [
    ["rsync -e 'sh -c x' src /tmp/s", "deny", /remote shell/],
    ["rsync -ave 'sh -c x' src /tmp/s", "deny", /remote shell/],
    ["rsync --rsync-path='sh -c x' src /tmp/s", "deny", /runs the given program/],
    ["zip -TT 'sh -c x' /tmp/a.zip README.md", "deny", /runs the given command/],
    ["zip --unzip-command=sh /tmp/a.zip README.md", "deny", /runs the given command/],
    ["zip -@ /tmp/a.zip", "deny", /from its input/],
    ["rsync -L src/env-link /tmp/x", "deny", "files.read.deny[0]"],
    ["rsync -a --copy-unsafe-links src /tmp/s", "deny", "files.read.deny[0]"],
    // -k follows links to folders; a link to a file is counted too (stricter).
    ["rsync -ak src /tmp/s", "deny", "files.read.deny[0]"],
    ["rsync -ak src/deep /tmp/s", "allow"],
    ["rsync -a --copy-links src /tmp/s", "deny", "files.read.deny[0]"],
    ["rsync -a src/deep /tmp/s", "allow"],
    ["zip -r /tmp/a.zip src/deep", "allow"],
  ]);
});

describe("10. xargs", () => {
  run(permissive, [
    ["cat README.md | xargs cat", "deny", "commands.xargs"],
    ["xargs cat", "deny", "commands.xargs"],
  ]);
  it("warns about xargs allow rules", () => {
    expect(lintAllowPattern("xargs cat")).toContain("never checked");
  });
});

describe("11. env -S", () => {
  run(issue, [
    ["env -S 'npm test'", "deny", "commands.wrapper"],
    ["env -iS'npm test'", "deny", "commands.wrapper"],
    ["env --split-string='npm test'", "deny", "commands.wrapper"],
  ]);
});

describe("false denies: links replaced, not written through", () => {
  run(issue, [
    ["mv src/a.ts src/env-link", "allow"],
    ["cp --remove-destination src/a.ts src/wf", "allow"],
    ["cp src/a.ts src/wf", "deny", "files.write.deny[0]"],
    ["cp src/a.ts src/env-link", "deny"],
  ]);
});
