/** GitHub's answer when the repository (or its organization) does not let the Actions token open pull requests. */
const ACTIONS_MAY_NOT_OPEN_PULLS = /not permitted to create or approve pull requests/i;
const TOKEN_LACKS_PERMISSION = /Resource not accessible by integration/i;

/** What went wrong talking to GitHub, with how to fix it when GitHub's answer is a known one. */
export function describeGitHubError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (statusOf(error) !== 403) return message;
  if (ACTIONS_MAY_NOT_OPEN_PULLS.test(message)) {
    return (
      `${message}. The repository does not let GitHub Actions open pull requests: allow it in the repository's ` +
      `Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests" ` +
      "(an organization must allow it in its own settings first), or give a personal access token or GitHub App token " +
      "with contents and pull-requests write as github-token (GITHUB_TOKEN on the command line)"
    );
  }
  if (TOKEN_LACKS_PERMISSION.test(message)) {
    return `${message}. The token may not do this: give the job \`permissions: { contents: write, pull-requests: write }\`, or use a token that has them`;
  }
  return message;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  return typeof error.status === "number" ? error.status : undefined;
}
