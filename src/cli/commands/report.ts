import { defineCommand } from "citty";
import { resolve } from "node:path";
import { mergeRuns } from "../../report/merge.ts";
import { createRunId } from "../../run/run-id.ts";
import { UserError } from "../../shared/errors.ts";
import { rejectUnknownFlags } from "../args.ts";
import { renderSummaryLines } from "../render.ts";

const mergeArgs = {
  out: { type: "string", description: "Folder for the merged run", valueHint: "DIR", required: true },
  json: { type: "boolean", description: "Print the merged summary.json to stdout" },
} as const;

const merge = defineCommand({
  meta: { name: "merge", description: "Join the run folders of several shards into one summary, report, cost report and junit.xml" },
  args: {
    dirs: { type: "positional", description: "Run folders (shard-*/)", required: false },
    ...mergeArgs,
  },
  async run({ args, rawArgs }) {
    rejectUnknownFlags(rawArgs, mergeArgs);
    if (!args.out) throw new UserError("report merge: give --out DIR, the folder for the merged run", "E_USAGE");
    const dirs = args._.map((dir) => resolve(dir));
    const { summary, missing } = await mergeRuns(dirs, resolve(args.out), createRunId(), args.out);
    const output = args.json ? JSON.stringify(summary, null, 2) : renderSummaryLines(summary, args.out);
    process.stdout.write(`${output}\n`);
    if (missing.length > 0) process.stderr.write(`missing from every run folder: ${missing.join(", ")}\n`);
    process.exitCode = missing.length === 0 && summary.totals.succeeded === summary.totals.tasks ? 0 : 1;
  },
});

export default defineCommand({
  meta: { name: "report", description: "Work with run folders" },
  subCommands: { merge },
});
