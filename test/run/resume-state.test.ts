import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TaskStatus } from "../../src/agent/outcome.ts";
import type { TaskResult } from "../../src/report/types.ts";
import { changedSinceRun, readRunFolder, taskDigest, tasksToResume, type ResumeState } from "../../src/run/manifest.ts";
import { taskFromPrompt } from "../../src/task/load.ts";
import { otherModelsSinceRun } from "../../src/run/plan.ts";
import type { PlannedTask } from "../../src/run/task.ts";
import { resumeHint } from "../../src/cli/execute.ts";
import { removeDir } from "../helpers/repo.ts";

const dir = mkdtempSync(join(tmpdir(), "nanocoder-resume-state-"));
afterAll(() => removeDir(dir));

/** Each task: how it ended, and whether it started (a task refused a start by the budget or the breaker did not). */
const TASKS: [string, TaskStatus, boolean][] = [
  ["ok", "succeeded", true],
  ["check-failed", "failed", true],
  ["too-long", "limit_exceeded", true],
  ["provider-down", "error", true],
  ["stopped", "interrupted", true],
  ["over-budget", "limit_exceeded", false],
];

/** A whole result.json, as a run writes it: --resume keeps only results that read back as one. */
function resultOf(id: string, status: TaskStatus): TaskResult {
  const stop_reason = ({ succeeded: "completed", failed: "checks_failed", limit_exceeded: "max_turns", error: "provider_error", interrupted: "interrupted" } as const)[status];
  return {
    id, status, stop_reason, expect: "changes", provider: "p", model: "m", turns: 1, requests: 1, tokens: { input: 1, output: 1, cached: 0, estimated: false },
    cost_usd: 0, duration_ms: 1, denials: 0, denied_calls: [], attempts: 1, checks: [], files_changed: [], patch: `tasks/${id}/patch.diff`,
  };
}

const lines = [{ type: "run_start", run_id: "r1", base: "abc", tasks: TASKS.map(([id]) => id), ts: "2026-01-01T00:00:00.000Z" }];
for (const [id, status, started] of TASKS) {
  if (started) lines.push({ type: "task_start", id } as never);
  lines.push({ type: "task_end", id, status } as never);
  mkdirSync(join(dir, "tasks", id), { recursive: true });
  writeFileSync(join(dir, "tasks", id, "result.json"), JSON.stringify(resultOf(id, status)));
}
writeFileSync(join(dir, "manifest.jsonl"), lines.map((line) => JSON.stringify(line)).join("\n"));

