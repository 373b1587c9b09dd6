/**
 * npm run bench: numbers, not pass/fail. Prints a table (median, min, max over several runs) and writes
 * bench/results.json. Everything runs on this machine against the scripted server on 127.0.0.1.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { SYSTEM_PROMPT_FOR_BENCH } from "../src/agent/prompt.ts";
import { decideCommand } from "../src/policy/commands.ts";
import { builtinPolicy } from "../src/policy/default.ts";
import { loadShellParser } from "../src/policy/shell/parser.ts";
import type { Decision, Policy } from "../src/policy/types.ts";
import { resolveSandbox } from "../src/sandbox/index.ts";
import { probeBwrap } from "../src/sandbox/probe.ts";
import executeBash from "../src/tools/execute-bash.ts";
import type { WrapCommand } from "../src/tools/types.ts";
import { builtinTools } from "../src/tools/index.ts";
import { startFakeOpenAI } from "../test/helpers/fake-openai.ts";
import { createRepo } from "../test/helpers/repo.ts";

interface Row {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cli/main.js");
const rows: Row[] = [];

function record(name: string, unit: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  rows.push({ name, unit, median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, runs: samples.length });
}

async function benchPolicyDecision(): Promise<void> {
  const parser = await loadShellParser();
  const policy: Policy = {
    ...builtinPolicy,
    commands: {
      allow: [{ pattern: "npm run lint **" }, { pattern: "git diff **" }, { pattern: "cat *" }],
      deny: [{ pattern: "git push **" }, { pattern: "rm -r **" }],
    },
  };
  const allowFile = (): Decision => ({ decision: "allow", reason: "", rule: "files.write.allow[0]" });
  const command = "npm run lint -- --fix && git diff HEAD~1 -- src | cat - > src/out.txt";
  for (let i = 0; i < 500; i++) decideCommand(policy, parser.parse(command), allowFile);
  const samples: number[] = [];
  for (let round = 0; round < 15; round++) {
    const started = performance.now();
    for (let i = 0; i < 200; i++) decideCommand(policy, parser.parse(command), allowFile);
    samples.push(((performance.now() - started) / 200) * 1000);
  }
  record("policy: parse + decide a 3-segment command", "µs", samples);
}

function benchFixedTokens(tokens: (text: string) => number): void {
  const schemas = builtinTools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: z.toJSONSchema(tool.parameters, { io: "input" }) },
  }));
  const promptTokens = tokens(SYSTEM_PROMPT_FOR_BENCH);
  const schemaTokens = tokens(JSON.stringify(schemas));
  record("fixed tokens per request: system prompt", "tokens", [promptTokens]);
  record("fixed tokens per request: tool schemas", "tokens", [schemaTokens]);
}

function runCli(args: string[], cwd: string): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: "ignore", env: { PATH: process.env.PATH ?? "", HOME: cwd } });
    child.on("close", (code) => resolve({ ms: performance.now() - started, code }));
  });
}

async function benchStartup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nanocoder-bench-"));
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) samples.push((await runCli(["--version"], dir)).ms);
  record("start-up: nanocoder --version", "ms", samples);
  rmSync(dir, { recursive: true, force: true });
}

async function benchSingleTask(): Promise<void> {
  const server = await startFakeOpenAI([{ match: "Say done", turns: [{ content: "done" }] }]);
  const repo = createRepo({ "README.md": "# bench\n", "task.yaml": "prompt: Say done\n" });
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = join(repo, `.out-${i}`);
    const result = await runCli(["batch", "task.yaml", "--base-url", server.url, "--model", "m", "--out", out], repo);
    if (result.code !== 0) throw new Error(`single-task run failed with exit code ${result.code}`);
    samples.push(result.ms);
  }
  record("single-turn task, whole CLI run", "ms", samples);
  await server.close();
  rmSync(repo, { recursive: true, force: true });
}

/** What the sandbox adds to every command: `true` through execute_bash, bare and inside bubblewrap. */
async function benchSandbox(): Promise<void> {
  if (!(await probeBwrap()).ok) return console.log("sandbox rows skipped: bubblewrap does not work here (nanocoder doctor says why)");
  const workspace = mkdtempSync(join(tmpdir(), "nanocoder-bench-sandbox-"));
  const wrapCommand = await (await resolveSandbox({ mode: "bwrap", required: true, network: false, writable: [] })).wrapperFor(workspace);
  const time = async (wrap: WrapCommand | undefined) => {
    const samples: number[] = [];
    for (let i = 0; i < 22; i++) {
      const started = performance.now();
      await executeBash.execute({ command: "true" }, { workspace, signal: new AbortController().signal, env: { PATH: process.env.PATH ?? "" }, isReadable: () => true, ...(wrap ? { wrapCommand: wrap } : {}) });
      if (i >= 2) samples.push(performance.now() - started);
    }
    return samples;
  };
  record("command `true`, no sandbox", "ms", await time(undefined));
  record("command `true`, bubblewrap sandbox", "ms", await time(wrapCommand));
  rmSync(workspace, { recursive: true, force: true });
}

function printTable(): void {
  const header = ["benchmark", "unit", "median", "min", "max", "runs"];
  const lines = rows.map((row) => [row.name, row.unit, fmt(row.median), fmt(row.min), fmt(row.max), String(row.runs)]);
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => (line[column] ?? "").length)));
  for (const line of [header, ...lines]) console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  "));
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
await benchPolicyDecision();
benchFixedTokens(countTokens);
await benchStartup();
await benchSingleTask();
await benchSandbox();
printTable();
writeFileSync(join(root, "bench/results.json"), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
