import { join } from "node:path";
import { buildCostReport, renderCostCsv } from "./cost.ts";
import { writeFileAtomic, writeJsonFile } from "./files.ts";
import { writeHtmlReport } from "./html/write.ts";
import { renderJunit } from "./junit.ts";
import { renderMergedReport, renderReport } from "./markdown.ts";
import type { Redact } from "./redact.ts";
import { schemaUrl, type RunSummary, type TaskResult } from "./schema.ts";

/**
 * The one writer of a run folder's reports: summary.json, report.md, cost.json, cost.csv, junit.xml and report.html,
 * for a run (run/batch.ts) and for a merge of shards (report/merge.ts), whose summary says what is missing.
 */
export async function writeRunReports(outDir: string, summary: RunSummary, redact: Redact): Promise<void> {
  const missing = summary.missing_tasks ?? [];
  await writeJsonFile(join(outDir, "summary.json"), schemaUrl("summary"), summary, redact);
  const markdown = summary.merged_from ? renderMergedReport(summary, summary.merged_from, missing) : renderReport(summary);
  await writeFileAtomic(join(outDir, "report.md"), redact(markdown));
  const cost = buildCostReport(summary);
  await writeJsonFile(join(outDir, "cost.json"), schemaUrl("cost"), cost, redact);
  await writeFileAtomic(join(outDir, "cost.csv"), redact(renderCostCsv(cost)));
  await writeFileAtomic(join(outDir, "junit.xml"), redact(renderJunit(summary, missing)));
  await writeHtmlReport(outDir, summary, redact);
}

/** The one writer of tasks/<id>/result.json. */
export async function writeTaskResult(outDir: string, result: TaskResult, redact: Redact): Promise<void> {
  await writeJsonFile(join(outDir, "tasks", result.id, "result.json"), schemaUrl("result"), result, redact);
}
