import { describe, expect, it } from "vitest";
import { decide, offeredTools, valueGlob } from "../../src/policy/decide.ts";
import { checkExamples } from "../../src/policy/examples.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { serverNeverAllowed } from "../../src/policy/mcp.ts";
import { loadShellParser } from "../../src/policy/shell/parser.ts";
import { resolved } from "../helpers/resolve.ts";

const POLICY = `version: 1
tools:
  allow:
    - mcp__docs__*
    - pattern: mcp__github__create_issue
      when: { repo: "me/*" }
      examples:
        match: ['mcp__github__create_issue {"repo": "me/site"}']
        not_match: ['mcp__github__create_issue {"repo": "them/site"}', "mcp__github__create_issue"]
  deny:
    - mcp__docs__delete_*
    - pattern: mcp__docs__search
      when: { query: "*password*" }
mcp:
  servers:
    github: { env: [GH_TOKEN_FOR_MCP], network: [api.github.com] }
`;

const policy = parsePolicy(POLICY, "policy.yaml");
const call = async (name: string, args?: Record<string, unknown>) =>
  decide(policy, await resolved(name, { kind: "tool", name, ...(args ? { arguments: args } : {}) }));

describe("MCP tools under the policy's tools rules", () => {
  it("allows by glob, denies by a deny glob, and names the rule", async () => {
    expect(await call("mcp__docs__search", { query: "install" })).toMatchObject({ decision: "allow", rule: "tools.allow[0]" });
    expect(await call("mcp__docs__delete_page")).toMatchObject({ decision: "deny", rule: "tools.deny[0]" });
    expect(await call("mcp__memory__read")).toMatchObject({ decision: "deny", rule: "default" });
  });

  it("allows an argument-restricted tool only when its arguments match", async () => {
    expect(await call("mcp__github__create_issue", { repo: "me/site", title: "x" })).toMatchObject({ decision: "allow", rule: "tools.allow[1]" });
    const other = await call("mcp__github__create_issue", { repo: "them/site" });
    expect(other).toMatchObject({ decision: "deny", rule: "default" });
    expect(other.reason).toContain("arguments this call does not match");
    // An argument is no path: `*` crosses `/`, so the rule's `me/*` holds `me/a/b` and not `them/me/a`.
    expect(await call("mcp__github__create_issue", { repo: "me/a/b" })).toMatchObject({ decision: "allow", rule: "tools.allow[1]" });
    expect(await call("mcp__github__create_issue", { repo: "them/me/a" })).toMatchObject({ decision: "deny", rule: "default" });
    expect(await call("mcp__github__create_issue")).toMatchObject({ decision: "deny" });
    // A list is allowed only when every item is.
    expect(await call("mcp__github__create_issue", { repo: ["me/a", "me/b"] })).toMatchObject({ decision: "allow", rule: "tools.allow[1]" });
    expect(await call("mcp__github__create_issue", { repo: ["me/a", "them/b"] })).toMatchObject({ decision: "deny", rule: "default" });
  });

  it("a deny rule with when refuses matching calls and leaves the tool offered", async () => {
    expect(await call("mcp__docs__search", { query: "root password" })).toMatchObject({ decision: "deny", rule: "tools.deny[1]" });
    expect(await call("mcp__docs__search", { query: "my/password" })).toMatchObject({ decision: "deny", rule: "tools.deny[1]" });
    expect(await call("mcp__docs__search", { query: "a\nsecret password" })).toMatchObject({ decision: "deny", rule: "tools.deny[1]" });
    expect(await call("mcp__docs__search", { query: ["install", "password"] })).toMatchObject({ decision: "deny", rule: "tools.deny[1]" });
    expect(await call("mcp__docs__search", { query: ["install", "update"] })).toMatchObject({ decision: "allow", rule: "tools.allow[0]" });
    const offered = offeredTools(policy, [{ name: "mcp__docs__search" }, { name: "mcp__docs__delete_page" }]);
    expect(offered.map((tool) => tool.name)).toEqual(["mcp__docs__search"]);
  });

  it("matches a tool offered under a cut or changed name by the name its server wrote as well", async () => {
    // The server documents a 70-character name; the model is offered it cut, with a hash. A rule written
    // for the documented name still decides the calls, deny first, whatever allow glob covers the tool.
    const written = `mcp__docs__delete_${"page_".repeat(10)}now`;
    const offeredName = "mcp__docs__delete_page_page_page_page_page_page_page_page_a1b2c3";
    const strict = parsePolicy(`version: 1\ntools:\n  allow: ["mcp__docs__*"]\n  deny: ["${written}", {pattern: "${written.replace("delete", "erase")}", when: {id: "1"}}]\n`, "p.yaml");
    const decided = async (name: string, writtenAs: string, args?: Record<string, unknown>) =>
      decide(strict, await resolved(name, { kind: "tool", name, writtenAs, ...(args ? { arguments: args } : {}) }));
    expect(await decided(offeredName, written)).toMatchObject({ decision: "deny", rule: "tools.deny[0]" });
    expect(await decided(offeredName.replace("delete", "erase"), written.replace("delete", "erase"), { id: "1" })).toMatchObject({ decision: "deny", rule: "tools.deny[1]" });
    expect(await decided(offeredName.replace("delete", "erase"), written.replace("delete", "erase"), { id: "2" })).toMatchObject({ decision: "allow", rule: "tools.allow[0]" });
    expect(offeredTools(strict, [{ name: offeredName, writtenAs: written }, { name: "mcp__docs__search" }]).map((tool) => tool.name)).toEqual(["mcp__docs__search"]);
    // And an allow rule written for the documented name allows it.
    const allowing = parsePolicy(`version: 1\ntools:\n  allow: ["${written}"]\n`, "p.yaml");
    expect(decide(allowing, await resolved(offeredName, { kind: "tool", name: offeredName, writtenAs: written }))).toMatchObject({ decision: "allow", rule: "tools.allow[0]" });
    expect(decide(allowing, await resolved(offeredName, { kind: "tool", name: offeredName }))).toMatchObject({ decision: "deny", rule: "default" });
  });

  it("matches argument values with globs that know no paths", () => {
    const matches = (pattern: string, value: string) => valueGlob(pattern).test(value);
    expect(matches("*", "a/b\nc")).toBe(true);
    expect(matches("v?", "v1")).toBe(true);
    expect(matches("v?", "v12")).toBe(false);
    expect(matches("{me,us}/*", "us/x/y")).toBe(true);
    expect(matches("{me,us}/*", "them/x")).toBe(false);
    expect(matches("[!a-c]x", "dx")).toBe(true);
    expect(matches("[!a-c]x", "bx")).toBe(false);
    expect(matches("a.b(c)+\\*", "a.b(c)+*")).toBe(true);
    expect(matches("a.b", "axb")).toBe(false);
  });

  it("checks tool examples with arguments at load", async () => {
    expect(checkExamples(policy, await loadShellParser())).toEqual([]);
    const broken = parsePolicy(`version: 1\ntools:\n  allow:\n    - pattern: mcp__x__y\n      when: { a: "1" }\n      examples: { match: ['mcp__x__y {"a": "2"}'] }\n`, "p.yaml");
    expect(checkExamples(broken, await loadShellParser())).toEqual([expect.stringMatching(/^p\.yaml:4:7: tools\.allow "mcp__x__y": example .* should match but does not$/)]);
  });

  it("keeps the per-server settings and refuses credentials at file:line:col", () => {
    expect(policy.mcp?.servers.github).toEqual({ env: ["GH_TOKEN_FOR_MCP"], network: ["api.github.com"], read: [] });
    expect(() => parsePolicy("version: 1\nmcp:\n  servers:\n    gh: { network: [https://api.github.com] }\n", "p.yaml")).toThrow(/p\.yaml:4:21: .*a URL; write only its host name/);
  });

  it("knows a server none of whose tools could be allowed", () => {
    expect(serverNeverAllowed(policy, "mcp__docs__")).toBeUndefined();
    expect(serverNeverAllowed(policy, "mcp__github__")).toBeUndefined();
    expect(serverNeverAllowed(policy, "mcp__memory__")).toMatch(/no tools.allow rule names a tool starting with mcp__memory__/);
    const denyAll = parsePolicy("version: 1\ndefault: allow\ntools:\n  deny: [mcp__*]\n", "p.yaml");
    expect(serverNeverAllowed(denyAll, "mcp__docs__")).toMatch(/tools.deny rule "mcp__\*"/);
    expect(serverNeverAllowed(parsePolicy("version: 1\ntools:\n  allow: ['*']\n", "p.yaml"), "mcp__docs__")).toBeUndefined();
  });
});
