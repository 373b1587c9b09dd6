/**
 * 50 tasks against a server that fails often and in every way: 429 with Retry-After, 500, 503, dropped
 * connections, garbled chunks and hangs. Every task must end, once, and all but the one whose faults
 * outlast its retries must succeed.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { expectValidRunFolder, readEvents, type LoggedEvent } from "../helpers/run-folder.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { FLAKY_PROVIDER, flakyConversation, flakyTasks, HOPELESS, TASKS } from "../helpers/flaky-batch.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";

let server: FakeOpenAI;
let repo: string;
let out: string;
let run: CliResult;

beforeAll(async () => {
  server = await startFakeOpenAI(Array.from({ length: TASKS }, (_, i) => flakyConversation(i + 1)));
  // An idle timeout of 800 ms rather than the bench's 300: a CLI stalled 300 ms under load at the wrong moment
  // (task-7's request waiting for its 429, the hopeless task's last attempt) would end a request by the timeout
  // instead of by the fault these tests look for.
  const config = { providers: [{ ...FLAKY_PROVIDER, streamIdleTimeout: 800, baseUrl: server.url }] };
  repo = createRepo({ "README.md": "fault test\n", "tasks.yaml": flakyTasks(), "agents.config.json": JSON.stringify(config) });
  out = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  run = await runCli(["batch", "tasks.yaml", "--concurrency", "8", "--out", out], { cwd: repo });
}, 60_000);

afterAll(async () => {
  await server.close();
  removeDir(repo);
  removeDir(out);
});


const events = (id: string): LoggedEvent[] => readEvents(out, id);

describe("a batch against a flaky server", () => {
  it("writes the provider's retries and every other output as the published schemas describe them", () => {
    expect(expectValidRunFolder(out)).toBeGreaterThan(TASKS * 3);
    expect(readdirSync(join(out, "tasks")).some((id) => events(id).some((event) => event.type === "provider_retry"))).toBe(true);
  });

  it("ends every task once, and at least 98% of them succeed", () => {
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    const ids = summary.tasks.map((task) => task.id);
    expect(ids).toHaveLength(TASKS);
    expect(new Set(ids).size).toBe(TASKS);
    const succeeded = summary.tasks.filter((task) => task.status === "succeeded");
    expect(succeeded.length / TASKS).toBeGreaterThanOrEqual(0.98);
    for (const task of summary.tasks) {
      const result = JSON.parse(readFileSync(join(out, "tasks", task.id, "result.json"), "utf8")) as { id: string; status: string };
      expect(result).toMatchObject({ id: task.id, status: task.status });
    }
  });

  it("ends the task whose faults outlast its retries as error with the server's message; the others go on; exit code 1", () => {
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
    const hopeless = summary.tasks.find((task) => task.id === HOPELESS);
    expect(hopeless?.status).toBe("error");
    expect(hopeless?.error).toMatch(/^503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/v1: upstream overloaded \(gave up after 6 attempts\)$/);
    expect(summary.tasks.filter((task) => task.status !== "succeeded").map((task) => task.id)).toEqual([HOPELESS]);
    expect(run.code).toBe(1);
  });

  it("logs every retry, and runs a tool once even when its response was cut off after the call", () => {
    // task-2: the first response is dropped just before its finish chunk, after the whole tool call.
    const logged = events("task-2");
    expect(logged.filter((event) => event.type === "provider_retry")).toContainEqual(expect.objectContaining({ attempt: 1, status: null }));
    expect(logged.filter((event) => event.type === "tool_call")).toHaveLength(1);
    expect(readFileSync(join(out, "tasks", "task-2", "patch.diff"), "utf8")).toContain("+task 2");
    // task-7's first answer is a 429 asking for 2 s, waited as retryMaxDelay's 40 ms. On a loaded machine a slow
    // first answer may also be retried for idling past streamIdleTimeout, so the 429's retry is looked for among all.
    const retries = events("task-7").filter((event) => event.type === "provider_retry");
    expect(retries).toContainEqual(expect.objectContaining({ status: 429, delay_ms: 40 }));
  });
});

it("leaves the user's working tree, index, branches and stashes as they were", () => {
  const { now, created } = changedSinceCreated(repo);
  expect(now).toEqual(created);
});
