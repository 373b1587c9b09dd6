import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

const DEPLOY_TOKEN = "dt-apply-secret-0123456789";

let server: FakeOpenAI;
let repo: string;
/** The runs on `repo`: one with a local edit that conflicts with task b's patch, then one on a clean tree. */
let conflict: CliResult;
let statusAfterConflict: string;
let clean: CliResult;

beforeAll(async () => {
  const edit = (path: string, content: string) => ({ tool_calls: [{ name: "write_file", arguments: { path, content } }] });
  server = await startFakeOpenAI([
    { match: "Add notes", turns: [edit("notes.txt", "notes\n"), { content: "done" }] },
    { match: "Rewrite readme", turns: [edit("README.md", "new readme\n"), { content: "done" }] },
    { match: "Number the readme", turns: [edit("README.md", "1. readme\n"), { content: "done" }] },
    { match: "Shout the readme", turns: [edit("README.md", "README\n"), { content: "done" }] },
    { match: "Write the key", turns: [edit("key.txt", `key=${DEPLOY_TOKEN}\n`), { content: "done" }] },
    { match: "Write into m", turns: [edit("m/f.txt", "f\n"), { content: "done" }] },
  ]);
  // Task c writes a secret's value: the clean run, which applies every patch, also shows what --apply says of it.
  repo = createRepo({ "README.md": "readme\n", "tasks/a.yaml": "prompt: Add notes.\n", "tasks/b.yaml": "prompt: Rewrite readme.\n", "tasks/c.yaml": "prompt: Write the key.\n" });
  writeFileSync(join(repo, "README.md"), "my local edit\n");
  conflict = await batch();
  statusAfterConflict = git(repo, "status", "--porcelain");
  git(repo, "checkout", "README.md");
  clean = await batch();
}, 60_000);

afterAll(async () => {
  await server.close();
  removeDir(repo);
});

const batch = () => runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--apply"], { cwd: repo, env: { DEPLOY_TOKEN } });

it("--apply applies nothing and names the task when one patch conflicts (exit 1: the tasks ran), and everything otherwise", () => {
  expect(conflict.code).toBe(1);
  expect(conflict.stderr).toContain("the patch of b does not apply");
  expect(statusAfterConflict).toBe(" M README.md\n");

  expect(clean.code).toBe(0);
  expect(clean.stderr).toContain("applied the patches of a, b, c");
  expect(readFileSync(join(repo, "README.md"), "utf8")).toBe("new readme\n");
  expect(readFileSync(join(repo, "notes.txt"), "utf8")).toBe("notes\n");
});

it("--apply applies nothing when a patch conflicts with the patch of a task before it", async () => {
  // Each patch applies to the tree alone; only in series does the second conflict with the first.
  const sameArea = createRepo({ "README.md": "readme\n", "tasks/1.yaml": "prompt: Add notes.\n", "tasks/2.yaml": "prompt: Number the readme.\n", "tasks/3.yaml": "prompt: Shout the readme.\n" });
  try {
    const run = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--apply", "--json"], { cwd: sameArea });
    // --json: stdout is the summary alone, one document, saying that nothing was applied and why; stderr says it too.
    const printed = JSON.parse(run.stdout) as RunSummary;
    expect(printed.totals).toMatchObject({ tasks: 3, succeeded: 3 });
    expect(printed.apply).toEqual({ applied: [], error: expect.stringContaining("the patch of 3 does not apply to the working tree after the tasks before it; nothing was applied") });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the patch of 3 does not apply to the working tree after the tasks before it; nothing was applied");
    expect(git(sameArea, "status", "--porcelain")).toBe("");
    expect(readFileSync(join(sameArea, "README.md"), "utf8")).toBe("readme\n");
  } finally {
    removeDir(sameArea);
  }
});

it("--apply that git refuses for another reason than a conflict still prints the summary, with why nothing was applied", async () => {
  // The user's tree holds a link where the patch writes a folder: git refuses to write beyond it.
  const linked = createRepo({ "README.md": "readme\n", "tasks/m.yaml": "prompt: Write into m.\n" });
  const elsewhere = mkdtempSync(join(tmpdir(), "nanocoder-test-elsewhere-"));
  try {
    writeFileSync(join(elsewhere, "f.txt"), "mine\n");
    symlinkSync(elsewhere, join(linked, "m"));
    const run = await runCli(["batch", "tasks/m.yaml", "--base-url", server.url, "--model", "scripted", "--apply", "--json"], { cwd: linked });
    const printed = JSON.parse(run.stdout) as RunSummary;
    expect(printed.totals).toMatchObject({ tasks: 1, succeeded: 1 });
    expect(printed.apply).toEqual({ applied: [], error: expect.stringMatching(/^--apply: .*beyond a symbolic link.*; nothing was applied$/s) });
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(run.code).toBe(1);
    expect(readdirSync(elsewhere)).toEqual(["f.txt"]);
    expect(readFileSync(join(elsewhere, "f.txt"), "utf8")).toBe("mine\n");
  } finally {
    removeDir(linked);
    removeDir(elsewhere);
  }
});

it("--apply says when a patch it applied holds [REDACTED] where the model wrote a secret's value", () => {
  expect(clean.code).toBe(0);
  expect(readFileSync(join(repo, "key.txt"), "utf8")).toBe("key=[REDACTED]\n");
  expect(clean.stderr).toContain("warning: the patches of c wrote [REDACTED] where the model had written a secret's value");
});
