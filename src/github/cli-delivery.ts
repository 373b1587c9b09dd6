import { UserError } from "../shared/errors.ts";
import { describeGitHubError } from "./api-errors.ts";
import { openPullRequests, type PullRequestOptions } from "./pulls.ts";

/**
 * Pull requests for the command line (`batch`, `report merge`), after the run: whatever goes wrong is a
 * line on stderr, never a stack trace, and the run's results stay. False when any pull request was not
 * opened or updated (exit 1).
 */
export async function deliverPullRequests(options: PullRequestOptions): Promise<boolean> {
  try {
    const pulls = await openPullRequests(options);
    return pulls.every((pull) => pull.error === undefined);
  } catch (error) {
    if (error instanceof UserError) throw error;
    options.log(`pull requests could not be opened: ${describeGitHubError(error)}`);
    return false;
  }
}
