import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";
import { scratchDir } from "../helpers/temp.ts";
import { decide, offeredTools } from "../../src/policy/decide.ts";
import { builtinPolicy } from "../../src/policy/default.ts";
import { loadShellParser, type ShellParser } from "../../src/policy/shell/parser.ts";
import type { Access, Policy } from "../../src/policy/types.ts";
import { resolved } from "../helpers/resolve.ts";

// The case tables below are built when the file loads, so the parser is loaded before them.
const parser: ShellParser = await loadShellParser();

const read = (path: string): Access => ({ kind: "read", path });
const write = (path: string): Access => ({ kind: "write", path });
const command = (text: string): Access => ({ kind: "command", command: text });

describe("built-in policy", () => {
  it.each<[string, Access, "allow" | "deny"]>([
    ["reads source files", read("src/math.ts"), "allow"],
    ["reads the workspace root (listing, searching)", read("."), "allow"],
    ["reads dotfiles that are not secrets", read(".eslintrc.json"), "allow"],
    ["denies .env at the root", read(".env"), "deny"],
    ["denies .env in a subfolder", read("packages/api/.env"), "deny"],
    ["denies .env.local", read(".env.local"), "deny"],
    ["denies private keys", read("deploy/id_rsa"), "deny"],
    ["denies pem files", read("certs/server.pem"), "deny"],
    ["writes source files", write("src/new/file.ts"), "allow"],
    ["denies writes to .git itself", write(".git"), "deny"],
    ["denies writes inside .git", write(".git/hooks/pre-commit"), "deny"],
    ["denies writing a secret", write(".env"), "deny"],
    ["denies a command that runs the project's code", command("npm test"), "deny"],
    ["denies a script", command("python x.py"), "deny"],
    ["allows looking at the workspace", command("ls -la src"), "allow"],
    ["allows searching the workspace", command("grep -rn TODO src | head -20"), "allow"],
  ])("%s", async (_name, access, expected) => {
    expect(decide(builtinPolicy, await resolved("t", access)).decision).toBe(expected);
  });

  it("names the rule and gives a reason for a denial", async () => {
    expect(decide(builtinPolicy, await resolved("read_file", read(".env")))).toEqual({
      decision: "deny",
      reason: 'read .env: matches deny rule "**/.env": secrets are never read',
      rule: "files.read.deny[0]",
    });
  });

  it("denies a call when any one of its accesses is denied", async () => {
    const decision = decide(builtinPolicy, await resolved("file_op", read("notes.txt"), write(".git/config")));
    expect(decision.decision).toBe("deny");
    expect(decision.rule).toBe("protect[1]");
  });

  it("never lets a write to a protected path through, even when a rule allows it", async () => {
    const open: Policy = { ...builtinPolicy, default: "allow", files: { read: { allow: [], deny: [] }, write: { allow: [{ pattern: "**" }], deny: [] } } };
    expect(decide(open, await resolved("write_file", write(".git/config")))).toEqual({
      decision: "deny",
      reason: 'write .git/config: this path is never writable (protected: ".git/**")',
      rule: "protect[1]",
    });
    expect(decide(open, await resolved("write_file", write(".nanocoder/runs/x/summary.json"))).decision).toBe("deny");
  });

  it("never lets a task write the default policy file, even where none exists yet: an applied patch would disarm the next run", async () => {
    expect(decide(builtinPolicy, await resolved("write_file", write(".nanocoder/policy.yaml")))).toEqual({
      decision: "deny",
      reason: 'write .nanocoder/policy.yaml: this path is never writable (protected: ".nanocoder/policy.yaml")',
      rule: "protect[5]",
    });
  });

  it("lets tools.deny take away a built-in tool whole, and leaves it out of the offered tools", async () => {
    const noShell: Policy = { ...builtinPolicy, default: "allow", tools: { allow: [], deny: [{ pattern: "execute_bash", reason: "no shell here" }] } };
    expect(decide(noShell, await resolved("execute_bash", command("ls")))).toEqual({
      decision: "deny",
      reason: 'use tool execute_bash: matches deny rule "execute_bash": no shell here',
      rule: "tools.deny[0]",
    });
    expect(offeredTools(noShell, [{ name: "read_file" }, { name: "execute_bash" }])).toEqual([{ name: "read_file" }]);
  });

  it("decides a tool with no accesses by the tools rules and the default", async () => {
    expect(decide(builtinPolicy, await resolved("fetch_url"))).toMatchObject({ decision: "deny", rule: "default" });
  });
});

