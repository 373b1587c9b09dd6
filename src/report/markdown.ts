import { renderChecksSection } from "./checks-table.ts";
import { buildCostReport, renderCostSection } from "./cost.ts";
import { failedCheckOf, fenceFor, tailHeading, tailLines } from "./failed-check.ts";
import { codeSpan, cut, escapeCell, escapeText, formatCost, formatDuration, formatTokens, oneLine } from "./format.ts";
import type { CheckOutcome, RunSummary, TaskResult } from "./types.ts";
import { describeNetwork } from "../sandbox/index.ts";

/**
 * report.md: the summary for a person, also fit for a GitHub job summary. The tasks that did not succeed come
 * first; a run of thousands of tasks stays readable (and under the job summary's 1 MiB) because each list
 * stops at a bound and counts the rest, which summary.json and the task folders hold.
 */
export function renderReport(summary: RunSummary): string {
  const { totals } = summary;
  const ordered = failuresFirst(summary.tasks);
  const lines = [
    `# nanocoder batch run ${summary.run_id}`,
    "",
    `${totals.succeeded} of ${totals.tasks} tasks succeeded` +
      (totals.tasks > totals.succeeded ? ` (${describeOthers(summary)})` : "") +
      ` in ${formatDuration(summary.duration_ms)}.`,
    `Base commit \`${summary.base.slice(0, 12)}\`, policy ${summary.policy}.`,
    ...renderSandboxLine(summary),
    ...renderEnvironmentLine(summary),
    ...renderStopReasons(summary),
    "",
    "| task | status | stop reason | turns | tokens in / out | cost | denials | files | time |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...tableRows(ordered).map(renderRow),
    `| **total** | | | ${totals.turns} | ${formatTokens(totals.tokens)} | ${formatCost(totals.cost_usd)} | ${totals.denials} | | ${formatDuration(summary.duration_ms)} |`,
    ...describeTableCut(ordered),
  ];
  const byFile = renderByTaskFile(summary.tasks);
  if (byFile.length > 0) lines.push("", ...byFile);
  if (totals.tokens.estimated) lines.push("", "Token counts marked ~ are estimated: the server sent no usage.");
  const problems = ordered.filter((task) => task.error);
  if (problems.length > 0) {
    const rows = problems.map((task) => `- **${task.id}** (${task.status}, ${task.stop_reason}): ${escapeText(cut(oneLine(task.error ?? ""), ERROR_SHOWN_CHARS))}`);
    lines.push("", "## Problems", "", ...bound(rows, LIST_LIMIT, (more) => `- and ${more} more: each task's \`error\` is in summary.json`));
  }
  const answers = renderOutputs(ordered);
  if (answers.length > 0) lines.push("", ...answers);
  const failedChecks = renderFailedChecks(ordered);
  if (failedChecks.length > 0) lines.push("", ...failedChecks);
  const secretPatches = ordered.filter((task) => task.patch_has_secret);
  if (secretPatches.length > 0) {
    const ids = bound(secretPatches.map((task) => task.id), LIST_LIMIT, (more) => `and ${more} more`).join(", ");
    lines.push("", `> **Warning: a patch held a secret's value** (${ids}): the model wrote it into a file. The patch has \`[REDACTED]\` in its place and is never pushed. Review it before applying.`);
  }
  const nested = ordered.filter((task) => task.nested_repositories);
  if (nested.length > 0) {
    const which = bound(nested.map((task) => `${escapeText(task.id)} (${(task.nested_repositories ?? []).map(codeSpan).join(", ")})`), LIST_LIMIT, (more) => `and ${more} more`).join(", ");
    lines.push("", `> **Note: tasks made git repositories of their own** (${which}): a patch cannot carry them, so their files are in no patch.`);
  }
  const checks = renderChecksSection(ordered);
  if (checks.length > 0) lines.push("", ...boundTable(checks, CHECK_ROWS, (more) => `And ${more} more check runs: each task's are in its result.json.`));
  const undone = renderUndoneWrites(ordered);
  if (undone.length > 0) lines.push("", ...boundTable(undone, LIST_LIMIT, (more) => `And ${more} more: each task's \`violations\` are in summary.json.`));
  const denied = renderDeniedCalls(ordered);
  if (denied.length > 0) lines.push("", ...boundTable(denied, LIST_LIMIT, (more) => `And ${more} more: each task's \`denied_calls\` are in summary.json.`));
  lines.push("", ...renderCostSection(buildCostReport(summary)));
  lines.push("", "Each task's patch is in `tasks/<id>/patch.diff` (apply with `git apply`), its event log in `tasks/<id>/events.jsonl`.", "");
  return lines.join("\n");
}

