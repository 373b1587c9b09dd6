import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBundledAction, type ActionRun } from "../helpers/action.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type Conversation, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir, snapshotTree } from "../helpers/repo.ts";

const write = (path: string, content: string) => ({ tool_calls: [{ name: "write_file", arguments: { path, content } }] });

const conversations: Conversation[] = [
  { match: "Write alpha", turns: [write("alpha.txt", "alpha\n"), { content: "Wrote alpha." }] },
  { match: "Write beta", turns: [write("beta.txt", "beta\n"), { content: "Wrote beta." }] },
  { match: "Write guarded", turns: [write("guarded.txt", "guarded\n"), { content: "Wrote guarded." }] },
  { match: "Only talk", turns: [{ content: "Nothing to change." }] },
  { match: "Server breaks", turns: [{ status: 400, error_message: "bad request" }] },
];

let openai: FakeOpenAI;
let github: FakeGitHub;
let repo: string;
let origin: string;
let scratch: string;
let first: ActionRun;
let second: ActionRun;
let before: Record<string, string>;
let mainBefore: string;

function runAction(inputs: Record<string, string>, name: string): Promise<ActionRun> {
  return runBundledAction({ repo, scratch, githubUrl: github.url, name, inputs });
}

/**
 * What the user could lose in the checkout: snapshotTree without the run folder and without the
 * remote-tracking refs that pushing and fetching the task branches rightly update.
 */
function userState(dir: string): Record<string, string> {
  const isRemoteBookkeeping = (path: string) => /^\.git\/(refs\/remotes|logs\/refs\/remotes|FETCH_HEAD$|packed-refs$)/.test(path);
  const snapshot = Object.fromEntries(Object.entries(snapshotTree(dir, [".nanocoder"])).filter(([path]) => !isRemoteBookkeeping(path)));
  snapshot["git branches"] = (snapshot["git branches"] ?? "").split("\n").filter((line) => !line.startsWith("  remotes/")).join("\n");
  return snapshot;
}

const inputs = () => ({
  tasks: "tasks/*.yaml",
  "base-url": openai.url,
  model: "scripted",
  "api-key": "sk-action-secret-4242",
  "github-token": "ghs_faketoken123456",
  "pr-labels": "nanocoder, automated",
  "open-pr": "per-task",
});

beforeAll(async () => {
  openai = await startFakeOpenAI(conversations);
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-action-"));
  repo = createRepo({
    "README.md": "widgets\n",
    "tasks/alpha.yaml": "title: Add alpha\nprompt: Write alpha.txt.\n",
    "tasks/beta.yaml": "prompt: Write beta.txt.\n",
    "tasks/guarded.yaml": "prompt: Write guarded.txt.\n",
    "tasks/talk.yaml": "prompt: Only talk, change nothing.\nexpect: none\n",
    "tasks/broken.yaml": "prompt: Server breaks here.\n",
  });
  origin = join(scratch, "origin.git");
  addBareOrigin(repo, origin);
  // A branch someone else made under the prefix: it must never be overwritten.
  git(repo, "push", "--quiet", "origin", "main:refs/heads/nanocoder/guarded");
  before = userState(repo);
  mainBefore = git(repo, "rev-parse", "main").trim();
  first = await runAction(inputs(), "first");
  second = await runAction(inputs(), "second");
});

afterAll(async () => {
  await openai.close();
  await github.close();
  removeDir(repo);
  removeDir(scratch);
});

