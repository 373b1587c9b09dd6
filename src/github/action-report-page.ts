import { join } from "node:path";

/**
 * The job summary's closing line: where the run's page (report.html) is. The Action cannot upload
 * artifacts itself; the workflow's actions/upload-artifact step does, so the line names the folder and
 * this workflow run's artifacts, where the page is once uploaded.
 */
export function reportPageNote(outDir: string, reportHtml: string | undefined, env: NodeJS.ProcessEnv): string {
  if (!reportHtml) return "";
  const page = join(outDir, reportHtml);
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  const artifacts = server && repository && runId ? `${server}/${repository}/actions/runs/${runId}#artifacts` : undefined;
  const where = artifacts ? `; upload the run folder with actions/upload-artifact and it is in [this workflow run's artifacts](${artifacts})` : "";
  return `\n\n**The run's page**, with each task's diff, steps and policy decisions: \`${page}\`${where}. Download the artifact and open report.html in a browser.\n`;
}
