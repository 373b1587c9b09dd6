// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { S as plural, v as formatCost, y as formatDuration } from "./run-id.mjs";
import { join } from "node:path";
// src/cli/render.ts
/** Up to this many tasks, a line for each; past it, for those that did not succeed (up to as many again). */
const EVERY_TASK_UP_TO = 100;
/** The plain stdout result of a run: one line per task, a totals line, and where the outputs are. */
function renderSummaryLines(summary, outDir) {
	const listed = summary.tasks.length <= EVERY_TASK_UP_TO ? summary.tasks : summary.tasks.filter((task) => task.status !== "succeeded").slice(0, EVERY_TASK_UP_TO);
	const unlisted = summary.tasks.length - listed.length;
	const width = Math.max(...listed.map((task) => task.id.length), 4);
	const rows = listed.map((task) => {
		const cost = formatCost(task.cost_usd);
		const files = task.files_changed.length === 0 ? "no files" : plural(task.files_changed.length, "file");
		const denials = task.denials > 0 ? `  ${task.denials} denied` : "";
		const reason = task.stop_reason ?? "";
		return `${task.id.padEnd(width)}  ${task.status.padEnd(14)}  ${reason.padEnd(18)}  ${plural(task.turns, "turn").padStart(9)}  ${files.padStart(8)}  ${cost.padStart(8)}  ${formatDuration(task.duration_ms)}${denials}`;
	});
	const { totals } = summary;
	const tokens = `${totals.tokens.estimated ? "~" : ""}${totals.tokens.input} in / ${totals.tokens.output} out`;
	return [
		...rows,
		...unlisted > 0 ? [`… and ${unlisted} more task(s) (every one in ${outDir.replace(/\/$/, "")}/summary.json)`] : [],
		`${totals.succeeded}/${totals.tasks} succeeded · ${tokens} tokens · cost ${formatCost(totals.cost_usd)} · ${formatDuration(summary.duration_ms)}`,
		`results: ${outDir}`,
		...summary.report_html ? [`report: ${join(outDir, summary.report_html)}`] : []
	].join("\n");
}
export { renderSummaryLines as t };
