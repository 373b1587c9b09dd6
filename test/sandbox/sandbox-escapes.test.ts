import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandEnv } from "../../src/run/command-env.ts";
import { buildBwrapArgs } from "../../src/sandbox/bwrap.ts";
import { resolveSandbox } from "../../src/sandbox/index.ts";
import { discoverLayout } from "../../src/sandbox/layout.ts";
import { findBwrap } from "../../src/sandbox/probe.ts";
import executeBash from "../../src/tools/execute-bash.ts";
import type { ToolContext, WrapCommand } from "../../src/tools/types.ts";
import { addWorktree, removeWorktree, type Worktree } from "../../src/workspace/worktree.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

/*
 * What a command the model runs can reach of the host through the bubblewrap sandbox (docs/sandbox.md),
 * beyond the basic promises test/sandbox/sandbox.test.ts checks.
 */

const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY----- escape-test-key";
const SECRET = "sandbox-escape-secret-0815";
/** What actions/checkout (persist-credentials, the default) leaves in the repository's .git/config. */
const CHECKOUT_TOKEN = "ghs_escapeTestInstallationToken0123456789";

const bwrap = await findBwrap(process.env.PATH ?? "");
if (!bwrap) console.warn("SKIPPED test/sandbox/sandbox-escapes.test.ts: bubblewrap (bwrap) is not installed");

