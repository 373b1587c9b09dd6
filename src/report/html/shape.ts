import type { AgentEvent } from "../../agent/events.ts";
import { formatCost, formatDuration } from "../format.ts";
import type { CheckOutcome, CostReport, DeniedCall, ModelCost, RunSummary, RunTotals, TaskResult } from "../types.ts";
import { boundedDiff, splitPatch, type DiffFile } from "./diff.ts";

/**
 * What report.html shows, shaped from the run folder: the overview (every task's row, the totals, the
 * warnings) and one bounded detail per task, embedded apart so the page parses a task only when it is opened.
 * Pure: the files are read by write.ts.
 */

export interface PageTask {
  /** The task's place in the run: its detail is the JSON script `task-<index>`. */
  index: number;
  id: string;
  title?: string;
  status: TaskResult["status"];
  stop_reason: TaskResult["stop_reason"];
  /** The error's first line, cut to one line's length. */
  reason?: string;
  provider: string;
  model: string;
  turns: number;
  requests: number;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number | null;
  cost_text: string;
  duration_ms: number;
  duration_text: string;
  denials: number;
  files: number;
}

export interface PageData {
  generator: string;
  run: {
    id: string;
    started_at: string;
    ended_at: string;
    duration_text: string;
    base: string;
    policy: string;
    merged_from?: string[];
    shard?: { index: number; count: number };
  };
  warnings: string[];
  totals: RunTotals & { cost_text: string };
  models: ModelCost[];
  tasks: PageTask[];
  missing_tasks: string[];
}

export type PolicyDecisionEvent = Extract<AgentEvent, { type: "policy_decision" }>;

export type Step =
  | { kind: "model"; turn: number; text: string; purpose?: string }
  | {
    kind: "tool";
    turn: number;
    id: string;
    name: string;
    arguments: string;
    decisions: Pick<PolicyDecisionEvent, "decision" | "rule" | "reason" | "subject" | "pattern" | "rule_source" | "effect">[];
    result?: { status: string; output: string; duration_ms: number };
  }
  | { kind: "check"; name: string; attempt: number; command: string; exit_code: number | null; timed_out: boolean; duration_ms: number; output: string }
  | { kind: "note"; text: string; warn: boolean }
  /** Steps left out of the middle of a long conversation. */
  | { kind: "gap"; count: number };

export interface RequestLine {
  turn: number;
  purpose?: string;
  input: number;
  cached: number;
  output: number;
  estimated: boolean;
  /** Only when the server reported it; the task's total is priced from the config and the price table. */
  cost_usd?: number;
  duration_ms: number;
}

export interface TaskDetail {
  id: string;
  prompt: string;
  final_message?: string;
  error?: string;
  checks: (CheckOutcome & { attempt?: number })[];
  denied_calls: DeniedCall[];
  violations: NonNullable<TaskResult["violations"]>;
  files_changed: string[];
  diff: DiffFile[];
  /** The patch file is not in the run folder: the page says so rather than "No changes." */
  patch_missing?: true;
  /** Files of the patch past the first MOST_DIFF_FILES, left to patch.diff. */
  diff_files_cut: number;
  steps: Step[];
  requests: RequestLine[];
  /** Requests left out of the middle, when there were more than the limit. */
  requests_cut: number;
  /** What was shortened to keep the page bounded; the whole of it is in the linked files. */
  cut: string[];
  links: { result: string; events: string; patch: string };
}

/** Files of a patch the page shows, each a fold of its own: a patch of 30,000 files would take the browser many seconds to draw. */
export const MOST_DIFF_FILES = 200;

/** The page's name in the run folder, which summary.json gives in `report_html`. */
export const HTML_REPORT = "report.html";

/** What a task's detail may hold at most; each level halves the one before, until the detail fits its budget. */
export interface DetailLimits {
  /** Characters of a prompt, a model's text, a final message. */
  text: number;
  /** Characters of a tool's arguments or result, or a check's output. */
  output: number;
  /** Timeline steps (and request lines): the first half and the last half are kept. */
  steps: number;
  /** Characters of the whole patch. */
  patch: number;
}

