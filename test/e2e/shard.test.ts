import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startCliSteps, type CliSteps } from "../helpers/cli-steps.ts";
import { expectValidRunFolder } from "../helpers/run-folder.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";

const IDS = ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"];

let server: FakeOpenAI;
let repo: string;
let out: string;
let merged: CliResult;
/** The merges (no task runs) and the refused flag, in one process that loads the command line once (cli-steps.ts). */
let steps: CliSteps;

const read = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
const batchArgs = (dir: string, extra: string[]) => ["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--out", join(out, dir), ...extra];
const batch = (dir: string, ...extra: string[]) => runCli(batchArgs(dir, extra), { cwd: repo });
const merge = (...args: string[]) => steps.run(["report", "merge", ...args], { cwd: repo });

beforeAll(async () => {
  server = await startFakeOpenAI(
    IDS.map((id) => ({
      match: `Task ${id}.`,
      turns: [{ tool_calls: [{ name: "write_file", arguments: { path: `${id}.txt`, content: `${id}\n` } }] }, { content: "done" }],
    })),
  );
  repo = createRepo(Object.fromEntries(IDS.map((id) => [`tasks/${id}.yaml`, `prompt: Task ${id}.\n`])));
  out = mkdtempSync(join(tmpdir(), "nanocoder-test-shards-"));
  steps = startCliSteps();
  await Promise.all([batch("whole"), ...[1, 2, 3, 4].map((i) => batch(`shard-${i}`, "--shard", `${i}/4`))]);
  merged = await merge(...[1, 2, 3, 4].map((i) => join(out, `shard-${i}`)), "--out", join(out, "merged"));
});

afterAll(async () => {
  await steps.close();
  await server.close();
  removeDir(repo);
  removeDir(out);
});

describe("--shard and report merge", () => {
  it("splits the tasks into disjoint shards that cover them all", () => {
    const shards = [1, 2, 3, 4].map((i) => read(join(out, `shard-${i}`)).tasks.map((task) => task.id));
    expect(shards.flat().sort()).toEqual([...IDS].sort());
    expect(new Set(shards.flat()).size).toBe(IDS.length);
    expect(read(join(out, "shard-1")).planned_tasks).toEqual(IDS);
  });

  it("merges four shards into the same task set and totals as one run", () => {
    expect(merged.code).toBe(0);
    const whole = read(join(out, "whole"));
    const summary = read(join(out, "merged"));
    expect(summary.tasks.map((task) => task.id)).toEqual(whole.tasks.map((task) => task.id));
    const { tokens: _a, ...wholeTotals } = whole.totals;
    const { tokens: _b, ...mergedTotals } = summary.totals;
    expect(mergedTotals).toEqual(wholeTotals);
    expect(readdirSync(join(out, "merged", "tasks")).sort()).toEqual([...IDS].sort());
    expect(readFileSync(join(out, "merged", "tasks", "t3", "patch.diff"), "utf8")).toContain("+t3");
    expect(readFileSync(join(out, "merged", "junit.xml"), "utf8")).toContain('tests="8" failures="0" errors="0"');
    expect(readFileSync(join(out, "merged", "cost.csv"), "utf8").trim().split("\r\n")).toHaveLength(9);
    expect(expectValidRunFolder(join(out, "merged"))).toBeGreaterThan(IDS.length * 2);
  });

  it("lists the tasks no shard ran, and refuses a task id found twice", async () => {
    const partial = await merge(join(out, "shard-1"), join(out, "shard-2"), "--out", join(out, "partial"));
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain("missing from every run folder:");
    const missing = (read(join(out, "partial")) as RunSummary & { missing_tasks: string[] }).missing_tasks;
    expect(missing.length).toBeGreaterThan(0);
    expect(readFileSync(join(out, "partial", "report.md"), "utf8")).toContain("## Missing tasks");
    const twice = await merge(join(out, "shard-1"), join(out, "whole"), "--out", join(out, "bad"));
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/task "t\d" is in both/);
  });

  it("refuses a malformed --shard", async () => {
    const result = await steps.run(batchArgs("never", ["--shard", "5/4"]), { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--shard: expected i/n");
  });
});

it("leaves the user's working tree, index, branches and stashes as they were", () => {
  const { now, created } = changedSinceCreated(repo);
  expect(now).toEqual(created);
});
