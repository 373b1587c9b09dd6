/**
 * A branch under the prefix is overwritten only while its last commit is exactly what nanocoder made: the
 * Nanocoder-Run trailer names the run and Nanocoder-Tree the files it committed (src/github/branch-commit.ts).
 * A person's amend that keeps the message, or a commit of theirs that copies it, is left alone. So is a merge
 * into the branch that holds a person's work; one that only brings in the base, as GitHub's "Update branch"
 * does, is replaced (src/github/branch-ownership.ts).
 *
 * Each case is a task of its own (task `amended` makes branch nano/amended, and so on), so two runs of the
 * batch cover them all: the first makes the branches, a person then changes them, and the second runs every
 * task again: it overwrites the branches nanocoder may overwrite, leaves alone those it must, and fails (exit 1)
 * naming each of those, and those alone.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir } from "../helpers/repo.ts";

/** The cases; each task writes <id>.txt holding its id. */
const MADE_FIRST = ["own", "amended", "copied", "reworded", "updated", "resolved", "ontop"];
const IDS = [...MADE_FIRST, "legacy"];

let openai: FakeOpenAI;
let github: FakeGitHub;
let repo: string;
let origin: string;
let scratch: string;
/** A person's clone of the origin, where they change the branches. */
let person: string;

/** What each run did, and the branches' commits around the runs. */
let first: CliResult;
let second: CliResult;
const made: Record<string, string> = {};
const theirs: Record<string, string> = {};
let mergedUpdate: string;
let replacedUpdate: string;
let mainAfterAdvance: string;

/** The branches whose delivery the second run names as failed, from its lines `pull request for <branch>: <why>`. */
const failedIn = (run: CliResult) => [...run.stderr.matchAll(/^pull request for nano\/(\S+): /gm)].map((match) => match[1]).sort();

const batch = (...ids: string[]) =>
  runCli(["batch", ...ids.map((id) => `tasks/${id}.yaml`), "--base-url", openai.url, "--model", "scripted", "--open-pr", "per-task", "--branch-prefix", "nano/"], {
    cwd: repo,
    env: { GITHUB_TOKEN: "ghp_ownership", GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: github.url },
  });

const tip = (branch: string) => git(origin, "rev-parse", branch).trim();

/** In the person's clone: `branch` as the origin has it now, changed by `change`, force-pushed; its new commit. */
function editAsPerson(branch: string, change: () => void): string {
  git(person, "fetch", "--quiet", "origin");
  git(person, "checkout", "--quiet", "-B", branch, `origin/${branch}`);
  change();
  git(person, "push", "--quiet", "--force", "origin", `HEAD:refs/heads/${branch}`);
  return git(person, "rev-parse", "HEAD").trim();
}

function commitFile(path: string, content: string, ...commitArgs: string[]): void {
  writeFileSync(join(person, path), content);
  git(person, "add", path);
  git(person, "commit", "--quiet", ...commitArgs);
}

beforeAll(async () => {
  openai = await startFakeOpenAI(
    IDS.map((id) => ({ match: `Write ${id}.txt`, turns: [{ tool_calls: [{ name: "write_file", arguments: { path: `${id}.txt`, content: `${id}\n` } }] }, { content: "done" }] })),
  );
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-ownership-"));
  repo = createRepo({
    "README.md": "widgets\n",
    ".gitignore": ".nanocoder/runs/\n",
    ...Object.fromEntries(IDS.map((id) => [`tasks/${id}.yaml`, `title: Add ${id}\nprompt: Write ${id}.txt.\n`])),
  });
  origin = join(scratch, "origin.git");
  addBareOrigin(repo, origin);
  person = join(scratch, "person");
  git(scratch, "clone", "--quiet", "--branch", "main", origin, person);

  first = await batch(...MADE_FIRST);
  for (const id of MADE_FIRST) made[id] = tip(`nano/${id}`);

  // A person amends keeping nanocoder's message; adds a commit copying it; rewords it alone.
  theirs.amended = editAsPerson("nano/amended", () => {
    writeFileSync(join(person, "amended.txt"), "amended, reviewed by a person\n");
    git(person, "commit", "--quiet", "--all", "--amend", "--no-edit");
  });
  theirs.copied = editAsPerson("nano/copied", () => commitFile("beta.txt", "beta\n", "--reuse-message=HEAD"));
  theirs.reworded = editAsPerson("nano/reworded", () => {
    const message = git(person, "log", "-1", "--format=%B").replace("Add reworded", "Add reworded (reworded)");
    git(person, "commit", "--quiet", "--amend", "-m", message);
  });
  // A commit naming a run but no tree (an older nanocoder's, or edited), on a branch nanocoder never made.
  git(person, "checkout", "--quiet", "-b", "legacy", "origin/main");
  commitFile("legacy.txt", "legacy\n", "-m", "Add legacy\n\nNanocoder-Run: 20250101-000000-abcd");
  git(person, "push", "--quiet", "origin", "HEAD:refs/heads/nano/legacy");
  theirs.legacy = git(person, "rev-parse", "HEAD").trim();

  // A person's commits on the origin's main, which the checkout then pulls (as the next nightly run's checkout
  // would hold it): one the updated branch merges cleanly, one that conflicts with the resolved branch.
  editAsPerson("main", () => {
    commitFile("README.md", "widgets, updated\n", "-m", "Change README.md");
    commitFile("resolved.txt", "resolved from main\n", "-m", "Change resolved.txt");
  });
  git(repo, "pull", "--quiet", "--ff-only", "origin", "main");
  mainAfterAdvance = git(repo, "rev-parse", "main").trim();
  mergedUpdate = editAsPerson("nano/updated", () => git(person, "merge", "--quiet", "--no-edit", "origin/main"));
  theirs.resolved = editAsPerson("nano/resolved", () => {
    expect(() => git(person, "merge", "--quiet", "origin/main")).toThrow();
    writeFileSync(join(person, "resolved.txt"), "resolved, as a person merged it\n");
    git(person, "commit", "--quiet", "--all", "--no-edit");
  });

  // A person's commit on top of nanocoder's commit is work of theirs.
  theirs.ontop = editAsPerson("nano/ontop", () => commitFile("beta.txt", "beta\n", "-m", "Add beta by hand"));

  second = await batch(...IDS);
  replacedUpdate = tip("nano/updated");
}, 120_000);

