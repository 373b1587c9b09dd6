// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { t as defineCommand } from "./dist2.mjs";
import { u as expectSchema } from "./schema.mjs";
import { r as UserError } from "./errors.mjs";
import { m as shellQuote, n as displayPath, s as runFolder, u as taskFromPrompt } from "./plan.mjs";
import { i as findRepoRoot } from "./shard.mjs";
import { i as loadOutputSchemaFile } from "./run-id.mjs";
import { a as runArgs, r as rejectUnknownFlags } from "./args.mjs";
import { t as executeTasks } from "./execute.mjs";
import { join, resolve } from "node:path";
import { text } from "node:stream/consumers";
// src/cli/commands/run.ts
const runCommandArgs = {
	...runArgs,
	apply: {
		type: "boolean",
		description: "Apply the task's patch to the working tree when it succeeded"
	},
	expect: {
		type: "string",
		description: "What the task leaves behind: changes (the default: no change fails it), none (a question or a review: a change fails it) or any",
		valueHint: "changes|none|any"
	},
	"output-schema": {
		type: "string",
		description: "A JSON Schema file the final answer must satisfy; the answer is written to tasks/run/output.json and printed",
		valueHint: "FILE"
	}
};
var run_default = defineCommand({
	meta: {
		name: "run",
		description: "Run one ad-hoc task from a prompt (\"-\" reads the prompt from stdin)"
	},
	args: {
		prompt: {
			type: "positional",
			description: "What the agent should do, or - to read it from stdin",
			required: false
		},
		...runCommandArgs
	},
	async run({ args, rawArgs }) {
		rejectUnknownFlags(rawArgs, runCommandArgs);
		const expect = parseExpect(args.expect);
		const output = args["output-schema"] === void 0 ? void 0 : await loadOutputSchemaFile(args["output-schema"], process.cwd());
		const prompt = await readPrompt(args._);
		const { summary, outcome } = await executeTasks([taskFromPrompt(prompt, expect, output)], args, { apply: args.apply === true });
		const result = summary.tasks[0];
		if (!args.json && !args.jsonl) {
			if (result?.output_file) {
				const shown = "output" in result ? JSON.stringify(result.output, null, 2) : `(the answer is larger than result.json holds: read ${result.output_file} in the run folder)`;
				process.stdout.write(`\n${shown}\n`);
			} else if (result?.final_message) process.stdout.write(`\n${result.final_message.trim()}\n`);
		}
		if (!result || args.apply) return outcome;
		const repoRoot = await findRepoRoot(process.cwd());
		const outDir = runFolder(summary, args.out, repoRoot);
		if (result.status === "succeeded" && result.files_changed.length > 0) {
			const patch = join(outDir, result.patch);
			process.stderr.write(`patch: ${displayPath(patch, process.cwd())}\napply it with: ${applyCommand(repoRoot, patch, process.cwd())}\n`);
		}
		return outcome;
	}
});
/**
* The `git apply` line for the patch, to paste where the run started. In a subfolder of the repository it
* names the top (`git -C ../..`): there, `git apply` skips the paths outside the folder without a word.
*/
function applyCommand(repoRoot, patch, cwd) {
	if (resolve(cwd) === resolve(repoRoot)) return `git apply ${shellQuote(displayPath(patch, cwd))}`;
	return `git -C ${shellQuote(displayPath(repoRoot, cwd))} apply ${shellQuote(patch)}`;
}
/** `--expect`: what a task file says with `expect:`. */
function parseExpect(value) {
	if (value === void 0) return void 0;
	const parsed = expectSchema.safeParse(value);
	if (parsed.success) return parsed.data;
	throw new UserError(`--expect: expected changes, none or any, got "${value}"`, "E_USAGE");
}
async function readPrompt(words) {
	const fromStdin = words.length === 1 && words[0] === "-";
	const prompt = fromStdin ? await text(process.stdin) : words.join(" ");
	if (prompt.trim() === "" && fromStdin) throw new UserError("run -: standard input was empty; pipe the prompt in, e.g. echo \"fix the failing test\" | nanocoder run -", "E_USAGE");
	if (prompt.trim() === "") throw new UserError("run: give a prompt, e.g. nanocoder run \"fix the failing test\", or - to read it from stdin", "E_USAGE");
	return prompt;
}
export { run_default as default };
