import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../helpers/temp.ts";
import { loadPolicy, parsePolicy } from "../../src/policy/load.ts";
import { narrowPolicy } from "../../src/policy/narrow.ts";
import { UserErrors } from "../../src/shared/errors.ts";

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof UserErrors) return error.errors.map((each) => each.message);
    throw error;
  }
  throw new Error("expected an error");
}

async function loadErrors(text: string): Promise<string[]> {
  const dir = scratchDir("nanocoder-policy-");
  writeFileSync(join(dir, "policy.yaml"), text);
  const error: unknown = await loadPolicy({ explicitPath: "policy.yaml", cwd: dir }).then(() => undefined, (thrown: unknown) => thrown);
  if (!(error instanceof UserErrors)) throw new Error(`expected UserErrors, got ${String(error)}`);
  return error.errors.map((each) => each.message);
}

describe("parsePolicy", () => {
  it("reads the v1 format: strings and objects, with each rule's file:line", () => {
    const policy = parsePolicy(
      [
        "version: 1",
        "default: deny",
        "files:",
        "  read: {allow: ['**'], deny: ['**/.env']}",
        "commands:",
        "  allow:",
        "    - npm test",
        "    - pattern: git diff **",
        "      reason: read-only",
        "env: {pass: [NODE_OPTIONS]}",
        "limits: {max_turns: 30, max_denials: 5}",
      ].join("\n"),
      "policy.yaml",
    );
    expect(policy.commands.allow).toEqual([
      { pattern: "npm test", source: "policy.yaml:7:7" },
      { pattern: "git diff **", reason: "read-only", source: "policy.yaml:8:7" },
    ]);
    expect(policy.files.write).toEqual({ allow: [], deny: [] });
    expect(policy.env.pass).toEqual(["NODE_OPTIONS"]);
    expect(policy.limits).toEqual({ max_turns: 30, max_denials: 5 });
    expect(policy.protect).toContain(".git/**");
  });

  it.each([
    ["a missing version", "default: deny\n", ["policy.yaml:1:1: version: expected version: 1"]],
    ["an unknown section", "version: 1\nfile: {}\n", ['policy.yaml:2:1: file: unknown key (did you mean "files"?)']],
    ["a bad default", "version: 1\ndefault: maybe\n", [expect.stringMatching(/^policy\.yaml:2:1: default: expected/)]],
    ["an allow in the wrong place", "version: 1\ncommands: {allow: [ls], permit: [cat]}\n", [expect.stringMatching(/^policy\.yaml:2:25: commands\.permit: unknown key; expected one of: allow, deny$/)]],
    ["a URL in the network list", "version: 1\nsandbox:\n  network: [registry.npmjs.org, 'https://pypi.org/simple']\n", ["policy.yaml:3:33: sandbox.network[1]: a URL; write only its host name, e.g. pypi.org"]],
    ["an empty network list", "version: 1\nsandbox: {network: []}\n", [expect.stringMatching(/^policy\.yaml:2:11: sandbox\.network: expected at least one host name; use false for no network/)]],
    ["a setup command that is not text", "version: 1\nsetup:\n  run: [{npm: ci}]\n", [expect.stringMatching(/^policy\.yaml:3:9: setup\.run\[0\]: expected/)]],
    ["a setup timeout without its unit", "version: 1\nsetup: {run: [npm ci], timeout: 600}\n", [expect.stringMatching(/^policy\.yaml:2:\d+: setup\.timeout: expected/)]],
  ])("rejects %s with file:line:col", (_name, text, expected) => {
    expect(errorsOf(() => parsePolicy(text, "policy.yaml"))).toEqual(expected);
  });

  it("reads dependencies, setup and a network list, with their defaults", () => {
    const policy = parsePolicy("version: 1\nsandbox: {network: [registry.npmjs.org, '*.pythonhosted.org']}\nsetup: {run: [npm ci]}\n", "policy.yaml");
    expect(policy.sandbox?.network).toEqual(["registry.npmjs.org", "*.pythonhosted.org"]);
    expect(policy.setup).toEqual({ run: ["npm ci"], inputs: [], timeout: 600_000 });
    expect(policy.dependencies).toEqual({ detect: true, paths: [] });
  });
});

