import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CassetteEntry } from "../../src/provider/cassette.ts";
import type { RunSummary } from "../../src/report/types.ts";
import { runCli } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

let server: FakeOpenAI;
let repo: string;
let scratch: string;

beforeAll(async () => {
  server = await startFakeOpenAI([
    {
      match: "Greet",
      turns: [
        { tool_calls: [{ name: "write_file", arguments: { path: "hello.txt", content: "hello\n" } }], faults: [{ kind: "status", status: 503 }] },
        { content: "Greeted.", usage: { prompt_tokens: 300, completion_tokens: 4, cached_tokens: 100 } },
      ],
    },
    { match: "Answer", turns: [{ content: "42." }] },
  ]);
  repo = createRepo({ "tasks.yaml": "id: greet\nprompt: Greet in hello.txt.\n---\nid: answer\nprompt: Answer the question.\n" });
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-cassettes-"));
});

afterAll(async () => {
  await server.close();
  removeDir(repo);
  removeDir(scratch);
});

const summaryOf = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;

describe("--record and --replay", () => {
  it("records every exchange, then replays the run without a server", async () => {
    const cassettes = join(scratch, "cassettes");
    const recorded = join(scratch, "recorded");
    const record = await runCli(["batch", "tasks.yaml", "--base-url", server.url, "--model", "m", "--out", recorded, "--record", cassettes], { cwd: repo });
    expect(record.code).toBe(0);
    const lines = readFileSync(join(cassettes, "greet.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as CassetteEntry);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ turn: 1, model: "m", messages: 2, tools: 8, response: { toolCalls: [{ name: "write_file" }] } });
    expect(lines[0]?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(lines[1]?.response).toMatchObject({ content: "Greeted.", usage: { input: 300, output: 4, cached: 100, estimated: false } });

    const requestsBefore = server.requests.length;
    const replayed = join(scratch, "replayed");
    // A base URL where nothing listens: the replay must not need one.
    const replay = await runCli(["batch", "tasks.yaml", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", replayed, "--replay", cassettes], { cwd: repo });
    expect(replay.code).toBe(0);
    expect(server.requests.length).toBe(requestsBefore);
    const strip = (summary: RunSummary) => summary.tasks.map(({ id, status, turns, tokens, files_changed }) => ({ id, status, turns, tokens, files_changed }));
    expect(strip(summaryOf(replayed))).toEqual(strip(summaryOf(recorded)));
    expect(readFileSync(join(replayed, "tasks", "greet", "patch.diff"), "utf8")).toBe(readFileSync(join(recorded, "tasks", "greet", "patch.diff"), "utf8"));
  });

  it("fails the task, naming it and the turn, when a request differs from the recording", async () => {
    const cassettes = join(scratch, "cassettes");
    writeFileSync(join(repo, "tasks.yaml"), "id: greet\nprompt: Greet in hello.txt.\n---\nid: answer\nprompt: Answer the question, politely.\n");
    git(repo, "commit", "--quiet", "-am", "reword");
    const out = join(scratch, "mismatch");
    const replay = await runCli(["batch", "tasks.yaml", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--out", out, "--replay", cassettes], { cwd: repo });
    expect(replay.code).toBe(1);
    const tasks = summaryOf(out).tasks;
    expect(tasks.find((task) => task.id === "greet")?.status).toBe("succeeded");
    expect(tasks.find((task) => task.id === "answer")).toMatchObject({
      status: "error",
      error: expect.stringMatching(/^replay of task "answer", turn 1: the request does not match the recording in .*answer\.jsonl \(the messages or tools differ in content\)$/),
    });
  });

  it("refuses --record with --replay", async () => {
    const both = await runCli(["batch", "tasks.yaml", "--record", "a", "--replay", "b"], { cwd: repo });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--record and --replay exclude each other");
  });
});