/** How commands ran; a warning that stands out when `mode: auto` found no working sandbox. */
function renderSandboxLine({ sandbox }: RunSummary): string[] {
  if (!sandbox) return [];
  if (sandbox.active) {
    const writable = sandbox.writable?.length ? `; also writable: ${sandbox.writable.map((path) => `\`${oneLine(path)}\``).join(", ")}` : "";
    return [`Commands ran in a bubblewrap sandbox (${sandbox.required ? "required" : `mode ${sandbox.mode}`}), ${describeNetwork(sandbox.network)}${writable}.`];
  }
  if (sandbox.mode === "none") return ["Commands ran without a sandbox (policy `sandbox.mode: none`): they could read every file the runner can, write anywhere it can and reach the network; changes the policy refuses in the worktree were still undone after each command."];
  return ["", `> **Warning: commands ran WITHOUT a sandbox**: ${oneLine(sandbox.reason ?? "")}. Commands could read every file the runner can, write anywhere it can and reach the network; changes the policy refuses in the worktree were still undone after each command. Run \`nanocoder doctor\` for the fix; see docs/sandbox.md.`];
}

/** What commands found in their worktree besides its files: the shared dependencies and setup. */
function renderEnvironmentLine({ environment }: RunSummary): string[] {
  if (!environment || (environment.dependencies.length === 0 && environment.setup.length === 0)) return [];
  const code = (text: string) => `\`${oneLine(text).replaceAll("`", "'")}\``;
  const shared = environment.dependencies.length > 0 ? `They saw the repository's installed ${environment.dependencies.map(code).join(", ")} (read-only)` : "";
  const setup = environment.setup.length > 0 ? `each worktree ran setup first: ${environment.setup.map(code).join(", ")}` : "";
  return [`${[shared, setup].filter(Boolean).join("; ").replace(/^e/, "E")}.`];
}

/** How many tasks stopped for each reason, the ones that occurred; a run where every task completed needs no line. */
function renderStopReasons({ totals }: RunSummary): string[] {
  // A summary.json written before stop reasons has none.
  const counted = Object.entries(totals.stop_reasons ?? {}).filter(([, count]) => count > 0);
  if (counted.length === 0 || counted.every(([reason]) => reason === "completed")) return [];
  return [`Stop reasons: ${counted.map(([reason, count]) => `${reason} ${count}`).join(", ")}.`];
}

/** Longest answer shown in report.md; the whole one is in output.json. */
const OUTPUT_SHOWN_CHARS = 300;

/** Each structured answer on one line, cut short: the report is for a glance, output.json for the value. */
function renderOutputs(tasks: readonly TaskResult[]): string[] {
  const rows = tasks.flatMap((task) => {
    if (!task.output_file) return [];
    const json = "output" in task ? JSON.stringify(task.output) : undefined;
    const shown = json === undefined ? "(large: see the file)" : codeSpan(json.length > OUTPUT_SHOWN_CHARS ? `${json.slice(0, OUTPUT_SHOWN_CHARS - 1)}…` : json);
    return [`- **${task.id}**: ${shown} (\`${task.output_file}\`)`];
  });
  return rows.length === 0 ? [] : ["## Outputs", "", ...bound(rows, LIST_LIMIT, (more) => `- and ${more} more, each in its output.json`)];
}

