import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBwrap } from "../../src/sandbox/probe.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { lazyCliSteps } from "../helpers/cli-steps.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { lazy } from "../helpers/lazy.ts";
import { createNpmProject } from "../helpers/projects.ts";
import { createRepo, removeDir, snapshotTree, writeFiles } from "../helpers/repo.ts";
import { readEvents, readSummary } from "../helpers/run-folder.ts";
import { scratchDir } from "../helpers/temp.ts";

const bwrap = await findBwrap(process.env.PATH ?? "");
if (!bwrap) console.warn("SKIPPED test/e2e/dependencies.test.ts: bubblewrap (bwrap) is not installed; `apt-get install bubblewrap` to run it");
const python3 = spawnSync("python3", ["--version"]).status === 0;
if (!python3) console.warn("SKIPPED the virtualenv tests of test/e2e/dependencies.test.ts: python3 is not installed; `apt-get install python3 python3-venv` to run them");

/** Tries to write into node_modules four ways and says what happened to each. */
const POKE = `import { mkdirSync, writeFileSync } from "node:fs";
const attempts = {
  package: () => writeFileSync("node_modules/greet/index.js", "export const greet = () => 'hacked';\\n"),
  cache: () => { mkdirSync("node_modules/.cache/poke", { recursive: true }); writeFileSync("node_modules/.cache/poke/x", "y"); },
  planted: () => { mkdirSync("node_modules/planted"); writeFileSync("node_modules/planted/index.js", "x"); },
  bin: () => writeFileSync("node_modules/.bin/mini-test", "#!/bin/sh\\nexit 0\\n"),
};
for (const [name, attempt] of Object.entries(attempts)) {
  try { attempt(); console.log(name + ": written"); } catch (error) { console.log(name + ": " + error.code); }
}
`;

/** Puts a link to the installed node_modules where the worktree's linked folder was, as a hostile command might. */
const SWAP = `import { readlinkSync, renameSync, symlinkSync } from "node:fs";
import { dirname } from "node:path";
const installed = dirname(readlinkSync("node_modules/greet"));
renameSync("node_modules", "node_modules-moved");
symlinkSync(installed, "node_modules");
console.log("swapped");
`;

const POLICY = [
  "version: 1",
  "files:",
  "  read: {allow: ['**']}",
  "  write: {allow: ['**']}",
  "commands:",
  "  allow: ['npm test', 'npm run poke', 'npm run swap', 'ls **']",
  "",
].join("\n");

/**
 * The npm project with its dependencies installed (npm ci: about a second of CPU), made once for the sandbox
 * tests and the doctor's.
 */
const installedProject = lazy(() => {
  const repo = createNpmProject({
    install: true,
    files: { "scripts/poke.js": POKE, "scripts/swap.js": SWAP, ".gitignore": "node_modules/\nnode_modules-moved/\n" },
    scripts: { poke: "node scripts/poke.js", swap: "node scripts/swap.js" },
  });
  projects.push(repo);
  return repo;
});
const projects: string[] = [];
afterAll(() => {
  for (const repo of projects) removeDir(repo);
});

/** The output the model got from its execute_bash calls, in order. */
function commandOutputs(outDir: string, taskId: string): string[] {
  return readEvents(outDir, taskId).filter((event) => event.type === "tool_result" && event.name === "execute_bash").map((event) => String(event.output));
}

