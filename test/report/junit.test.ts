import { describe, expect, it } from "vitest";
import { renderJunit } from "../../src/report/junit.ts";
import type { RunSummary, TaskResult } from "../../src/report/types.ts";
import { shardOf } from "../../src/run/shard.ts";

/** A stop reason of each status, for results whose reason does not matter. */
const REASON = { succeeded: "completed", failed: "checks_failed", limit_exceeded: "max_turns", error: "provider_error", interrupted: "interrupted" } as const;

const task = (id: string, status: TaskResult["status"], extra: Partial<TaskResult> = {}): TaskResult => ({
  id, status, stop_reason: REASON[status], expect: "changes", provider: "p", model: "m", turns: 1, requests: 1, tokens: { input: 1, output: 1, cached: 0, estimated: false },
  cost_usd: 0, duration_ms: 1500, denials: 0, denied_calls: [], attempts: 1, checks: [], files_changed: [], patch: `tasks/${id}/patch.diff`, ...extra,
});

const summary = (tasks: TaskResult[]) => ({ run_id: "r1", started_at: "2026-01-01T00:00:00.000Z", ended_at: "", duration_ms: 3000, base: "b", policy: "built-in", tasks }) as unknown as RunSummary;

describe("junit.xml", () => {
  it("counts failures and errors and escapes what the model wrote", () => {
    const xml = renderJunit(
      summary([
        task("ok", "succeeded", { files_changed: ["a.ts"] }),
        task("tests", "failed", { checks: [{ name: "npm test", passed: false, exit_code: 1, timed_out: false, duration_ms: 5, log: "tasks/tests/checks/1-npm-test.log" }] }),
        task("long", "limit_exceeded", { error: 'max_turns <30> & "more"' }),
        task("boom", "error", { error: "bad\u0000byte ]]> 'quote'" }),
      ]),
      ["lost"],
    );
    expect(xml).toContain('tests="5" failures="2" errors="2"');
    expect(xml).toContain('<testcase classname="nanocoder" name="ok" time="1.500"></testcase>');
    expect(xml).toContain('<failure message="check &quot;npm test&quot; failed with exit code 1" type="checks_failed">');
    expect(xml).toContain('message="max_turns &lt;30&gt; &amp; &quot;more&quot;" type="max_turns"');
    expect(xml).toContain('<error message="bad\ufffdbyte ]]&gt; &apos;quote&apos;" type="provider_error">');
    expect(xml).toContain("result: tasks/boom/result.json");
    expect(xml).toContain('<error message="not run by any shard" type="missing">');
    expect(xml).not.toContain("\u0000");
  });
});

describe("shardOf", () => {
  it("puts every id in exactly one shard, the same one every time", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `task-${i}`);
    const counts = [0, 0, 0, 0];
    for (const id of ids) {
      const shard = shardOf(id, 4);
      expect(shard).toBe(shardOf(id, 4));
      counts[shard - 1] = (counts[shard - 1] ?? 0) + 1;
    }
    expect(counts.reduce((a, b) => a + b)).toBe(200);
    expect(Math.min(...counts)).toBeGreaterThan(20);
  });
});
