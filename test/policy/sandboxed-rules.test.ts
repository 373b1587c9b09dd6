import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sandboxOnlyNote } from "../../src/cli/commands/doctor.ts";
import { decide } from "../../src/policy/decide.ts";
import { builtinPolicy } from "../../src/policy/default.ts";
import { parsePolicy } from "../../src/policy/load.ts";
import { renderStarterPolicy } from "../../src/policy/starter.ts";
import type { Policy } from "../../src/policy/types.ts";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";

// A worktree as a run sees it: node_modules entries are links into the checkout's installed packages.
const installed = mkdtempSync(join(tmpdir(), "nanocoder-sandboxed-installed-"));
mkdirSync(join(installed, "node_modules/camelcase"), { recursive: true });
writeFileSync(join(installed, "node_modules/camelcase/index.js"), "module.exports = 1;\n");
writeFileSync(join(installed, ".env"), "OTHER=1\n");
const workspace = createRepo({ ".gitignore": "node_modules\n", "package.json": '{"scripts":{"test":"node --test"}}\n', "src/a.js": "1\n", ".env": "KEY=1\n", "README.md": "# x\n" });
mkdirSync(join(workspace, "node_modules"));
symlinkSync(join(installed, "node_modules/camelcase"), join(workspace, "node_modules/camelcase"));
symlinkSync("/etc/hostname", join(workspace, "hostname"));

afterAll(() => {
  removeDir(workspace);
  removeDir(installed);
});

const starter = parsePolicy(renderStarterPolicy({ packageManager: "npm", scripts: ["test"] }), ".nanocoder/policy.yaml");

async function decideHere(policy: Policy, command: string, sandboxed: boolean) {
  return decide(policy, await resolveAccesses("execute_bash", [{ kind: "command", command }], workspace, sandboxed));
}

type Case = [command: string, sandboxed: "allow" | "deny", unsandboxed: "allow" | "deny", why?: RegExp];

function run(policy: Policy, cases: Case[]) {
  it.each(cases)("%s → %s in the sandbox, %s without", async (command, inside, outside, why) => {
    expect((await decideHere(policy, command, true)).decision).toBe(inside);
    const unsandboxed = await decideHere(policy, command, false);
    expect(unsandboxed.decision).toBe(outside);
    if (why) expect(unsandboxed.reason).toMatch(why);
  });
}