export const DETAIL_LEVELS: readonly DetailLimits[] = [
  { text: 20_000, output: 8000, steps: 1000, patch: 150_000 },
  { text: 8000, output: 3000, steps: 400, patch: 60_000 },
  { text: 4000, output: 1200, steps: 200, patch: 30_000 },
  { text: 2000, output: 500, steps: 120, patch: 15_000 },
  { text: 1000, output: 250, steps: 80, patch: 6000 },
  { text: 500, output: 120, steps: 60, patch: 3000 },
  { text: 300, output: 80, steps: 40, patch: 1500 },
  { text: 200, output: 60, steps: 24, patch: 1000 },
];

/**
 * Characters of JSON the tasks' details may take together, before compression (render.ts packs each
 * task's): the page's size is what its load time follows, and 40 million characters of agent logs make a
 * page of a few megabytes.
 */
export const PAGE_DETAIL_BUDGET = 40_000_000;

/** A task's share of the page: all of a small run's detail, at least 24,000 characters of a large one's. */
export function detailBudget(taskCount: number): number {
  return Math.min(500_000, Math.max(24_000, Math.floor(PAGE_DETAIL_BUDGET / Math.max(taskCount, 1))));
}

/** `text` cut to `max` characters: its head and its tail, with a line saying how much went. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil(max * 0.6);
  const tail = max - head;
  return `${text.slice(0, head)}\n… [${text.length - max} characters cut] …\n${tail > 0 ? text.slice(-tail) : ""}`;
}

/** `notes`: what the reader of the run folder had to fill in (an older folder), shown with the warnings. */
export function buildPageData(summary: RunSummary, cost: CostReport, generator: string, notes: readonly string[] = []): PageData {
  return {
    generator,
    run: {
      id: summary.run_id,
      started_at: summary.started_at,
      ended_at: summary.ended_at,
      duration_text: formatDuration(summary.duration_ms),
      base: summary.base,
      policy: summary.policy,
      ...(summary.merged_from ? { merged_from: summary.merged_from } : {}),
      ...(summary.shard ? { shard: summary.shard } : {}),
    },
    warnings: [...notes, ...runWarnings(summary, cost)],
    totals: { ...summary.totals, cost_text: formatCost(summary.totals.cost_usd) },
    models: cost.models,
    tasks: summary.tasks.map(pageTask),
    missing_tasks: summary.missing_tasks ?? [],
  };
}

/** Characters of a reason in a task's row, and of a title (a task file's title can be a paragraph, and is searched). */
export const ROW_TEXT = 300;
export const ROW_TITLE = 1000;

function pageTask(task: TaskResult, index: number): PageTask {
  const firstLine = task.error?.split("\n")[0];
  return {
    index,
    id: task.id,
    // A row's texts are bounded like the details: 1,000 tasks of 20,000-character titles made a page that never loaded.
    ...(task.title ? { title: clip(task.title, ROW_TITLE) } : {}),
    status: task.status,
    stop_reason: task.stop_reason,
    ...(firstLine ? { reason: clip(firstLine, ROW_TEXT) } : {}),
    provider: task.provider,
    model: task.model,
    turns: task.turns,
    requests: task.requests,
    attempts: task.attempts,
    input_tokens: task.tokens.input,
    output_tokens: task.tokens.output,
    cached_tokens: task.tokens.cached,
    cost_usd: task.cost_usd,
    cost_text: formatCost(task.cost_usd),
    duration_ms: task.duration_ms,
    duration_text: formatDuration(task.duration_ms),
    denials: task.denials,
    files: task.files_changed.length,
  };
}

