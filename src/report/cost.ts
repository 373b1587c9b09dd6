import { decimalUsd, sumKnownUsd, sumUsd } from "../shared/money.ts";
import { formatCost } from "./format.ts";
import type { CostLine, CostReport, RunSummary, TaskCost, TaskResult } from "./types.ts";

const CSV_COLUMNS = ["task", "provider", "model", "requests", "input_tokens", "cached_input_tokens", "output_tokens", "tokens_estimated", "cost_usd"] as const;

export function buildCostReport(summary: Pick<RunSummary, "run_id" | "tasks">): CostReport {
  const tasks = summary.tasks.map(taskCost);
  const models = groupByModel(tasks).map(([first, ...rest]) => ({
    provider: first.provider,
    model: first.model,
    tasks: rest.length + 1,
    ...addLines([first, ...rest]),
  }));
  return {
    run_id: summary.run_id,
    tasks,
    models,
    totals: { ...addLines(tasks), priced_cost_usd: sumKnownUsd(tasks.map((task) => task.cost_usd)) },
    unpriced_models: models.filter((model) => model.cost_usd === null).map((model) => `${model.provider}/${model.model}`),
  };
}

/** cost.csv: RFC 4180 (CRLF line ends, fields quoted only when they must be); an unknown cost is an empty field. */
export function renderCostCsv(report: CostReport): string {
  const rows = report.tasks.map((task) =>
    CSV_COLUMNS.map((column) => {
      const value = task[column];
      if (column === "cost_usd") return value === null ? "" : decimalUsd(Number(value));
      return String(value);
    }),
  );
  return [[...CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** The cost section of report.md: a line per model, the total, and the models without a known price. */
export function renderCostSection(report: CostReport): string[] {
  const row = (name: string, line: CostLine, tasks: number) =>
    `| ${name} | ${tasks} | ${line.requests} | ${mark(line)}${line.input_tokens} | ${mark(line)}${line.cached_input_tokens} | ${mark(line)}${line.output_tokens} | ${formatCost(line.cost_usd)} |`;
  const lines = [
    "## Cost",
    "",
    "| model | tasks | requests | input tokens | cached input | output tokens | cost |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...report.models.map((model) => row(`${model.provider}/${model.model}`.replace(/\|/g, "\\|"), model, model.tasks)),
    row("**total**", report.totals, report.tasks.length),
  ];
  if (report.unpriced_models.length > 0) {
    const names = report.unpriced_models.map((model) => `\`${model}\``).join(", ");
    lines.push(
      "",
      `Cost unknown: no price for ${names}. Add \`pricing\` to the provider in agents.config.json. ` +
        `Known costs add up to ${formatCost(report.totals.priced_cost_usd)}.`,
    );
  }
  return lines;
}

function taskCost(task: TaskResult): TaskCost {
  return {
    task: task.id,
    provider: task.provider,
    model: task.model,
    requests: task.requests,
    input_tokens: task.tokens.input,
    cached_input_tokens: task.tokens.cached,
    output_tokens: task.tokens.output,
    tokens_estimated: task.tokens.estimated,
    cost_usd: task.cost_usd,
  };
}

function addLines(lines: readonly CostLine[]): CostLine {
  const total = (key: "requests" | "input_tokens" | "cached_input_tokens" | "output_tokens") =>
    lines.reduce((sum, line) => sum + line[key], 0);
  return {
    requests: total("requests"),
    input_tokens: total("input_tokens"),
    cached_input_tokens: total("cached_input_tokens"),
    output_tokens: total("output_tokens"),
    tokens_estimated: lines.some((line) => line.tokens_estimated),
    cost_usd: sumUsd(lines.map((line) => line.cost_usd)),
  };
}

/** Tasks grouped by provider and model, in order of first appearance. */
function groupByModel(tasks: readonly TaskCost[]): [TaskCost, ...TaskCost[]][] {
  const groups = new Map<string, [TaskCost, ...TaskCost[]]>();
  for (const task of tasks) {
    const key = `${task.provider}\n${task.model}`;
    const group = groups.get(key);
    if (group) group.push(task);
    else groups.set(key, [task]);
  }
  return [...groups.values()];
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function mark(line: CostLine): string {
  return line.tokens_estimated ? "~" : "";
}
