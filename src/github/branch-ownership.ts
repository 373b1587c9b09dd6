import { RUN_TRAILER, TREE_TRAILER } from "./branch-commit.ts";
import { git, gitSucceeds } from "../workspace/git.ts";

/** How far down a branch's first parents nanocoder's commit is looked for. */
const COMMITS_LOOKED_AT = 50;

interface BranchCommit {
  id: string;
  tree: string;
  parents: string[];
  subject: string;
  message: string;
}

const FIELD = "\x1f";
const RECORD = "\x1e";

/**
 * The remote branch's commit when nanocoder may replace it, undefined when there is no such branch; refuses any other.
 *
 * nanocoder made a commit when it names a run and still has the tree nanocoder recorded beside it: a commit
 * amended with the message kept (`git commit --amend --no-edit`) or rebased has another tree, and a person's
 * commit has no trailer, so neither is overwritten. (A message-only amend keeps the files, and is not told
 * apart: overwriting it loses no change to the code.)
 *
 * The branch may be replaced when its last commit is nanocoder's, or when nanocoder's commit is followed only by
 * merges that bring in commits the run's base holds and whose files are exactly what git makes of the merge by
 * itself, as GitHub's "Update branch" does: the new commit, made on that base, then loses nothing. A merge whose
 * files differ from git's own (a conflict resolved by hand, an edit) holds a person's work, as does any other
 * commit on top, and the branch is left alone, with what to do about it.
 */
export async function requireOwnBranch(repoRoot: string, remote: string, branch: string, env: Record<string, string>, runBase: string): Promise<string | undefined> {
  const listed = await git(["ls-remote", "--heads", remote, `refs/heads/${branch}`], repoRoot, env);
  if (listed.trim() === "") return undefined;
  await git(["fetch", "--quiet", "--no-tags", remote, `refs/heads/${branch}`], repoRoot, env);
  const chain = await firstParents(repoRoot, "FETCH_HEAD");
  const madeAt = chain.findIndex((commit) => lastTrailer(commit.message, RUN_TRAILER) !== undefined);
  const made = chain[madeAt];
  if (!made) {
    throw new Error(
      `branch ${branch} exists and its last commit has no ${RUN_TRAILER} trailer: it was not made by nanocoder, so it is left alone; ` +
        "rename or delete that branch if it is not needed, or give nanocoder another branch prefix",
    );
  }
  requireNanocoderFiles(made, branch, madeAt === 0);
  for (const added of chain.slice(0, madeAt).reverse()) {
    const why = await whyNotAMergeOfTheBase(repoRoot, added, runBase);
    if (why) {
      throw new Error(
        `branch ${branch} is nanocoder's (its commit ${short(made.id)}, run ${lastTrailer(made.message, RUN_TRAILER) ?? ""}), but ${why}, so it is left alone; ` +
          "merge or close its pull request, or delete the branch to let nanocoder make it again",
      );
    }
  }
  return chain[0]?.id;
}

/** The commit still has the tree nanocoder recorded in it. */
function requireNanocoderFiles(commit: BranchCommit, branch: string, last: boolean): void {
  const recorded = lastTrailer(commit.message, TREE_TRAILER);
  if (recorded === commit.tree) return;
  const which = last ? "its last commit" : `its commit ${short(commit.id)}`;
  const why = recorded === undefined
    ? `has no ${TREE_TRAILER} trailer (an older nanocoder made it, or a person changed it)`
    : `no longer has the files nanocoder gave it (${TREE_TRAILER}): a person changed it`;
  throw new Error(`branch ${branch} exists and ${which} ${why}, so it is left alone; merge or close its pull request, or delete the branch to let nanocoder make it again`);
}

/** Why a commit added on top of nanocoder's holds work that replacing the branch would lose; undefined when it holds none. */
async function whyNotAMergeOfTheBase(repoRoot: string, commit: BranchCommit, runBase: string): Promise<string | undefined> {
  const named = `${short(commit.id)} "${commit.subject}"`;
  const [ours, theirs, ...more] = commit.parents;
  if (theirs === undefined) return `a commit was added on top of it (${named})`;
  if (more.length > 0) return `the merge ${named} joins more than two branches`;
  if (!(await gitSucceeds(["merge-base", "--is-ancestor", theirs, runBase], repoRoot))) {
    return (
      `the merge ${named} brings in ${short(theirs)}, which the run's base ${short(runBase)} does not hold ` +
      "(a branch other than the base, a base newer than the run's, or a shallow checkout: actions/checkout with fetch-depth: 0 lets nanocoder see it)"
    );
  }
  // git's own merge of the two parents: exit 1 when it conflicts.
  const merged = await git(["merge-tree", "--write-tree", "--no-messages", ours ?? "", theirs], repoRoot).then(
    (output) => ({ tree: output.split("\n")[0]?.trim() }),
    (error: unknown) => ({ failure: error instanceof Error ? error.message : String(error) }),
  );
  if ("failure" in merged && !merged.failure.includes("(exit 1)")) return `the merge ${named} could not be checked (git 2.38 or newer is needed): ${merged.failure}`;
  if (!("tree" in merged) || merged.tree !== commit.tree) return `the merge ${named} resolves a conflict or changes files by hand, which replacing the branch would lose`;
  return undefined;
}

/** The commit `ref` and the first parents before it, newest first. */
async function firstParents(repoRoot: string, ref: string): Promise<BranchCommit[]> {
  const format = ["%H", "%T", "%P", "%s", "%B"].join("%x1f") + "%x1e";
  const log = await git(["log", "--first-parent", `--max-count=${COMMITS_LOOKED_AT}`, `--format=${format}`, ref], repoRoot);
  return log
    .split(RECORD)
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record !== "")
    .map((record) => {
      const [id = "", tree = "", parents = "", subject = "", message = ""] = record.split(FIELD);
      return { id, tree, parents: parents.split(" ").filter(Boolean), subject, message };
    });
}

function lastTrailer(message: string, name: string): string | undefined {
  const values = [...message.matchAll(new RegExp(`^${name}: (\\S+)$`, "gm"))].map((match) => match[1]);
  return values.at(-1);
}

function short(id: string): string {
  return id.slice(0, 12);
}
