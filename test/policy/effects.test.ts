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
    // A file or link standing where a guarded folder would be: `src/generated` → `gen/` would carry files in.
    ["src/generated", false, "workspace"],
    [".git", false, "protect[0]"],
  ])("%s (ignored: %s) is refused by %s", (path, ignored, rule) => {
    expect(deniedWrites(policy, [{ path, ignored }])[0]?.rule).toBe(rule);
  });
});

describe("links standing in for guarded folders", () => {
  it("refuses a path under which a protected path or deny rule names something, where writes are otherwise allowed", () => {
    const open = { ...parsePolicy("version: 1\nfiles:\n  write: {allow: ['**'], deny: ['.github/workflows/**']}\n", "p.yaml"), protect: [".git", ".git/**", ".nanocoder/policy.yaml"] };
    const refused = deniedWrites(open, [".github", ".nanocoder", "ghsrc/workflows/evil.yml", ".github-notes"].map((path) => ({ path })));
    expect(refused.map((violation) => [violation.path, violation.rule])).toEqual([[".github", "workspace"], [".nanocoder", "workspace"]]);
    expect(refused[0]?.reason).toBe('write .github: ".github/workflows/**" keeps a path below it from writes, and a link or file here would stand in for that folder');
  });
});

describe("what the sandbox hides and shows read-only", () => {
  it("hides read-denied files and the built-in secret patterns, under any policy; shows write-denied and protected files read-only", () => {
    const files = ["src/a.ts", ".env", "app/.env.local", "certs/server.pem", "config/secrets/db.json", "src/generated/x.ts", ".nanocoder/policy.yaml", "README.md"];
    expect(sandboxMasks(policy, files)).toEqual({
      hideFiles: [".env", "app/.env.local", "certs/server.pem"],
      hideFolders: ["config/secrets"],
      readOnly: ["src/generated", ".nanocoder/policy.yaml"],
    });
  });

  it("masks a folder whole only when its rule would mask a new file there too", () => {
    const files = ["keys/a.pem", "keys/b.pem", "vendor/x/1.js", "vendor/x/2.js"];
    const vendorDenied = { ...policy, files: { ...policy.files, write: { ...policy.files.write, deny: [{ pattern: "vendor/**" }] } } };
    // keys/ holds only .pem files, but a new keys/notes.txt would be no secret: each .pem is masked alone.
    expect(sandboxMasks(vendorDenied, files)).toEqual({ hideFiles: ["keys/a.pem", "keys/b.pem"], hideFolders: [], readOnly: ["vendor"] });
  });

  it("lets an allow rule that names secret files show them; a catch-all does not", () => {
    const named = { ...policy, files: { ...policy.files, read: { allow: [{ pattern: "**" }, { pattern: "test/fixtures/*.pem" }], deny: [] } } };
    expect(sandboxMasks(named, ["test/fixtures/cert.pem", "deploy/prod.pem"]).hideFiles).toEqual(["deploy/prod.pem"]);
  });

  it("does not hide what only `default: deny` keeps from reading (one bind per file would cost too much)", () => {
    const strict = { ...policy, default: "deny" as const, files: { ...policy.files, read: { allow: [], deny: [] } } };
    expect(sandboxMasks(strict, ["src/a.ts", "README.md"]).hideFiles).toEqual([]);
  });
});
