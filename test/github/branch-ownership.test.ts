/**
 * A branch under the prefix is overwritten only while its last commit is exactly what nanocoder made: the
 * Nanocoder-Run trailer names the run and Nanocoder-Tree the files it committed (src/github/branch-commit.ts).
 * A person's amend that keeps the message, or a commit of theirs that copies it, is left alone. So is a merge
 * into the branch that holds a person's work; one that only brings in the base, as GitHub's "Update branch"
 * does, is replaced (src/github/branch-ownership.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { addBareOrigin, createRepo, git, removeDir } from "../helpers/repo.ts";

let openai: FakeOpenAI;
let github: FakeGitHub;
let repo: string;
let origin: string;
let scratch: string;

const batch = (prefix: string) =>
  runCli(["batch", "tasks/*.yaml", "--base-url", openai.url, "--model", "scripted", "--open-pr", "per-task", "--branch-prefix", prefix], {
    cwd: repo,
    env: { GITHUB_TOKEN: "ghp_ownership", GITHUB_REPOSITORY: "acme/widgets", GITHUB_API_URL: github.url },
  });

/** A person's clone of the origin, on `branch`, where `change` is made and force-pushed. */
function editAsPerson(branch: string, change: (clone: string) => void): string {
  const clone = mkdtempSync(join(scratch, "person-"));
  git(scratch, "clone", "--quiet", "--branch", branch, origin, clone);
  change(clone);
  git(clone, "push", "--quiet", "--force", "origin", `HEAD:refs/heads/${branch}`);
  const commit = git(clone, "rev-parse", "HEAD").trim();
  removeDir(clone);
  return commit;
}

/** A person's commit on the origin's main, which the checkout then pulls (as the next nightly run's checkout would hold it). */
function advanceMain(path: string, content: string): void {
  editAsPerson("main", (clone) => {
    writeFileSync(join(clone, path), content);
    git(clone, "add", path);
    git(clone, "commit", "--quiet", "-m", `Change ${path}`);
  });
  git(repo, "pull", "--quiet", "--ff-only", "origin", "main");
}

beforeAll(async () => {
  openai = await startFakeOpenAI([{ match: "Write alpha", turns: [{ tool_calls: [{ name: "write_file", arguments: { path: "alpha.txt", content: "alpha\n" } }] }, { content: "done" }] }]);
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-ownership-"));
  repo = createRepo({ "README.md": "widgets\n", ".gitignore": ".nanocoder/runs/\n", "tasks/alpha.yaml": "title: Add alpha\nprompt: Write alpha.txt.\n" });
  origin = join(scratch, "origin.git");
  addBareOrigin(repo, origin);
});

afterAll(async () => {
  await openai.close();
  await github.close();
  removeDir(repo);
  removeDir(scratch);
});

