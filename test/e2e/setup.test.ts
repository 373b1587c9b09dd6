import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBwrap } from "../../src/sandbox/probe.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { createNpmProject, packageLock, packInto } from "../helpers/projects.ts";
import { createRepo, git, removeDir, writeFiles } from "../helpers/repo.ts";
import { expectValidRunFolder, readEvents, readSummary, type LoggedEvent } from "../helpers/run-folder.ts";
import { scratchDir } from "../helpers/temp.ts";
import { lazy } from "../helpers/lazy.ts";

const bwrap = await findBwrap(process.env.PATH ?? "");
if (!bwrap) console.warn("SKIPPED test/e2e/setup.test.ts: bubblewrap (bwrap) is not installed; `apt-get install bubblewrap` to run it");

const TASK_COUNT = 10;
const SETUP_POLICY = [
  "version: 1",
  "files:",
  "  read: {allow: ['**']}",
  "  write: {allow: ['**']}",
  "setup:",
  "  run: ['npm ci --offline --no-audit --no-fund']",
  "",
].join("\n");

/** One task file holding `count` tasks, each adding a note and checked by `npm test`. */
function noteTasks(count: number): string {
  return Array.from({ length: count }, (_, index) => `id: note-${index + 1}\nprompt: Write note ${index + 1}.\nchecks: [npm test]\n`).join("---\n");
}

function setupEvents(outDir: string, ids: string[]): LoggedEvent[] {
  return ids.flatMap((id) => readEvents(outDir, id)).filter((event) => event.type.startsWith("setup_"));
}

describe.skipIf(!bwrap)("a setup step that installs the dependencies in each worktree (CI, nothing installed)", () => {
  let model: FakeOpenAI;
  let repo: string;
  let scratch: string;
  let first: CliResult;
  let second: CliResult;
  const ids = Array.from({ length: TASK_COUNT }, (_, index) => `note-${index + 1}`);

  beforeAll(async () => {
    model = await startFakeOpenAI((request) => {
      const note = /Write note (\d+)/.exec(JSON.stringify(request.body.messages))?.[1] ?? "x";
      const answered = (request.body.messages ?? []).some((message) => message.role === "tool");
      return answered ? { content: "Done." } : { tool_calls: [{ name: "write_file", arguments: { path: `notes/${note}.md`, content: `Note ${note}\n` } }] };
    });
    repo = createNpmProject({ install: false });
    scratch = scratchDir("nanocoder-e2e-setup-");
    writeFileSync(join(scratch, "policy.yaml"), SETUP_POLICY);
    writeFiles(repo, { "tasks/notes.yaml": noteTasks(TASK_COUNT) });
    const common = ["--base-url", model.url, "--model", "scripted", "--policy", join(scratch, "policy.yaml"), "--concurrency", "2"];
    first = await runCli(["batch", "tasks/notes.yaml", ...common, "--out", join(scratch, "first")], { cwd: repo });

    // The lockfile changes: greet 1.1.0, committed. A check now asks for that version.
    packInto(repo, "1.1.0");
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    manifest.dependencies.greet = "file:vendor/greet-1.1.0.tgz";
    writeFileSync(join(repo, "package.json"), JSON.stringify(manifest, null, 2));
    writeFiles(repo, {
      "package-lock.json": packageLock("1.1.0"),
      "tasks/version.yaml": "id: version\nprompt: Write note 99.\nchecks: [\"node --input-type=module -e \\\"import { greet } from 'greet'; if (!greet('x').includes('1.1.0')) process.exit(3)\\\"\"]\n",
    });
    git(repo, "add", "--all");
    git(repo, "commit", "--quiet", "-m", "greet 1.1.0");
    second = await runCli(["batch", "tasks/version.yaml", ...common, "--out", join(scratch, "second")], { cwd: repo });
  }, 240_000);

  afterAll(async () => {
    await model.close();
    removeDir(repo);
  });

  it("passes every task's `npm test` with what setup installed", () => {
    expect(first.stdout + first.stderr).toContain(`${TASK_COUNT}/${TASK_COUNT} succeeded`);
    expect(readSummary(join(scratch, "first")).tasks.every((task) => task.checks[0]?.passed === true)).toBe(true);
  });

  it("writes the setup events and every other output as the published schemas describe them", () => {
    expect(expectValidRunFolder(join(scratch, "first"))).toBeGreaterThan(TASK_COUNT * 3);
  });

  it("runs setup once per worktree: twice for ten tasks two at a time, reused by the other eight", () => {
    const events = setupEvents(join(scratch, "first"), ids);
    expect(events.filter((event) => event.type === "setup_end" && event.ok === true)).toHaveLength(2);
    expect(events.filter((event) => event.type === "setup_reused")).toHaveLength(TASK_COUNT - 2);
    expect(readdirSync(join(scratch, "first", "setup")).sort()).toEqual(["worktree-1.log", "worktree-2.log"]);
    expect(readFileSync(join(scratch, "first", "setup", "worktree-1.log"), "utf8")).toContain("$ npm ci --offline --no-audit --no-fund");
  });

  it("keeps the installed node_modules out of every patch and the user's repository", () => {
    for (const id of ids) expect(readSummary(join(scratch, "first")).tasks.find((task) => task.id === id)?.files_changed).toEqual([`notes/${id.slice(5)}.md`]);
    expect(existsSync(join(repo, "node_modules"))).toBe(false);
  });

  it("runs again once the lockfile changed, and the check sees the new version", () => {
    expect(second.stdout + second.stderr).toContain("1/1 succeeded");
    expect(setupEvents(join(scratch, "second"), ["version"]).map((event) => event.type)).toEqual(["setup_start", "setup_end"]);
  });
});

