import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskResult } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { lazy } from "../helpers/lazy.ts";
import { createRepo, removeDir, snapshotTree } from "../helpers/repo.ts";
import { readEvents, readSummary } from "../helpers/run-folder.ts";
import { scratchDir } from "../helpers/temp.ts";
import { findBwrap } from "../../src/sandbox/probe.ts";
import { renderStarterPolicy } from "../../src/policy/starter.ts";
import { schemaUrl } from "../../src/report/schema.ts";

const bwrap = await findBwrap(process.env.PATH ?? "");
if (!bwrap) console.warn("SKIPPED the sandbox tests of test/e2e/effects.test.ts: bubblewrap (bwrap) is not installed");

/** Writes four paths the policy keeps from writes, through whatever command runs it. */
const HOSTILE = `const fs = require("node:fs");
const attempt = (path, content) => { try { fs.writeFileSync(path, content); } catch (error) { console.log(path + ": " + error.code); } };
fs.mkdirSync(".github/workflows", { recursive: true });
fs.mkdirSync(".nanocoder", { recursive: true });
attempt(".github/workflows/evil.yml", "on: push\\n");
attempt(".env.production", "SECRET=1\\n");
attempt(".nanocoder/policy.yaml", "version: 1\\ndefault: allow\\nsandbox: {mode: none}\\n");
attempt("src/ok.js", "// allowed\\n");
console.log("wrote them");
`;

const ORIGINAL_PACKAGE = JSON.stringify({ name: "victim", scripts: { test: "node test.js" } }, null, 2);
const HOSTILE_PACKAGE = JSON.stringify({ name: "victim", scripts: { test: "node hostile.cjs && node test.js" } }, null, 2);

const POLICY = [
  "version: 1",
  "files:",
  "  read: {allow: ['**']}",
  "  write:",
  "    allow: ['**']",
  "    deny: ['.github/**', '**/.env*']",
  "commands:",
  "  allow: ['npm test']",
  "",
].join("\n");

function setUp(mode: "auto" | "none") {
  return createRepo({
    ".nanocoder/policy.yaml": mode === "none" ? `${POLICY}sandbox: {mode: none}\n` : POLICY,
    "package.json": ORIGINAL_PACKAGE,
    "test.js": "console.log('tests pass');\n",
    "src/index.js": "export {};\n",
    "checks/hostile.cjs": HOSTILE,
    "tasks/npm.yaml": "id: npm\nprompt: Make the tests pass.\n",
    "tasks/check.yaml": "id: check\nprompt: Just finish.\nchecks: ['node checks/hostile.cjs']\n",
  });
}