describe("which branches nanocoder overwrites", () => {
  it("records the run and the tree in the commit, and updates its own untouched branch", async () => {
    expect((await batch("own/")).code).toBe(0);
    const made = git(origin, "rev-parse", "own/alpha").trim();
    const message = git(origin, "log", "-1", "--format=%B", made);
    expect(message).toMatch(/^Nanocoder-Run: \S+$/m);
    expect(message).toContain(`Nanocoder-Tree: ${git(origin, "rev-parse", `${made}^{tree}`).trim()}`);
    const again = await batch("own/");
    expect(again.code).toBe(0);
    expect(git(origin, "rev-parse", "own/alpha").trim()).not.toBe(made);
  });

  it("leaves alone a commit a person amended keeping nanocoder's message", async () => {
    expect((await batch("amended/")).code).toBe(0);
    const theirs = editAsPerson("amended/alpha", (clone) => {
      writeFileSync(join(clone, "alpha.txt"), "alpha, reviewed by a person\n");
      git(clone, "commit", "--quiet", "--all", "--amend", "--no-edit");
    });
    const again = await batch("amended/");
    expect(again.stderr).toContain("pull request for amended/alpha: branch amended/alpha exists and its last commit no longer has the files nanocoder gave it (Nanocoder-Tree): a person changed it, so it is left alone");
    expect(again.code).toBe(1);
    expect(git(origin, "rev-parse", "amended/alpha").trim()).toBe(theirs);
    expect(git(origin, "show", "amended/alpha:alpha.txt")).toBe("alpha, reviewed by a person\n");
  });

  it("leaves alone a person's commit on top that copies nanocoder's message", async () => {
    expect((await batch("copied/")).code).toBe(0);
    const theirs = editAsPerson("copied/alpha", (clone) => {
      writeFileSync(join(clone, "beta.txt"), "beta\n");
      git(clone, "add", "beta.txt");
      git(clone, "commit", "--quiet", "--reuse-message=HEAD");
    });
    const again = await batch("copied/");
    expect(again.stderr).toMatch(/branch copied\/alpha exists and its last commit no longer has the files nanocoder gave it/);
    expect(again.code).toBe(1);
    expect(git(origin, "rev-parse", "copied/alpha").trim()).toBe(theirs);
  });

  it("leaves alone a commit naming a run but no tree (an older nanocoder's, or edited)", async () => {
    const clone = mkdtempSync(join(scratch, "person-"));
    git(scratch, "clone", "--quiet", origin, clone);
    writeFileSync(join(clone, "alpha.txt"), "alpha\n");
    git(clone, "add", "alpha.txt");
    git(clone, "commit", "--quiet", "-m", "Add alpha\n\nNanocoder-Run: 20250101-000000-abcd");
    git(clone, "push", "--quiet", "origin", "HEAD:refs/heads/legacy/alpha");
    removeDir(clone);
    const legacy = git(origin, "rev-parse", "legacy/alpha").trim();
    const again = await batch("legacy/");
    expect(again.stderr).toContain("branch legacy/alpha exists and its last commit has no Nanocoder-Tree trailer (an older nanocoder made it, or a person changed it), so it is left alone; merge or close its pull request, or delete the branch");
    expect(again.code).toBe(1);
    expect(git(origin, "rev-parse", "legacy/alpha").trim()).toBe(legacy);
  });

  it("overwrites a commit whose message alone was reworded: its files are nanocoder's", async () => {
    expect((await batch("reworded/")).code).toBe(0);
    const theirs = editAsPerson("reworded/alpha", (clone) => {
      const message = git(clone, "log", "-1", "--format=%B").replace("Add alpha", "Add alpha (reworded)");
      git(clone, "commit", "--quiet", "--amend", "-m", message);
    });
    const again = await batch("reworded/");
    expect(again.code).toBe(0);
    expect(git(origin, "rev-parse", "reworded/alpha").trim()).not.toBe(theirs);
  });

  it("replaces its own branch that the base was merged into (GitHub's \"Update branch\"), on the run's newer base; a commit on top is named", async () => {
    expect((await batch("updated/")).code).toBe(0);
    advanceMain("README.md", "widgets, updated\n");
    const merged = editAsPerson("updated/alpha", (clone) => git(clone, "merge", "--quiet", "--no-edit", "origin/main"));
    const again = await batch("updated/");
    expect(again.stderr).not.toContain("left alone");
    expect(again.code).toBe(0);
    const replaced = git(origin, "rev-parse", "updated/alpha").trim();
    expect(replaced).not.toBe(merged);
    expect(git(origin, "rev-parse", `${replaced}~1`).trim()).toBe(git(repo, "rev-parse", "main").trim());
    expect(git(origin, "show", `${replaced}:README.md`)).toBe("widgets, updated\n");
    expect(git(origin, "show", `${replaced}:alpha.txt`)).toBe("alpha\n");

    // A person's commit on top of nanocoder's is work of theirs: named, and the branch left alone.
    const theirs = editAsPerson("updated/alpha", (clone) => {
      writeFileSync(join(clone, "beta.txt"), "beta\n");
      git(clone, "add", "beta.txt");
      git(clone, "commit", "--quiet", "-m", "Add beta by hand");
    });
    const refused = await batch("updated/");
    expect(refused.stderr).toMatch(
      /branch updated\/alpha is nanocoder's \(its commit [0-9a-f]{12}, run \S+\), but a commit was added on top of it \([0-9a-f]{12} "Add beta by hand"\), so it is left alone; merge or close its pull request, or delete the branch to let nanocoder make it again/,
    );
    expect(refused.code).toBe(1);
    expect(git(origin, "rev-parse", "updated/alpha").trim()).toBe(theirs);
  });

  it("leaves alone its own branch when a merge into it holds a person's conflict resolution, and says what to do", async () => {
    expect((await batch("resolved/")).code).toBe(0);
    advanceMain("alpha.txt", "alpha from main\n");
    const theirs = editAsPerson("resolved/alpha", (clone) => {
      expect(() => git(clone, "merge", "--quiet", "origin/main")).toThrow();
      writeFileSync(join(clone, "alpha.txt"), "alpha, as a person merged it\n");
      git(clone, "commit", "--quiet", "--all", "--no-edit");
    });
    const again = await batch("resolved/");
    expect(again.stderr).toMatch(
      /branch resolved\/alpha is nanocoder's \(its commit [0-9a-f]{12}, run \S+\), but the merge [0-9a-f]{12} "Merge .*" resolves a conflict or changes files by hand, which replacing the branch would lose, so it is left alone; merge or close its pull request, or delete the branch to let nanocoder make it again/,
    );
    expect(again.stderr).not.toContain("not made by nanocoder");
    expect(again.code).toBe(1);
    expect(git(origin, "rev-parse", "resolved/alpha").trim()).toBe(theirs);
    expect(git(origin, "show", "resolved/alpha:alpha.txt")).toBe("alpha, as a person merged it\n");
  });
});
