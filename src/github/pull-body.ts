import { codeSpan, cut, escapeCell, escapeHtml, escapeText, formatCost, formatDuration, oneLine, plural } from "../report/format.ts";
import { fenceFor, tailHeading, tailLines } from "../report/failed-check.ts";
import { reasonOf } from "../report/junit.ts";
import type { CheckOutcome, RunSummary, TaskResult } from "../report/types.ts";
import { RUN_TRAILER } from "./branch-commit.ts";
import type { GroupScope } from "./groups.ts";

/** GitHub refuses a pull request body longer than this (characters). */
export const PULL_BODY_LIMIT = 65_536;
/** GitHub refuses a longer pull request title. */
const PULL_TITLE_LIMIT = 256;

/** What the body tells beyond the tasks: the group, and the tasks of it this pull request does not hold. */
export interface PullBodyInput {
  scope: GroupScope;
  /** The tasks whose changes the pull request holds. */
  tasks: readonly TaskResult[];
  /** The group's other tasks and why they are not in it (did not succeed, changed nothing, left out). */
  notIncluded: readonly { id: string; reason: string }[];
  /** One line per file several of the tasks change, and what became of their patches. */
  overlaps: readonly string[];
}

/**
 * The pull request's description, within GitHub's limit however many tasks it holds: the tasks it does not
 * hold and the overlapping changes first (what a reviewer must know), then a row per task, then each task's
 * checks and answer, as many as fit; what does not fit is counted and left to the run folder.
 */
export function pullRequestBody(input: PullBodyInput, summary: RunSummary, limit = PULL_BODY_LIMIT): string {
  const intro = `Opened by nanocoder batch, run \`${summary.run_id}\` from \`${summary.base.slice(0, 12)}\`.`;
  const trailer = `${RUN_TRAILER}: ${summary.run_id}`;
  const [only] = input.tasks;
  if (input.tasks.length === 1 && only && input.notIncluded.length === 0 && input.overlaps.length === 0) {
    return fit([intro, "", renderTaskSection(only)].join("\n"), trailer, limit);
  }
  const head = [intro, "", describeScope(input), ...renderNotIncluded(input.notIncluded), ...renderOverlaps(input.overlaps)];
  // Room for the notes that say what was left out for length.
  let budget = limit - length(head) - trailer.length - 400;
  const rows: string[] = [];
  for (const task of input.tasks) {
    const row = renderRow(task);
    if (row.length + 1 > budget) break;
    rows.push(row);
    budget -= row.length + 1;
  }
  const table = ["", "| task | files | checks | turns | cost |", "| --- | ---: | --- | ---: | ---: |", ...rows];
  budget -= length(table);
  if (rows.length < input.tasks.length) table.push("", `And ${plural(input.tasks.length - rows.length, "more task")}, listed in the run folder's summary.json.`);
  const sections: string[] = [];
  for (const task of input.tasks) {
    const section = `\n${renderTaskSection(task)}`;
    if (section.length + 1 > budget) break;
    sections.push(section);
    budget -= section.length + 1;
  }
  const unshown = input.tasks.length - sections.length;
  const more = unshown > 0 ? ["", `The checks and answers of ${plural(unshown, "more task")} are in the run folder, in \`tasks/<id>/result.json\`.`] : [];
  return fit([...head, ...table, ...sections, ...more].join("\n"), trailer, limit);
}

/** A title GitHub takes. */
export function fitTitle(title: string): string {
  return title.length <= PULL_TITLE_LIMIT ? title : `${title.slice(0, PULL_TITLE_LIMIT - 1)}…`;
}

function describeScope({ scope, tasks }: PullBodyInput): string {
  const count = plural(tasks.length, "task");
  switch (scope.kind) {
    case "file":
      return `The changes of ${count} from the task file \`${scope.file}\`.`;
    case "label":
      return `The changes of ${count} labelled \`${scope.label}\`.`;
    default:
      return tasks.length === 1 ? "The change of one task." : `The changes of ${count}.`;
  }
}

/** Shown in full up to this many; past it, counted. */
const NOT_INCLUDED_SHOWN = 20;
const REASON_SHOWN_CHARS = 400;