/** For each task whose checks failed: the end of the failed check's output, and where the whole log is. */
function renderFailedChecks(tasks: readonly TaskResult[]): string[] {
  const sections = tasks.flatMap((task) => {
    const check = failedCheckOf(task);
    if (!check) return [];
    const tail = tailLines(check).join("\n");
    const fence = fenceFor(tail);
    return [[
      `### ${task.id}: ${codeSpan(oneLine(check.name))} ${describeCheckFailure(check)}`,
      "",
      tailHeading(check, codeSpan(check.log)),
      "",
      `${fence}text`,
      tail,
      fence,
    ]];
  });
  if (sections.length === 0) return [];
  const shown = sections.slice(0, FAILED_CHECKS_SHOWN).flatMap((section) => ["", ...section]);
  const more = sections.length > FAILED_CHECKS_SHOWN ? ["", `And ${sections.length - FAILED_CHECKS_SHOWN} more failed checks: junit.xml has the end of each, \`tasks/<id>/checks/\` their logs.`] : [];
  return ["## Failed checks", ...shown, ...more];
}

function describeCheckFailure(check: CheckOutcome): string {
  if (check.timed_out) return "timed out";
  return check.exit_code === null ? "could not run" : `failed with exit code ${check.exit_code}`;
}

/** Writes commands made against the policy, found after each command and undone: the tasks are not succeeded. */
function renderUndoneWrites(tasks: TaskResult[]): string[] {
  const rows = tasks.flatMap((task) =>
    (task.violations ?? []).map((violation) => `| ${task.id} | ${escapeCell(codeSpan(oneLine(violation.by)))} | ${escapeCell(codeSpan(oneLine(violation.path)))} | \`${violation.rule}\` |`),
  );
  if (rows.length === 0) return [];
  return [
    "## Writes the policy refused, undone",
    "",
    "Commands wrote these paths although the policy lets nothing write them. Each change was put back before the patch was made; the tasks did not succeed.",
    "",
    "| task | written by | path | rule |",
    "| --- | --- | --- | --- |",
    ...rows,
  ];
}

/** Every refused call with its rule, so a maintainer can widen the policy on purpose, or leave it. */
function renderDeniedCalls(tasks: TaskResult[]): string[] {
  const rows = tasks.flatMap((task) =>
    task.denied_calls.map((call) => `| ${task.id} | ${call.tool} | ${escapeCell(codeSpan(oneLine(call.subject)))} | \`${call.rule}\` | ${escapeCell(escapeText(oneLine(call.reason)))} |`),
  );
  if (rows.length === 0) return [];
  return ["## Denied calls", "", "| task | tool | call | rule | reason |", "| --- | --- | --- | --- | --- |", ...rows];
}

function renderRow(task: TaskResult): string {
  const name = task.title ? `${task.id}: ${escapeCell(escapeText(cut(oneLine(task.title), TITLE_SHOWN_CHARS)))}` : task.id;
  return `| ${name} | ${task.status} | ${task.stop_reason ?? ""} | ${task.turns} | ${formatTokens(task.tokens)} | ${formatCost(task.cost_usd)} | ${task.denials} | ${task.files_changed.length} | ${formatDuration(task.duration_ms)} |`;
}

function describeOthers(summary: RunSummary): string {
  const { failed, limit_exceeded, error, interrupted } = summary.totals;
  const parts = [
    failed > 0 ? `${failed} failed` : "",
    limit_exceeded > 0 ? `${limit_exceeded} limit exceeded` : "",
    error > 0 ? `${error} error` : "",
    interrupted > 0 ? `${interrupted} interrupted` : "",
  ];
  return parts.filter(Boolean).join(", ");
}

// --- at scale ---

/** Up to this many tasks, the table lists every one. */
const ALL_ROWS_UP_TO = 100;
/** Past that: the tasks that did not succeed, up to this many, and the first of those that did. */
const NOT_SUCCEEDED_ROWS = 200;
const SUCCEEDED_ROWS = 20;
/** Entries of the other lists (problems, answers, denied calls…) shown before the rest are counted. */
const LIST_LIMIT = 100;
const CHECK_ROWS = 200;
const FAILED_CHECKS_SHOWN = 20;
const TASK_FILES_SHOWN = 50;
const ERROR_SHOWN_CHARS = 500;
const TITLE_SHOWN_CHARS = 200;

/** The tasks that did not succeed first, each part in run order. */
export function failuresFirst(tasks: readonly TaskResult[]): TaskResult[] {
  return [...tasks.filter((task) => task.status !== "succeeded"), ...tasks.filter((task) => task.status === "succeeded")];
}