describe("the GitHub Action (bundled entry point)", () => {
  it("fails the step when a task does not succeed, and annotates the task", () => {
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/::error title=nanocoder task broken::broken: error: /);
    expect(first.stdout).toContain("::group::✔ alpha succeeded");
    expect(first.stdout).toContain("::endgroup::");
  });

  it("masks the API key and never prints it", () => {
    expect(first.stdout).toContain("::add-mask::sk-action-secret-4242");
    expect(first.stdout.replace("::add-mask::sk-action-secret-4242", "")).not.toContain("sk-action-secret-4242");
    expect(first.summary).not.toContain("sk-action-secret-4242");
  });

  it("writes outputs and the job summary", () => {
    expect(first.outputs).toMatchObject({ succeeded: "4", failed: "1", "total-cost-usd": "0" });
    expect(JSON.parse(first.outputs["stop-reasons"] ?? "")).toMatchObject({ completed: 4, provider_error: 1, no_changes: 0, checks_failed: 0 });
    expect(first.outputs["run-dir"]).toContain(join(repo, ".nanocoder/runs/"));
    expect(JSON.parse(first.outputs["pr-urls"] ?? "")).toEqual([
      "https://github.test/acme/widgets/pull/1",
      "https://github.test/acme/widgets/pull/2",
    ]);
    expect(first.summary).toContain("4 of 5 tasks succeeded");
    expect(first.summary).toMatch(/^\| broken \| error \| provider_error \|/m);
    expect(first.summary).toMatch(/^\| talk \| succeeded \| completed \| .* \| 0 \| [^|]+ \|$/m);
    expect(first.summary).toContain("## Pull requests");
  });

  it("pushes one branch per changed task, with a commit carrying the run trailer", () => {
    const runId = first.outputs["run-dir"]?.split("/").pop() ?? "";
    const log = git(origin, "log", "-1", "--format=%s%n%b", "nanocoder/alpha");
    expect(log).toContain("Add alpha");
    expect(git(origin, "show", "nanocoder/alpha:alpha.txt")).toBe("alpha\n");
    expect(git(origin, "rev-parse", "nanocoder/alpha~1").trim()).toBe(git(repo, "rev-parse", "main").trim());
    expect(git(origin, "for-each-ref", "--format=%(refname:short)", "refs/heads").trim().split("\n").sort()).toEqual([
      "main",
      "nanocoder/alpha",
      "nanocoder/beta",
      "nanocoder/guarded",
    ]);
    expect(runId).not.toBe("");
    expect(second.outputs["run-dir"]).not.toBe(first.outputs["run-dir"]);
    const secondRun = second.outputs["run-dir"]?.split("/").pop() ?? "";
    expect(git(origin, "log", "-1", "--format=%B", "nanocoder/beta")).toContain(`Nanocoder-Run: ${secondRun}`);
  });

  it("leaves a branch it did not create alone, and never touches the base branch", () => {
    expect(git(origin, "rev-parse", "nanocoder/guarded").trim()).toBe(git(repo, "rev-parse", "main").trim());
    expect(git(origin, "rev-parse", "main").trim()).toBe(git(repo, "rev-parse", "main").trim());
    // A pull request that could not be delivered fails the step, as the command line exits 1 for it.
    expect(first.stdout).toMatch(/::error::pull request for nanocoder\/guarded: .*not made by nanocoder/);
    expect(first.summary).toMatch(/- guarded: no pull request: branch nanocoder\/guarded exists .*not made by nanocoder/);
  });

  it("opens pull requests with labels, then updates the same ones on the next run", () => {
    expect(github.pulls.map((pull) => [pull.number, pull.head, pull.base, pull.state, pull.labels])).toEqual([
      [1, "nanocoder/alpha", "main", "open", ["nanocoder", "automated"]],
      [2, "nanocoder/beta", "main", "open", ["nanocoder", "automated"]],
    ]);
    const creates = github.requests.filter((request) => request.method === "POST" && request.path.endsWith("/pulls"));
    const updates = github.requests.filter((request) => request.method === "PATCH");
    expect(creates).toHaveLength(2);
    expect(updates.map((request) => request.path)).toEqual(["/repos/acme/widgets/pulls/1", "/repos/acme/widgets/pulls/2"]);
    expect(JSON.parse(second.outputs["pr-urls"] ?? "")).toEqual(JSON.parse(first.outputs["pr-urls"] ?? ""));
    expect(github.requests.every((request) => request.authorization === "token ghs_faketoken123456")).toBe(true);
  });

  it("describes the task in the pull request body", () => {
    const body = github.pulls[0]?.body ?? "";
    expect(github.pulls[0]?.title).toBe("nanocoder: Add alpha");
    expect(body).toContain("### alpha: Add alpha");
    expect(body).toContain("Status **succeeded**");
    expect(body).toContain("cost $0");
    expect(body).toMatch(/Nanocoder-Run: \S+/);
  });

  it("leaves the checkout as it was", () => {
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(git(repo, "branch", "--format=%(refname:short)").trim()).toBe("main");
  });

  it("leaves the working tree, index, local branches and stashes as they were, and the base branch where it was", () => {
    expect(userState(repo)).toEqual(before);
    expect(git(repo, "rev-parse", "main").trim()).toBe(mainBefore);
    expect(git(origin, "rev-parse", "main").trim()).toBe(mainBefore);
  });
});