describe.skipIf(!bwrap)("sandbox escapes", () => {
  let repo: string;
  let scratch: string;
  let fakeHome: string;
  const worktrees: Worktree[] = [];

  beforeAll(async () => {
    repo = createRepo({ "README.md": "hello\n", "package.json": "{}\n" });
    const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${CHECKOUT_TOKEN}`).toString("base64")}`;
    git(repo, "config", "--local", "http.https://github.com/.extraheader", header);
    scratch = mkdtempSync(join(tmpdir(), "nanocoder-sandbox-escapes-"));
    fakeHome = join(scratch, "home");
    mkdirSync(join(fakeHome, ".ssh"), { recursive: true });
    writeFileSync(join(fakeHome, ".ssh", "id_rsa"), PRIVATE_KEY);
    process.env.NANOCODER_SANDBOX_ESCAPE_SECRET = SECRET;
  });

  afterAll(async () => {
    delete process.env.NANOCODER_SANDBOX_ESCAPE_SECRET;
    for (const worktree of worktrees) await removeWorktree(worktree);
    removeDir(repo);
    removeDir(scratch);
  });

  async function worktree(name: string): Promise<string> {
    const added = await addWorktree(repo, "HEAD", join(scratch, "run", name));
    worktrees.push(added);
    return added.dir;
  }

  function context(workspace: string, wrapCommand: WrapCommand | undefined): ToolContext {
    const env = commandEnv({ ...process.env, HOME: fakeHome, NANOCODER_SANDBOX_ESCAPE_SECRET: SECRET, GITHUB_TOKEN: SECRET, OPENAI_API_KEY: SECRET });
    return { workspace, signal: new AbortController().signal, env, isReadable: () => true, ...(wrapCommand ? { wrapCommand } : {}) };
  }

  async function sandboxFor(workspace: string, settings: { network?: boolean; writable?: string[] } = {}): Promise<WrapCommand> {
    const sandbox = await resolveSandbox({ mode: "bwrap", required: true, network: settings.network ?? false, writable: settings.writable ?? [] });
    const wrap = await sandbox.wrapperFor(workspace);
    if (!wrap) throw new Error("no sandbox");
    return wrap;
  }

  const run = (workspace: string, wrap: WrapCommand | undefined, command: string, timeout_ms = 20_000) =>
    executeBash.execute({ command, timeout_ms }, context(workspace, wrap));

  // --- problems: these fail until fixed ---

  it("a symlink a command puts where a sandbox.writable folder inside the worktree was makes the next command bind a host folder read-write", async () => {
    const workspace = await worktree("writable-link");
    const wrap = await sandboxFor(workspace, { writable: ["node_modules/.cache"] });
    // The mount point itself cannot be removed inside the sandbox, but its parent folder can be moved away
    // (or file_op can delete it, outside the sandbox). The link is relative, so bwrap resolves it the same way
    // on both sides: from the host's root for the source, from the sandbox's for the destination. The destination
    // must exist in the sandbox: every parent folder of a bound path does, here the run's temporary folder; on a
    // real machine the folders above the repository's .git (e.g. /home/user) do.
    const first = await run(workspace, wrap, "mkdir -p node_modules/.cache && mv node_modules old && mkdir node_modules && ln -s ../../.. node_modules/.cache && echo swapped");
    expect(first).toContain("swapped");
    // The next command is started with `--bind <worktree>/node_modules/.cache <same>`.
    const second = await run(workspace, wrap, `cat ${fakeHome}/.ssh/id_rsa; echo planted > ${fakeHome}/.bashrc; echo done`);
    expect(second).toContain("done");
    expect(second).not.toContain(PRIVATE_KEY);
    expect(existsSync(join(fakeHome, ".bashrc"))).toBe(false);
  });

  it("does not show the token actions/checkout leaves in the repository's .git/config", async () => {
    const workspace = await worktree("checkout-token");
    const wrap = await sandboxFor(workspace);
    const output = await run(workspace, wrap, 'cat "$(git rev-parse --git-common-dir)/config"; git config --get-regexp extraheader');
    const encoded = Buffer.from(`x-access-token:${CHECKOUT_TOKEN}`).toString("base64");
    expect(output).not.toContain(encoded);
  });

  it("has no capabilities, even as root, so it cannot remount a read-only folder read-write", async () => {
    const workspace = await worktree("capabilities");
    const wrap = await sandboxFor(workspace);
    const common = join(repo, ".git");
    const output = await run(workspace, wrap, [
      "grep CapEff /proc/self/status",
      `mount -o remount,bind,rw ${common} && echo hook > ${common}/hooks/post-checkout && echo REMOUNTED`,
      "mount -o remount,bind,rw /etc && touch /etc/nanocoder-escape && echo ETC",
      `umount ${common}/config && echo UNMOUNTED`,
    ].join("; "));
    // Found before the assertions, removed whatever they say, so an escape cannot outlive the test.
    const escaped = [existsSync("/etc/nanocoder-escape"), existsSync(join(common, "hooks", "post-checkout"))];
    rmSync("/etc/nanocoder-escape", { force: true });
    rmSync(join(common, "hooks", "post-checkout"), { force: true });
    expect(output).toMatch(/CapEff:\s+0+\n/);
    expect(output).not.toMatch(/REMOUNTED|ETC|UNMOUNTED/);
    expect(escaped).toEqual([false, false]);
  });

  it("cannot change the host kernel's settings through /proc/sys, even as root", async () => {
    const workspace = await worktree("proc-sys");
    const wrap = await sandboxFor(workspace);
    const before = readFileSync("/proc/sys/kernel/core_pattern", "utf8");
    // Writes back the value it reads, so that even a failing run of this test changes nothing.
    const output = await run(workspace, wrap, "v=$(cat /proc/sys/kernel/core_pattern); printf '%s\\n' \"$v\" > /proc/sys/kernel/core_pattern && echo WROTE; echo 1 > /proc/sysrq-trigger && echo SYSRQ");
    expect(output).not.toMatch(/WROTE|SYSRQ/);
    expect(output).toMatch(/Read-only file system|Permission denied/);
    expect(readFileSync("/proc/sys/kernel/core_pattern", "utf8")).toBe(before);
  });

  it("does not show a checkout token written on its section's line", async () => {
    const config = join(repo, ".git", "config");
    const original = readFileSync(config, "utf8");
    const header = Buffer.from(`x-access-token:${CHECKOUT_TOKEN}-inline`).toString("base64");
    writeFileSync(config, `${original}[http "https://example.com/"] extraheader = AUTHORIZATION: basic ${header}\n`);
    try {
      const workspace = await worktree("inline-token");
      const wrap = await sandboxFor(workspace);
      const output = await run(workspace, wrap, 'cat "$(git rev-parse --git-common-dir)/config"; git status --short; echo "status=$?"');
      expect(output).not.toContain(header);
      expect(output).toContain("status=0");
    } finally {
      writeFileSync(config, original);
    }
  });

  it("does not show submodules' git configs, which hold the same checkout token", async () => {
    const common = join(repo, ".git");
    mkdirSync(join(common, "modules", "vendor"), { recursive: true });
    const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${CHECKOUT_TOKEN}`).toString("base64")}`;
    writeFileSync(join(common, "modules", "vendor", "config"), `[http "https://github.com/"]\n\textraheader = ${header}\n`);
    try {
      const workspace = await worktree("submodule-token");
      const wrap = await sandboxFor(workspace);
      const output = await run(workspace, wrap, `ls "$(git rev-parse --git-common-dir)/modules"; cat ${common}/modules/vendor/config; git status --short; echo "status=$?"`);
      expect(output).not.toContain(Buffer.from(`x-access-token:${CHECKOUT_TOKEN}`).toString("base64"));
      expect(output).toContain("status=0");
    } finally {
      removeDir(join(common, "modules"));
    }
  });

  it("puts nothing of the runner's home in the sandbox when node runs from ~/bin", async () => {
    const workspace = await worktree("home-toolchain");
    // A node installed as ~/bin/node (a common place for single binaries): its "install prefix" is the home itself.
    const layout = await discoverLayout(workspace, { mode: "bwrap", required: true, network: false, writable: [] }, join(fakeHome, "bin", "node"));
    const prefix = buildBwrapArgs(layout);
    const wrap: WrapCommand = (spec) => ({ file: bwrap!, args: [...prefix, spec.file, ...spec.args], env: spec.env });
    const output = await run(workspace, wrap, `cat ${fakeHome}/.ssh/id_rsa`);
    expect(output).not.toContain(PRIVATE_KEY);
  });

  // --- promises that hold ---

  it("shows no other worktree of the run, nor nanocoder's index files beside the worktrees", async () => {
    const workspace = await worktree("mine");
    const other = await worktree("other");
    writeFileSync(join(other, "other-task.txt"), "other-task-secret\n");
    const wrap = await sandboxFor(workspace);
    const output = await run(workspace, wrap, `ls -a ${join(scratch, "run")}; cat ${other}/other-task.txt; ls ${other}.index ${workspace}.index`);
    expect(output).not.toContain("other-task-secret");
    expect(output).not.toMatch(/^other$/m);
    expect(output).toMatch(/\.index'?: No such file or directory/);
  });

  it("passes no secret of the runner's environment, and HOME is the private one", async () => {
    const workspace = await worktree("env");
    const wrap = await sandboxFor(workspace);
    const output = await run(workspace, wrap, "env; cat /proc/1/environ /proc/self/environ | tr '\\0' '\\n'");
    expect(output).not.toContain(SECRET);
    expect(output).toContain("HOME=/tmp/home");
  });

  it("cannot write into the repository's git folder, other worktrees' git folders included", async () => {
    const workspace = await worktree("gitdir-a");
    await worktree("gitdir-b");
    const wrap = await sandboxFor(workspace);
    const common = join(repo, ".git");
    const output = await run(workspace, wrap, [
      `echo x > ${common}/hooks/pre-commit; echo "hook=$?"`,
      `echo x > ${common}/worktrees/gitdir-b/HEAD; echo "other=$?"`,
      `ln -s /etc/passwd ${common}/worktrees/gitdir-a/escape; echo "own=$?"`,
    ].join("; "));
    expect(output).toContain("hook=1");
    expect(output).toContain("other=1");
    expect(existsSync(join(common, "hooks", "pre-commit"))).toBe(false);
    expect(readFileSync(join(common, "worktrees", "gitdir-b", "HEAD"), "utf8")).not.toBe("x\n");
  });

  it("cannot connect to a host TCP port on 127.0.0.1 nor resolve names with network: false", async () => {
    let connections = 0;
    const server: NetServer = createNetServer((socket) => {
      connections++;
      socket.end("pong");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const workspace = await worktree("network");
      const wrap = await sandboxFor(workspace);
      const output = await run(workspace, wrap, [
        `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', () => console.log('CONNECTED')).on('error', (e) => console.log('ERR', e.code))"`,
        "ip -o link 2>/dev/null || cat /proc/net/dev",
      ].join("; "));
      expect(output).not.toContain("CONNECTED");
      expect(output).toContain("ERR");
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it("kills background processes when the command ends, even those that closed their output", async () => {
    const workspace = await worktree("background");
    const wrap = await sandboxFor(workspace);
    // The command waits for the loop's first tick, so the loop has surely run before the command ends.
    const output = await run(workspace, wrap, "(while true; do date +%s%N > tick.txt; sleep 0.05; done) >/dev/null 2>&1 </dev/null & disown; setsid sh -c 'sleep 0.3; echo late > late.txt' >/dev/null 2>&1 & until [ -s tick.txt ]; do sleep 0.01; done; echo started");
    expect(output).toContain("started");
    await sleep(300);
    const before = readFileSync(join(workspace, "tick.txt"), "utf8");
    await sleep(500);
    expect(readFileSync(join(workspace, "tick.txt"), "utf8")).toBe(before);
    expect(existsSync(join(workspace, "late.txt"))).toBe(false);
  });

  it("sees no process of the host and cannot signal nanocoder", async () => {
    const workspace = await worktree("pids");
    const wrap = await sandboxFor(workspace);
    const output = await run(workspace, wrap, `ls /proc | grep -E '^[0-9]+$' | wc -l; kill -0 ${process.pid} && echo "reached"`);
    expect(output).not.toContain("reached");
    const count = Number(/^exit code: \d+\n\s*(\d+)/.exec(output)?.[1]);
    expect(count).toBeLessThan(10);
  });

  it("cannot read the user's main repository working tree", async () => {
    const workspace = await worktree("mainrepo");
    writeFileSync(join(repo, "uncommitted.txt"), "uncommitted-user-work\n");
    const wrap = await sandboxFor(workspace);
    const output = await run(workspace, wrap, `cat ${repo}/uncommitted.txt ${repo}/README.md; ls ${repo}`);
    expect(output).not.toContain("uncommitted-user-work");
    execFileSync("rm", ["-f", join(repo, "uncommitted.txt")]);
  });
});
