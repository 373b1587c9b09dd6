// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { r as UserError, s as _enum, t as ProviderUnavailable } from "./errors.mjs";
// src/shared/outcome.ts
/**
* How a command ended, as the exit code tells it; the commands return one and src/cli/cli.ts alone turns it
* into the exit code (the Action into its outputs and failure). In order of weight: when two parts of a
* command end differently, the later in this list is the one reported.
* - succeeded: everything asked for was done (every task succeeded, doctor found nothing wrong).
* - failed: something the run did ended badly: a task did not succeed, a finding, a refusal, a pull request not delivered.
* - infrastructure: a model server could not be used: the provider check failed, or it failed task after task and the run stopped starting tasks.
* - interrupted: the user stopped the run (Ctrl-C, SIGTERM).
*/
const Outcome = _enum([
	"succeeded",
	"failed",
	"infrastructure",
	"interrupted"
]);
/** The weightier of two outcomes (see Outcome). */
function worseOutcome(a, b) {
	return Outcome.options.indexOf(a) >= Outcome.options.indexOf(b) ? a : b;
}
// src/shared/exit-codes.ts
/**
* The exit codes, documented in docs/outputs.md and the README. 1 for an internal error as well: it is
* the code any Node.js program exits with on a crash, which scripts already treat as a failure.
*/
const EXIT_CODES = {
	succeeded: 0,
	failed: 1,
	internal_error: 1,
	invalid_input: 2,
	infrastructure: 3,
	interrupted: 130
};
/**
* What a command's `run` returned: an Outcome, or nothing for a command that has no other ending than
* success (validate, policy init). Anything else is a bug of the command's.
*/
function outcomeOf(result) {
	if (result === void 0) return "succeeded";
	const parsed = Outcome.safeParse(result);
	if (!parsed.success) throw new Error(`a command returned ${JSON.stringify(result)}, not one of ${Outcome.options.join(", ")}`);
	return parsed.data;
}
/**
* The ending of an error that stopped a command. citty's own usage errors (unknown command, missing
* argument) carry a code but no exported class: they are known by name.
*/
function endingOfError(error) {
	if (error instanceof UserError) return "invalid_input";
	if (error instanceof ProviderUnavailable) return "infrastructure";
	if (error instanceof Error && error.name === "CLIError") return "invalid_input";
	return "internal_error";
}
export { worseOutcome as i, endingOfError as n, outcomeOf as r, EXIT_CODES as t };
