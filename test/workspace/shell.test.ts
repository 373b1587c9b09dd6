import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runInShell } from "../../src/workspace/shell.ts";
import { removeDir } from "../helpers/repo.ts";
import { runningProcesses } from "../helpers/processes.ts";

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "nanocoder-shell-")));
afterAll(() => removeDir(scratch));
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", MARK: "one" };

describe("runInShell: the one shell that starts git", () => {
  it("gives each script its own folder, input, exit status and output, bytes as they are, scripts running side by side", async () => {
    const bytes = Buffer.from([0, 255, 10, 200]);
    const [binary, given, failed, where, together] = await Promise.all([
      runInShell(`printf '\\000\\377\\n\\310'`, scratch, env),
      runInShell("cat; echo \"$MARK\" >&2", scratch, env, "from the caller\n"),
      runInShell("echo before; exit 3\necho never", scratch, env),
      runInShell("pwd", scratch, env),
      // A reader and a writer of a named pipe each wait for the other: they finish only if they run at the same time.
      runInShell("mkfifo pipe", scratch, env).then(() => Promise.all([runInShell("read line <pipe; echo \"got $line\"", scratch, env), runInShell("echo hello >pipe", scratch, env)])),
    ]);
    expect(binary).toEqual({ code: 0, stdout: bytes, stderr: Buffer.alloc(0) });
    expect([given.stdout.toString(), given.stderr.toString()]).toEqual(["from the caller\n", "one\n"]);
    expect([failed.code, failed.stdout.toString()]).toEqual([3, "before\n"]);
    expect(where.stdout.toString()).toBe(`${scratch}\n`);
    expect(together.map((each) => [each.code, each.stdout.toString()])).toEqual([[0, "got hello\n"], [0, ""]]);
  });

  it("starts a new shell for another environment, and when its shell was killed", async () => {
    const pidOf = async (mark: string) => Number((await runInShell("echo $$", scratch, { ...env, MARK: mark })).stdout.toString().trim());
    // $$ in a job, as in any subshell, is the shell that started it.
    const first = await pidOf("one");
    expect(await pidOf("one")).toBe(first);
    // A script still running on the shell that another environment retires finishes there, its output kept.
    await runInShell("mkfifo gate", scratch, env);
    const running = runInShell("read line <gate; echo \"$MARK $line\"", scratch, env);
    const second = await pidOf("two");
    expect(second).not.toBe(first);
    await runInShell("echo open >gate", scratch, { ...env, MARK: "two" });
    expect((await running).stdout.toString()).toBe("one open\n");
    process.kill(second, "SIGKILL");
    await expect.poll(() => runningProcesses().some((each) => each.pid === second)).toBe(false);
    const third = await pidOf("two");
    expect(third).not.toBe(second);
  });

  it("runs scripts of two environments given at once, each in its own", async () => {
    const marks = Array.from({ length: 20 }, (_, index) => (index % 2 ? "odd" : "even"));
    const outputs = await Promise.all(marks.map((mark) => runInShell('echo "$MARK"', scratch, { ...env, MARK: mark }, "")));
    expect(outputs.map((each) => each.stdout.toString())).toEqual(marks.map((mark) => `${mark}\n`));
  });

  it("fails a script that is not whole shell text on its own, the scripts beside and after it untouched", async () => {
    const [unclosed, beside] = await Promise.all([runInShell("echo 'unclosed", scratch, env), runInShell("echo beside", scratch, env)]);
    expect(unclosed.code).toBe(2);
    expect(unclosed.stderr.toString()).toMatch(/unterminated quoted string/i);
    expect(beside.stdout.toString()).toBe("beside\n");
    expect((await runInShell("echo after", scratch, env)).stdout.toString()).toBe("after\n");
  });
});
