import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandEnv } from "../../src/run/command-env.ts";
import { runChecks } from "../../src/run/checks.ts";
import { resolveSandbox } from "../../src/sandbox/index.ts";
import { findBwrap } from "../../src/sandbox/probe.ts";
import executeBash from "../../src/tools/execute-bash.ts";
import type { ToolContext, WrapCommand } from "../../src/tools/types.ts";
import { addWorktree, removeWorktree, type Worktree } from "../../src/workspace/worktree.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";

const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY----- planted-test-key";
const SECRET = "sandbox-test-secret-4711";

// Only a machine without bubblewrap skips these; where bwrap is installed but cannot work, they fail and say why.
const bwrap = await findBwrap(process.env.PATH ?? "");
if (!bwrap) console.warn("SKIPPED test/sandbox/sandbox.test.ts: bubblewrap (bwrap) is not installed; `apt-get install bubblewrap` to run it");

describe.skipIf(!bwrap)("commands in the bubblewrap sandbox", () => {
  let repo: string;
  let worktree: string;
  let added: Worktree | undefined;
  let scratch: string;
  let fakeHome: string;
  let server: Server;
  let hits = 0;
  let port = 0;
  let offline: WrapCommand | undefined;
  let online: WrapCommand | undefined;

  beforeAll(async () => {
    repo = createRepo({ "README.md": "hello\n", "package.json": "{}\n" });
    scratch = mkdtempSync(join(tmpdir(), "nanocoder-sandbox-"));
    writeFileSync(join(scratch, "outside.txt"), "outside-content\n");
    fakeHome = join(scratch, "home");
    mkdirSync(join(fakeHome, ".ssh"), { recursive: true });
    writeFileSync(join(fakeHome, ".ssh", "id_rsa"), PRIVATE_KEY);
    worktree = join(scratch, "worktree");
    added = await addWorktree(repo, "HEAD", worktree);
    server = createServer((_, response) => {
      hits++;
      response.end("pong");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    process.env.NANOCODER_SANDBOX_TEST_SECRET = SECRET;
    offline = await (await resolveSandbox({ mode: "bwrap", required: true, network: false, writable: [] })).wrapperFor(worktree);
    online = await (await resolveSandbox({ mode: "bwrap", required: true, network: true, writable: [] })).wrapperFor(worktree);
  });

  afterAll(async () => {
    delete process.env.NANOCODER_SANDBOX_TEST_SECRET;
    server.close();
    if (added) await removeWorktree(added);
    removeDir(repo);
    removeDir(scratch);
  });

  function context(wrapCommand = offline): ToolContext {
    const env = commandEnv({ ...process.env, HOME: fakeHome, NANOCODER_SANDBOX_TEST_SECRET: SECRET });
    return { workspace: worktree, signal: new AbortController().signal, env, isReadable: () => true, ...(wrapCommand ? { wrapCommand } : {}) };
  }

  const run = (command: string, options: { wrapCommand?: WrapCommand; timeout_ms?: number } = {}) =>
    executeBash.execute({ command, ...(options.timeout_ms ? { timeout_ms: options.timeout_ms } : {}) }, context(options.wrapCommand));

  it("cannot read files outside the worktree: other folders, the main repository's files", async () => {
    const output = await run(`cat ${scratch}/outside.txt; cat ${repo}/README.md; ls ${scratch}`);
    expect(output).not.toContain("outside-content");
    expect(output).toMatch(/No such file or directory/);
    expect(output).not.toMatch(/^hello$/m);
  });

  it("cannot write outside the worktree, nor to the main repository's .git", async () => {
    // The worktree's parent folders exist inside the private /tmp, so this write succeeds there, and stays there.
    const output = await run(`echo x >> ${repo}/.git/config; echo "git=$?"; touch /usr/planted; echo "usr=$?"; echo x > ${scratch}/planted.txt`);
    expect(output).toContain("Read-only file system");
    expect(output).toContain("git=1");
    expect(output).toContain("usr=1");
    expect(readFileSync(join(repo, ".git", "config"), "utf8")).not.toContain("\nx\n");
    expect(() => readFileSync(join(scratch, "planted.txt"))).toThrow();
  });

  it("sees an empty private home: the runner's ~/.ssh/id_rsa is not readable", async () => {
    const output = await run(`echo "home=$HOME"; ls -A ~; cat ~/.ssh/id_rsa ${fakeHome}/.ssh/id_rsa`);
    expect(output).toContain("home=/tmp/home");
    expect(output).not.toContain(PRIVATE_KEY);
  });

  it("finds no secret of the runner's environment, not even through /proc", async () => {
    const output = await run("env; cat /proc/*/environ | tr '\\0' '\\n'; ls /proc | grep -c '^[0-9]'");
    expect(output).not.toContain(SECRET);
  });

  it("reaches no server on the host's loopback without network, and does with network: true", async () => {
    const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3`;
    const blocked = await run(connect);
    expect(blocked).not.toContain("pong");
    expect(blocked).toMatch(/Connection refused|exit code: 1/);
    expect(hits).toBe(0);
    expect(await run(connect, { wrapCommand: online })).toContain("pong");
    expect(hits).toBe(1);
  });

  it("still builds: node writes in the worktree, git status and git diff work", async () => {
    const output = await run(`node -e "require('fs').writeFileSync('built.txt', 'ok')" && echo more >> README.md && git status --short && git diff --stat`);
    expect(output).toMatch(/^exit code: 0/);
    expect(output).toContain("?? built.txt");
    expect(output).toContain("README.md | 1 +");
    expect(readFileSync(join(worktree, "built.txt"), "utf8")).toBe("ok");
  });

  it("kills the whole process tree on timeout, forked children included", async () => {
    // The timeout comes once the loop has ticked (however slow the start under load), while it still runs.
    const output = await run("(while true; do date +%s%N > tick.txt; sleep 0.05; done) & until [ -s tick.txt ]; do sleep 0.01; done; sleep 30", { timeout_ms: 2_000 });
    expect(output).toContain("timed out after 2000 ms");
    const before = readFileSync(join(worktree, "tick.txt"), "utf8");
    await sleep(300);
    expect(readFileSync(join(worktree, "tick.txt"), "utf8")).toBe(before);
  });

  it("runs checks in the sandbox too", async () => {
    const logDir = join(scratch, "logs");
    const checks = [{ name: "peek", run: `cat ${fakeHome}/.ssh/id_rsa`, timeout_ms: 10_000 }];
    const [result] = await runChecks(checks, 1, { workspace: worktree, env: context().env, signal: new AbortController().signal, logDir, emit: () => {}, wrapCommand: offline });
    expect(result).toMatchObject({ passed: false, exit_code: 1 });
    expect(result?.output).not.toContain(PRIVATE_KEY);
  });
});
