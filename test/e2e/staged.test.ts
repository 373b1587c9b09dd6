/**
 * --staged: tasks start from the staged changes, so a pre-commit hook's task sees what is being committed
 * and its patch applies to the working tree (docs/github.md "pre-commit"). The hook tests make real commits
 * through a real .git/hooks/pre-commit script that runs the hook of .pre-commit-hooks.yaml (the committed
 * bundle in action/) as the pre-commit framework does.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.ts";
import { startCliSteps } from "../helpers/cli-steps.ts";
import { lazy } from "../helpers/lazy.ts";
import { startFakeOpenAI, type FakeOpenAI, type RecordedRequest, type Turn } from "../helpers/fake-openai.ts";
import { createRepo, git, removeDir, writeFiles } from "../helpers/repo.ts";

const HEAD_VERSION = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";
const STAGED_VERSION = "export function add(a: number, b: number, c = 0): number {\n  return a + b + c;\n}\n";
const HEAD_DOC = "/** Adds two numbers. */\n";
const STAGED_DOC = "/**\n * Adds two or three numbers.\n * @param c added as well, 0 by default\n */\n";
const TASK = 'prompt: Keep the JSDoc of the changed functions in step with their code.\nfiles: ["src/**/*.ts"]\nexpect: any\n';

/**
 * A model that documents what read_file shows it: the staged signature gets the JSDoc for `c`, the committed
 * one a plain line; a file already documented is left alone. Every content it was shown is kept in `seen`.
 */
function documentingModel(seen: string[]) {
  return (request: RecordedRequest): Turn => {
    const messages = request.body.messages ?? [];
    const answered = messages.filter((message) => message.role === "assistant").length;
    if (answered === 0) return { tool_calls: [{ name: "read_file", arguments: { path: "src/a.ts" } }] };
    if (answered > 1) return { content: "Documented add." };
    const shown = String(messages.findLast((message) => message.role === "tool")?.content ?? "");
    seen.push(shown);
    if (shown.includes("/**")) return { content: "The JSDoc is in step already." };
    const content = shown.includes("c = 0") ? STAGED_DOC + STAGED_VERSION : HEAD_DOC + HEAD_VERSION;
    return { tool_calls: [{ name: "write_file", arguments: { path: "src/a.ts", content } }] };
  };
}

let openai: FakeOpenAI;
const seen: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-staged-"));
const emptyHome = mkdtempSync(join(tmpdir(), "nanocoder-test-staged-home-"));

beforeAll(async () => {
  openai = await startFakeOpenAI(documentingModel(seen));
});

afterAll(async () => {
  await openai.close();
  if (template !== undefined) removeDir(template);
  removeDir(scratch);
  removeDir(emptyHome);
});

/** The committed repository, made once: each test gets a copy of it (a copy costs no git command). */
let template: string | undefined;

/** A repository with src/a.ts committed as HEAD_VERSION and the docs task; `staged` is staged on top. */
function repoWithStagedChange(staged = true): string {
  template ??= createRepo({ "src/a.ts": HEAD_VERSION, ".nanocoder/tasks/docs.yaml": TASK, ".gitignore": ".nanocoder/runs/\n" });
  const repo = mkdtempSync(join(scratch, "repo-"));
  cpSync(template, repo, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(repo, "src/a.ts"), STAGED_VERSION);
  // The copied files are newer than the index says: refresh it, as a user's index is (one shell for both commands).
  execFileSync("sh", ["-c", `git update-index -q --refresh${staged ? " && git add src/a.ts" : ""}`], { cwd: repo, stdio: "ignore" });
  return repo;
}

const batch = (repo: string, ...args: string[]) =>
  runCli(["batch", "--apply", ...args, ".nanocoder/tasks/*.yaml", "--model", "scripted", "--base-url", openai.url, "--", "src/a.ts"], { cwd: repo });

/** Runs refused before any task starts go through one process that loads the command line once (test/helpers/steps.ts). */
const refusals = lazy(() => startCliSteps());
afterAll(async () => (await refusals()).close());
/** The repository of the refused runs, which change nothing in it: one for all of them. */
const refusedRepo = lazy(() => repoWithStagedChange());
const refusedBatch = async (repo: string, ...args: string[]) =>
  (await refusals()).run(["batch", "--apply", ...args, ".nanocoder/tasks/*.yaml", "--model", "scripted", "--base-url", openai.url, "--", "src/a.ts"], { cwd: repo });

