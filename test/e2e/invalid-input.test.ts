import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { CliResult } from "../helpers/cli.ts";
import { startCliSteps } from "../helpers/cli-steps.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FLAGS = ["--model", "m", "--base-url", "http://127.0.0.1:9/v1"];
/** file:line:col at the start of a line. */
const AT = (file: string) => new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: `, "m");

interface Case {
  name: string;
  args: string[];
  /** What stderr must hold: a file:line:col location, or a message where the input has no position. */
  expect: RegExp | string;
  cwd?: "root" | "temp" | "repo";
  /**
   * Task-file cases run together: `validate` reports every problem of every file at once, so one
   * process checks them all (each process costs ~0.4 s of CPU).
   */
  together?: boolean;
}

const task = (name: string, expect: RegExp | string = AT(`fixtures/invalid/${name}`)): Case => ({
  name: `task file ${name}`,
  args: ["validate", `fixtures/invalid/${name}`, ...FLAGS],
  expect,
  together: true,
});
const config = (name: string): Case => ({
  name: `config ${name}`,
  args: ["validate", "fixtures/tasks/minimal.yaml", "--config", `fixtures/invalid/config/${name}`],
  expect: AT(`fixtures/invalid/config/${name}`),
});
const policy = (name: string): Case => ({
  name: `policy ${name}`,
  args: ["validate", "fixtures/tasks/minimal.yaml", "--policy", `fixtures/invalid/policy/${name}`, ...FLAGS],
  expect: AT(`fixtures/invalid/policy/${name}`),
});

const cases: Case[] = [
  ...[
    "bad-id.yaml", "bad-max-turns.yaml", "bad-timeout.yaml", "check-missing-run.yaml", "checks-not-list.yaml", "context-not-list.yaml",
    "duplicate-key.yaml", "empty-id.yaml", "fractional-turns.yaml", "limits-not-map.yaml", "missing-prompt.yaml", "model-number.yaml",
    "negative-cost.yaml", "negative-retries.yaml", "prompt-empty.yaml", "prompt-list.yaml", "prompt-number.yaml", "second-document.yaml",
    "syntax.yaml", "tab-indent.yaml", "title-object.yaml", "top-level-list.yaml", "top-level-scalar.yaml", "unclosed-quote.yaml",
    "unknown-key.yaml", "zero-timeout.yaml",
  ].map((name) => task(name)),
  task("empty.yaml", "fixtures/invalid/empty.yaml: no tasks in this file"),
  task("comments-only.yaml", "fixtures/invalid/comments-only.yaml: no tasks in this file"),
  { name: "duplicate ids across files", args: ["validate", "fixtures/invalid/duplicate/*.yaml", ...FLAGS], expect: /^fixtures\/invalid\/duplicate\/b\.yaml:\d+:\d+: duplicate task id/m, together: true },
  { name: "an empty file", args: ["validate", "empty.yaml", ...FLAGS], expect: "empty.yaml: no tasks in this file", cwd: "temp", together: true },
  { name: "a binary file", args: ["validate", "binary.yaml", ...FLAGS], expect: /^binary\.yaml:1:10: binary data/m, cwd: "temp", together: true },
  { name: "a file over 1 MB", args: ["validate", "huge.yaml", ...FLAGS], expect: /^huge\.yaml: \d+ bytes, more than the 1 MB/m, cwd: "temp", together: true },
  { name: "a glob matching nothing", args: ["validate", "nothing/*.yaml", ...FLAGS], expect: "nothing/*.yaml: no files match this glob", together: true },
  { name: "a missing file", args: ["validate", "missing.yaml", ...FLAGS], expect: "missing.yaml: file not found", together: true },
  { name: "a folder", args: ["validate", "fixtures/invalid", ...FLAGS], expect: "is a directory", together: true },
  config("broken.json"),
  config("unset-var.json"),
  config("providers-not-list.json"),
  config("baseurl-number.json"),
  { name: "a missing config", args: ["validate", "fixtures/tasks/minimal.yaml", "--config", "nope.json"], expect: "--config nope.json: file not found" },
  policy("unknown-key.yaml"),
  policy("bad-pattern.yaml"),
  policy("syntax.yaml"),
  policy("bad-default.yaml"),
  policy("example-mismatch.yaml"),
  { name: "an unknown flag", args: ["validate", "fixtures/tasks/minimal.yaml", "--modle", "m"], expect: "unknown option --modle" },
  // An unknown batch flag: cli.test.ts, "an unknown option", which also checks the did-you-mean.
  { name: "a bad concurrency", args: ["batch", "fixtures/tasks/minimal.yaml", "--concurrency", "0", ...FLAGS], expect: "--concurrency: expected a positive integer" },
  { name: "a negative budget", args: ["validate", "fixtures/tasks/minimal.yaml", "--max-cost-usd", "-1", ...FLAGS], expect: "--max-cost-usd: expected a positive number" },
  { name: "--resume of a folder that is no run", args: ["batch", "tasks.yaml", "--resume", ".", ...FLAGS], expect: "--resume .: not a run folder", cwd: "repo" },
  { name: "--resume with --out", args: ["batch", "tasks.yaml", "--resume", ".", "--out", "x", ...FLAGS], expect: "leave out --out and --base", cwd: "repo" },
  { name: "--resume of a forged manifest", args: ["batch", "tasks.yaml", "--resume", "forged", ...FLAGS], expect: /^forged\/manifest\.jsonl:1:1: /m, cwd: "repo" },
  { name: "an unknown command", args: ["frobnicate"], expect: "Unknown command" },
];

const temp = mkdtempSync(join(tmpdir(), "nanocoder-test-invalid-"));
writeFileSync(join(temp, "empty.yaml"), "");
writeFileSync(join(temp, "binary.yaml"), Buffer.from("prompt: a\0b\n"));
writeFileSync(join(temp, "huge.yaml"), `prompt: ${"a".repeat(1024 * 1024 + 10)}\n`);
const repo = createRepo({ "tasks.yaml": "prompt: Do it.\n", "forged/manifest.jsonl": '{"type":"task_end","id":"x","status":"succeeded"}\n' });
afterAll(() => {
  removeDir(temp);
  removeDir(repo);
});

/**
 * Every case; task-file cases share one run per folder. No case starts a task, so the runs go one after
 * another through one process that loads the command line once (test/helpers/steps.ts).
 */
async function runAll(): Promise<CliResult[]> {
  const cwdOf = (entry: Case) => (entry.cwd === "temp" ? temp : entry.cwd === "repo" ? repo : ROOT);
  const jobs = new Map<string, { cwd: string; args: string[]; indexes: number[] }>();
  cases.forEach((entry, index) => {
    const key = entry.together ? `together ${cwdOf(entry)}` : `alone ${index}`;
    const job = jobs.get(key);
    if (job && entry.args[1]) job.args.splice(1, 0, entry.args[1]);
    else jobs.set(key, { cwd: cwdOf(entry), args: [...entry.args], indexes: [] });
    jobs.get(key)?.indexes.push(index);
  });
  const results: CliResult[] = new Array(cases.length);
  const steps = startCliSteps();
  try {
    for (const job of jobs.values()) {
      const result = await steps.run(job.args, { cwd: job.cwd });
      for (const index of job.indexes) results[index] = result;
    }
  } finally {
    await steps.close();
  }
  return results;
}

describe("malformed input", () => {
  it(`exits 2 with a located message and no stack trace, for each of ${cases.length} inputs`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const results = await runAll();
    const wrong = cases.flatMap((entry, i) => {
      const result = results[i] as CliResult;
      const found = typeof entry.expect === "string" ? result.stderr.includes(entry.expect) : entry.expect.test(result.stderr);
      const ok = result.code === 2 && found && !/\n\s+at /.test(result.stderr) && !result.stderr.includes("internal error");
      return ok ? [] : [`${entry.name}: exit ${result.code}, stderr ${JSON.stringify(result.stderr.slice(0, 300))}`];
    });
    expect(wrong).toEqual([]);
    // Some thirty runs of the command line: on a 2-core machine running other test files beside it, they can take
    // longer than the 30 s other tests get. The test checks what each run says, not how long they take.
  }, 120_000);
});
