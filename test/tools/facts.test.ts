import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decide } from "../../src/policy/decide.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { resolveAccesses } from "../../src/tools/facts.ts";

const policy = parsePolicy(
  'version: 1\nfiles:\n  read: {allow: ["**"], deny: ["**/.env"]}\n  write: {allow: ["src/**"]}\ncommands:\n  allow: ["echo **", "cat -", "cat **", "cp **", "grep **", "cd *", "ls **"]\n',
  "policy.yaml",
);

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-facts-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, ".env"), "TOKEN=x\n");
  symlinkSync("/etc/passwd", join(dir, "src/passwd"));
  symlinkSync("../.env", join(dir, "src/env-link"));
  return dir;
}

async function decideCommandIn(dir: string, command: string) {
  const accesses = await resolveAccesses([{ kind: "command", command }], dir);
  return decide(policy, { tool: "execute_bash", accesses });
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
    const accesses = await resolveAccesses([{ kind: "read", path: "src/env-link" }], dir);
    expect(accesses).toEqual([
      { kind: "read", path: "src/env-link" },
      { kind: "read", path: ".env" },
    ]);
    expect(decide(policy, { tool: "read_file", accesses })).toMatchObject({ decision: "deny", rule: "files.read.deny[0]" });
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
    ["grep -r TOKEN .", "allow", "commands.allow[4]"],
    ["echo .env-not-there", "allow", "commands.allow[0]"],
  ])("%s → %s", async (command, decision, rule) => {
    const dir = workspace();
    writeFileSync(join(dir, "src/ok.txt"), "fine\n");
    const result = await decideCommandIn(dir, command);
    expect(result).toMatchObject({ decision, rule });
    if (decision === "deny" && rule !== "workspace") expect(result.reason).toMatch(/a file the policy does not let you read/);
  });

  it("says which file, and where it leads", async () => {
    const accesses = await resolveAccesses([{ kind: "command", command: "cat src/env-link src/passwd README" }], workspace());
    expect(accesses[0]).toMatchObject({ argumentFiles: { "src/env-link": ".env", "src/passwd": null } });
  });
});