const refs = (repo: string) => git(repo, "for-each-ref", "--format=%(refname) %(objectname)");

describe("batch --apply on a staged change", () => {
  it("without --staged the task sees HEAD, and its patch conflicts with the staged edit", async () => {
    const repo = repoWithStagedChange();
    const before = seen.length;
    const run = await batch(repo);
    expect(seen.slice(before)).toEqual([expect.stringContaining("add(a: number, b: number): number")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the patch of docs does not apply");
    // Every change is staged already: the advice is --staged alone, not to stage them.
    expect(run.stderr).toContain("warning: 1 file(s) have uncommitted changes, which the tasks will not see (they start from HEAD): src/a.ts; commit them, or pass --staged\n");
    removeDir(repo);
  });

  it("with --staged the task sees the staged file, its patch applies, and the index, HEAD and refs stay as they were", async () => {
    const repo = repoWithStagedChange();
    const head = git(repo, "rev-parse", "HEAD").trim();
    const stagedTree = git(repo, "write-tree").trim();
    const refsBefore = refs(repo);
    const indexBefore = readFileSync(join(repo, ".git/index"));
    const before = seen.length;

    const run = await batch(repo, "--staged", "--json");
    expect(run.stderr).toContain("applied the patches of docs");
    expect(run.code).toBe(0);
    expect(seen.slice(before)).toEqual([expect.stringContaining("c = 0")]);
    expect(readFileSync(join(repo, "src/a.ts"), "utf8")).toBe(STAGED_DOC + STAGED_VERSION);
    expect(git(repo, "show", ":src/a.ts")).toBe(STAGED_VERSION);
    expect(readFileSync(join(repo, ".git/index")).equals(indexBefore)).toBe(true);
    expect(git(repo, "rev-parse", "HEAD").trim()).toBe(head);
    expect(refs(repo)).toBe(refsBefore);

    // The run's base is a commit of the index on top of HEAD, made without any user.name.
    const { base } = JSON.parse(run.stdout) as { base: string };
    expect(git(repo, "rev-parse", `${base}^{tree}`).trim()).toBe(stagedTree);
    expect(git(repo, "rev-parse", `${base}^1`).trim()).toBe(head);
    expect(git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>", base).trim()).toBe("nanocoder <nanocoder@localhost>|nanocoder <nanocoder@localhost>");
    removeDir(repo);
  });

  it("--staged in a repository without commits starts from a parentless commit of the index", async () => {
    const repo = mkdtempSync(join(scratch, "unborn-"));
    git(repo, "init", "--quiet", "--initial-branch=main");
    writeFiles(repo, { "src/a.ts": STAGED_VERSION, ".nanocoder/tasks/docs.yaml": TASK, ".gitignore": ".nanocoder/runs/\n" });
    git(repo, "add", "src/a.ts");
    const run = await batch(repo, "--staged", "--json");
    expect(run.code).toBe(0);
    const { base } = JSON.parse(run.stdout) as { base: string };
    expect(git(repo, "rev-list", "--parents", "-1", base).trim()).toBe(base);
    expect(git(repo, "ls-tree", "-r", "--name-only", base).trim()).toBe("src/a.ts");
    expect(readFileSync(join(repo, "src/a.ts"), "utf8")).toBe(STAGED_DOC + STAGED_VERSION);
    removeDir(repo);
  });

  it("says what to do when the working tree differs from the index", async () => {
    const repo = repoWithStagedChange();
    writeFileSync(join(repo, "src/a.ts"), "// not staged\n" + STAGED_VERSION);
    const run = await batch(repo, "--staged");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the patch of docs does not apply");
    expect(run.stderr).toContain("git stash --keep-index");
    expect(readFileSync(join(repo, "src/a.ts"), "utf8")).toBe("// not staged\n" + STAGED_VERSION);
    removeDir(repo);
  });

  it.each([
    [["--base", "HEAD"], /^--staged starts the tasks from the staged changes, so it cannot be combined with --base; drop one of them\n$/],
    [["--resume", "somewhere"], /^--staged starts the tasks from the staged changes, so it cannot be combined with --resume; drop one of them\n$/],
  ])("refuses --staged with %j (exit 2, nothing runs)", async (args, message) => {
    const repo = await refusedRepo();
    const requests = openai.requests.length;
    const run = await refusedBatch(repo, "--staged", ...args);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(openai.requests.length).toBe(requests);
  });

  it("refuses --staged with --open-pr, which would push the uncommitted changes", async () => {
    const repo = await refusedRepo();
    const run = await (await refusals()).run(["batch", ".nanocoder/tasks/*.yaml", "--staged", "--open-pr", "per-task", "--model", "scripted", "--base-url", openai.url], {
      cwd: repo,
      env: { GITHUB_TOKEN: "ghp_x", GITHUB_REPOSITORY: "acme/widgets" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--staged runs on changes not yet committed.*commit them first/);
  });

  it("is listed in batch --help and run --help", async () => {
    const repo = await refusedRepo();
    for (const command of ["batch", "run"]) expect((await (await refusals()).run([command, "--help"], { cwd: repo })).stdout).toContain("--staged");
  });
});

describe("validate --staged: what the pre-commit hook would run, without a model", () => {
  it("expands for_each over the staged files, and with a -- keeps the tasks whose files are staged or named", async () => {
    const repo = repoWithStagedChange();
    writeFileSync(join(repo, "src/b.ts"), "export const b = 1;\n");
    git(repo, "add", "src/b.ts");
    writeFileSync(join(repo, "each.yaml"), "id: each\nfor_each: {file: {glob: 'src/*.ts'}}\nprompt: Document {{ file }}.\nfiles: ['{{ file }}']\n---\nid: readme\nprompt: Tidy the README.\nfiles: [README.md]\n");
    const steps = await refusals();
    const listed = async (...args: string[]) => {
      const result = await steps.run(["validate", "each.yaml", "--list", ...args], { cwd: repo });
      expect(result.code).toBe(0);
      return result.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0]);
    };
    expect(await listed()).toEqual(["each.src-a-ts", "readme"]);
    expect(await listed("--staged")).toEqual(["each.src-a-ts", "each.src-b-ts", "readme"]);
    expect(await listed("--staged", "--")).toEqual(["each.src-a-ts", "each.src-b-ts"]);
    expect(await listed("--staged", "--", "src/b.ts")).toEqual(["each.src-b-ts"]);
    writeFileSync(join(repo, "none.yaml"), "id: none\nfor_each: {file: {glob: 'lib/*.ts'}}\nprompt: Document {{ file }}.\n");
    const warned = await steps.run(["validate", "each.yaml", "none.yaml", "--list", "--staged"], { cwd: repo });
    expect(warned.stderr).toContain(`for_each.file: "lib/*.ts" matches no file in the staged files, so this task expands to nothing`);
    const refused = await steps.run(["validate", "each.yaml", "--staged", "--base", "HEAD"], { cwd: repo });
    expect(refused.stderr).toBe("--staged expands the tasks from the staged files, so it cannot be combined with --base; drop one of them\n");
    expect(refused.code).toBe(2);
    removeDir(repo);
  });
});

/** The repository these tests belong to, which is also the repository holding the pre-commit hook. */
const root = fileURLToPath(new URL("../..", import.meta.url));

interface HookDefinition {
  id: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
}

/**
 * The hook repository as pre-commit installs it: a clone. Here the files the hook runs from (the manifest and
 * action/) are committed to a scratch repository and cloned from it, so the clone holds what git records
 * (the entry's executable bit included), in a temporary folder with no node_modules or dist anywhere above it.
 */
function cloneHookRepo(): string {
  const source = join(scratch, "hook-source");
  mkdirSync(source);
  git(source, "init", "--quiet", "--initial-branch=main");
  cpSync(join(root, ".pre-commit-hooks.yaml"), join(source, ".pre-commit-hooks.yaml"));
  cpSync(join(root, "action"), join(source, "action"), { recursive: true });
  git(source, "add", "--all");
  git(source, "commit", "--quiet", "-m", "the hook");
  const clone = join(scratch, "hook-clone");
  git(scratch, "clone", "--quiet", source, clone);
  return clone;
}

/**
 * .git/hooks/pre-commit doing what the pre-commit framework does with the manifest's hook (`language: script`):
 * the entry's program, from the hook repository's clone, run as a program (its shebang finds `node` on PATH),
 * with the entry's words, then the args of the docs' .pre-commit-config.yaml and, as `pass_filenames: false`
 * says, no file names. A hook that changed files fails the commit ("files were modified by this hook").
 */
function hookScript(hookRepo: string): string {
  const [hook] = parse(readFileSync(join(root, ".pre-commit-hooks.yaml"), "utf8")) as HookDefinition[];
  expect(hook).toMatchObject({ id: "nanocoder-batch", language: "script", pass_filenames: false });
  const [program = "", ...words] = (hook?.entry ?? "").split(" ");
  const args = [...words, ".nanocoder/tasks/*.yaml", "--model", "scripted", "--base-url", openai.url, "--"];
  return `#!/bin/sh
${[join(hookRepo, program), ...args].map((word) => `'${word}'`).join(" ")} || exit $?
if ! git diff --quiet; then
  echo "files were modified by this hook" >&2
  exit 1
fi
`;
}

let hook: string;

function installHook(repo: string): void {
  writeFileSync(join(repo, ".git/hooks/pre-commit"), hook);
  chmodSync(join(repo, ".git/hooks/pre-commit"), 0o755);
}

/**
 * `git commit` as a user types it, hooks on, with no nanocoder configuration on the machine and the Node.js
 * running these tests first on PATH. Spawned, not run synchronously: the scripted model answering the hook
 * lives in this process.
 */
function commit(repo: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const env = {
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
    HOME: emptyHome,
    CI: "true",
    GIT_AUTHOR_NAME: "Dev",
    GIT_AUTHOR_EMAIL: "dev@localhost",
    GIT_COMMITTER_NAME: "Dev",
    GIT_COMMITTER_EMAIL: "dev@localhost",
  };
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["commit", "--quiet", ...args], { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("the pre-commit hook: .pre-commit-hooks.yaml's entry, from a clone of the repository without node_modules, run by a real git commit", () => {
  beforeAll(() => {
    hook = hookScript(cloneHookRepo());
  });

  it("git commit: the task documents the staged change, the hook fails the commit with the patch applied; committing the result passes", async () => {
    const repo = repoWithStagedChange();
    installHook(repo);
    const head = git(repo, "rev-parse", "HEAD").trim();
    const before = seen.length;

    const first = await commit(repo, "-m", "add c");
    expect(first.output).toContain("applied the patches of docs");
    expect(first.output).toContain("files were modified by this hook");
    expect(first.code).toBe(1);
    expect(seen.slice(before)).toEqual([expect.stringContaining("c = 0")]);
    expect(git(repo, "rev-parse", "HEAD").trim()).toBe(head);
    expect(readFileSync(join(repo, "src/a.ts"), "utf8")).toBe(STAGED_DOC + STAGED_VERSION);
    expect(git(repo, "show", ":src/a.ts")).toBe(STAGED_VERSION);

    // The user reviews and stages the documented file; the hook runs again, finds nothing to do, and the commit lands.
    git(repo, "add", "src/a.ts");
    const second = await commit(repo, "-m", "add c");
    expect(second.output).toContain("no patch to apply");
    expect(second.code).toBe(0);
    expect(git(repo, "rev-parse", "HEAD~1").trim()).toBe(head);
    expect(git(repo, "show", "HEAD:src/a.ts")).toBe(STAGED_DOC + STAGED_VERSION);
    expect(git(repo, "status", "--porcelain")).toBe("");
    removeDir(repo);
  });

  it.each([
    ["git commit -a (GIT_INDEX_FILE is .git/index.lock)", ["-a", "-m", "add c"]],
    ["git commit <path> (GIT_INDEX_FILE is a temporary index)", ["-m", "add c", "src/a.ts"]],
  ])("%s: the task sees the index being committed, not .git/index", async (_name, args) => {
    const repo = repoWithStagedChange(false);
    installHook(repo);
    const head = git(repo, "rev-parse", "HEAD").trim();
    const before = seen.length;

    const result = await commit(repo, ...args);
    expect(seen.slice(before)).toEqual([expect.stringContaining("c = 0")]);
    expect(result.output).toContain("applied the patches of docs");
    expect(result.code).toBe(1);
    expect(git(repo, "rev-parse", "HEAD").trim()).toBe(head);
    expect(readFileSync(join(repo, "src/a.ts"), "utf8")).toBe(STAGED_DOC + STAGED_VERSION);
    // git put the user's index back as it was: nothing staged.
    expect(git(repo, "diff", "--cached", "--name-only")).toBe("");
    removeDir(repo);
  });
});
