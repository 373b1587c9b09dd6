// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { r as UserError } from "./errors.mjs";
import { c as describeGitHubError, t as openPullRequests } from "./pulls.mjs";
// src/github/cli-delivery.ts
/**
* Pull requests for the command line (`batch`, `report merge`), after the run: whatever goes wrong is a
* line on stderr, never a stack trace, and the run's results stay. False when any pull request was not
* opened or updated (exit 1).
*/
async function deliverPullRequests(options) {
	try {
		return (await openPullRequests(options)).every((pull) => pull.error === void 0);
	} catch (error) {
		if (error instanceof UserError) throw error;
		options.log(`pull requests could not be opened: ${describeGitHubError(error)}`);
		return false;
	}
}
export { deliverPullRequests as t };