function tableRows(ordered: readonly TaskResult[]): TaskResult[] {
  if (ordered.length <= ALL_ROWS_UP_TO) return [...ordered];
  const failed = ordered.filter((task) => task.status !== "succeeded");
  const succeeded = ordered.filter((task) => task.status === "succeeded");
  return [...failed.slice(0, NOT_SUCCEEDED_ROWS), ...succeeded.slice(0, SUCCEEDED_ROWS)];
}

/** What the table leaves out, said under it. */
function describeTableCut(ordered: readonly TaskResult[]): string[] {
  const shown = tableRows(ordered);
  if (shown.length === ordered.length) return [];
  const failed = ordered.filter((task) => task.status !== "succeeded").length;
  const failedShown = shown.filter((task) => task.status !== "succeeded").length;
  const succeededShown = shown.length - failedShown;
  const parts = [
    failed === 0 ? "" : failedShown === failed ? `the ${failed} tasks that did not succeed` : `the first ${failedShown} of the ${failed} tasks that did not succeed`,
    `the first ${succeededShown} of the ${ordered.length - failed} that succeeded`,
  ].filter(Boolean);
  return ["", `The table shows ${parts.join(" and ")}; summary.json lists every task, and each has its folder under \`tasks/\`.`];
}

/** Each task file's tasks counted, when a run large enough to cut the table came from several files. */
function renderByTaskFile(tasks: readonly TaskResult[]): string[] {
  if (tasks.length <= ALL_ROWS_UP_TO) return [];
  const byFile = new Map<string, { tasks: number; succeeded: number }>();
  for (const task of tasks) {
    const file = task.task_file ?? "(unknown)";
    const counts = byFile.get(file) ?? { tasks: 0, succeeded: 0 };
    counts.tasks++;
    if (task.status === "succeeded") counts.succeeded++;
    byFile.set(file, counts);
  }
  if (byFile.size < 2) return [];
  // Files with tasks that did not succeed first, the most failures first.
  const rows = [...byFile]
    .sort(([, a], [, b]) => b.tasks - b.succeeded - (a.tasks - a.succeeded))
    .map(([file, counts]) => `| ${escapeCell(codeSpan(file))} | ${counts.tasks} | ${counts.succeeded} | ${counts.tasks - counts.succeeded} |`);
  return boundTable(["## By task file", "", "| task file | tasks | succeeded | did not succeed |", "| --- | ---: | ---: | ---: |", ...rows], TASK_FILES_SHOWN, (more) => `And ${more} more task files.`);
}

/** The first `max` entries, and a line counting the rest. */
function bound(rows: readonly string[], max: number, more: (count: number) => string): string[] {
  return rows.length <= max ? [...rows] : [...rows.slice(0, max), more(rows.length - max)];
}

/** A section made of a heading, a blank line, a table's two header lines and its rows: the first `max` rows, and a note counting the rest. */
function boundTable(section: readonly string[], max: number, more: (count: number) => string): string[] {
  const head = section.findIndex((line) => line.startsWith("| ---"));
  const rows = section.slice(head + 1);
  if (rows.length <= max) return [...section];
  return [...section.slice(0, head + 1), ...rows.slice(0, max), "", more(rows.length - max)];
}

/** report.md of a merged run: the report of the tasks held, what the shards were, and the planned tasks none holds. */
export function renderMergedReport(summary: RunSummary, mergedFrom: readonly string[], missing: readonly string[]): string {
  let report = renderReport(summary).trimEnd();
  if (missing.length > 0) {
    // The headline counts the tasks the folders hold; the batch was larger.
    const { succeeded, tasks } = summary.totals;
    report = report.replace(/^\d+ of \d+ tasks succeeded/m, `${succeeded} of ${tasks + missing.length} planned tasks succeeded (${missing.length} missing: no run folder holds them)`);
  }
  const lines = [report, "", `Merged from runs ${mergedFrom.map((id) => `\`${id}\``).join(", ")}.`];
  if (missing.length > 0) {
    lines.push("", "## Missing tasks", "", "Planned, but no run folder holds a result for them:", "", ...bound(missing.map((id) => `- ${id}`), LIST_LIMIT, (more) => `- and ${more} more: summary.json lists them in \`missing_tasks\``));
  }
  return `${lines.join("\n")}\n`;
}
