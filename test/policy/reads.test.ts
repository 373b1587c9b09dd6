import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../helpers/temp.ts";
import { lintAllowPattern } from "../../src/policy/lint.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import type { Policy } from "../../src/policy/types.ts";
import { testPolicy } from "./commands-fixture.ts";
import { auditDir, decideAt, decideEach, issueExample, linkedDir, linkedWorkspace, maintainerPolicy, permissive, starterNpm } from "./workspaces.ts";

/*
 * What a command reads: files its words name (also disguised, or past `--`), folders it reads whole, files
 * from git's history, and names it takes from its input or a file, which count as every file.
 */

describe("ANSI-C quoting hides a read-denied file from the argument check", () => {
  const policy: Policy = {
    ...testPolicy,
    files: { read: { allow: [{ pattern: "**" }], deny: [{ pattern: "**/.env" }] }, write: { allow: [{ pattern: "src/**" }], deny: [] } },
  };
  it.each([
    // bash: `cat .env` (\x{65} is e) — prints the secret; the checker looks for a file named `.\x{65}nv`.
    ["cat $'.\\x{65}nv'"],
    // bash: `cat .env` (\400 is a NUL byte, which ends the word).
    ["cat $'.env\\400'"],
  ])("%s is refused", async (command) => {
    const dir = scratchDir("nanocoder-adversarial-");
    writeFileSync(join(dir, ".env"), "TOKEN=x\n");
    expect(await decideAt(policy, command, dir)).toMatchObject({ decision: "deny" });
    // Sanity: the plain spelling is refused.
    expect(await decideAt(policy, "cat .env", dir)).toMatchObject({ decision: "deny" });
  });
});

describe("7. --opt=value past -- is read like before it", () => {
  decideEach(starterNpm, [
    ["npm test -- --config=.env", "deny", "files.read.deny[0]"],
    ["npm test -- --reporter=dot", "allow"],
    ["git status --short", "allow"],
    ["git status -s", "allow"],
  ], auditDir);
  decideEach(issueExample, [
    ["npm run lint -- --config=.env", "deny", "files.read.deny[0]"],
    ["npm run lint -- --config .env", "deny", "files.read.deny[0]"],
    ["npm run lint -- --fix", "allow"],
  ], auditDir);
});

describe("10. xargs", () => {
  decideEach(permissive, [
    ["cat README.md | xargs cat", "deny", "commands.xargs"],
    ["xargs cat", "deny", "commands.xargs"],
  ], auditDir);
  it("warns about xargs allow rules", () => {
    expect(lintAllowPattern("xargs cat")).toContain("never checked");
  });
});

describe("7. folders read with everything in them", () => {
  decideEach(() => maintainerPolicy, [
    ["grep -r KEY .", "deny", "files.read.deny[0]"],
    ["grep -R KEY src", "deny", "files.read.deny[0]"],
    ["grep --recursive KEY .", "deny", "files.read.deny[0]"],
    ["grep -d recurse KEY .", "deny", "files.read.deny[0]"],
    ["egrep -rl KEY .", "deny", "files.read.deny[0]"],
    ["grep -r KEY", "deny", "files.read.deny[0]"],
    ["grep -r KEY ../ws", "deny", "files.read.deny[0]"],
    ["grep -r --exclude-dir=keys KEY .", "deny", "files.read.deny[0]"],
    ["grep -r --exclude=.env --exclude-dir=keys KEY .", "allow"],
    ["grep -r --include='*.ts' KEY .", "allow"],
    ["grep -r KEY src", "allow"],
    // ripgrep skips hidden files (.env), not keys/id_rsa.
    ["rg KEY", "deny", "files.read.deny[3]"],
    ["rg KEY src", "allow"],
    ["rg -g '!id_rsa' KEY", "allow"],
    ["rg --hidden -g '!id_rsa' KEY", "deny", "files.read.deny[0]"],
    ["rg -L KEY src", "deny", "files.read.deny[0]"],
    ["cp -r . /tmp/all", "deny", "files.read.deny[0]"],
    ["cp -r src/deep /tmp/deep", "allow"],
    ["tar czf /tmp/a.tgz .", "deny", "files.read.deny[0]"],
    ["tar -C .. -czf /tmp/a.tgz ws/.env", "deny", "files.read.deny[0]"],
    ["tar czf /tmp/a.tgz --exclude=.env --exclude=id_rsa .", "allow"],
    ["zip -r /tmp/a.zip .", "deny", "files.read.deny[0]"],
    ["rsync -a . /tmp/copy", "deny", "files.read.deny[0]"],
    ["diff -r . /tmp", "deny", "files.read.deny[0]"],
    ["ls .", "allow"],
    ["ls -R .", "allow"],
    ["git add .", "deny", "files.read.deny[0]"],
    ["git add src", "allow"],
  ]);

  it("refuses a folder holding more entries than it looks into, and says to name narrower folders", async () => {
    const where = linkedWorkspace();
    mkdirSync(join(where, "big"));
    for (let i = 0; i < 5_100; i++) writeFileSync(join(where, "big", `f${i}.txt`), "");
    const decision = await decideAt(maintainerPolicy, "grep -r KEY big", where);
    expect(decision).toMatchObject({ decision: "deny", rule: "commands.folder-read" });
    expect(decision.reason).toContain("name narrower folders");
    expect(await decideAt(maintainerPolicy, "grep -r KEY src", where)).toMatchObject({ decision: "allow" });
  });

  it("names the file and how to leave it out", async () => {
    const decision = await decideAt(maintainerPolicy, "grep -r KEY .", linkedDir());
    expect(decision.reason).toContain("holds .env, a file the policy does not let you read");
    expect(decision.reason).toContain("--exclude=.env");
  });

  describe("reads from git's history", () => {
    decideEach(() => maintainerPolicy, [
      ["git show HEAD:.env", "deny", "files.read.deny[0]"],
      ["git show HEAD:./.env", "deny", "files.read.deny[0]"],
      ["git show main~2:src/../.env", "deny", "files.read.deny[0]"],
      ["git show :.env", "deny", "files.read.deny[0]"],
      ["git cat-file -p HEAD:.env", "deny", "files.read.deny[0]"],
      ["git log -p -- .env", "deny", "files.read.deny[0]"],
      ["git show HEAD:keys/id_rsa", "deny", "files.read.deny[3]"],
      ["git show HEAD:src/a.ts", "allow"],
      ["git log --format=%H:%s -- src", "allow"],
    ]);
  });
});