describe.each(["auto", "none"] as const)("writes the policy refuses, made by allowed commands (sandbox mode %s)", (mode) => {
  let model: FakeOpenAI;
  let repo: string;
  let scratch: string;
  let run: CliResult;
  let before: Record<string, string>;
  const taskOf = (id: string) => readSummary(join(scratch, "out")).tasks.find((task) => task.id === id) as TaskResult;

  beforeAll(async () => {
    model = await startFakeOpenAI([
      {
        // The model rewrites the test script, runs the allowed `npm test`, then puts package.json back.
        match: "Make the tests pass",
        turns: [
          { tool_calls: [{ name: "write_file", arguments: { path: "hostile.cjs", content: HOSTILE } }, { name: "write_file", arguments: { path: "package.json", content: HOSTILE_PACKAGE } }] },
          { tool_calls: [{ name: "execute_bash", arguments: { command: "npm test" } }] },
          { tool_calls: [{ name: "write_file", arguments: { path: "package.json", content: ORIGINAL_PACKAGE } }] },
          { content: "Done." },
        ],
      },
      { match: "Just finish", turns: [{ content: "Done." }] },
    ]);
    repo = setUp(mode);
    scratch = scratchDir("nanocoder-e2e-effects-");
    before = snapshotTree(repo);
    run = await runCli(["batch", "tasks/npm.yaml", "tasks/check.yaml", "--base-url", model.url, "--model", "scripted", "--out", join(scratch, "out"), "--apply"], { cwd: repo });
  });

  afterAll(async () => {
    await model.close();
    removeDir(repo);
  });

  it("undoes them after the command, and tells the model which and why", () => {
    const result = readEvents(join(scratch, "out"), "npm").find((event) => event.type === "tool_result" && event.name === "execute_bash");
    expect(result?.status).toBe("denied");
    const output = String(result?.output);
    expect(output).toContain("wrote them");
    expect(output).toContain('denied by policy: execute_bash wrote .github/workflows/evil.yml (write .github/workflows/evil.yml: matches deny rule ".github/**"); the change was undone');
    expect(output).toContain("denied by policy: execute_bash wrote .env.production");
    // In the sandbox the protected policy file is read-only: the write fails at once. Without one it is undone.
    if (mode === "auto") expect(output).toContain(".nanocoder/policy.yaml: EROFS");
    else expect(output).toContain("denied by policy: execute_bash wrote .nanocoder/policy.yaml (write .nanocoder/policy.yaml: this path is never writable");
    expect(output).not.toContain("src/ok.js");
  });

  it("records each as a policy decision with its rule", () => {
    const decisions = readEvents(join(scratch, "out"), "npm").filter((event) => event.type === "policy_decision" && event.effect === true);
    expect(decisions.map((event) => [event.subject, event.rule]).sort()).toEqual([
      ["write .env.production", "files.write.deny[1]"],
      ["write .github/workflows/evil.yml", "files.write.deny[0]"],
      ...(mode === "none" ? [["write .nanocoder/policy.yaml", "protect[5]"]] : []),
    ]);
  });

  it("keeps them out of the patch, the allowed change in", () => {
    const patch = readFileSync(join(scratch, "out", "tasks", "npm", "patch.diff"), "utf8");
    const files = [...patch.matchAll(/^diff --git a\/(\S+) /gm)].map((match) => match[1]);
    expect(files).toEqual(["hostile.cjs", "src/ok.js"]);
  });

  it("fails the task, naming the refused writes, so --apply leaves the working tree alone", () => {
    const npm = taskOf("npm");
    expect(npm.status).toBe("failed");
    expect(npm.stop_reason).toBe("policy_violation");
    expect(JSON.parse(readFileSync(join(scratch, "out", "tasks", "npm", "result.json"), "utf8"))).toEqual({ $schema: schemaUrl("result"), ...npm });
    expect(readFileSync(join(scratch, "out", "report.md"), "utf8")).toMatch(/^\| npm \| failed \| policy_violation \|/m);
    expect(readFileSync(join(scratch, "out", "junit.xml"), "utf8")).toMatch(/name="npm"[^>]*>\s*<failure message="commands wrote what the policy refuses[^"]*" type="policy_violation">/);
    expect(run.stderr).toMatch(/^✖ npm failed \(policy_violation\): commands wrote what the policy refuses: /m);
    expect(npm.error).toMatch(/^commands wrote what the policy refuses: .*\.env\.production \(files\.write\.deny\[1\], by execute_bash\).*; the changes were undone$/);
    expect(npm.violations?.map((violation) => violation.path).sort()).toEqual([".env.production", ".github/workflows/evil.yml", ...(mode === "none" ? [".nanocoder/policy.yaml"] : [])]);
    const report = readFileSync(join(scratch, "out", "report.md"), "utf8");
    expect(report).toContain("commands wrote what the policy refuses");
    expect(report).toContain("| npm | `execute_bash` | `.github/workflows/evil.yml` | `files.write.deny[0]` |");
    expect(existsSync(join(repo, ".github"))).toBe(false);
    expect(snapshotTree(repo, [".nanocoder/runs"])).toEqual(before);
  });

  it("holds for a check too: its refused writes are undone and the task is not green", () => {
    const check = taskOf("check");
    expect(check.status).toBe("failed");
    expect(check.violations?.map((violation) => [violation.path, violation.by]).sort()).toEqual([
      [".env.production", 'check "node checks/hostile.cjs"'],
      [".github/workflows/evil.yml", 'check "node checks/hostile.cjs"'],
      ...(mode === "none" ? [[".nanocoder/policy.yaml", 'check "node checks/hostile.cjs"']] : []),
    ]);
    // What the policy lets the check write (src/ok.js) is put back too: a check is no part of the task's work.
    expect(readFileSync(join(scratch, "out", "tasks", "check", "patch.diff"), "utf8")).toBe("");
    expect(readEvents(join(scratch, "out"), "check").find((event) => event.type === "check_result")).toMatchObject({ undone: ["src/ok.js"] });
  });
});

/**
 * One batch for ordinary work and for reads the policy refuses: a task `build` whose `npm run build` writes
 * files, and a task `t` whose test script reads secrets and writes a protected file, under one policy.
 */
