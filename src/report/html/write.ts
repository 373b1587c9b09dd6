import { readFile } from "node:fs/promises";
import { join } from "node:path";
import packageJson from "../../../package.json" with { type: "json" };
import { agentEventSchema, type AgentEvent } from "../../agent/events.ts";
import { jsonLines } from "../../shared/json-lines.ts";
import { buildCostReport } from "../cost.ts";
import { writeFileAtomic } from "../files.ts";
import type { Redact } from "../redact.ts";
import { unsafeTaskPaths } from "../task-paths.ts";
import type { RunSummary } from "../types.ts";
import { renderHtmlPage } from "./render.ts";
import { buildPageData, buildTaskDetail, detailBudget, HTML_REPORT, type TaskDetail } from "./shape.ts";

/**
 * Writes report.html from the run folder as it is: the summary, and each task's events.jsonl and patch.diff
 * (a task whose files are gone, such as one a merge did not find, shows its row without a detail).
 */
export async function writeHtmlReport(outDir: string, summary: RunSummary, redact: Redact, notes: readonly string[] = []): Promise<string> {
  const unsafe = summary.tasks.map(unsafeTaskPaths);
  const refused = summary.tasks.flatMap((task, index) => (unsafe[index] ? [`Task ${index + 1} of summary.json is shown without its detail: ${unsafe[index]}.`] : []));
  const data = buildPageData(summary, buildCostReport(summary), `${packageJson.name} ${packageJson.version}`, [...notes, ...refused]);
  const details: (TaskDetail | undefined)[] = [];
  const budget = detailBudget(summary.tasks.length);
  // One task at a time: a run of 1,000 long tasks never holds every event log at once.
  for (const [index, task] of summary.tasks.entries()) {
    if (unsafe[index]) {
      details.push(undefined);
      continue;
    }
    const taskDir = join(outDir, "tasks", task.id);
    const events = await readFile(join(taskDir, "events.jsonl"), "utf8").catch(() => undefined);
    const patch = await readFile(join(outDir, task.patch), "utf8").catch(() => undefined);
    details.push(events === undefined && !patch ? undefined : buildTaskDetail(task, parseEvents(events ?? ""), patch, budget));
  }
  const path = join(outDir, HTML_REPORT);
  await writeFileAtomic(path, renderHtmlPage(data, details, redact));
  return path;
}

/** The events of an events.jsonl; a line that is not one (cut short by a crash) is left out. */
export function parseEvents(text: string): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (const { json } of jsonLines(text)) {
    const parsed = agentEventSchema.safeParse(json);
    if (parsed.success) events.push(parsed.data);
  }
  return events;
}
