/**
 * Grouped delivery (src/github/groups.ts, pulls.ts, pull-body.ts) against the fake GitHub: one pull request per
 * task file, updated by the next run; one per label; and tasks of one group that change the same file.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startCliSteps, type CliSteps } from "../helpers/cli-steps.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir } from "../helpers/repo.ts";

const INDEX = Array.from({ length: 10 }, (_, at) => `line ${at + 1}`);
/** index.md with some of its lines replaced. */
const indexWith = (lines: Record<number, string>) => `${INDEX.map((line, at) => lines[at + 1] ?? line).join("\n")}\n`;
const write = (...files: [string, string][]) => ({ tool_calls: files.map(([path, content]) => ({ name: "write_file", arguments: { path, content } })) });

// Three tasks of one file change index.md: beta near alpha's line (git's three-way merge joins them), gamma
// the very line alpha changed (a conflict: left out).
const DOCS = [
  "id: docs.alpha\ntitle: Add docs for alpha\nlabels: [docs]\nprompt: Document alpha.\n",
  "id: docs.beta\ntitle: Add docs for beta\nlabels: [docs]\nprompt: Document beta.\n",
  "id: docs.gamma\ntitle: Add docs for gamma\nlabels: [docs]\nprompt: Document gamma.\n",
].join("---\n");
const LINT = ["title: Fix lint in one.txt\nlabels: [lint, nightly]\nprompt: Lint one.\n", "title: Fix lint in two.txt\nprompt: Lint two.\n"].join("---\n");

let openai: FakeOpenAI;
let github: FakeGitHub;
let repo: string;
let origin: string;
let scratch: string;
let first: CliResult;
let second: CliResult;
let byLabel: CliResult;
let partial: CliResult;
let docsBeforePartial: string;
let pullsAfterFirst: { head: string; number: number; title: string; body: string }[];
/** The deliveries of a run folder, which start no task, in one process that loads the command line once (cli-steps.ts). */
let steps: CliSteps;

const env = () => ({ GITHUB_TOKEN: "ghp_grouped42", GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: github.url });
/** Delivers the first run's folder again, as a later run of the same tasks would, without running them. */
const deliverAgain = (out: string, mode: string) => steps.run(["report", "merge", join(scratch, "run1"), "--out", join(scratch, out), "--open-pr", mode], { cwd: repo, env: env() });
const pullFrom = (branch: string) => github.pulls.find((pull) => pull.head === branch);

beforeAll(async () => {
  openai = await startFakeOpenAI([
    { match: "Document alpha", turns: [write(["alpha.md", "alpha\n"], ["index.md", indexWith({ 2: "alpha" })]), { content: "Documented alpha." }] },
    { match: "Document beta", turns: [write(["beta.md", "beta\n"], ["index.md", indexWith({ 5: "beta" })]), { content: "Documented beta." }] },
    { match: "Document gamma", turns: [write(["gamma.md", "gamma\n"], ["index.md", indexWith({ 2: "gamma" })]), { content: "Documented gamma." }] },
    { match: "Lint one", turns: [write(["one.txt", "one\n"]), { content: "Linted one." }] },
    { match: "Lint two", turns: [write(["two.txt", "two\n"]), { content: "Linted two." }] },
  ]);
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-grouped-"));
  steps = startCliSteps();
  repo = createRepo({ "index.md": indexWith({}), "tasks/docs.yaml": DOCS, "tasks/lint.yaml": LINT });
  origin = join(scratch, "origin.git");
  addBareOrigin(repo, origin);
  first = await runCli(["batch", "tasks/*.yaml", "--base-url", openai.url, "--model", "scripted", "--open-pr", "combined:file", "--out", join(scratch, "run1")], { cwd: repo, env: env() });
  pullsAfterFirst = github.pulls.map(({ head, number, title, body }) => ({ head, number, title, body }));
  // A run folder merged alone is a new run (its own id) of the same tasks: what tomorrow's run delivers.
  second = await deliverAgain("again", "combined:file");
  // A try of one of the docs tasks: its file's pull request must keep all three.
  docsBeforePartial = git(origin, "rev-parse", "nanocoder/file-tasks-docs");
  partial = await runCli(["batch", "tasks/docs.yaml", "--limit", "1", "--base-url", openai.url, "--model", "scripted", "--open-pr", "combined:file", "--out", join(scratch, "partial")], { cwd: repo, env: env() });
  // A branch someone else made where the lint label's pull request would go: that group alone fails.
  git(repo, "push", "--quiet", "origin", "main:refs/heads/nanocoder/label-lint");
  byLabel = await deliverAgain("by-label", "combined:label");
}, 120_000);

afterAll(async () => {
  await steps.close();
  await openai.close();
  await github.close();
  removeDir(repo);
  removeDir(scratch);
});