/** What a reviewer should know before reading the tasks: how commands ran, what is missing or unpriced. */
export function runWarnings(summary: RunSummary, cost: CostReport): string[] {
  const warnings: string[] = [];
  const sandbox = summary.sandbox;
  if (sandbox && !sandbox.active) warnings.push(`No sandbox: commands ran without the OS sandbox${sandbox.reason ? ` (${sandbox.reason})` : ""}.`);
  else if (sandbox?.network === true) warnings.push("Commands could reach the network.");
  for (const down of summary.providers_down ?? []) {
    warnings.push(`Provider "${down.provider}" (${down.base_url}) stopped being used: ${down.reason}; ${down.not_started} task(s) did not start.`);
  }
  const missing = summary.missing_tasks ?? [];
  if (missing.length > 0) warnings.push(`${missing.length} planned task(s) are in no run folder: ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", …" : ""}.`);
  const secrets = summary.tasks.filter((task) => task.patch_has_secret);
  if (secrets.length > 0) warnings.push(`A secret was written into the patch of ${secrets.map((task) => task.id).join(", ")}: it shows as [REDACTED] and is never pushed.`);
  if (cost.unpriced_models.length > 0) warnings.push(`No price is known for ${cost.unpriced_models.join(", ")}: the total cost counts only the priced requests.`);
  if (summary.totals.tokens.estimated) warnings.push("Some token counts are estimates: a server sent no usage.");
  return warnings;
}

/**
 * The detail of one task within `budget` characters of JSON: the first level of limits that fits, else the
 * last. `patch` is undefined when the patch file could not be read.
 */
export function buildTaskDetail(task: TaskResult, events: readonly AgentEvent[], patch: string | undefined, budget: number): TaskDetail {
  // What every level cuts from, made once: a long task tries several levels.
  const whole: WholeTask = {
    prompt: events.find((event) => event.type === "prompt")?.user_message ?? "",
    steps: timeline(events),
    requests: requestLines(events),
    files: splitPatch(patch ?? ""),
    patchMissing: patch === undefined,
  };
  let detail: TaskDetail | undefined;
  for (const limits of DETAIL_LEVELS) {
    detail = shapeTask(task, whole, limits);
    // The texts alone over the budget: no need to write the JSON to know it is too long.
    if (textLength(detail) <= budget && JSON.stringify(detail).length <= budget) return detail;
  }
  // Past the last level only the number of files and checks can still be large: their texts are short by now.
  return detail ?? shapeTask(task, whole, DETAIL_LEVELS[0] ?? { text: 500, output: 100, steps: 24, patch: 2000 });
}

/** The characters of a detail's longest texts, less than its JSON's length. */
function textLength(detail: TaskDetail): number {
  let length = detail.prompt.length + detail.diff.reduce((sum, file) => sum + file.text.length, 0);
  for (const step of detail.steps) {
    if (step.kind === "model") length += step.text.length;
    else if (step.kind === "tool") length += step.arguments.length + (step.result?.output.length ?? 0);
    else if (step.kind === "check") length += step.output.length;
  }
  return length;
}

/** A task's parts before any cut. */
interface WholeTask {
  prompt: string;
  steps: Step[];
  requests: RequestLine[];
  files: ReturnType<typeof splitPatch>;
  patchMissing: boolean;
}

