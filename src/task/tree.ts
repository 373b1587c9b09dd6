import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { UserError } from "../shared/errors.ts";
import { findRepoRoot, git } from "../workspace/git.ts";

/**
 * The files `for_each` globs and packages are read from: those of the commit the tasks start from, or of
 * the index with --staged. Only what git tracks is there, so ignored files never become tasks.
 */
export interface RepositoryFiles {
  /** How messages name it, after "matches no file": "at HEAD", "at <commit>", "in the staged files". */
  describe: string;
  /** Every file path, relative to the repository root, sorted. */
  list(): Promise<string[]>;
  /** The text of each path that exists (a missing one is left out). */
  read(paths: readonly string[]): Promise<Map<string, string>>;
}

/** The files of `ref` (a commit), or of the index when `ref` is undefined; read once, when first needed. */
export function repositoryFiles(cwd: string, ref: string | undefined, env: NodeJS.ProcessEnv = {}): RepositoryFiles {
  let root: Promise<string> | undefined;
  let listing: Promise<string[]> | undefined;
  const describe = ref === undefined ? "in the staged files" : `at ${ref}`;
  const repoRoot = () => (root ??= findRepoRoot(cwd).catch(() => {
    throw new UserError(`for_each: globs and packages are matched against the files git tracks, and ${cwd} is not in a git repository; run in the repository, or give the values as a list`, "E_NOT_GIT");
  }));
  // In a git hook, GIT_INDEX_FILE names the index being committed, relative to the top of the repository.
  const indexEnv = async (): Promise<Record<string, string>> => (ref === undefined && env.GIT_INDEX_FILE ? { GIT_INDEX_FILE: resolve(await repoRoot(), env.GIT_INDEX_FILE) } : {});
  return {
    describe,
    list: () =>
      (listing ??= (async () => {
        const args = ref === undefined ? ["ls-files", "--cached", "-z"] : ["ls-tree", "-r", "-z", "--name-only", `${ref}^{tree}`];
        const text = await git(args, await repoRoot(), await indexEnv()).catch(() => {
          const fix = ref === "HEAD" ? "make a first commit, stage the files and pass --staged, or give the values as a list" : "make a first commit, or give the values as a list";
          throw new UserError(`for_each: cannot list the files ${ref === undefined ? "staged" : `of ${ref}`}; ${fix}`, "E_BAD_BASE");
        });
        return text.split("\0").filter((name) => name !== "").sort();
      })()),
    read: async (paths) => readBlobs(await repoRoot(), paths.map((path) => `${ref ?? ""}:${path}`), paths, await indexEnv()),
  };
}

/** Many files' text from git in one process (`git cat-file --batch`): a monorepo has hundreds of package.json. */
async function readBlobs(repoRoot: string, objects: readonly string[], paths: readonly string[], env: Record<string, string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (objects.length === 0) return found;
  const output = await new Promise<Buffer>((done, fail) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: repoRoot, env: { ...withoutGitVariables(process.env), ...env }, stdio: ["pipe", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", fail);
    child.on("close", () => done(Buffer.concat(chunks)));
    child.stdin.end(objects.map((object) => `${object}\n`).join(""));
  });
  let at = 0;
  for (const path of paths) {
    const headerEnd = output.indexOf(0x0a, at);
    if (headerEnd < 0) break;
    const header = output.subarray(at, headerEnd).toString("utf8");
    at = headerEnd + 1;
    // "<object> missing" has no content; a folder ("tree") has some, skipped.
    const [, type, size] = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header) ?? [];
    if (size === undefined) continue;
    if (type === "blob") found.set(path, output.subarray(at, at + Number(size)).toString("utf8"));
    at += Number(size) + 1;
  }
  return found;
}

function withoutGitVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("GIT_")));
}