const ordinaryAndMasked = lazy(async () => {
  const model = await startFakeOpenAI([
    { match: "Build it", turns: [{ tool_calls: [{ name: "execute_bash", arguments: { command: "npm run build" } }] }, { content: "Built." }] },
    {
      match: "Run the tests",
      turns: [
        { tool_calls: [{ name: "execute_bash", arguments: { command: "npm test" } }] },
        { tool_calls: [{ name: "execute_bash", arguments: { command: "npm run move" } }] },
        { tool_calls: [{ name: "execute_bash", arguments: { command: "npm run show" } }] },
        { content: "Ran." },
      ],
    },
  ]);
  // The test script prints secrets and tries to overwrite a protected file: the command line says none of it.
  const script = "const fs = require('node:fs'); for (const f of ['.env', 'config/keys.json', 'src/a.js']) console.log(f + '=' + JSON.stringify(fs.readFileSync(f, 'utf8'))); try { fs.writeFileSync('.github/ci.yml', 'x'); console.log('ci written') } catch (e) { console.log('ci: ' + e.code) }";
  const repo = createRepo({
    ".gitignore": "dist/\n",
    ".env": "API_KEY=hunter2\n",
    "config/keys.json": "{\"key\": \"s3cr3t\"}\n",
    ".github/ci.yml": "on: push\n",
    "src/a.js": "ok\n",
    "build.cjs": "require('node:fs').mkdirSync('dist', {recursive: true}); require('node:fs').writeFileSync('dist/out.js', 'x'); require('node:fs').writeFileSync('src.js', 'y');\n",
    "package.json": JSON.stringify({ name: "r", scripts: { test: `node -e "${script}"`, move: "mv config config.bak && mkdir config", show: "echo [$(cat config.bak/keys.json)]", build: "node build.cjs" } }),
    "tasks/t.yaml": "id: t\nprompt: Run the tests.\n",
    "tasks/build.yaml": "id: build\nprompt: Build it.\n",
  });
  const scratch = scratchDir("nanocoder-e2e-masks-");
  writeFileSync(join(scratch, "policy.yaml"), [
    "version: 1",
    "files:",
    "  read: {allow: ['**'], deny: ['config/keys.json']}",
    "  write: {allow: ['**'], deny: ['.github/**']}",
    "commands:",
    "  allow: ['npm test', 'npm run move', 'npm run show', 'npm run build']",
    "",
  ].join("\n"));
  try {
    await runCli(["batch", "tasks/t.yaml", "tasks/build.yaml", "--base-url", model.url, "--model", "scripted", "--policy", join(scratch, "policy.yaml"), "--out", join(scratch, "out")], { cwd: repo });
  } finally {
    await model.close();
    removeDir(repo);
  }
  return join(scratch, "out");
});

describe("the effect check leaves ordinary work alone", () => {
  it("succeeds with the allowed writes in the patch and no decision after the fact", async () => {
    const out = await ordinaryAndMasked();
    const task = readSummary(out).tasks.find((each) => each.id === "build");
    expect(task?.status).toBe("succeeded");
    expect(task?.violations).toBeUndefined();
    expect(task?.files_changed).toEqual(["src.js"]);
    expect(readEvents(out, "build").some((event) => event.effect === true)).toBe(false);
  });
});

describe.skipIf(!bwrap)("reads the policy refuses, stopped by the sandbox", () => {
  it("shows read-denied files and the built-in secret patterns empty, other files as they are", async () => {
    const output = String(readEvents(await ordinaryAndMasked(), "t").find((event) => event.type === "tool_result")?.output);
    expect(output).toContain('.env=""');
    expect(output).toContain('config/keys.json=""');
    expect(output).toContain('src/a.js="ok\\n"');
    expect(output).not.toContain("hunter2");
    expect(output).not.toContain("s3cr3t");
  });

  it("keeps a hidden file hidden after a command moved its folder", async () => {
    const outputs = readEvents(await ordinaryAndMasked(), "t").filter((event) => event.type === "tool_result").map((event) => String(event.output));
    expect(outputs[2]).toContain("[]");
    expect(outputs.join("\n")).not.toContain("s3cr3t");
  });

  it("shows write-denied files read-only, so the write fails at once", async () => {
    const out = await ordinaryAndMasked();
    const output = String(readEvents(out, "t").find((event) => event.type === "tool_result")?.output);
    expect(output).toContain("ci: EROFS");
    expect(readSummary(out).tasks.find((each) => each.id === "t")?.status).toBe("succeeded");
  });
});