function shapeTask(task: TaskResult, whole: WholeTask, limits: DetailLimits): TaskDetail {
  const cut: string[] = [];
  const note = (what: string) => {
    if (!cut.includes(what)) cut.push(what);
  };
  const text = (value: string, what: string) => {
    const clipped = clip(value, limits.text);
    if (clipped !== value) note(what);
    return clipped;
  };
  const output = (value: string, what: string) => {
    const clipped = clip(value, limits.output);
    if (clipped !== value) note(what);
    return clipped;
  };

  const { steps, requests } = whole;
  const keptSteps = keepEnds(steps, limits.steps, (count): Step => ({ kind: "gap", count })).map((step) => clipStep(step, text, output));
  if (keptSteps.length < steps.length) note("the middle of the timeline");
  const keptRequests = keepEnds(requests, limits.steps, () => undefined).filter((line) => line !== undefined);
  const diff = boundedDiff(whole.files.slice(0, MOST_DIFF_FILES), limits.patch);
  if (diff.some((file) => file.cut > 0)) note("the patch");
  const diffFilesCut = Math.max(0, whole.files.length - MOST_DIFF_FILES);
  const checks = [...(task.earlier_checks ?? []), ...task.checks].map((check) => ({
    ...check,
    ...(check.output_tail ? { output_tail: output(check.output_tail, "check output") } : {}),
  }));
  const taskDir = `tasks/${task.id}`;
  return {
    id: task.id,
    prompt: text(whole.prompt, "the prompt"),
    ...(task.final_message !== undefined ? { final_message: text(task.final_message, "the final message") } : {}),
    ...(task.error !== undefined ? { error: text(task.error, "the error") } : {}),
    checks,
    denied_calls: task.denied_calls.map((call) => ({ ...call, subject: output(call.subject, "denied calls") })),
    violations: task.violations ?? [],
    files_changed: task.files_changed.slice(0, limits.steps),
    diff,
    ...(whole.patchMissing ? { patch_missing: true as const } : {}),
    diff_files_cut: diffFilesCut,
    steps: keptSteps,
    requests: keptRequests,
    requests_cut: requests.length - keptRequests.length,
    cut,
    links: { result: `${taskDir}/result.json`, events: `${taskDir}/events.jsonl`, patch: task.patch },
  };
}

/** The first half and the last half of `items` when there are more than `max`, `gap(count)` between them. */
function keepEnds<T, G>(items: T[], max: number, gap: (count: number) => G): (T | G)[] {
  if (items.length <= max) return items;
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return [...items.slice(0, head), gap(items.length - max), ...items.slice(items.length - tail)];
}

type Clip = (value: string, what: string) => string;

/** A step with its texts cut: model text to the text limit, the rest to the output limit. */
function clipStep(step: Step, text: Clip, output: Clip): Step {
  switch (step.kind) {
    case "model":
      return { ...step, text: text(step.text, "model text") };
    case "tool":
      return {
        ...step,
        arguments: output(step.arguments, "tool arguments"),
        decisions: step.decisions.map((decision) => ({ ...decision, subject: output(decision.subject, "tool arguments") })),
        ...(step.result ? { result: { ...step.result, output: output(step.result.output, "tool results") } } : {}),
      };
    case "check":
      return { ...step, output: output(step.output, "check output") };
    case "note":
      return { ...step, text: output(step.text, "notes") };
    case "gap":
      return step;
  }
}

/** The steps of a task in order: model text, each tool call with its policy decisions and result, checks, notes. */
export function timeline(events: readonly AgentEvent[]): Step[] {
  const steps: Step[] = [];
  const calls = new Map<string, Extract<Step, { kind: "tool" }>>();
  const checkCommands = new Map<string, string>();
  for (const event of events) {
    switch (event.type) {
      case "model_response":
        if (event.content.trim() !== "") steps.push({ kind: "model", turn: event.turn, text: event.content, ...(event.purpose ? { purpose: event.purpose } : {}) });
        break;
      case "tool_call": {
        const step = { kind: "tool" as const, turn: event.turn, id: event.id, name: event.name, arguments: event.arguments, decisions: [] };
        calls.set(event.id, step);
        steps.push(step);
        break;
      }
      case "policy_decision": {
        const decision = {
          decision: event.decision,
          rule: event.rule,
          reason: event.reason,
          subject: event.subject,
          ...(event.pattern !== undefined ? { pattern: event.pattern } : {}),
          ...(event.rule_source !== undefined ? { rule_source: event.rule_source } : {}),
          ...(event.effect ? { effect: true } : {}),
        };
        const call = calls.get(event.id);
        if (call) call.decisions.push(decision);
        else steps.push({ kind: "note", text: `${event.tool}: ${decision.subject} ${event.decision === "deny" ? "denied" : "allowed"} by ${event.rule}: ${event.reason}`, warn: event.decision === "deny" });
        break;
      }
      case "tool_result": {
        const call = calls.get(event.id);
        const result = { status: event.status, output: event.output, duration_ms: event.duration_ms };
        if (call) call.result = result;
        break;
      }
      case "check_start":
        checkCommands.set(`${event.attempt}/${event.name}`, event.command);
        break;
      case "check_result":
        steps.push({
          kind: "check",
          name: event.name,
          attempt: event.attempt,
          command: checkCommands.get(`${event.attempt}/${event.name}`) ?? "",
          exit_code: event.exit_code,
          timed_out: event.timed_out,
          duration_ms: event.duration_ms,
          output: event.output_tail,
        });
        break;
      default: {
        const line = noteOf(event);
        if (line) steps.push(line);
      }
    }
  }
  return steps;
}

