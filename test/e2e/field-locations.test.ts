import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { lazyCliSteps } from "../helpers/cli-steps.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";
import { lazy } from "../helpers/lazy.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";

/*
 * Problems found after a task file has loaded (an unknown provider, a context entry that matches nothing,
 * a task's own deny rule) are reported at the key they are about, not at the start of the file.
 */

const CONFIG = JSON.stringify({ providers: [{ name: "local", baseUrl: "http://127.0.0.1:9/v1", models: ["m"] }] });

let repo: string;

beforeAll(() => {
  repo = createRepo({
    "agents.config.json": CONFIG,
    "src/a.ts": "export const a = 1;\n",
    "tasks/provider.yaml": "id: p\ntitle: Provider\nprompt: Do it.\nprovider: nope\n",
    "tasks/context.yaml": "id: c\nprompt: Do it.\ncontext:\n  - src/a.ts\n  - src/missing.ts\n  - docs/*.md\n",
    ".env": "TOKEN=1\n",
    "tasks/refused.yaml": "id: r\nprompt: Do it.\ncontext: [src/a.ts, .env, ../outside.ts]\n",
    "tasks/named.yaml": "id: n\nprompt: Do it.\ncontext: [src/a.ts, .env]\n",
    "tasks/deny.yaml": "id: d\nprompt: Do it.\npolicy:\n  commands:\n    deny:\n      - pattern: \"git push **\"\n        reason: not from this task\n",
  });
});

/** validate starts no task: its runs go through one process that loads the command line once. */
const validate = lazyCliSteps();

afterAll(async () => {
  removeDir(repo);
  await validate.close();
});

/** One validate of the two task files whose context entries are refused: it reports every task's. */
const contextErrors = lazy(() => validate.run(["validate", "tasks/context.yaml", "tasks/refused.yaml"], { cwd: repo }));

describe("locations of problems found after loading", () => {
  it("an unknown provider is reported at the task's provider key", async () => {
    const result = await validate.run(["validate", "tasks/provider.yaml"], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tasks\/provider\.yaml:4:1: unknown provider "nope" \(from the task's provider\); agents\.config\.json defines: local$/m);
  });

  it("validate reports each context entry that matches no file of HEAD, at its line, like the run would", async () => {
    const result = await contextErrors();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tasks/context.yaml:5:5: context[1]: "src/missing.ts" matches no file at HEAD; the task would end as error');
    expect(result.stderr).toContain('tasks/context.yaml:6:5: context[2]: "docs/*.md" matches no file at HEAD');
    expect(result.stderr).not.toContain("context[0]");
    expect(result.stdout).toBe("");
  });

  it("validate refuses a context entry outside the workspace, and warns of one the read policy keeps from the model", async () => {
    const outside = await contextErrors();
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('tasks/refused.yaml:3:27: context[2]: "../outside.ts" is outside the workspace; context files are paths or globs inside the repository');
    const named = await validate.run(["validate", "tasks/named.yaml"], { cwd: repo });
    expect(named.code).toBe(0);
    expect(named.stderr).toBe('warning: tasks/named.yaml:3:21: context[1]: ".env" will not be given to the model: read .env: matches deny rule "**/.env": secrets are never read\n');
  });

  it("a task's own deny rule is named by its line in the policy decision", async () => {
    const model = await startFakeOpenAI([{
      match: "Do it.",
      turns: [{ tool_calls: [{ name: "execute_bash", arguments: { command: "git push origin main" } }] }, { content: "Could not push." }],
    }]);
    try {
      const out = join(repo, ".nanocoder", "runs", "deny");
      await runCli(["batch", "tasks/deny.yaml", "--base-url", model.url, "--model", "m", "--out", out], { cwd: repo });
      const events = readFileSync(join(out, "tasks", "d", "events.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
      const decision = events.find((event) => event.type === "policy_decision");
      expect(decision).toMatchObject({ decision: "deny", pattern: "git push **", rule_source: "tasks/deny.yaml:6:9" });
    } finally {
      await model.close();
    }
  });
});