describe("--open-pr combined:file", () => {
  it("opens one pull request per task file, from a branch named after the file, titled after what its tasks share", () => {
    expect(first.stdout).toContain("5/5 succeeded");
    expect(pullsAfterFirst.map(({ head, title }) => [head, title])).toEqual([
      ["nanocoder/file-tasks-docs", "nanocoder: Add docs for … (2 tasks from tasks/docs.yaml)"],
      ["nanocoder/file-tasks-lint", "nanocoder: Fix lint in … (2 tasks from tasks/lint.yaml)"],
    ]);
    expect(git(origin, "show", "nanocoder/file-tasks-lint:two.txt")).toBe("two\n");
    expect(git(origin, "show", "nanocoder/file-tasks-lint:one.txt")).toBe("one\n");
  });

  it("commits the changes of tasks that touch one file together, leaves out the one that conflicts, and says so first", () => {
    expect(git(origin, "show", "nanocoder/file-tasks-docs:index.md")).toBe(indexWith({ 2: "alpha", 5: "beta" }));
    expect(git(origin, "ls-tree", "--name-only", "nanocoder/file-tasks-docs").trim().split("\n")).toEqual(["alpha.md", "beta.md", "index.md", "tasks"]);
    const body = pullsAfterFirst[0]?.body ?? "";
    expect(body).toContain("The changes of 2 tasks from the task file `tasks/docs.yaml`.");
    expect(body).toContain(
      "- **docs.gamma**: left out: the patch does not apply after the patches of docs.alpha (index.md), which change the same lines or lines next to them: error: index.md: patch does not apply",
    );
    expect(body).toContain(
      "- `index.md` is changed by docs.alpha, docs.beta, docs.gamma: docs.beta joined by git's three-way merge; docs.gamma left out: its patch conflicts with the ones before",
    );
    // Before the row of each task and its details.
    expect(body.indexOf("left out")).toBeLessThan(body.indexOf("| docs.alpha: Add docs for alpha |"));
    expect(body).toContain("### docs.beta: Add docs for beta");
  });

  it("fails the command for the task left out, naming it, its pull request and the task it conflicts with; the other group is delivered", () => {
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("nanocoder/file-tasks-docs: 1 file(s) changed by more than one task (index.md: docs.alpha, docs.beta, docs.gamma)");
    expect(first.stderr).toMatch(/pull request for nanocoder\/file-tasks-docs: left out of pull request #1 \(https:\/\/github\.test\/acme\/widgets\/pull\/1\): the patch does not apply after the patches of docs\.alpha \(index\.md\)/);
    expect(first.stderr).toContain("opened https://github.test/acme/widgets/pull/2");
  });

  it("updates the same pull requests when the tasks are delivered again", () => {
    expect(second.stderr).toContain("updated https://github.test/acme/widgets/pull/1");
    expect(second.stderr).toContain("updated https://github.test/acme/widgets/pull/2");
    expect(github.pulls.filter((pull) => pull.head.includes("file-")).map((pull) => [pull.number, pull.head])).toEqual([
      [1, "nanocoder/file-tasks-docs"],
      [2, "nanocoder/file-tasks-lint"],
    ]);
    expect(pullFrom("nanocoder/file-tasks-lint")?.body).toContain(`Nanocoder-Run: ${git(origin, "log", "-1", "--format=%(trailers:key=Nanocoder-Run,valueonly)", "nanocoder/file-tasks-lint").trim()}`);
    expect(pullFrom("nanocoder/file-tasks-lint")?.body).not.toBe(pullsAfterFirst[1]?.body);
  });

  it("leaves a file's pull request alone when the run holds part of its tasks, saying why and what to run instead", () => {
    expect(partial.stdout).toContain("1/1 succeeded");
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain("pull request for nanocoder/file-tasks-docs: not opened or updated: --limit 1 chose 1 of the group's 3 tasks, and its pull request holds them all");
    expect(partial.stderr).not.toContain("updated https://");
    expect(git(origin, "rev-parse", "nanocoder/file-tasks-docs")).toBe(docsBeforePartial);
    // Recorded with the run, so that its folder, merged and delivered later, is refused alike.
    const recorded = (JSON.parse(readFileSync(join(scratch, "partial", "summary.json"), "utf8")) as { selection?: unknown }).selection;
    expect(recorded).toEqual({ by: ["--limit 1"], labels: [], left: [{ id: "docs.beta", task_file: "tasks/docs.yaml", labels: ["docs"] }, { id: "docs.gamma", task_file: "tasks/docs.yaml", labels: ["docs"] }] });
  });
});

describe("--open-pr combined:label", () => {
  it("opens one pull request per first label, and one for the tasks without a label", () => {
    expect(byLabel.stderr).not.toContain("could not be opened");
    const heads = github.pulls.map((pull) => pull.head).filter((head) => !head.includes("file-"));
    expect(heads).toEqual(["nanocoder/label-docs", "nanocoder/batch"]);
    expect(pullFrom("nanocoder/label-docs")?.title).toBe("nanocoder: Add docs for … (2 tasks labelled docs)");
    expect(pullFrom("nanocoder/batch")?.title).toBe("nanocoder: Fix lint in two.txt");
    expect(git(origin, "show", "nanocoder/batch:two.txt")).toBe("two\n");
  });

  it("leaves a group whose branch is not nanocoder's alone, reporting it, and delivers the others", () => {
    expect(byLabel.code).toBe(1);
    expect(byLabel.stderr).toContain("pull request for nanocoder/label-lint: branch nanocoder/label-lint exists and its last commit has no Nanocoder-Run trailer");
    expect(git(origin, "rev-parse", "nanocoder/label-lint")).toBe(git(repo, "rev-parse", "main"));
    expect(byLabel.stderr).toMatch(/opened https:\/\/github\.test\/acme\/widgets\/pull\/\d+\n[\s\S]*pull request for nanocoder\/label-lint[\s\S]*opened https:/);
  });
});