/** The events that are neither model text, tool calls nor checks, as one line each; undefined for the rest. */
function noteOf(event: AgentEvent): Extract<Step, { kind: "note" }> | undefined {
  switch (event.type) {
    case "retry":
      return { kind: "note", text: `retry, attempt ${event.attempt}: ${event.reason}`, warn: true };
    case "context_compacted":
      return { kind: "note", text: `context compacted (${event.strategy}): ${event.tokens_before} → ${event.tokens_after} tokens of ${event.context_window}`, warn: false };
    case "provider_retry":
      return { kind: "note", text: `provider retry ${event.attempt} (${event.status ?? "no status"}) after ${event.delay_ms} ms: ${event.reason}`, warn: true };
    case "output_invalid":
      return { kind: "note", text: `answer not valid against the output schema (${event.corrections_left} corrections left): ${event.errors.join("; ")}`, warn: true };
    case "tool_calling":
      return { kind: "note", text: `tool calls as text: ${event.reason}`, warn: false };
    case "structured_output":
      return { kind: "note", text: `structured output in the instructions only: ${event.reason}`, warn: false };
    case "setup_start":
      return { kind: "note", text: `setup: ${event.commands.join(" && ")}`, warn: false };
    case "setup_end":
      return { kind: "note", text: `setup ${event.ok ? "done" : "failed"} in ${formatDuration(event.duration_ms)} (log: ${event.log})`, warn: !event.ok };
    case "setup_reused":
      return { kind: "note", text: "setup results reused", warn: false };
    case "mcp_server": {
      const skipped = event.skipped.length > 0 ? `; left out: ${event.skipped.map((skip) => `${skip.tool} (${skip.why})`).join(", ")}` : "";
      const dropped = event.env_dropped?.length ? `; variables not passed: ${event.env_dropped.join(", ")}` : "";
      const what = event.status === "not_started" ? `not started: ${event.reason ?? ""}` : `${event.status}, ${event.tools.length} tool(s)`;
      return { kind: "note", text: `MCP server ${event.server} (${event.transport}) ${what}${skipped}${dropped}`, warn: event.status === "not_started" || event.skipped.length > 0 };
    }
    case "task_end":
      return { kind: "note", text: `ended ${event.status} (${event.stop_reason})`, warn: event.status !== "succeeded" };
    default:
      return undefined;
  }
}

function requestLines(events: readonly AgentEvent[]): RequestLine[] {
  return events.flatMap((event) => event.type !== "model_response" ? [] : [{
    turn: event.turn,
    ...(event.purpose ? { purpose: event.purpose } : {}),
    input: event.usage.input,
    cached: event.usage.cached,
    output: event.usage.output,
    estimated: event.usage.estimated,
    ...(event.usage.cost_usd !== undefined ? { cost_usd: event.usage.cost_usd } : {}),
    duration_ms: event.duration_ms,
  }]);
}
