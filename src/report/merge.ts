import { cp, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UserError } from "../shared/errors.ts";
import { runSummarySchema, describeIssues, type RunSummary, type SandboxStatus } from "./schema.ts";
import { buildSummary } from "./summary.ts";
import { writeRunReports } from "./write.ts";

export interface MergedRun {
  summary: RunSummary & { missing_tasks: string[]; merged_from: string[] };
  /** Planned by some shard, but in no run folder. */
  missing: string[];
}

const noRedaction = (text: string): string => text;

/** How errors name things: the --out folder as the user gave it, and what is merging (`report merge`, the Action's `merge`). */
export interface MergeNames {
  out?: string;
  label?: string;
}

/**
 * Joins the run folders of several shards into one: summary.json, report.md, cost.json, cost.csv,
 * junit.xml and every task's folder. A task id in two folders is an error; a planned task in none is listed.
 */
export async function mergeRuns(dirs: readonly string[], outDir: string, runId: string, shown: MergeNames = {}): Promise<MergedRun> {
  const { out: shownOut = outDir, label = "report merge" } = shown;
  if (dirs.length === 0) throw new UserError(`${label}: give one or more run folders, e.g. nanocoder report merge shard-*/ --out merged`, "E_USAGE");
  const existing = await stat(outDir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UserError(`${label}: --out ${shownOut}: is a file, not a folder; give a folder for the merged report`, "E_USAGE");
  const runs = await Promise.all(dirs.map(async (dir) => ({ dir, summary: await readSummary(dir, label) })));
  const owner = new Map<string, string>();
  for (const { dir, summary } of runs) {
    for (const task of summary.tasks) {
      const first = owner.get(task.id);
      if (first !== undefined) throw new UserError(`${label}: task "${task.id}" is in both ${first} and ${dir}`, "E_MERGE_DUPLICATE");
      owner.set(task.id, dir);
    }
  }
  const bases = [...new Set(runs.map(({ summary }) => summary.base))];
  if (bases.length > 1) throw new UserError(`${label}: the runs start from different commits (${bases.map((base) => base.slice(0, 12)).join(", ")})`, "E_MERGE_BASE");

  const planned = [...new Set(runs.flatMap(({ summary }) => summary.planned_tasks ?? summary.tasks.map((task) => task.id)))];
  const missing = planned.filter((id) => !owner.has(id));
  const byId = new Map(runs.flatMap(({ summary }) => summary.tasks.map((task) => [task.id, task] as const)));
  const ordered = [...planned.flatMap((id) => byId.get(id) ?? []), ...[...byId.values()].filter((task) => !planned.includes(task.id))];
  const startedAt = new Date(Math.min(...runs.map(({ summary }) => Date.parse(summary.started_at))));
  const endedAt = new Date(Math.max(...runs.map(({ summary }) => Date.parse(summary.ended_at))));
  const policy = [...new Set(runs.map(({ summary }) => summary.policy))].join(", ");
  const summary = {
    ...buildSummary({ runId, startedAt, endedAt, base: bases[0] ?? "", policy }, ordered),
    planned_tasks: planned,
    missing_tasks: missing,
    merged_from: runs.map(({ summary: run }) => run.run_id),
    ...mergedSandbox(runs.map(({ summary: run }) => run.sandbox)),
    ...mergedEnvironment(runs.map(({ summary: run }) => run)),
    ...mergedSelection(runs.map(({ summary: run }) => run), owner),
  };

  for (const [id, dir] of owner) await cp(join(dir, "tasks", id), join(outDir, "tasks", id), { recursive: true });
  await writeRunReports(outDir, summary, noRedaction);
  return { summary, missing };
}

/**
 * How the merged run's commands ran: the least confined shard speaks for all, so a shard that ran
 * without a sandbox keeps its warning in the merged report.
 */
function mergedSandbox(statuses: (SandboxStatus | undefined)[]): { sandbox?: SandboxStatus } {
  const known = statuses.filter((status) => status !== undefined);
  const weakest = known.find((status) => !status.active) ?? known.find((status) => status.network === true)
    ?? known.find((status) => Array.isArray(status.network)) ?? known[0];
  return weakest ? { sandbox: weakest } : {};
}

/**
 * What chose the merged runs' tasks: the tasks some run left out and none ran stay left out, so a grouped
 * pull request is not delivered from a merge that lacks part of its group.
 */
function mergedSelection(summaries: RunSummary[], merged: ReadonlyMap<string, string>): Pick<RunSummary, "selection"> {
  const selections = summaries.flatMap((summary) => (summary.selection ? [summary.selection] : []));
  if (selections.length === 0) return {};
  const left = new Map(selections.flatMap((selection) => selection.left).filter((task) => !merged.has(task.id)).map((task) => [task.id, task]));
  const unique = (lists: string[][]) => [...new Set(lists.flat())];
  return { selection: { by: unique(selections.map((selection) => selection.by)), labels: unique(selections.map((selection) => selection.labels)), left: [...left.values()] } };
}

/** Shards of one batch share the policy and the repository, so any shard says what commands saw. */
function mergedEnvironment(summaries: RunSummary[]): Pick<RunSummary, "environment"> {
  const environment = summaries.find((summary) => summary.environment)?.environment;
  return environment ? { environment } : {};
}

/** A run folder's summary.json, read with its schema; a folder without one is the user's mistake. */
export async function readSummary(dir: string, label: string): Promise<RunSummary> {
  const path = join(resolve(dir), "summary.json");
  const text = await readFile(path, "utf8").catch(() => {
    throw new UserError(`${label}: ${dir} is not a run folder (no summary.json)`, "E_MERGE_INPUT");
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${label}: ${path} is not JSON (${error instanceof Error ? error.message : String(error)})`, "E_MERGE_INPUT");
  }
  const parsed = runSummarySchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${label}: ${path} is not a summary.json nanocoder wrote (${describeIssues(parsed.error)})`, "E_MERGE_INPUT");
  return parsed.data;
}