describe("grep and rg filters: the last matching one decides", () => {
  const runnersPolicy = parsePolicy(
    'version: 1\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["**"], deny: [".github/workflows/**"]}\ncommands:\n  allow: ["npx vitest run **", "npm test -- **", "npm --prefix * test -- **", "pnpm --filter * test -- **", "grep **", "rg **", "gzip **", "uniq **", "split **", "sponge **", "ed **", "sqlite3 **", "printf **", "cat *", "iconv **"]\n',
    "runners.yaml",
  );
  decideEach(() => runnersPolicy, [
    // grep: the last matching --include/--exclude decides.
    ["grep -r --exclude='*' --include=.env KEY .", "deny", "files.read.deny[0]"],
    ["grep -r --include=.env --exclude='*' KEY .", "allow"],
    // ripgrep: a later glob (here one with a slash, not modelled) can let back in what an earlier one left out.
    ["rg --hidden -g '!.env' -g '**/.env' KEY", "deny", "files.read.deny[0]"],
    ["rg --hidden -g '!.env' KEY", "allow"],
  ]);
});

describe("names taken from the input, a file or a pattern the shell expands count as every file they could reach", () => {
  const reads = parsePolicy(
    'version: 1\ndefault: allow\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["**"]}\ncommands:\n  allow: ["**"]\n',
    "reads.yaml",
  );
  const readAll = parsePolicy('version: 1\ndefault: allow\nfiles:\n  read: {allow: ["**"]}\n  write: {allow: ["**"]}\ncommands:\n  allow: ["ls", "xargs cat"]\n', "read-all.yaml");
  decideEach(reads, [
    // The names may be any path at all: refused while any file is kept from reads.
    ["ls | xargs cat", "deny", "commands.xargs"],
    ["find src -name '*.ts' | xargs grep -l KEY", "deny", "commands.xargs"],
    ["git ls-files -z | xargs -0 head -1", "deny", "commands.xargs"],
    ["sort --files0-from=- < list", "deny", "commands.names-from-input"],
    ["sort --files0=list", "deny", "commands.names-from-input"],
    ["wc --files0-from=list", "deny", "commands.names-from-input"],
    ["du --files0-from=-", "deny", "commands.names-from-input"],
    ["find -files0-from list -name x", "deny", "commands.names-from-input"],
    // A pattern or variable the shell expands: its folder counts as read whole.
    ["cat .e*", "deny", "files.read.deny[0]"],
    ["cat ./.e?v", "deny", "files.read.deny[0]"],
    ['cat "$F"', "deny", "files.read.deny[0]"],
    // src holds a link to .env, tpl does not.
    ["head -1 src/*", "deny", "files.read.deny[0]"],
    ["head -1 tpl/*", "allow"],
    ["grep KEY src/deep/*.ts", "allow"],
    // diff compares what folders hold, with or without -r and -N.
    ["diff -N src .", "deny", "files.read.deny[0]"],
    ["diff tpl src/deep", "allow"],
    // A pattern file is a file read.
    ["grep -f .env README.md", "deny", "files.read.deny[0]"],
    ["grep -f - README.md", "allow"],
    // Programs that only print their arguments may take them from the input.
    ["ls | xargs echo", "allow"],
  ], auditDir);
  decideEach(readAll, [
    ["ls | xargs cat", "allow"],
    ["sort --files0-from=- < README.md", "allow"],
  ], auditDir);
});
