// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { t as defineCommand } from "./dist2.mjs";
import { o as pullSettingsFromFlags } from "./pulls.mjs";
import { t as deliverPullRequests } from "./cli-delivery.mjs";
import { p as writeHtmlReport } from "./patch-series.mjs";
import { n as readRunSummary, t as mergeRuns } from "./merge.mjs";
import { h as createRedactor, m as collectSecrets } from "./schema.mjs";
import { t as createRunId } from "./run-id.mjs";
import { r as UserError } from "./errors.mjs";
import { i as findRepoRoot } from "./shard.mjs";
import { n as pullRequestArgs, r as rejectUnknownFlags } from "./args.mjs";
import { r as renderJsonSummary } from "./json-output2.mjs";
import { t as renderSummaryLines } from "./render.mjs";
import { resolve } from "node:path";
// src/cli/commands/report.ts
const mergeArgs = {
	out: {
		type: "string",
		description: "Folder for the merged run",
		valueHint: "DIR",
		required: true
	},
	json: {
		type: "boolean",
		description: "Print the merged summary.json to stdout, with the folder's path as run_dir; an error, as JSON too"
	},
	...pullRequestArgs
};
const merge = defineCommand({
	meta: {
		name: "merge",
		description: "Join the run folders of several shards into one summary, report, cost report and junit.xml, and open their pull requests"
	},
	args: {
		dirs: {
			type: "positional",
			description: "Run folders (shard-*/)",
			required: false
		},
		...mergeArgs
	},
	async run({ args, rawArgs }) {
		rejectUnknownFlags(rawArgs, mergeArgs);
		if (!args.out) throw new UserError("report merge: give --out DIR, the folder for the merged run", "E_USAGE");
		const pullSettings = await pullSettingsFromFlags(args, process.env);
		const repoRoot = pullSettings ? await findRepoRoot(process.cwd()) : void 0;
		const dirs = args._.map((dir) => resolve(dir));
		const outDir = resolve(args.out);
		const { summary, missing } = await mergeRuns(dirs, outDir, createRunId(), { out: args.out });
		const output = args.json ? renderJsonSummary(summary, outDir) : renderSummaryLines(summary, args.out);
		process.stdout.write(`${output}\n`);
		if (missing.length > 0) process.stderr.write(`missing from every run folder: ${missing.join(", ")}\n`);
		const complete = missing.length === 0 && summary.totals.succeeded === summary.totals.tasks;
		if (pullSettings && repoRoot) {
			if (!await deliverPullRequests({
				...pullSettings,
				repoRoot,
				outDir,
				summary,
				log: (line) => process.stderr.write(`${line}\n`)
			})) return "failed";
		}
		return complete ? "succeeded" : "failed";
	}
});
const html = defineCommand({
	meta: {
		name: "html",
		description: "Write report.html of a run folder again, from its summary.json, event logs and patches"
	},
	args: { dir: {
		type: "positional",
		description: "The run folder",
		required: true
	} },
	async run({ args, rawArgs }) {
		rejectUnknownFlags(rawArgs, {});
		const dir = resolve(args.dir);
		const { summary, notes } = await readRunSummary(dir, "report html");
		const path = await writeHtmlReport(dir, summary, createRedactor(collectSecrets(process.env, [])), notes);
		process.stdout.write(`${path}\n`);
		return "succeeded";
	}
});
var report_default = defineCommand({
	meta: {
		name: "report",
		description: "Work with run folders"
	},
	subCommands: {
		merge,
		html
	}
});
export { report_default as default };