describe("env.pass never hands the runner's credentials to commands", () => {
  it.each([
    ["GITHUB_TOKEN", "policy.yaml:2:28: env.pass[1]: GITHUB_TOKEN holds the runner's credentials"],
    ["GH_TOKEN", "policy.yaml:2:28: env.pass[1]: GH_TOKEN holds"],
    ["ACTIONS_RUNTIME_TOKEN", "policy.yaml:2:28: env.pass[1]: ACTIONS_RUNTIME_TOKEN holds"],
    ["ACTIONS_ID_TOKEN_REQUEST_TOKEN", "policy.yaml:2:28: env.pass[1]: ACTIONS_ID_TOKEN_REQUEST_TOKEN holds"],
    ["OPENAI_API_KEY", "policy.yaml:2:28: env.pass[1]: OPENAI_API_KEY holds"],
    ["ANTHROPIC_API_KEY", "policy.yaml:2:28: env.pass[1]: ANTHROPIC_API_KEY holds"],
    ["OPENROUTER_API_KEY", "policy.yaml:2:28: env.pass[1]: OPENROUTER_API_KEY holds"],
    ["NANOCODER_CONFIG_DIR", "policy.yaml:2:28: env.pass[1]: NANOCODER_CONFIG_DIR holds"],
  ])("refuses %s at load, with file:line:col", (name, message) => {
    const errors = errorsOf(() => parsePolicy(`version: 1\nenv: {pass: [NODE_OPTIONS, ${name}]}\n`, "policy.yaml"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    expect(errors[0]).toContain("remove it from env.pass");
  });

  it.each(["NPM_TOKEN", "MY_SECRET_THING", "DB_PASSWORD", "STRIPE_API_KEY", "AWS_SECRET_ACCESS_KEY"])("loads %s with a warning naming its place", (name) => {
    const policy = parsePolicy(`version: 1\nenv:\n  pass:\n    - NODE_OPTIONS\n    - ${name}\n`, "policy.yaml");
    expect(policy.env.pass).toEqual(["NODE_OPTIONS", name]);
    expect(policy.warnings).toEqual([expect.stringMatching(new RegExp(`^policy\\.yaml:5:7: warning: env\\.pass hands ${name} to every command`))]);
  });

  it("passes ordinary names quietly", () => {
    const policy = parsePolicy("version: 1\nenv: {pass: [NODE_OPTIONS, JAVA_HOME, TOKENIZERS_PARALLELISM]}\n", "policy.yaml");
    expect(policy.warnings).toEqual([]);
  });
});

describe("loadPolicy", () => {
  it("fails to load when a rule contradicts its own examples, naming the rule's line", async () => {
    const errors = await loadErrors(
      [
        "version: 1",
        "commands:",
        "  allow:",
        "    - pattern: npx vitest run **",
        "      examples: {match: ['npx vitest run a.test.ts', 'npx jest'], not_match: ['npx vitest run; rm -rf /']}",
      ].join("\n"),
    );
    expect(errors).toEqual(['policy.yaml:4:7: commands.allow "npx vitest run **": example "npx jest" should match but does not']);
  });

  it("checks deny examples too, and file examples as paths", async () => {
    const errors = await loadErrors(
      [
        "version: 1",
        "files:",
        "  write:",
        "    deny:",
        "      - pattern: '.github/**'",
        "        examples: {match: ['.github/workflows/ci.yml'], not_match: ['.github/CODEOWNERS']}",
        "commands:",
        "  deny:",
        "    - pattern: rm -r **",
        "      examples: {match: ['rm -fr build', 'sudo rm -r x'], not_match: ['rm -R x']}",
      ].join("\n"),
    );
    expect(errors).toEqual(['policy.yaml:5:9: files.write.deny ".github/**": example ".github/CODEOWNERS" should not match but does']);
  });

  it("warns about allow rules that hand out arbitrary code execution", async () => {
    const dir = scratchDir("nanocoder-policy-");
    writeFileSync(join(dir, "p.yaml"), "version: 1\ncommands:\n  allow: [npm test, 'bash **', 'node -e **']\n");
    const policy = await loadPolicy({ explicitPath: "p.yaml", cwd: dir });
    expect(policy.warnings).toHaveLength(2);
    expect(policy.warnings?.[0]).toMatch(/^p\.yaml:3:\d+: warning: allow pattern "bash \*\*"/);
  });

  it("protects the policy file itself when it lies in the repository", async () => {
    const dir = scratchDir("nanocoder-policy-");
    writeFileSync(join(dir, "p.yaml"), "version: 1\n");
    const policy = await loadPolicy({ explicitPath: "p.yaml", cwd: dir, repoRoot: dir });
    expect(policy.protect).toContain("p.yaml");
  });
});

describe("narrowPolicy", () => {
  it("adds a task's deny rules and nothing else", () => {
    const base = parsePolicy("version: 1\ncommands: {allow: [npm test]}\n", "policy.yaml");
    const narrowed = narrowPolicy(
      base,
      { files: { read: { deny: [] }, write: { deny: ["docs/**"] } }, commands: { deny: [{ pattern: "npm test", reason: "not in this task" }] }, tools: { deny: [] } },
      "tasks/a.yaml:1",
    );
    expect(narrowed.commands).toEqual({
      allow: base.commands.allow,
      deny: [{ pattern: "npm test", reason: "not in this task", source: "tasks/a.yaml:1" }],
    });
    expect(narrowed.files.write.deny).toEqual([{ pattern: "docs/**", source: "tasks/a.yaml:1" }]);
    expect(narrowed.source).toBe("policy.yaml + tasks/a.yaml:1");
  });
});
