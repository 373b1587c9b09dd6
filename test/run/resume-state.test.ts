import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TaskStatus } from "../../src/agent/events.ts";
import { readRunFolder } from "../../src/run/manifest.ts";
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

const lines = [{ type: "run_start", run_id: "r1", base: "abc", tasks: TASKS.map(([id]) => id), ts: "2026-01-01T00:00:00.000Z" }];
for (const [id, status, started] of TASKS) {
  if (started) lines.push({ type: "task_start", id } as never);
  lines.push({ type: "task_end", id, status } as never);
  mkdirSync(join(dir, "tasks", id), { recursive: true });
  writeFileSync(join(dir, "tasks", id, "result.json"), JSON.stringify({ id, status }));
}
writeFileSync(join(dir, "manifest.jsonl"), lines.map((line) => JSON.stringify(line)).join("\n"));

describe("what --resume keeps", () => {
  it("keeps the tasks that ran to an end of their own; runs error, interrupted and never-started tasks again", async () => {
    const state = await readRunFolder(dir, "run");
    expect([...state.finished.keys()]).toEqual(["ok", "check-failed", "too-long"]);
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
