import { describe, expect, it } from "vitest";
import type { CreateProvider } from "../../src/provider/factory.ts";
import { ProviderError, type ProviderConfig } from "../../src/provider/types.ts";
import type { TaskResult } from "../../src/report/types.ts";
import { createProviderBreaker, PROVIDER_FAILURE_LIMIT } from "../../src/run/breaker.ts";

const local: ProviderConfig = { name: "local", baseUrl: "http://127.0.0.1:11434/v1", models: [] };
const other: ProviderConfig = { name: "cloud", baseUrl: "https://api.example.com/v1", models: [] };
const signal = new AbortController().signal;

/** A provider whose requests answer or fail as the task's script says. */
const scripted = (answers: Record<string, (Error | "answer")[]>): CreateProvider => (config, model, hooks = {}) => {
  const script = [...(answers[hooks.taskId ?? ""] ?? [])];
  return {
    name: config.name,
    model,
    complete: async () => {
      const next = script.shift();
      if (next instanceof Error) throw next;
      return { content: "ok", toolCalls: [], finishReason: "stop", usage: { input: 1, output: 1, cached: 0, estimated: false } };
    },
  };
};

const down = () => new ProviderError("503 Service Unavailable from http://127.0.0.1:11434/v1: overloaded (gave up after 6 attempts)", 503);
const refused = () => new ProviderError("400 Bad Request from http://127.0.0.1:11434/v1: prompt too long", 400);
const result = (id: string, status: TaskResult["status"]) => ({ id, status }) as TaskResult;

/** Sends each task's scripted requests through the watched provider (up to the first that fails), then ends it with `status`. */
async function run(
  breaker: ReturnType<typeof createProviderBreaker>, answers: Record<string, (Error | "answer")[]>, tasks: [string, TaskResult["status"], ProviderConfig?][],
) {
  const watched = breaker.watch(scripted(answers));
  const tripped = [];
  for (const [id, status, config = local] of tasks) {
    const provider = watched(config, "m", { taskId: id });
    for (const _ of answers[id] ?? []) {
      const failed = await provider.complete({ messages: [], signal }).then(() => false, () => true);
      if (failed) break;
    }
    tripped.push(breaker.taskEnded(config, result(id, status)));
  }
  return tripped;
}

describe("the provider breaker", () => {
  it("trips on the third task in a row that ended on a provider outage, and refuses that provider's tasks", async () => {
    expect(PROVIDER_FAILURE_LIMIT).toBe(3);
    const breaker = createProviderBreaker();
    const tripped = await run(breaker, { a: [down()], b: ["answer", down()], c: [down()] }, [["a", "error"], ["b", "error"], ["c", "error"]]);
    expect(tripped.map((down) => down?.provider)).toEqual([undefined, undefined, "local"]);
    expect(breaker.refuses(local)).toBe(
      'provider "local" (http://127.0.0.1:11434/v1) failed in 3 tasks in a row, the last: 503 Service Unavailable from http://127.0.0.1:11434/v1: overloaded (gave up after 6 attempts)',
    );
    expect(breaker.refuses(other)).toBeUndefined();
    expect(breaker.down()).toEqual([{ provider: "local", base_url: local.baseUrl, reason: expect.stringMatching(/^failed in 3 tasks in a row/) as string, not_started: 1 }]);
  });

  it("starts counting again after a task the provider answered to the end", async () => {
    const breaker = createProviderBreaker();
    await run(breaker, { a: [down()], b: [down()], c: ["answer"], d: [down()], e: [down()] }, [["a", "error"], ["b", "error"], ["c", "failed"], ["d", "error"], ["e", "error"]]);
    expect(breaker.down()).toEqual([]);
  });

  it("counts neither a request the server refused alone (400) nor a task that erred before asking (setup)", async () => {
    const breaker = createProviderBreaker();
    await run(breaker, { a: [down()], b: [refused()], c: [], d: [down()] }, [["a", "error"], ["b", "error"], ["c", "error"], ["d", "error"]]);
    expect(breaker.down()).toEqual([]);
  });

  it("counts each provider on its own", async () => {
    const breaker = createProviderBreaker();
    const answers: Record<string, (Error | "answer")[]> = { a: [down()], b: ["answer"], c: [down()], d: ["answer"], e: [down()] };
    await run(breaker, answers, [["a", "error"], ["b", "succeeded", other], ["c", "error"], ["d", "succeeded", other], ["e", "error"]]);
    expect(breaker.down().map((entry) => entry.provider)).toEqual(["local"]);
  });
});
