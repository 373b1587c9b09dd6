import { escapeText } from "../report/format.ts";
import type { PullRequestOutcome } from "./pulls.ts";

/** GitHub takes at most this much job summary per step (bytes); a larger one is refused, and none is shown. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;
/** Pull requests named one by one; past these, counted (`pr-urls` holds every one). */
const PULLS_SHOWN = 100;

/**
 * The job summary: report.md and the pull requests, those not delivered first. However large the run,
 * it fits GitHub's limit: what does not fit is cut at a line, and the summary says where the rest is.
 */
export function renderJobSummary(report: string, pulls: readonly PullRequestOutcome[], limit = JOB_SUMMARY_LIMIT): string {
  const text = pulls.length === 0 ? report : appendPulls(report, pulls);
  if (Buffer.byteLength(text) <= limit) return text;
  const note = "\n\n… (the job summary is cut here to fit GitHub's 1 MiB: the whole report is report.md in the run folder)\n";
  // Cut by bytes at a line's end, under the limit with the note.
  const room = limit - Buffer.byteLength(note);
  const head = Buffer.from(text).subarray(0, room).toString("utf8");
  const end = head.lastIndexOf("\n");
  return `${head.slice(0, end > 0 ? end : head.length).replace(/\uFFFD$/, "")}${note}`;
}

function appendPulls(report: string, pulls: readonly PullRequestOutcome[]): string {
  const ordered = [...pulls.filter((pull) => pull.error), ...pulls.filter((pull) => !pull.error)];
  const rows = ordered.slice(0, PULLS_SHOWN).map((pull) => `- ${describeTasks(pull.tasks)}: ${describePull(pull)}`);
  if (ordered.length > PULLS_SHOWN) rows.push(`- and ${ordered.length - PULLS_SHOWN} more (the step's \`pr-urls\` output lists those opened or updated)`);
  return `${report.trimEnd()}\n\n## Pull requests\n\n${rows.join("\n")}\n`;
}

/** A grouped pull request's tasks, named up to a few. */
function describeTasks(tasks: readonly string[]): string {
  return tasks.length <= 5 ? tasks.join(", ") : `${tasks.slice(0, 5).join(", ")} and ${tasks.length - 5} more tasks`;
}

function describePull(pull: PullRequestOutcome): string {
  if (!pull.url) return `no pull request: ${escapeText(pull.error ?? "")}`;
  const link = `[#${pull.number ?? ""}](${pull.url})`;
  if (pull.action === "left") return `${link} from a previous run, left as it was: ${escapeText(pull.reason ?? "")}`;
  return `${link} (${pull.action ?? ""})${pull.error ? `: ${escapeText(pull.error)}` : ""}`;
}