function renderNotIncluded(entries: PullBodyInput["notIncluded"]): string[] {
  if (entries.length === 0) return [];
  const shown = entries.slice(0, NOT_INCLUDED_SHOWN).map(({ id, reason }) => `- **${id}**: ${escapeText(cut(oneLine(reason), REASON_SHOWN_CHARS))}`);
  const rest = entries.length > NOT_INCLUDED_SHOWN ? [`- and ${entries.length - NOT_INCLUDED_SHOWN} more (the run's report.md lists them)`] : [];
  return ["", `Not in this pull request (${plural(entries.length, "task")}):`, "", ...shown, ...rest];
}

function renderOverlaps(lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  return ["", "### Files changed by more than one task", "", ...lines.map((line) => `- ${line}`)];
}

function renderRow(task: TaskResult): string {
  const name = task.title ? `${task.id}: ${escapeCell(escapeText(oneLine(task.title)))}` : task.id;
  const passed = task.checks.filter((check) => check.passed).length;
  const checks = task.checks.length === 0 ? "none" : `✔ ${passed}${passed < task.checks.length ? ` ✖ ${task.checks.length - passed}` : ""}`;
  return `| ${name} | ${task.files_changed.length} | ${checks} | ${task.turns} | ${formatCost(task.cost_usd)} |`;
}

/** Longest answer of the model shown; the whole one is in result.json. */
const FINAL_MESSAGE_SHOWN = 8_000;

function renderTaskSection(task: TaskResult): string {
  const checks = task.checks.length === 0
    ? ["- no checks"]
    : task.checks.map((check) => `- ${check.passed ? "✔" : "✖"} \`${check.name}\` (${formatDuration(check.duration_ms)})`);
  // What failed before the retries that made the checks pass: the reviewer sees what the model fixed.
  const failedRuns = [
    ...(task.earlier_checks ?? []).filter((check) => !check.passed),
    ...task.checks.filter((check) => !check.passed).map((check) => ({ ...check, attempt: task.attempts })),
  ];
  const denials = task.denied_calls.length === 0
    ? []
    : ["", `Policy denials (${task.denials}):`, "", ...task.denied_calls.map((call) => `- ${call.tool} \`${call.subject.replace(/`/g, "'")}\`: ${call.reason} (rule \`${call.rule}\`)`)];
  const message = task.final_message?.trim();
  const answer = message === undefined || message === ""
    ? []
    : ["", "<details><summary>The model's last answer</summary>", "", message.length > FINAL_MESSAGE_SHOWN ? `${message.slice(0, FINAL_MESSAGE_SHOWN)}\n\n… (cut; the whole answer is in ${codeSpan(`tasks/${task.id}/result.json`)})` : message, "", "</details>"];
  return [
    `### ${task.id}${task.title ? `: ${task.title}` : ""}`,
    "",
    `Status **${task.status}**${task.status === "succeeded" ? "" : ` (${task.stop_reason}: ${reasonOf(task)})`} · ${task.provider}/${task.model} · ${plural(task.turns, "turn")} · cost ${formatCost(task.cost_usd)} · ${task.files_changed.length} file(s) changed`,
    "",
    "Checks:",
    "",
    ...checks,
    ...failedRuns.flatMap((check) => renderFailedRun(check)),
    ...denials,
    ...answer,
  ].join("\n");
}

/** A failed check run, folded: its last lines, from the log in the run folder (the workflow's artifact). */
function renderFailedRun(check: CheckOutcome & { attempt: number }): string[] {
  const tail = tailLines(check).join("\n");
  const fence = fenceFor(tail);
  const name = check.name.replace(/\s+/g, " ").replace(/`/g, "'");
  return [
    "",
    `<details><summary>Attempt ${check.attempt}: <code>${escapeHtml(name)}</code> ${check.timed_out ? "timed out" : `failed (exit code ${String(check.exit_code)})`}</summary>`,
    "",
    tailHeading(check, `\`${check.log}\``),
    "",
    `${fence}text`,
    tail,
    fence,
    "",
    "</details>",
  ];
}

/** The text and the trailer, the text cut short should one task's section alone outgrow the limit. */
function fit(text: string, trailer: string, limit: number): string {
  const room = limit - trailer.length - 2;
  if (text.length <= room) return `${text}\n\n${trailer}`;
  const note = "\n\n… (cut to fit GitHub's limit; the run folder has the rest)";
  return `${text.slice(0, room - note.length)}${note}\n\n${trailer}`;
}

function length(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + line.length + 1, 0);
}

