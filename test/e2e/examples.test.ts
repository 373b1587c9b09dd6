import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { removeDir } from "../helpers/repo.ts";

const demo = fileURLToPath(new URL("../../fixtures/demo/run-demo.ts", import.meta.url));
let project = "";

afterAll(() => project && removeDir(project));

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [demo], { env: { PATH: process.env.PATH ?? "", CI: "true" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

it("the example tasks in tasks/ replay from the demo cassettes", async () => {
  const result = await runDemo();
  project = /demo project: (.+)/.exec(result.stderr)?.[1] ?? "";
  expect(result.code).toBe(0);
  const runs = join(project, ".nanocoder/runs");
  const [runId] = readdirSync(runs).filter((name) => name !== ".gitignore");
  const summary = JSON.parse(readFileSync(join(runs, runId ?? "", "summary.json"), "utf8")) as RunSummary;
  expect(summary.tasks.map((task) => [task.id, task.status, task.files_changed])).toEqual([
    ["add-jsdoc", "succeeded", ["src/math.js"]],
    ["chores", "succeeded", ["CHANGELOG.md"]],
    ["check-tests", "succeeded", []],
    ["fix-capitalize", "succeeded", ["src/strings.js"]],
    ["nightly-jsdoc.src-math-js", "succeeded", ["src/math.js"]],
    ["nightly-jsdoc.src-strings-js", "succeeded", ["src/strings.js"]],
  ]);
  // The nightly example's for_each gave each file its own task, and its check ran on that file.
  expect(summary.tasks.find((task) => task.id === "nightly-jsdoc.src-strings-js")?.checks).toEqual([expect.objectContaining({ name: "node --check src/strings.js", passed: true })]);
  // The demo project's policy lets the test run happen for real.
  const checkTests = readFileSync(join(runs, runId ?? "", "tasks/check-tests/events.jsonl"), "utf8");
  expect(checkTests).toMatch(/"type":"tool_result","id":"[^"]+","name":"execute_bash","status":"ok","output":"exit code: 1[^"]*> node --test/);
  const fix = readFileSync(join(runs, runId ?? "", "tasks/fix-capitalize/patch.diff"), "utf8");
  expect(fix).toContain("+  return text.charAt(0).toUpperCase() + text.slice(1);");
  expect(summary.tasks.find((task) => task.id === "fix-capitalize")?.checks).toEqual([expect.objectContaining({ name: "node --test", passed: true })]);
  // The check ran the demo's dependency, installed from its tarball and shared with the worktree.
  const checkLog = readFileSync(join(runs, runId ?? "", "tasks/fix-capitalize/checks/1-node-test.log"), "utf8");
  expect(checkLog).toContain("ok 3 - toIdentifier makes a camelCase name (with the camelcase package)");
  expect(summary.environment).toEqual({ dependencies: ["node_modules"], setup: [] });
});
