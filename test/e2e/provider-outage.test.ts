/**
 * A provider that cannot be used: found by the check before the first task (a closed port, a server that
 * answers 401, a model the server does not serve), or going down in the middle of a run (the breaker);
 * then `--resume` against a working server runs exactly the tasks left.
 */
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { lazyCliSteps } from "../helpers/cli-steps.ts";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Turn } from "../helpers/fake-openai.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";

const TASKS = 20;

let repo: string;
let scratch: string;

beforeAll(() => {
  const files: Record<string, string> = {};
  for (let n = 1; n <= TASKS; n++) files[`tasks/t${String(n).padStart(2, "0")}.yaml`] = `id: t${String(n).padStart(2, "0")}\nprompt: Task number ${n}.\nexpect: none\n`;
  repo = createRepo(files);
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-outage-"));
});

/** The batches the provider check stops start no task: they go through one process that loads the command line once. */
const refused = lazyCliSteps();

afterAll(async () => {
  removeDir(repo);
  removeDir(scratch);
  await refused.close();
});

/** Runs the 20 tasks against `url`, in a run that stops before any task. */
async function batchAgainst(url: string, name: string, extra: string[] = [], env: Record<string, string> = {}): Promise<CliResult & { out: string }> {
  const out = join(scratch, name);
  const result = await refused.run(["batch", "tasks/*.yaml", "--base-url", url, "--model", "qwen-3", "--out", out, ...extra], { cwd: repo, env });
  return { ...result, out };
}