describe("rules that hold only inside the sandbox (starter policy)", () => {
  run(starter, [
    ["npm test", "allow", "deny", /matches allow rule "npm test", which allows it only inside the sandbox/],
    ["python -m pytest tests/test_a.py -x", "allow", "deny", /only inside the sandbox/],
    ["node scripts/build.js", "allow", "deny", /only inside the sandbox/],
    ["bash scripts/release.sh", "allow", "deny", /only inside the sandbox/],
    // A deny rule still wins inside the sandbox: installs belong in setup.
    ["python -m pip install requests", "deny", "deny", /installs belong in the policy's setup/],
    ["git push origin main", "deny", "deny", /pushes happen in the release job/],
    // Programs whose reads and writes the checker knows need no sandbox, and still meet the file rules.
    ["grep -rn TODO src", "allow", "allow"],
    ["sed -i s/1/2/ src/a.js", "allow", "allow"],
    ["cat .env", "deny", "deny", /secrets|\.env/],
    ["sed -i s/1/2/ .env", "deny", "deny", /\.env/],
    // In the sandbox a read-denied file is shown empty, so a search over its folder reads nothing of it.
    ["grep -rn TODO .", "allow", "deny", /holds \.env/],
    // git's stash is shared with the checkout: a task must not drop the user's stashes.
    ["git stash clear", "deny", "deny", /no allow rule/],
  ]);
});

describe("looking programs that could write or change the machine are not in the shipped lists", () => {
  run(builtinPolicy, [
    ["xxd -r -p h.txt src/a.js", "deny", "deny", /no allow rule/],
    ["tree -o src/a.js", "deny", "deny", /no allow rule/],
    ["file -C -m src/a.js", "deny", "deny", /no allow rule/],
    ["date -s 2000-01-01", "deny", "deny", /no allow rule/],
    ["date +%Y-%m-%d", "allow", "allow"],
    // A file an option names is read, and a line of it reaches the output (`fatal: invalid object name: KEY=1`).
    ["git blame --ignore-revs-file=.env README.md", "deny", "deny", /\.env/],
    ["git blame --ignore-revs-f=.env README.md", "deny", "deny", /\.env/],
  ]);
});

describe("a folder the line makes first, then left with `..`, is resolved as the kernel will", () => {
  run(builtinPolicy, [
    ["mkdir -p zz && cat zz/../.env", "deny", "deny", /\.env/],
    ["cat zz/../.env", "deny", "deny", /\.env/],
    ["cat /tmp/nanocoder-missing/../../etc/hostname", "allow", "deny", /reads \/tmp\/nanocoder-missing\/\.\.\/\.\.\/etc\/hostname/],
  ]);
});

describe("reads outside the workspace: the sandbox decides what is there; without one, system folders and installed packages", () => {
  run(builtinPolicy, [
    ["cat /usr/lib/os-release", "allow", "allow"],
    ["cat node_modules/camelcase/index.js", "allow", "allow"],
    ["grep -rn exports node_modules/camelcase", "allow", "allow"],
    ["cat /etc/hostname", "allow", "deny", /reads \/etc\/hostname, outside the workspace; without a sandbox/],
    ["cat hostname", "allow", "deny", /reads hostname \(\/etc\/hostname\), outside the workspace/],
    ["cat < /etc/hostname", "allow", "deny", /outside the workspace; without a sandbox/],
    ["ls /root", "allow", "deny", /reads \/root/],
    ["find / -name id_rsa", "allow", "deny", /reads \/, outside the workspace/],
    // Secrets are refused wherever they lie, the sandbox or not.
    [`cat ${installed}/.env`, "deny", "deny", /keeps from reads wherever it lies/],
    [`cat ${installed}/node_modules/../.env`, "deny", "deny", /keeps from reads wherever it lies/],
  ]);
});

describe("loading rules that hold only inside the sandbox", () => {
  it("does not warn that a sandboxed rule runs arbitrary code: the sandbox is what contains it", () => {
    const policy = parsePolicy('version: 1\ncommands:\n  allow:\n    - { pattern: "python **", sandboxed: true }\n    - "node **"\n', "p.yaml");
    expect(policy.warnings).toEqual([expect.stringMatching(/^p\.yaml:5:7: warning: allow pattern "node \*\*" allows arbitrary code/)]);
  });

  it("warns that a sandboxed rule never applies when the policy turns the sandbox off", () => {
    const policy = parsePolicy('version: 1\ncommands:\n  allow:\n    - { pattern: "python **", sandboxed: true }\nsandbox: { mode: none }\n', "p.yaml");
    expect(policy.warnings).toEqual(['p.yaml:4:7: warning: allow pattern "python **" is sandboxed, and sandbox.mode is none: it never applies']);
  });

  it("refuses `sandboxed` on a deny rule, with the place and the keys it takes", () => {
    expect(() => parsePolicy('version: 1\ncommands:\n  deny:\n    - { pattern: "rm **", sandboxed: true }\n', "p.yaml")).toThrow(/p\.yaml:4:/);
  });
});

describe("doctor on a machine without a working sandbox", () => {
  it("names the allow rules that will refuse their commands there", () => {
    expect(sandboxOnlyNote(starter)).toMatch(/^; the policy's \d+ allow rule\(s\) marked sandboxed \("npm test", "npm test -- \*\*", "python \*\*", …\) will refuse their commands$/);
    expect(sandboxOnlyNote(builtinPolicy)).toBe("");
  });
});