afterAll(async () => {
  await openai.close();
  await github.close();
  removeDir(repo);
  removeDir(scratch);
});

describe("which branches nanocoder overwrites", () => {
  it("makes every branch on the first run, the branches' runs exiting 0", () => {
    expect(first.stderr).not.toMatch(/pull request for .*:/);
    expect(first.code).toBe(0);
    expect(Object.keys(made)).toEqual(MADE_FIRST);
  });

  it("records the run and the tree in the commit, and updates its own untouched branch", () => {
    const message = git(origin, "log", "-1", "--format=%B", made.own ?? "");
    expect(message).toMatch(/^Nanocoder-Run: \S+$/m);
    expect(message).toContain(`Nanocoder-Tree: ${git(origin, "rev-parse", `${made.own}^{tree}`).trim()}`);
    expect(failedIn(second)).not.toContain("own");
    expect(tip("nano/own")).not.toBe(made.own);
  });

  it("fails the second run for the branches it leaves alone, naming each, and for those alone", () => {
    expect(failedIn(second)).toEqual(["amended", "copied", "legacy", "ontop", "resolved"]);
    expect(second.code).toBe(1);
  });

  it("leaves alone a commit a person amended keeping nanocoder's message", () => {
    expect(second.stderr).toContain(
      "pull request for nano/amended: branch nano/amended exists and its last commit no longer has the files nanocoder gave it (Nanocoder-Tree): a person changed it, so it is left alone",
    );
    expect(second.code).toBe(1);
    expect(tip("nano/amended")).toBe(theirs.amended);
    expect(git(origin, "show", "nano/amended:amended.txt")).toBe("amended, reviewed by a person\n");
  });

  it("leaves alone a person's commit on top that copies nanocoder's message", () => {
    expect(second.stderr).toMatch(/branch nano\/copied exists and its last commit no longer has the files nanocoder gave it/);
    expect(second.code).toBe(1);
    expect(tip("nano/copied")).toBe(theirs.copied);
  });

  it("leaves alone a commit naming a run but no tree (an older nanocoder's, or edited)", () => {
    expect(second.stderr).toContain(
      "branch nano/legacy exists and its last commit has no Nanocoder-Tree trailer (an older nanocoder made it, or a person changed it), so it is left alone; merge or close its pull request, or delete the branch",
    );
    expect(second.code).toBe(1);
    expect(tip("nano/legacy")).toBe(theirs.legacy);
  });

  it("overwrites a commit whose message alone was reworded: its files are nanocoder's", () => {
    expect(second.stderr).not.toMatch(/pull request for nano\/reworded:/);
    expect(failedIn(second)).not.toContain("reworded");
    expect(tip("nano/reworded")).not.toBe(theirs.reworded);
  });

  it("replaces its own branch that the base was merged into (GitHub's \"Update branch\"), on the run's newer base; a commit on top is named", () => {
    expect(second.stderr).not.toMatch(/pull request for nano\/updated:/);
    expect(failedIn(second)).not.toContain("updated");
    expect(replacedUpdate).not.toBe(mergedUpdate);
    expect(git(origin, "rev-parse", `${replacedUpdate}~1`).trim()).toBe(mainAfterAdvance);
    expect(git(origin, "show", `${replacedUpdate}:README.md`)).toBe("widgets, updated\n");
    expect(git(origin, "show", `${replacedUpdate}:updated.txt`)).toBe("updated\n");

    // A person's commit on top of nanocoder's is work of theirs: named, and the branch left alone.
    expect(second.stderr).toMatch(
      /branch nano\/ontop is nanocoder's \(its commit [0-9a-f]{12}, run \S+\), but a commit was added on top of it \([0-9a-f]{12} "Add beta by hand"\), so it is left alone; merge or close its pull request, or delete the branch to let nanocoder make it again/,
    );
    expect(second.code).toBe(1);
    expect(tip("nano/ontop")).toBe(theirs.ontop);
  });

  it("leaves alone its own branch when a merge into it holds a person's conflict resolution, and says what to do", () => {
    expect(second.stderr).toMatch(
      /branch nano\/resolved is nanocoder's \(its commit [0-9a-f]{12}, run \S+\), but the merge [0-9a-f]{12} "Merge .*" resolves a conflict or changes files by hand, which replacing the branch would lose, so it is left alone; merge or close its pull request, or delete the branch to let nanocoder make it again/,
    );
    expect(second.stderr).not.toContain("not made by nanocoder");
    expect(second.code).toBe(1);
    expect(tip("nano/resolved")).toBe(theirs.resolved);
    expect(git(origin, "show", "nano/resolved:resolved.txt")).toBe("resolved, as a person merged it\n");
  });
});