describe.skipIf(!bwrap)("an npm project with its dependencies installed", () => {
  let model: FakeOpenAI;
  let repo: string;
  let scratch: string;
  let before: Record<string, string>;
  let run: CliResult;

  beforeAll(async () => {
    model = await startFakeOpenAI([
      {
        match: "Review hello",
        turns: [
          { tool_calls: [{ name: "write_file", arguments: { path: "src/hello.js", content: 'import { greet } from "greet";\n// Reviewed.\nexport const hello = () => greet("world");\n' } }] },
          { tool_calls: [{ name: "execute_bash", arguments: { command: "npm run poke" } }] },
          { tool_calls: [{ name: "execute_bash", arguments: { command: "npm test" } }] },
          { content: "Done." },
        ],
      },
      {
        match: "Look again",
        turns: [
          { tool_calls: [{ name: "execute_bash", arguments: { command: "ls node_modules" } }] },
          { content: "Seen." },
        ],
      },
      {
        match: "Look around",
        turns: [
          { tool_calls: [{ name: "execute_bash", arguments: { command: "ls -a node_modules node_modules/.cache" } }] },
          { tool_calls: [{ name: "execute_bash", arguments: { command: "npm run swap" } }] },
          { content: "Seen." },
        ],
      },
    ]);
    repo = await installedProject();
    scratch = scratchDir("nanocoder-e2e-deps-");
    writeFileSync(join(scratch, "policy.yaml"), POLICY);
    writeFiles(repo, {
      "tasks/review.yaml": "id: review\nprompt: Review hello.\nchecks: [npm test]\n",
      "tasks/look.yaml": "id: look\nprompt: Look around.\nexpect: none\n",
      "tasks/again.yaml": "id: again\nprompt: Look again.\nchecks: [npm test]\nexpect: none\n",
    });
    before = snapshotTree(join(repo, "node_modules"));
    run = await runCli(
      ["batch", "tasks/review.yaml", "tasks/look.yaml", "tasks/again.yaml", "--base-url", model.url, "--model", "scripted", "--policy", join(scratch, "policy.yaml"), "--out", join(scratch, "out"), "--concurrency", "1"],
      { cwd: repo },
    );
  });

  afterAll(async () => {
    await model.close();
  });

  it("passes its check `npm test`, whose runner and dependency come from node_modules, with the network off", () => {
    expect(run.stdout + run.stderr).toContain("3/3 succeeded");
    expect(run.code).toBe(0);
    const summary = readSummary(join(scratch, "out"));
    expect(summary.sandbox).toMatchObject({ active: true, network: false });
    expect(summary.tasks.find((task) => task.id === "review")?.checks).toEqual([expect.objectContaining({ name: "npm test", passed: true })]);
    expect(commandOutputs(join(scratch, "out"), "review")[1]).toContain("ok hello.test.js");
  });

  it("keeps the installed packages read-only, and lets caches and new entries land in the worktree only", () => {
    const poked = commandOutputs(join(scratch, "out"), "review")[0];
    expect(poked).toContain("package: EROFS");
    expect(poked).toContain("bin: EROFS");
    expect(poked).toContain("cache: written");
    expect(poked).toContain("planted: written");
  });

  it("leaves the user's node_modules byte-identical, even after a command swapped the worktree's folder for a link to it", () => {
    expect(commandOutputs(join(scratch, "out"), "look")[1]).toContain("swapped");
    expect(snapshotTree(join(repo, "node_modules"))).toEqual(before);
  });

  it("links the folder anew for the task after the swap", () => {
    expect(commandOutputs(join(scratch, "out"), "again")[0]).toMatch(/greet\nmini-test/);
    expect(readSummary(join(scratch, "out")).tasks.find((task) => task.id === "again")?.checks[0]?.passed).toBe(true);
  });

  it("puts only the task's own change in the patch, no link and no cache", () => {
    const patch = readFileSync(join(scratch, "out", "tasks", "review", "patch.diff"), "utf8");
    expect(patch).toContain("+// Reviewed.");
    expect(patch).not.toContain("node_modules");
    expect(readSummary(join(scratch, "out")).tasks.find((task) => task.id === "review")?.files_changed).toEqual(["src/hello.js"]);
  });

  it("gives the next task on the same worktree the shared folder again, without what the last task wrote", () => {
    const listing = commandOutputs(join(scratch, "out"), "look")[0] ?? "";
    expect(listing).toContain("greet");
    expect(listing).toContain("mini-test");
    expect(listing).not.toContain("planted");
    // The cache folder is there, empty: what the last task cached there is gone.
    expect(listing).toMatch(/node_modules\/\.cache:\n\.\n\.\.(\n|$)/);
    expect(listing).not.toContain("poke");
  });
});