describe("what --resume keeps", () => {
  it("keeps the tasks that ran to an end of their own; runs error, interrupted and never-started tasks again", async () => {
    const state = await readRunFolder(dir, "run");
    expect([...state.finished.keys()]).toEqual(["ok", "check-failed", "too-long"]);
  });

  it("names the kept tasks whose definition changed since the run began, not those it runs again or source moves", async () => {
    const task = (id: string, prompt: string, line = 1) => {
      const made = taskFromPrompt(prompt);
      return { ...made, id, source: { ...made.source, line } };
    };
    const digests = Object.fromEntries([task("ok", "Do A"), task("check-failed", "Do B"), task("provider-down", "Do C")].map((each) => [each.id, taskDigest(each)]));
    const withDigests = mkdtempSync(join(tmpdir(), "nanocoder-resume-digests-"));
    try {
      writeFileSync(join(withDigests, "manifest.jsonl"), `${JSON.stringify({ ...lines[0], digests })}\n`);
      expect((await readRunFolder(withDigests, "d")).digests).toEqual(digests);
    } finally {
      removeDir(withDigests);
    }
    const state = { ...(await readRunFolder(dir, "run")), digests };
    // ok moved in its file (same definition); check-failed was edited (kept: named); provider-down was edited too, but runs again.
    const now = [task("ok", "Do A", 9), task("check-failed", "Do B better"), task("provider-down", "Do C better")];
    expect(changedSinceRun(state, now)).toEqual([
      'warning: --resume keeps the results of 1 task(s) whose definition changed since the run began: "check-failed"; they ran with the earlier text. To run them with the new one, start a new run of them (--only check-failed), or --retry-failed if they failed',
    ]);
    expect(changedSinceRun({ ...state, digests: undefined }, now)).toEqual([]);
  });

  it("names another model for the tasks run again than the kept ones ran with", async () => {
    const state = await readRunFolder(dir, "run");
    const planned = (id: string, model: string) => ({ task: { ...taskFromPrompt("x"), id }, provider: { name: "p" } as PlannedTask["provider"], model });
    expect(otherModelsSinceRun(state, [planned("ok", "m"), planned("provider-down", "m"), planned("stopped", "m")])).toEqual([]);
    expect(otherModelsSinceRun(state, [planned("ok", "m"), planned("provider-down", "bigger"), planned("stopped", "m")])).toEqual([
      "warning: --resume runs the tasks left with p/bigger, but the kept ones ran with p/m: one report will hold both; give the run's own --model/--provider to keep them alike",
    ]);
  });

  it("runs a task again whose result.json is not a whole result", async () => {
    const partial = mkdtempSync(join(tmpdir(), "nanocoder-resume-partial-"));
    try {
      writeFileSync(join(partial, "manifest.jsonl"), [lines[0], { type: "task_start", id: "ok" }, { type: "task_end", id: "ok", status: "succeeded" }].map((line) => JSON.stringify(line)).join("\n"));
      mkdirSync(join(partial, "tasks", "ok"), { recursive: true });
      writeFileSync(join(partial, "tasks", "ok", "result.json"), JSON.stringify({ id: "ok", status: "succeeded" }));
      expect([...(await readRunFolder(partial, "partial")).finished.keys()]).toEqual([]);
    } finally {
      removeDir(partial);
    }
  });

  it("runs every task again of a run that crashed right after it started: its manifest's first line alone", async () => {
    const crashed = mkdtempSync(join(tmpdir(), "nanocoder-resume-crashed-"));
    try {
      writeFileSync(join(crashed, "manifest.jsonl"), `${JSON.stringify({ type: "run_start", run_id: "dead", base: "abc", tasks: ["a", "b"], ts: "2020-01-01T00:00:00.000Z" })}\n`);
      const state = await readRunFolder(crashed, "crashed");
      expect(state).toMatchObject({ runId: "dead", base: "abc", tasks: ["a", "b"] });
      expect([...state.finished.keys()]).toEqual([]);
      expect([...tasksToResume(state, ["a", "b"], "crashed")]).toEqual(["a", "b"]);
    } finally {
      removeDir(crashed);
    }
  });

  it("refuses a manifest line of another shape, naming the file and line", async () => {
    const other = mkdtempSync(join(tmpdir(), "nanocoder-resume-other-"));
    try {
      writeFileSync(join(other, "manifest.jsonl"), [lines[0], { type: "task_end", id: "ok", status: "done" }].map((line) => JSON.stringify(line)).join("\n"));
      await expect(readRunFolder(other, "other")).rejects.toThrow(/^other\/manifest\.jsonl:2: not a manifest record: status: /);
    } finally {
      removeDir(other);
    }
  });

  it("with --retry-failed, keeps only the succeeded ones", async () => {
    const state = await readRunFolder(dir, "run", { retryFailed: true });
    expect([...state.finished.keys()]).toEqual(["ok"]);
  });

  it("counts the time the earlier runs were at work, not the wait between them", async () => {
    const folder = join(dir, "two-runs");
    mkdirSync(folder, { recursive: true });
    const manifest = [
      { type: "run_start", run_id: "r2", base: "abc", tasks: ["a"], ts: "2026-01-01T00:00:00.000Z" },
      { type: "task_start", id: "a", ts: "2026-01-01T00:00:01.000Z" },
      { type: "run_end", interrupted: true, ts: "2026-01-01T00:00:05.000Z" },
      // A day later, resumed, and interrupted again.
      { type: "run_resume", run_id: "r2", rerun: ["a"], ts: "2026-01-02T00:00:00.000Z" },
      { type: "task_start", id: "a", ts: "2026-01-02T00:00:02.000Z" },
    ];
    writeFileSync(join(folder, "manifest.jsonl"), manifest.map((line) => JSON.stringify(line)).join("\n"));
    const state = await readRunFolder(folder, "run");
    expect(state.activeMs).toBe(7_000);
    expect(state.startedAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });
});

describe("which tasks a resumed run goes on with", () => {
  const state = (tasks: string[]): ResumeState => ({ runId: "r", base: "b", startedAt: new Date(0), activeMs: 0, tasks, finished: new Map() });
  const ids = Array.from({ length: 30 }, (_, index) => `jsdoc.f${index}`);

  it("takes the run's own tasks out of more given now: the selection (--limit, --only, --label, --changed) applied again", () => {
    expect([...tasksToResume(state(ids.slice(0, 3)), ids, "out")]).toEqual(["jsdoc.f0", "jsdoc.f1", "jsdoc.f2"]);
  });

  it("refuses when a task of the run is not given now, naming a few ids of thousands", () => {
    expect(() => tasksToResume(state(ids), ["jsdoc.f0", "other"], "out")).toThrow(
      '--resume out: the tasks differ from the run\'s (not given now: "jsdoc.f1", "jsdoc.f2", "jsdoc.f3", "jsdoc.f4", "jsdoc.f5" and 24 more; not in the run: "other"); give the task files the run was given, or start a new run without --resume',
    );
  });

  it("says to give --resume in place of --out and --base, which a resumed run refuses", () => {
    expect(resumeHint("runs/x", { out: "runs/x", base: "main" })).toBe("--resume runs/x in place of --out runs/x and --base main");
    expect(resumeHint("runs/x", { resume: "runs/x" })).toBe("--resume runs/x");
    expect(resumeHint(".nanocoder/runs/1", {})).toBe("--resume .nanocoder/runs/1");
  });
});
