/**
 * The copy-paste workflows of docs/github.md and the pre-commit hook definition: valid YAML, only inputs
 * action.yml declares, and the details that make them work as written (the sharded workflow merges and
 * opens pull requests with the Action itself, run folders under .nanocoder/ are really uploaded, bubblewrap
 * is installed from a fresh package list, the hook starts from the staged files).
 */
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));
const docs = readFileSync(`${root}docs/github.md`, "utf8");
const blocks = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: unknown;
  jobs: Record<string, Job>;
}

const workflows = blocks.map((text) => parse(text) as unknown).filter((doc): doc is Workflow => typeof doc === "object" && doc !== null && "jobs" in doc);
const steps = workflows.flatMap((workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps));
const actionSteps = steps.filter((step) => step.uses?.includes("/nanocoder-batch@"));
const inputs = Object.keys((parse(readFileSync(`${root}action.yml`, "utf8")) as { inputs: Record<string, unknown> }).inputs);

describe("docs/github.md workflows", () => {
  it("are valid YAML: the nightly one and the sharded one", () => {
    for (const text of blocks) expect(() => parse(text)).not.toThrow();
    expect(workflows.map((workflow) => workflow.name)).toEqual(["nightly refactoring", "nanocoder sharded"]);
  });

  it("give the Action only inputs action.yml declares, and tasks or merge, never both", () => {
    expect(actionSteps.length).toBeGreaterThanOrEqual(3);
    for (const step of actionSteps) {
      for (const key of Object.keys(step.with ?? {})) expect(inputs).toContain(key);
      expect(["tasks" in (step.with ?? {}), "merge" in (step.with ?? {})].filter(Boolean)).toHaveLength(1);
    }
  });

  it("install nothing to run nanocoder, and install bubblewrap after refreshing the package list", () => {
    const runs = steps.flatMap((step) => step.run ?? []);
    expect(runs.filter((run) => /\bnpx\b|npm (i|install)\b/.test(run))).toEqual([]);
    const installs = [...docs.matchAll(/^.*apt-get install -y bubblewrap.*$/gm)].map((match) => match[0]);
    expect(installs.length).toBe(3);
    for (const line of installs) expect(line).toContain("sudo apt-get update && sudo apt-get install -y bubblewrap && sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
  });

  it("upload the run folder (under .nanocoder/, a hidden folder) with hidden files included, when there is one", () => {
    const uploads = steps.filter((step) => step.uses?.startsWith("actions/upload-artifact@") && String(step.with?.path).includes("outputs.run-dir"));
    expect(uploads).toHaveLength(3);
    for (const upload of uploads) {
      expect(upload.with?.["include-hidden-files"]).toBe(true);
      expect(upload.if).toMatch(/^always\(\) && steps\.\w+\.outputs\.run-dir != ''$/);
    }
  });

  it("shard without pull requests, then merge, report and open the pull requests in one job with the Action", () => {
    const sharded = workflows.find((workflow) => workflow.name === "nanocoder sharded");
    const [shardJob, mergeJob] = Object.entries(sharded?.jobs ?? {});
    const shardAction = shardJob?.[1].steps.find((step) => step.uses?.includes("/nanocoder-batch@"));
    expect(shardAction?.with).toMatchObject({ shard: "${{ matrix.shard }}/4", "open-pr": "none", "fail-on": "never" });
    expect(shardJob?.[1].steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"))?.with?.name).toBe("nanocoder-shard-${{ matrix.shard }}");

    const job = mergeJob?.[1];
    expect(job?.needs).toBe(shardJob?.[0]);
    expect(job?.if).toBe("${{ !cancelled() }}");
    expect(job?.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    expect(job?.steps.map((step) => step.uses?.split("@")[0])).toEqual(["actions/checkout", "actions/download-artifact", "your-org/nanocoder-batch", "actions/upload-artifact"]);
    const download = job?.steps[1]?.with;
    const merge = job?.steps[2]?.with;
    expect(download).toMatchObject({ pattern: "nanocoder-shard-*", path: "shards" });
    expect(merge?.merge).toBe("shards/*");
    expect(merge?.["open-pr"] ?? "per-task").toBe("per-task");
  });
});

interface HookDefinition {
  id: string;
  entry: string;
  args: string[];
  language: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
  exclude?: string;
  stages?: string[];
}

describe("pre-commit", () => {
  const [hook] = parse(readFileSync(`${root}.pre-commit-hooks.yaml`, "utf8")) as HookDefinition[];

  it("the hook runs the committed bundle with the node on PATH: pre-commit installs and builds nothing", () => {
    expect(hook).toMatchObject({ id: "nanocoder-batch", language: "script", entry: "action/nanocoder.mjs batch --apply --staged", require_serial: true });
    const program = `${root}${hook?.entry.split(" ")[0] ?? ""}`;
    expect(statSync(program).mode & 0o111, `${program} must be executable`).not.toBe(0);
    expect(readFileSync(program, "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(docs).toContain("(`action/nanocoder.mjs batch --apply --staged`)");
  });

  it("the hook takes the staged files from the index, once: no file names passed, `--` ends its args", () => {
    expect(hook?.pass_filenames).toBe(false);
    expect(hook?.args.at(-1)).toBe("--");
  });

  it("the hook names no stage, which every pre-commit accepts without a warning, and skips git's message files", () => {
    expect(hook?.stages).toBeUndefined();
    const exclude = new RegExp(hook?.exclude ?? "^$");
    for (const messageFile of [".git/COMMIT_EDITMSG", "/home/dev/repo/.git/worktrees/wt/COMMIT_EDITMSG", ".git/modules/sub/COMMIT_EDITMSG"]) expect(exclude.test(messageFile)).toBe(true);
    for (const staged of ["src/a.ts", "src/.gitkeep", "a.git/b", ".github/workflows/ci.yml"]) expect(exclude.test(staged)).toBe(false);
  });

  it("the docs' .pre-commit-config.yaml is valid YAML using that hook, at a pinned rev, with its args ending in `--`", () => {
    const config = blocks.map((text) => parse(text) as unknown).find((doc): doc is { repos: { rev: unknown; hooks: { id: string; args: string[] }[] }[] } => typeof doc === "object" && doc !== null && "repos" in doc);
    expect(config?.repos[0]?.hooks[0]?.id).toBe("nanocoder-batch");
    expect(config?.repos[0]?.hooks[0]?.args.at(-1)).toBe("--");
    expect(typeof config?.repos[0]?.rev).toBe("string");
  });
});
