import type { RunSummary, TaskResult } from "./types.ts";

/** report.md: the summary for a person, also fit for a GitHub job summary. */
export function renderReport(summary: RunSummary): string {
  const { totals } = summary;
  const lines = [
    `# nanocoder batch run ${summary.run_id}`,
    "",
    `${totals.succeeded} of ${totals.tasks} tasks succeeded` +
      (totals.tasks > totals.succeeded ? ` (${describeOthers(summary)})` : "") +
      ` in ${formatDuration(summary.duration_ms)}.`,
    `Base commit \`${summary.base.slice(0, 12)}\`, policy ${summary.policy}.`,
    "",
    "| task | status | turns | tokens in / out | cost | denials | files | time |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...summary.tasks.map(renderRow),
    `| **total** | | ${totals.turns} | ${formatTokens(totals.tokens)} | ${formatCost(totals.cost_usd)} | ${totals.denials} | | ${formatDuration(summary.duration_ms)} |`,
  ];
  const unpriced = unpricedModels(summary.tasks);
  if (unpriced.length > 0) {
    lines.push("", `Cost unknown: no price for ${unpriced.map((model) => `\`${model}\``).join(", ")}. Add \`pricing\` to the provider in agents.config.json.`);
  }
  if (totals.tokens.estimated) lines.push("", "Token counts marked ~ are estimated: the server sent no usage.");
  const problems = summary.tasks.filter((task) => task.error);
  if (problems.length > 0) {
    lines.push("", "## Problems", "", ...problems.map((task) => `- **${task.id}** (${task.status}): ${oneLine(task.error ?? "")}`));
  }
  lines.push("", "Each task's patch is in `tasks/<id>/patch.diff` (apply with `git apply`), its event log in `tasks/<id>/events.jsonl`.", "");
  return lines.join("\n");
}

function renderRow(task: TaskResult): string {
  const name = task.title ? `${task.id}: ${escapeCell(task.title)}` : task.id;
  return `| ${name} | ${task.status} | ${task.turns} | ${formatTokens(task.tokens)} | ${formatCost(task.cost_usd)} | ${task.denials} | ${task.files_changed.length} | ${formatDuration(task.duration_ms)} |`;
}

function describeOthers(summary: RunSummary): string {
  const { failed, limit_exceeded, error } = summary.totals;
  const parts = [
    failed > 0 ? `${failed} failed` : "",
    limit_exceeded > 0 ? `${limit_exceeded} limit exceeded` : "",
    error > 0 ? `${error} error` : "",
  ];
  return parts.filter(Boolean).join(", ");
}

function unpricedModels(tasks: TaskResult[]): string[] {
  return [...new Set(tasks.filter((task) => task.cost_usd === null).map((task) => `${task.provider}/${task.model}`))];
}

export function formatCost(cost: number | null): string {
  if (cost === null) return "unknown";
  if (cost === 0) return "$0";
  return cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}

export function formatTokens(tokens: { input: number; output: number; estimated: boolean }): string {
  const mark = tokens.estimated ? "~" : "";
  return `${mark}${tokens.input} / ${mark}${tokens.output}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} m ${Math.round(seconds % 60)} s`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