describe("rule evaluation", () => {
  const policy: Policy = {
    ...builtinPolicy,
    source: "test",
    commands: {
      allow: [{ pattern: "npm test" }, { pattern: "git diff **" }, { pattern: "git push **" }],
      deny: [{ pattern: "git push **", reason: "pushes happen in the release job" }],
    },
  };

  it.each<[string, "allow" | "deny"]>([
    ["npm test", "allow"],
    ["  npm   test ", "allow"],
    ["npm test --watch", "deny"],
    ["git diff", "allow"],
    ["git diff HEAD~1 -- src", "allow"],
    ["git diffx", "deny"],
    ["git push origin main", "deny"],
    ["npm test && rm -rf /", "deny"],
    ["npm test; rm -rf /", "deny"],
    ["git diff $(rm -rf /)", "deny"],
    ["git diff `whoami`", "deny"],
    ["git diff > /etc/passwd", "deny"],
    ["npm test | sh", "deny"],
    ["npm test\nrm -rf /", "deny"],
  ])("command %j → %s", async (text, expected) => {
    expect(decide(policy, await resolved("execute_bash", command(text))).decision).toBe(expected);
  });

  it("deny beats allow whatever the order", async () => {
    expect(decide(policy, await resolved("execute_bash", command("git push origin")))).toMatchObject({
      decision: "deny",
      reason: expect.stringContaining('matches deny rule "git push **": pushes happen in the release job'),
      rule: "commands.deny[0]",
    });
  });

  it("falls back to an allow default when no rule matches", async () => {
    const open: Policy = { ...policy, default: "allow", files: { read: { allow: [], deny: [] }, write: { allow: [], deny: [] } } };
    expect(decide(open, await resolved("read_file", read("a.txt")))).toMatchObject({ decision: "allow", rule: "default" });
  });

  it("checks every part of a chained command, even under an allow default", async () => {
    const open: Policy = { ...policy, default: "allow" };
    expect(decide(open, await resolved("execute_bash", command("ls; git push origin")))).toMatchObject({
      decision: "deny",
      rule: "commands.deny[0]",
    });
  });

  it("takes no command that was never parsed and looked up: such a request does not compile", () => {
    // @ts-expect-error a raw command is not a resolved request (tsc checks this line)
    const raw: Parameters<typeof decide>[1] = { tool: "execute_bash", accesses: [{ kind: "command", command: "npm test" }] };
    expect(raw.tool).toBe("execute_bash");
  });

  it("refuses a command the parser refuses, through the resolver", async () => {
    expect(decide(policy, await resolved("execute_bash", command("npm test $((")))).toMatchObject({ decision: "deny", rule: "commands.parse" });
  });

  it("refuses `cat .env` under a deny rule for **/.env once the command is resolved (the file is looked up, not guessed)", async () => {
    const dir = scratchDir("nanocoder-decide-");
    writeFileSync(join(dir, ".env"), "TOKEN=x\n");
    const catAll: Policy = { ...policy, commands: { allow: [{ pattern: "cat *" }], deny: [] } };
    expect(decide(catAll, await resolveAccesses("execute_bash", [command("cat .env")], dir))).toMatchObject({ decision: "deny", rule: "files.read.deny[0]" });
  });
});
