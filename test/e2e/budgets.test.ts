import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CostReport } from "../../src/report/types.ts";
import type { RunSummary, TaskResult } from "../../src/report/types.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type Conversation, type FakeOpenAI, type Turn } from "../helpers/fake-openai.ts";
import { lazy } from "../helpers/lazy.ts";
import { changedSinceCreated, createRepo, removeDir } from "../helpers/repo.ts";

/** USD per million tokens, as the config below prices the model. */
const PRICE = { input: 1, cached_input: 0.5, output: 10 };
const USAGE = { prompt_tokens: 100_000, completion_tokens: 10_000 };
const list: Turn = { tool_calls: [{ name: "list_directory", arguments: {} }], usage: USAGE };
const write = (path: string): Turn => ({ tool_calls: [{ name: "write_file", arguments: { path, content: "x\n" } }], usage: USAGE });

// At $1/M in, $0.5/M cached, $10/M out, every turn costs $0.20, the cached one $0.19.
const conversations: Conversation[] = [
  { match: "Capped task", turns: [{ ...write("capped.txt"), usage: { ...USAGE, cached_tokens: 20_000 } }, list, { content: "never asked" }] },
  { match: "Token task", turns: [list, { content: "never asked" }] },
  { match: "Spender task", turns: [write("spent.txt"), list, list, { content: "never asked" }] },
  { match: "Last task", turns: [{ content: "never asked" }] },
];

let server: FakeOpenAI;
const dirs: string[] = [];
let repo: string;
let out: string;
let run: CliResult;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-test-out-"));
  dirs.push(dir);
  return dir;
}

function repoWith(files: Record<string, string>): string {
  const repo = createRepo(files);
  dirs.push(repo);
  return repo;
}

beforeAll(async () => {
  server = await startFakeOpenAI(conversations);
  const provider = { name: "priced", baseUrl: server.url, models: ["scripted"], pricing: { scripted: PRICE } };
  repo = repoWith({
    "agents.config.json": JSON.stringify({ providers: [provider] }),
    "tasks/1.yaml": "id: capped\nprompt: Capped task.\nlimits: {max_cost_usd: 0.3}\n",
    "tasks/2.yaml": "id: tokens\nprompt: Token task.\nlimits: {max_tokens: 100000}\n",
    "tasks/3.yaml": "id: spender\nprompt: Spender task.\n",
    "tasks/4.yaml": "id: last\nprompt: Last task.\n",
  });
  out = tempDir();
  run = await runCli(["batch", "tasks/*.yaml", "--concurrency", "1", "--max-cost-usd", "1", "--out", out], { cwd: repo });
});

afterAll(async () => {
  await server.close();
  for (const dir of dirs) removeDir(dir);
});

function summary(): RunSummary {
  return JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as RunSummary;
}

function result(id: string): TaskResult | undefined {
  return summary().tasks.find((task) => task.id === id);
}

function requestsOf(match: string) {
  return server.requests.filter((request) => JSON.stringify(request.body.messages?.[1]).includes(match));
}

/** What the served turns cost, from the script itself. */
function scriptedCost(): number {
  let usd = 0;
  for (const conversation of conversations) {
    for (const turn of conversation.turns.slice(0, requestsOf(conversation.match).length)) {
      if (!turn.usage) throw new Error("every served turn has scripted usage");
      const cached = turn.usage.cached_tokens ?? 0;
      usd += ((turn.usage.prompt_tokens - cached) * PRICE.input + cached * PRICE.cached_input + turn.usage.completion_tokens * PRICE.output) / 1e6;
    }
  }
  return usd;
}