describe.skipIf(!bwrap)("a setup step that fails", () => {
  let model: FakeOpenAI;
  let repo: string;
  let scratch: string;
  let run: CliResult;

  beforeAll(async () => {
    model = await startFakeOpenAI([{ match: "Do it", turns: [{ content: "Done." }] }]);
    repo = createRepo({ "tasks/t.yaml": "id: a\nprompt: Do it.\n---\nid: b\nprompt: Do it.\n---\nid: c\nprompt: Do it.\n" });
    scratch = scratchDir("nanocoder-e2e-setup-fail-");
    writeFileSync(join(scratch, "policy.yaml"), "version: 1\nsetup:\n  run: ['echo resolving packages', 'echo \"E404 no such package: lefpad\" >&2; exit 3']\n");
    run = await runCli(["batch", "tasks/t.yaml", "--base-url", model.url, "--model", "scripted", "--policy", join(scratch, "policy.yaml"), "--out", join(scratch, "out"), "--concurrency", "1"], { cwd: repo });
  });

  afterAll(async () => {
    await model.close();
    removeDir(repo);
  });

  it("fails every task with the failing command and the end of setup's log, before any model request", () => {
    expect(run.code).toBe(1);
    const tasks = readSummary(join(scratch, "out")).tasks;
    expect(tasks.map((task) => task.status)).toEqual(["error", "error", "error"]);
    expect(tasks.map((task) => task.stop_reason)).toEqual(["setup_failed", "setup_failed", "setup_failed"]);
    for (const task of tasks) {
      expect(task.error).toContain("setup failed: `echo \"E404 no such package: lefpad\" >&2; exit 3` exited with code 3; its log is setup/worktree-1.log");
      expect(task.error).toContain("E404 no such package: lefpad");
    }
    expect(model.requests).toHaveLength(0);
  });

  it("tries once: the later tasks fail at once with the same log", () => {
    expect(readdirSync(join(scratch, "out", "setup"))).toEqual(["worktree-1.log"]);
    expect(readFileSync(join(scratch, "out", "setup", "worktree-1.log"), "utf8")).toBe("$ echo resolving packages\nresolving packages\n$ echo \"E404 no such package: lefpad\" >&2; exit 3\nE404 no such package: lefpad\n");
  });
});

