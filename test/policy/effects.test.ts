import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/load.ts";
import { deniedWrites, sandboxMasks } from "../../src/policy/effects.ts";

const policy = {
  ...parsePolicy([
    "version: 1",
    "files:",
    "  read: {allow: ['**'], deny: ['config/secrets/**']}",
    "  write: {allow: ['src/**'], deny: ['src/generated/**']}",
  ].join("\n"), "policy.yaml"),
  protect: [".git", ".git/**", ".nanocoder/policy.yaml"],
};

describe("what commands changed, decided after the fact", () => {
  it.each([
    ["src/a.ts", false, undefined],
    ["src/generated/x.ts", false, "files.write.deny[0]"],
    ["README.md", false, "default"],
    [".nanocoder/policy.yaml", false, "protect[2]"],
    // Ignored files never leave the worktree: only rules that name them count.
    ["dist/out.js", true, undefined],
    ["src/generated/cache.bin", true, "files.write.deny[0]"],
    [".nanocoder/policy.yaml", true, "protect[2]"],
  ])("%s (ignored: %s) is refused by %s", (path, ignored, rule) => {
    expect(deniedWrites(policy, [{ path, ignored }])[0]?.rule).toBe(rule);
  });
});

describe("what the sandbox hides and shows read-only", () => {
  it("hides read-denied files and the built-in secret patterns, under any policy; shows write-denied and protected files read-only", () => {
    const files = ["src/a.ts", ".env", "app/.env.local", "certs/server.pem", "config/secrets/db.json", "src/generated/x.ts", ".nanocoder/policy.yaml", "README.md"];
    expect(sandboxMasks(policy, files)).toEqual({
      hide: [".env", "app/.env.local", "certs/server.pem", "config/secrets/db.json"],
      readOnly: ["src/generated/x.ts", ".nanocoder/policy.yaml"],
    });
  });

  it("does not hide what only `default: deny` keeps from reading (one bind per file would cost too much)", () => {
    const strict = { ...policy, default: "deny" as const, files: { ...policy.files, read: { allow: [], deny: [] } } };
    expect(sandboxMasks(strict, ["src/a.ts", "README.md"]).hide).toEqual([]);
  });
});
