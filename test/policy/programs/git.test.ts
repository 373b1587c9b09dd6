import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../../helpers/temp.ts";
import { commandEnv } from "../../../src/run/command-env.ts";
import executeBash from "../../../src/tools/execute-bash.ts";
import { decideEachByRules, denyListPolicy } from "../commands-fixture.ts";
import { auditDir, auditIgnoringDir, decideEach, permissive } from "../workspaces.ts";

/* git: folders it reads whole, subcommands that write files or links, reads from history, config that runs code. */

describe("1. git diff --no-index reads folders whole", () => {
  decideEach(permissive, [
    ["git diff --no-index src .", "deny", "files.read.deny[0]"],
    ["git diff --no-index . src", "deny", "files.read.deny[0]"],
    ["git diff --no-index src/a.ts .env", "deny", "files.read.deny[0]"],
    ["git diff --no-index src/a.ts README.md", "allow"],
    ["git diff --no-index src/deep src", "allow"],
    ["git diff src", "allow"],
  ], auditDir);
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
  decideEach(permissive, [
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
  ], auditDir);
});

describe("5. git reads of unreadable files, and values glued to short options", () => {
  decideEach(permissive, [
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
  ], auditDir);
  describe("with .env in .gitignore", () => {
    decideEach(permissive, [
      ["git add .", "allow"],
      ["git add -A", "allow"],
      ["git add -f .", "deny", "files.read.deny[0]"],
      ["git add --force src .", "deny", "files.read.deny[0]"],
    ], auditIgnoringDir);
  });
});

describe("6. git commands that write links count as link makers", () => {
  decideEach(permissive, [
    ["git update-index --add --cacheinfo 120000,0123456789abcdef0123456789abcdef01234567,src/q && git checkout-index -f src/q && cat src/q", "deny", "commands.link"],
    ["git checkout main && cat README.md", "deny", "commands.link"],
    ["git stash pop && cat src/a.ts", "deny", "commands.link"],
    ["git reset --hard && cat src/a.ts", "deny", "commands.link"],
    ["git reset src/a.ts && cat src/a.ts", "allow"],
    ["git stash list && cat src/a.ts", "allow"],
    ["git checkout main", "allow"],
  ], auditDir);
});

describe("deny rules miss git's own programs", () => {
  // /usr/lib/git-core/git-push is git push (Debian/Ubuntu git); `git-push` is not `git` to the deny rule.
  decideEachByRules(denyListPolicy, [
    ["/usr/lib/git-core/git-push origin main", "deny"],
  ]);
});