/**
 * One batch for two scenarios under one policy, one task at a time: task `t` after the policy's setup, which
 * fetches from two hosts with one allowed, and task `gen` after it, whose own setup commands run after that
 * setup (reused from `t`'s worktree, so its setup_end events are its own setup's).
 */
const networkAndTaskSetup = lazy(async () => {
  const hits: string[] = [];
  // Loopback addresses other than 127.0.0.1 and localhost, which commands reach directly (NO_PROXY).
  const listen = async (name: string, address: string) => {
    const server = createServer((request, response) => {
      hits.push(`${name}${request.url ?? ""}`);
      response.end(`${name} says hi\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    return server;
  };
  const model = await startFakeOpenAI([
    { match: "Do it", turns: [{ content: "Done." }] },
    { match: "Read the generated file", turns: [{ tool_calls: [{ name: "execute_bash", arguments: { command: "cat build/out.txt" } }] }, { content: "Read." }] },
  ]);
  const allowed = await listen("allowed", "127.0.0.2");
  const refused = await listen("refused", "127.0.0.3");
  const port = (server: Server) => (server.address() as AddressInfo).port;
  const repo = createRepo({
    ".gitignore": "build/\n",
    "VERSION": "1\n",
    "tasks/t.yaml": "id: t\nprompt: Do it.\nexpect: none\n",
    "tasks/gen.yaml": "id: gen\nprompt: Read the generated file.\nexpect: none\nsetup: ['mkdir -p build && echo generated from $(cat VERSION) > build/out.txt', 'echo 2 > VERSION']\n",
  });
  const scratch = scratchDir("nanocoder-e2e-setup-net-");
  writeFileSync(join(scratch, "policy.yaml"), [
    "version: 1",
    "files:",
    "  read: {allow: ['**']}",
    "commands:",
    "  allow: ['cat build/out.txt']",
    "setup:",
    `  run: ['curl -sS http://127.0.0.2:${port(allowed)}/package', 'curl -fsS http://127.0.0.3:${port(refused)}/package || echo "curl exited $?"']`,
    "  network: [127.0.0.2]",
    "",
  ].join("\n"));
  try {
    const run = await runCli(["batch", "tasks/t.yaml", "tasks/gen.yaml", "--base-url", model.url, "--model", "scripted", "--policy", join(scratch, "policy.yaml"), "--out", join(scratch, "out"), "--concurrency", "1"], { cwd: repo });
    return { run, hits, out: join(scratch, "out") };
  } finally {
    await model.close();
    allowed.close();
    refused.close();
    removeDir(repo);
  }
});

describe.skipIf(!bwrap)("setup with a network allow-list", () => {
  it("reaches the allowed host through the proxy, and is refused the other with a message naming it and the setting", async () => {
    const { run, hits, out } = await networkAndTaskSetup();
    expect(run.stdout + run.stderr).toContain("2/2 succeeded");
    const log = readFileSync(join(out, "setup", "worktree-1.log"), "utf8");
    expect(log).toContain("allowed says hi");
    expect(log).toContain("network access to 127.0.0.3 refused");
    expect(log).toContain("setup.network in");
    expect(log).toMatch(/curl exited [1-9]/);
    expect(hits).toEqual(["allowed/package"]);
  });
});

describe.skipIf(!bwrap)("a task's own setup commands", () => {
  it("run before the model starts, with their output in the task's own setup log", async () => {
    const { run, out } = await networkAndTaskSetup();
    expect(run.code).toBe(0);
    const output = readEvents(out, "gen").find((event) => event.type === "tool_result")?.output;
    expect(output).toContain("generated from 1");
    expect(readFileSync(join(out, "tasks", "gen", "setup.log"), "utf8")).toContain("$ echo 2 > VERSION");
  });

  it("leave no change to tracked files in the patch", async () => {
    const { out } = await networkAndTaskSetup();
    expect(readFileSync(join(out, "tasks", "gen", "patch.diff"), "utf8")).toBe("");
    expect(setupEvents(out, ["gen"]).find((event) => event.type === "setup_end")?.undone).toEqual(["VERSION"]);
  });
});
