import { defineCommand } from "citty";
import { resolve } from "node:path";
import { pullSettingsFromFlags } from "../../github/pull-settings.ts";
import { deliverPullRequests } from "../../github/cli-delivery.ts";
import { writeHtmlReport } from "../../report/html/write.ts";
import { mergeRuns, readRunSummary } from "../../report/merge.ts";
import { collectSecrets, createRedactor } from "../../report/redact.ts";
import { createRunId } from "../../run/run-id.ts";
import { UserError } from "../../shared/errors.ts";
import type { Outcome } from "../../shared/outcome.ts";
import { findRepoRoot } from "../../workspace/git.ts";
import { pullRequestArgs, rejectUnknownFlags } from "../args.ts";
import { renderJsonSummary } from "../json-output.ts";
import { renderSummaryLines } from "../render.ts";

const mergeArgs = {
  out: { type: "string", description: "Folder for the merged run", valueHint: "DIR", required: true },
  json: { type: "boolean", description: "Print the merged summary.json to stdout, with the folder's path as run_dir; an error, as JSON too" },
  ...pullRequestArgs,
} as const;

const merge = defineCommand({
  meta: { name: "merge", description: "Join the run folders of several shards into one summary, report, cost report and junit.xml, and open their pull requests" },
  args: {
    dirs: { type: "positional", description: "Run folders (shard-*/)", required: false },
    ...mergeArgs,
  },
  async run({ args, rawArgs }): Promise<Outcome> {
    rejectUnknownFlags(rawArgs, mergeArgs);
    if (!args.out) throw new UserError("report merge: give --out DIR, the folder for the merged run", "E_USAGE");
    const pullSettings = await pullSettingsFromFlags(args, process.env);
    // The branches are made in the repository the command runs in: checked before anything is written.
    const repoRoot = pullSettings ? await findRepoRoot(process.cwd()) : undefined;
    const dirs = args._.map((dir) => resolve(dir));
    const outDir = resolve(args.out);
    const { summary, missing } = await mergeRuns(dirs, outDir, createRunId(), { out: args.out });
    const output = args.json ? renderJsonSummary(summary, outDir) : renderSummaryLines(summary, args.out);
    process.stdout.write(`${output}\n`);
    if (missing.length > 0) process.stderr.write(`missing from every run folder: ${missing.join(", ")}\n`);
    const complete = missing.length === 0 && summary.totals.succeeded === summary.totals.tasks;
    if (pullSettings && repoRoot) {
      const delivered = await deliverPullRequests({ ...pullSettings, repoRoot, outDir, summary, log: (line) => process.stderr.write(`${line}\n`) });
      if (!delivered) return "failed";
    }
    return complete ? "succeeded" : "failed";
  },
});

const html = defineCommand({
  meta: { name: "html", description: "Write report.html of a run folder again, from its summary.json, event logs and patches" },
  args: {
    dir: { type: "positional", description: "The run folder", required: true },
  },
  async run({ args, rawArgs }): Promise<Outcome> {
    rejectUnknownFlags(rawArgs, {});
    const dir = resolve(args.dir);
    const { summary, notes } = await readRunSummary(dir, "report html");
    // The folder's files are redacted already; this run's environment may know secrets they still hold.
    const path = await writeHtmlReport(dir, summary, createRedactor(collectSecrets(process.env, [])), notes);
    process.stdout.write(`${path}\n`);
    return "succeeded";
  },
});

export default defineCommand({
  meta: { name: "report", description: "Work with run folders" },
  subCommands: { merge, html },
});