/** A server on 127.0.0.1 that answers every request with `status` and an OpenAI-style error; it counts them. */
async function answering(status: number, message: string): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method ?? ""} ${req.url ?? ""}`);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message, type: "invalid_request_error" } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests, server };
}

describe("the provider check before the first task", () => {
  it("stops a batch against a closed port: exit 3, no task started, nothing written", async () => {
    const { url, server } = await answering(200, "");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await batchAgainst(url, "closed");
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`provider check: provider "127.0.0.1", model "qwen-3": GET ${url}/models: connection refused (ECONNREFUSED); is the server running at ${url}? Fix --base-url\n`);
    expect(result.stderr).toContain(`no task started (${TASKS} of ${TASKS} use this provider); fix it and run the command again\n`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(result.out)).toBe(false);
  });

  it("stops a batch against a server that refuses the key (401), asking it once", async () => {
    const key = "sk-wrong-4f9a2c7e1b8d3a6f";
    const refusing = await answering(401, `Incorrect API key provided: ${key}.`);
    try {
      const result = await batchAgainst(refusing.url, "unauthorized", [], { OPENAI_API_KEY: key });
      expect(result.code).toBe(3);
      // The server's message names the key: it is hidden like everywhere else.
      expect(result.stderr).toMatch(/provider check: provider "127\.0\.0\.1", model "qwen-3": GET http:\/\/127\.0\.0\.1:\d+\/v1\/models: 401 Unauthorized \(\d+ ms\): Incorrect API key provided: \[REDACTED\]\./);
      expect(result.stderr).not.toContain(key);
      expect(result.stderr).toContain("; the server refuses the key: check OPENAI_API_KEY\n");
      expect(refusing.requests).toEqual(["GET /v1/models"]);
      expect(existsSync(result.out)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => refusing.server.close(() => resolve()));
    }
  });

  it("stops a batch asking for a model the server does not serve, naming the ones it does", async () => {
    const server = await startFakeOpenAI([{ match: "Task number", turns: [{ content: "Done." }] }], { models: ["qwen3", "llama3.3"] });
    try {
      const result = await batchAgainst(server.url, "unknown-model");
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        `provider check: provider "127.0.0.1", model "qwen-3": POST ${server.url}/chat/completions (model "qwen-3"): 404 Not Found: The model \`qwen-3\` does not exist.; choose a model the server serves (it lists qwen3, llama3.3) with --model, the task's model: or the provider's models\n`,
      );
      expect(server.requests).toEqual([]);
      expect(existsSync(result.out)).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe("a provider that goes down in the middle of a run", () => {
  const ANSWERED = 4;
  /** t01 to t09, enough for 4 answered, 3 or 4 failed and some not started. */
  const GLOB = "tasks/t0*.yaml";
  const MID_RUN = 9;
  let failing: FakeOpenAI;
  let healthy: FakeOpenAI;
  let outage: CliResult;
  /** summary.json as the outage left it, before --resume wrote its own. */
  let stopped: RunSummary;
  let resumed: CliResult;
  const out = () => join(scratch, "outage");
  const taskOf = (request: RecordedRequest) => /Task number (\d+)\./.exec(JSON.stringify(request.body.messages?.[1]?.content ?? ""))?.[1] ?? "";
  const done: Turn = { content: "Done." };

  beforeAll(async () => {
    let served = 0;
    failing = await startFakeOpenAI(() => (++served <= ANSWERED ? done : { status: 503, error_message: "upstream is down" }));
    healthy = await startFakeOpenAI(() => done);
    // Each task asks once; a failed request is retried once, at once, so that the outage costs no waiting.
    const config = join(scratch, "agents.config.json");
    const provider = (url: string) => JSON.stringify({ providers: [{ name: "flaky", baseUrl: url, models: ["m"], maxRetries: 1, retryBaseDelay: 1, retryMaxDelay: 1 }] });
    writeFileSync(config, provider(failing.url));
    outage = await runCli(["batch", GLOB, "--config", config, "--concurrency", "2", "--out", out()], { cwd: repo });
    stopped = JSON.parse(readFileSync(join(out(), "summary.json"), "utf8")) as RunSummary;
    writeFileSync(config, provider(healthy.url));
    resumed = await runCli(["batch", GLOB, "--config", config, "--concurrency", "2", "--resume", out()], { cwd: repo });
  }, 120_000);

  afterAll(async () => {
    await failing.close();
    await healthy.close();
  });

  it("stops starting tasks after three tasks in a row failed on the provider, exits 3 and says how to resume", () => {
    expect(outage.code).toBe(3);
    expect(outage.stderr).toMatch(/provider "flaky" \(http:\/\/127\.0\.0\.1:\d+\/v1\) failed in 3 tasks in a row, the last: 503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/v1: upstream is down \(gave up after 2 attempts\)\n/);
    expect(outage.stderr).toContain(`stopped: provider "flaky" failed task after task;`);
    // The run was given --out: a resumed run takes --resume in its place (and refuses both).
    expect(outage.stderr).toContain(`Fix it, then run the command again with --resume ${out()} in place of --out ${out()}\n`);
    const summary = stopped;
    const byStatus = (status: string) => summary.tasks.filter((task) => task.status === status);
    expect(summary.providers_down).toEqual([
      { provider: "flaky", base_url: failing.url, reason: expect.stringMatching(/^failed in 3 tasks in a row, the last: 503 /) as string, not_started: byStatus("interrupted").length },
    ]);
    expect(outage.stderr).toContain(`${byStatus("interrupted").length} task(s) not started.`);
    expect(byStatus("succeeded")).toHaveLength(ANSWERED);
    // Three failed in a row, and at concurrency 2 one more may have started before the third ended.
    expect(byStatus("error").length).toBeGreaterThanOrEqual(3);
    expect(byStatus("error").length).toBeLessThanOrEqual(4);
    expect(byStatus("interrupted").length).toBeGreaterThanOrEqual(1);
    expect(byStatus("error").length + byStatus("interrupted").length).toBe(MID_RUN - ANSWERED);
    for (const task of byStatus("interrupted")) {
      expect(task.error).toMatch(/^not started: provider "flaky" \(http:\/\/127\.0\.0\.1:\d+\/v1\) failed in 3 tasks in a row/);
      expect(task.attempts).toBe(0);
    }
    // No task that was refused a start asked the server anything.
    const asked = new Set(failing.requests.map(taskOf));
    for (const task of byStatus("interrupted")) expect(asked.has(String(Number(task.id.slice(1))))).toBe(false);
  });

  it("--resume against the working server runs exactly the tasks left, each once, and keeps the others", () => {
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming: ${ANSWERED} task(s) finished earlier are kept, the others run from scratch`);
    const before = new Set(failing.requests.slice(0, ANSWERED).map(taskOf));
    const rerun = healthy.requests.map(taskOf).sort((a, b) => Number(a) - Number(b));
    const left = Array.from({ length: MID_RUN }, (_, i) => String(i + 1)).filter((n) => !before.has(n));
    expect(rerun).toEqual(left);
    const summary = JSON.parse(readFileSync(join(out(), "summary.json"), "utf8")) as RunSummary;
    expect(summary.totals).toMatchObject({ tasks: MID_RUN, succeeded: MID_RUN, error: 0, interrupted: 0 });
    expect(summary.providers_down).toBeUndefined();
  });
});