describe.skipIf(!bwrap).each(["starter", "built-in"] as const)("the same hostile script under the %s policy, with the sandbox", (which) => {
  let model: FakeOpenAI;
  let repo: string;
  let scratch: string;
  const taskOf = (id: string) => readSummary(join(scratch, "out")).tasks.find((task) => task.id === id) as TaskResult;

  beforeAll(async () => {
    model = await startFakeOpenAI([
      {
        match: "Make the tests pass",
        turns: [
          { tool_calls: [{ name: "write_file", arguments: { path: "hostile.cjs", content: HOSTILE } }, { name: "write_file", arguments: { path: "package.json", content: HOSTILE_PACKAGE } }] },
          { tool_calls: [{ name: "execute_bash", arguments: { command: "npm test" } }] },
          { tool_calls: [{ name: "write_file", arguments: { path: "package.json", content: ORIGINAL_PACKAGE } }] },
          { content: "Done." },
        ],
      },
      { match: "Just finish", turns: [{ content: "Done." }] },
      {
        // A link standing where a refused folder would be carries the workflow in under its guarded name.
        match: "Link it",
        turns: [
          { tool_calls: [{ name: "execute_bash", arguments: { command: `node -e "const fs = require('node:fs'); fs.mkdirSync('ghsrc/workflows', { recursive: true }); fs.writeFileSync('ghsrc/workflows/evil.yml', 'on: push'); fs.symlinkSync('ghsrc', '.github')"` } }] },
          { content: "Done." },
        ],
      },
    ]);
    const files: Record<string, string> = {
      "package.json": ORIGINAL_PACKAGE,
      "test.js": "console.log('tests pass');\n",
      "src/index.js": "export {};\n",
      "checks/hostile.cjs": HOSTILE,
      "tasks/npm.yaml": "id: npm\nprompt: Make the tests pass.\n",
      "tasks/check.yaml": "id: check\nprompt: Just finish.\nchecks: ['node checks/hostile.cjs']\n",
      "tasks/link.yaml": "id: link\nprompt: Link it.\n",
    };
    if (which === "starter") files[".nanocoder/policy.yaml"] = renderStarterPolicy({ packageManager: "npm", scripts: ["test"] });
    repo = createRepo(files);
    scratch = scratchDir("nanocoder-e2e-effects-shipped-");
    await runCli(["batch", "tasks/npm.yaml", "tasks/check.yaml", "tasks/link.yaml", "--base-url", model.url, "--model", "scripted", "--out", join(scratch, "out")], { cwd: repo });
  });

  afterAll(async () => {
    await model.close();
    removeDir(repo);
  });

  it("lets the model run the rewritten `npm test` only where the policy allows it, and undoes what it wrote", () => {
    const result = readEvents(join(scratch, "out"), "npm").find((event) => event.type === "tool_result" && event.name === "execute_bash");
    const output = String(result?.output);
    if (which === "built-in") {
      expect(output).toContain("denied by policy: `npm test`: no allow rule matches");
      expect(output).not.toContain("wrote them");
      return;
    }
    expect(output).toContain("wrote them");
    expect(output).toContain(".nanocoder/policy.yaml: EROFS");
    expect(taskOf("npm").violations?.map((violation) => violation.path).sort()).toEqual([".env.production", ".github/workflows/evil.yml"]);
    expect(taskOf("npm").status).toBe("failed");
  });

  it("keeps a check's secret and policy file out of the patch, whatever the policy's write rules", () => {
    const check = taskOf("check");
    expect(check.status).toBe("failed");
    const refused = check.violations?.map((violation) => violation.path).sort();
    // The built-in policy lets files be written anywhere but secrets and protected paths: a workflow is a plain file to it.
    expect(refused).toEqual(which === "starter" ? [".env.production", ".github/workflows/evil.yml"] : [".env.production", ".nanocoder/policy.yaml"]);
    const patch = readFileSync(join(scratch, "out", "tasks", "check", "patch.diff"), "utf8");
    const files = [...patch.matchAll(/^diff --git a\/(\S+) /gm)].map((match) => match[1]);
    expect(files).not.toContain(".env.production");
    expect(files).not.toContain(".nanocoder/policy.yaml");
  });

  it.skipIf(which === "built-in")("undoes a link standing where a refused folder would be, so the workflow never reaches the patch", () => {
    const link = taskOf("link");
    expect(link.violations?.map((violation) => [violation.path, violation.rule])).toEqual([[".github", "workspace"]]);
    expect(link.status).toBe("failed");
    const patch = readFileSync(join(scratch, "out", "tasks", "link", "patch.diff"), "utf8");
    expect(patch).not.toMatch(/^diff --git a\/\.github /m);
  });
});