describe("budgets", () => {
  it("stops a task before the request that would go past its max_cost_usd, keeping its partial patch", () => {
    expect(requestsOf("Capped task")).toHaveLength(2);
    expect(result("capped")).toMatchObject({ status: "limit_exceeded", stop_reason: "budget", turns: 2, error: "spent $0.39 of max_cost_usd 0.3", files_changed: ["capped.txt"] });
    expect(readFileSync(join(out, "tasks/capped/patch.diff"), "utf8")).toContain("capped.txt");
  });

  it("stops a task once its tokens reach max_tokens", () => {
    expect(requestsOf("Token task")).toHaveLength(1);
    expect(result("tokens")).toMatchObject({ status: "limit_exceeded", stop_reason: "budget", turns: 1, error: "used 110000 tokens of max_tokens 100000" });
  });

  it("stops the running task once --max-cost-usd is spent, and starts no other", () => {
    // $0.39 + $0.20 before it; its third request takes the run from $0.99 to $1.19.
    expect(requestsOf("Spender task")).toHaveLength(3);
    expect(result("spender")).toMatchObject({ status: "limit_exceeded", stop_reason: "budget", turns: 3, error: "the run's budget is spent: $1.19 of --max-cost-usd 1" });
    expect(requestsOf("Last task")).toHaveLength(0);
    expect(result("last")).toMatchObject({ status: "limit_exceeded", stop_reason: "budget", turns: 0, error: "not started: the run's budget is spent: $1.19 of --max-cost-usd 1" });
    expect(run.code).toBe(1);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("- **last** (limit_exceeded, budget): not started: the run's budget is spent");
  });

  it("writes cost.json whose totals are the scripted usage priced exactly, and equal the sums of its rows", () => {
    const cost = JSON.parse(readFileSync(join(out, "cost.json"), "utf8")) as CostReport;
    expect(cost.totals.cost_usd).toBeCloseTo(scriptedCost(), 2);
    expect(cost.totals.cost_usd).toBe(1.19);
    expect(cost.totals).toMatchObject({ requests: 6, input_tokens: 600_000, cached_input_tokens: 20_000, output_tokens: 60_000, priced_cost_usd: 1.19 });
    expect(cost.tasks.map((task) => [task.task, task.cost_usd])).toEqual([["capped", 0.39], ["tokens", 0.2], ["spender", 0.6], ["last", 0]]);
    const nano = (usd: number | null) => Math.round((usd ?? NaN) * 1e9);
    expect(cost.tasks.reduce((sum, task) => sum + nano(task.cost_usd), 0)).toBe(nano(cost.totals.cost_usd));
    expect(cost.models).toEqual([
      { provider: "priced", model: "scripted", tasks: 4, requests: 6, input_tokens: 600_000, cached_input_tokens: 20_000, output_tokens: 60_000, tokens_estimated: false, cost_usd: 1.19 },
    ]);
    expect(summary().totals.cost_usd).toBe(cost.totals.cost_usd);
  });

  it("writes cost.csv with one row per task that agrees with cost.json", () => {
    const cost = JSON.parse(readFileSync(join(out, "cost.json"), "utf8")) as CostReport;
    const [header, ...rows] = readFileSync(join(out, "cost.csv"), "utf8").trimEnd().split("\r\n").map((line) => line.split(","));
    expect(header).toEqual(["task", "provider", "model", "requests", "input_tokens", "cached_input_tokens", "output_tokens", "tokens_estimated", "cost_usd"]);
    expect(rows).toEqual(cost.tasks.map((task) => (header ?? []).map((column) => String(task[column as keyof typeof task]))));
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("| priced/scripted | 4 | 6 | 600000 | 20000 | 60000 | $1.19 |");
  });

  it("leaves the user's working tree, index, branches and stashes as they were", () => {
    const { now, created } = changedSinceCreated(repo);
    expect(now).toEqual(created);
  });
});

describe("budgets need prices", () => {
  // One repository for both refusals, which leave it as it was.
  const unpriced = lazy(() =>
    repoWith({
      "agents.config.json": JSON.stringify({ providers: [{ name: "remote", baseUrl: "http://models.invalid/v1", models: ["mystery-model-9"] }] }),
      "tasks/a.yaml": "prompt: Anything.\n",
    }),
  );

  it("refuses to start with a budget and a model of unknown price, before any request, saying how to price it", async () => {
    const runFolder = join(tempDir(), "run");
    const refused = await unpriced();
    const refusal = await runCli(["batch", "tasks/a.yaml", "--max-cost-usd", "5", "--out", runFolder], { cwd: refused });
    expect(refusal.code).toBe(2);
    expect(refusal.stderr).toContain('no price is known for model "mystery-model-9" of provider "remote" (http://models.invalid/v1)');
    expect(refusal.stderr).toContain('add "pricing": {"mystery-model-9"');
    expect(refusal.stderr).toContain("--allow-unpriced");
    expect(refusal.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(runFolder)).toBe(false);
    const { now, created } = changedSinceCreated(refused);
    expect(now).toEqual(created);
  });

  it("rejects a --max-cost-usd that is not a positive number", async () => {
    const usage = await runCli(["batch", "tasks/a.yaml", "--max-cost-usd", "lots"], { cwd: await unpriced() });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('--max-cost-usd: expected a positive number of US dollars, e.g. 5 or 0.50, got "lots"\n');
  });
});
