import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../helpers/temp.ts";
import { decide } from "../../src/policy/decide.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";

const policy = parsePolicy(
  'version: 1\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["src/**"]}\ncommands:\n  allow: ["echo **", "cat -", "cat **", "cp **", "grep **", "cd *", "ls **"]\n',
  "policy.yaml",
);

function workspace(): string {
  const dir = scratchDir("nanocoder-facts-");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, ".env"), "TOKEN=x\n");
  symlinkSync("/etc/passwd", join(dir, "src/passwd"));
  symlinkSync("../.env", join(dir, "src/env-link"));
  return dir;
}

async function decideCommandIn(dir: string, command: string) {
  return decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command }], dir));
}

describe("facts gathered before a decision", () => {
  it.each([
    ["echo x > src/passwd", "deny", "workspace"],
    ["cat - < src/env-link", "deny", "files.read.deny[0]"],
    ["echo x > src/ok.txt", "allow", "commands.allow[0], files.write.allow[0]"],
  ])("a redirect through a symlink is checked where it leads: %s", async (command, decision, rule) => {
    expect(await decideCommandIn(workspace(), command)).toMatchObject({ decision, rule });
  });

  it("checks a file path both as written and as resolved", async () => {
    const dir = workspace();
    const request = await resolveAccesses("read_file", [{ kind: "read", path: "src/env-link" }], dir);
    expect(request.accesses).toEqual([
      { kind: "read", path: "src/env-link" },
      { kind: "read", path: ".env" },
    ]);
    expect(decide(policy, request)).toMatchObject({ decision: "deny", rule: "files.read.deny[0]" });
  });
});

describe("files named by a command's arguments are checked as reads", () => {
  it.each([
    ["cat .env", "deny", "files.read.deny[0]"],
    ["cat src/../.env", "deny", "files.read.deny[0]"],
    ["cat -- .env", "deny", "files.read.deny[0]"],
    ["cp .env src/copy", "deny", "files.read.deny[0]"],
    ["grep --file=.env x", "deny", "files.read.deny[0]"],
    ["cat src/env-link", "deny", "files.read.deny[0]"],
    ["cat src/passwd", "deny", "workspace"],
    ["cd src && cat ../.env", "deny", "files.read.deny[0]"],
    ["cat src/ok.txt", "allow", "commands.allow[2]"],
    ["ls src", "allow", "commands.allow[6]"],
    // grep -r reads every file of the folder, .env included (it skips links inside: src/env-link is not read).
    ["grep -r TOKEN .", "deny", "files.read.deny[0]"],
    ["grep -r TOKEN src", "allow", "commands.allow[4]"],
    ["echo .env-not-there", "allow", "commands.allow[0]"],
  ])("%s → %s", async (command, decision, rule) => {
    const dir = workspace();
    writeFileSync(join(dir, "src/ok.txt"), "fine\n");
    const result = await decideCommandIn(dir, command);
    expect(result).toMatchObject({ decision, rule });
    if (decision === "deny" && rule !== "workspace") expect(result.reason).toMatch(/a file the policy does not let you read/);
  });

  it("says which file, and where it leads", async () => {
    const { accesses } = await resolveAccesses("execute_bash", [{ kind: "command", command: "cat src/env-link src/passwd README" }], workspace());
    // A name that leads outside is checked as the name it is, and its target as a read outside the workspace.
    expect(accesses[0]).toMatchObject({ argumentFiles: { "src/env-link": ".env", "src/passwd": "src/passwd" }, outsideReads: { "src/passwd": "/etc/passwd" } });
  });
});

describe("paths that file-changing programs are given are checked as writes", () => {
  const writePolicy = parsePolicy(
    [
      "version: 1",
      "files:",
      '  read: {allow: ["**"]}',
      '  write: {allow: ["**"], deny: [".github/workflows/**"]}',
      "commands:",
      '  allow: ["cp **", "mv **", "rm **", "tee **", "touch **", "mkdir **", "dd **", "cd *", "cat **", "echo **", "sed **", "env **"]',
      "",
    ].join("\n"),
    "policy.yaml",
  );
  function project(): string {
    const dir = scratchDir("nanocoder-facts-writes-");
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    writeFileSync(join(dir, ".github/workflows/ci.yml"), "on: push\n");
    mkdirSync(join(dir, "workflows"));
    writeFileSync(join(dir, "workflows/evil.yml"), "on: push\n");
    writeFileSync(join(dir, ".git"), "gitdir: /nowhere\n");
    writeFileSync(join(dir, "a.txt"), "a\n");
    return dir;
  }
  it.each([
    ["cp a.txt .github/workflows/ci.yml", "deny", "files.write.deny[0]"],
    ["cp a.txt .github/workflows", "deny", "files.write.deny[0]"],
    ["cp -t .github/workflows a.txt", "deny", "files.write.deny[0]"],
    ["cp --target-directory=.github/workflows a.txt", "deny", "files.write.deny[0]"],
    ["cp -r workflows .github", "deny", "files.write.deny[0]"],
    ["mv workflows .github/", "deny", "files.write.deny[0]"],
    ["rm -rf .github", "deny", "files.write.deny[0]"],
    ["rm -rf .", "deny", "protect[0]"],
    ["rm .git", "deny", "protect[0]"],
    ["echo x | tee .github/workflows/new.yml", "deny", "files.write.deny[0]"],
    ["dd if=a.txt of=.github/workflows/x.yml", "deny", "files.write.deny[0]"],
    ["mkdir -p .github/workflows/sub", "deny", "files.write.deny[0]"],
    ["cd .github && cp ../a.txt workflows/x.yml", "deny", "files.write.deny[0]"],
    ["env LANG=C cp a.txt .github/workflows/x.yml", "deny", "files.write.deny[0]"],
    ["cp a.txt b.txt", "allow", "commands.allow[0]"],
    ["cp a.txt .", "allow", "commands.allow[0]"],
    ["cp -r workflows copy", "allow", "commands.allow[0]"],
    ["rm -rf workflows", "allow", "commands.allow[2]"],
    ["cat .github/workflows/ci.yml", "allow", "commands.allow[8]"],
    ["sed s/push/pull/ .github/workflows/ci.yml", "allow", "commands.allow[10]"],
  ])("%s → %s", async (command, decision, rule) => {
    const result = decide(writePolicy, await resolveAccesses("execute_bash", [{ kind: "command", command }], project()));
    expect(result).toMatchObject({ decision, rule });
    if (decision === "deny") expect(result.reason).toMatch(/a path the policy does not let you write/);
  });
});