describe.skipIf(!bwrap || !python3)("a Python project with a .venv made by the python3 on PATH", () => {
  let model: FakeOpenAI;
  let repo: string;
  let scratch: string;
  let run: CliResult;
  let interpreterHome: string;

  beforeAll(async () => {
    model = await startFakeOpenAI([{
      match: "Check the greeting",
      turns: [
        { tool_calls: [{ name: "execute_bash", arguments: { command: "python show.py" } }] },
        { content: "Fine." },
      ],
    }]);
    repo = createRepo({
      ".gitignore": ".venv/\n__pycache__/\n",
      "app.py": "from greetpy import PHRASE\n\ndef hello():\n    return PHRASE + ', world'\n",
      "test_app.py": "import unittest\nimport app\n\nclass AppTest(unittest.TestCase):\n    def test_hello(self):\n        self.assertEqual(app.hello(), 'Hello, world')\n",
      "show.py": "import greetpy, sys\nprint(greetpy.PHRASE, sys.prefix)\n",
      "tasks/check.yaml": "id: check\nprompt: Check the greeting.\nchecks: [python -m unittest -v, greet-check]\nexpect: none\n",
    });
    execFileSync("python3", ["-m", "venv", "--without-pip", ".venv"], { cwd: repo });
    const sitePackages = readdirSync(join(repo, ".venv", "lib")).map((version) => join(repo, ".venv", "lib", version, "site-packages"))[0] ?? "";
    mkdirSync(join(sitePackages, "greetpy"));
    writeFileSync(join(sitePackages, "greetpy", "__init__.py"), "PHRASE = 'Hello'\n");
    // A console script as pip writes them: its interpreter named by absolute path.
    writeFileSync(join(repo, ".venv", "bin", "greet-check"), `#!${join(repo, ".venv", "bin", "python")}\nimport greetpy\nprint('greet-check', greetpy.PHRASE)\n`, { mode: 0o755 });
    interpreterHome = /^home = (.+)$/m.exec(readFileSync(join(repo, ".venv", "pyvenv.cfg"), "utf8"))?.[1] ?? "";
    scratch = scratchDir("nanocoder-e2e-venv-");
    writeFileSync(join(scratch, "policy.yaml"), "version: 1\nfiles:\n  read: {allow: ['**']}\ncommands:\n  allow: ['python show.py']\n");
    run = await runCli(["batch", "tasks/check.yaml", "--base-url", model.url, "--model", "scripted", "--policy", join(scratch, "policy.yaml"), "--out", join(scratch, "out")], { cwd: repo });
  });

  afterAll(async () => {
    await model.close();
    removeDir(repo);
  });

  it("was made from an interpreter outside the system folders (here pyenv's, under the home folder)", () => {
    expect(interpreterHome).not.toMatch(/^\/usr\//);
  });

  it("passes `python -m unittest` and the venv's own console script in the sandbox, importing the package installed in the .venv", () => {
    expect(run.stdout + run.stderr).toContain("1/1 succeeded");
    const checks = readSummary(join(scratch, "out")).tasks[0]?.checks ?? [];
    expect(checks.map((check) => [check.name, check.passed])).toEqual([["python -m unittest -v", true], ["greet-check", true]]);
    expect(readSummary(join(scratch, "out")).sandbox).toMatchObject({ active: true, network: false });
  });

  it("runs commands with the virtualenv activated", () => {
    expect(commandOutputs(join(scratch, "out"), "check")[0]).toContain(`Hello ${join(repo, ".venv")}`);
  });
});

describe("saying what is missing", () => {
  let bare: string;
  /** validate and doctor start no task: their runs go through one process that loads the command line once. */
  const cli = lazyCliSteps();

  beforeAll(() => {
    bare = createNpmProject({ install: false, files: { "tasks/t.yaml": "id: t\nprompt: Fix it.\nchecks: [npm test]\n", "tasks/plain.yaml": "id: plain\nprompt: Look.\n" } });
  });

  afterAll(async () => {
    removeDir(bare);
    await cli.close();
  });

  const fix = "run `npm ci` before nanocoder, or add a setup step to .nanocoder/policy.yaml: `setup: {run: [\"npm ci\"], network: [registry.npmjs.org]}` (docs/environment.md)";

  it("validate warns when a task has checks and the lockfile's install is missing, with both fixes", async () => {
    const result = await cli.run(["validate", "tasks/t.yaml", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"], { cwd: bare });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`warning: task t has checks, and the repository has package-lock.json but no node_modules, so commands and checks will not find its dependencies; ${fix}`);
  });

  it("validate warns of a setup step without any network, and not of one given the registry", async () => {
    const scratch = scratchDir("nanocoder-e2e-setup-policy-");
    // Policies a task can write under (else validate would say that no file can be written, rightly).
    writeFileSync(join(scratch, "offline.yaml"), "version: 1\nfiles: {write: {allow: ['**']}}\nsetup: {run: [npm ci]}\n");
    writeFileSync(join(scratch, "registry.yaml"), "version: 1\nfiles: {write: {allow: ['**']}}\nsetup: {run: [npm ci], network: [registry.npmjs.org]}\n");
    const common = ["validate", "tasks/t.yaml", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--policy"];
    const offline = await cli.run([...common, join(scratch, "offline.yaml")], { cwd: bare });
    expect(offline.stderr).toContain("setup runs without network (neither setup.network nor sandbox.network gives it any), so an install that downloads fails");
    expect(offline.stderr).not.toContain("but no node_modules");
    const registry = await cli.run([...common, join(scratch, "registry.yaml")], { cwd: bare });
    expect(registry.stderr).not.toContain("warning");
  });

  it("validate says nothing for tasks without checks", async () => {
    const result = await cli.run(["validate", "tasks/plain.yaml", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"], { cwd: bare });
    expect(result.stderr).not.toContain("node_modules");
  });

  it("doctor lists what tasks will see, or warns with the fix", async () => {
    const missing = await cli.run(["doctor", "--base-url", "http://127.0.0.1:9/v1"], { cwd: bare });
    expect(missing.stdout).toContain("warn  dependencies: the repository has package-lock.json but no node_modules, so commands and checks will not find its dependencies\n      fix: run `npm ci` before nanocoder");
    const present = await cli.run(["doctor", "--base-url", "http://127.0.0.1:9/v1"], { cwd: await installedProject() });
    expect(present.stdout).toContain("ok    dependencies: tasks see node_modules (read-only, from the repository)");
  });
});
