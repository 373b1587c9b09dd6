import { describeGitHubError } from "./api-errors.ts";
import type { Context, PullRequestOutcome } from "./pulls.ts";

/** A task this run has no change to deliver for, and why. */
export interface Unchanged {
  task: string;
  reason: string;
}

/** A branch whose tasks this run has no change for. */
interface Quiet {
  tasks: string[];
  branch: string;
  reason: string;
}

/**
 * The open pull requests, from earlier runs, of branches this run has no change for (their task did not
 * succeed, or changed nothing): each is named in the log and the job summary, and left as it was. Nothing is
 * closed: the change it holds may still be wanted. A lookup that fails is logged and skipped; it loses nothing.
 */
export async function findLeftPulls(quiet: Quiet[], context: Context): Promise<PullRequestOutcome[]> {
  const { octokit, owner, repo } = context;
  const left: PullRequestOutcome[] = [];
  for (const { tasks, branch, reason } of quiet) {
    const open = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "open" }).then(
      (response) => response.data[0],
      (error: unknown) => void context.log(`could not look for an open pull request from ${branch}: ${describeGitHubError(error)}`),
    );
    if (!open) continue;
    context.log(`${tasks.join(", ")}: pull request #${open.number} from a previous run was left as it was: ${reason} (${open.html_url})`);
    left.push({ tasks, branch, url: open.html_url, number: open.number, action: "left", reason });
  }
  return left;
}
