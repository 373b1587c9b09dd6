import { execa } from "execa";
import { describe, expect, it } from "vitest";
import executeBash from "../../src/tools/execute-bash.ts";
import { createSandbox } from "./helpers.ts";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", ONLY_IN_CTX: "from-ctx" };

async function processesMatching(marker: string): Promise<string[]> {
  const { stdout } = await execa("ps", ["-eo", "args="]);
  return stdout.split("\n").filter((line) => line.includes(marker));
}

describe("execute_bash", () => {
  it("runs bash in the workspace and reports the exit code with interleaved output", async () => {
    const { ctx, workspace } = await createSandbox({}, env);
    const result = await executeBash.execute({ command: "pwd; echo out; echo err >&2; [[ 1 == 1 ]] && exit 3" }, ctx);
    expect(result).toMatch(/^exit code: 3\n/);
    expect(result).toContain(`${workspace}\nout\nerr`);
  });

  it("sees only ctx.env", async () => {
    process.env.NANOCODER_TEST_LEAK = "leaked";
    try {
      const { ctx } = await createSandbox({}, env);
      const result = await executeBash.execute({ command: 'echo "[$NANOCODER_TEST_LEAK][$ONLY_IN_CTX]"' }, ctx);
      expect(result).toBe("exit code: 0\n[][from-ctx]");
    } finally {
      delete process.env.NANOCODER_TEST_LEAK;
    }
  });

  it("says when there is no output", async () => {
    const { ctx } = await createSandbox({}, env);
    expect(await executeBash.execute({ command: "true" }, ctx)).toBe("exit code: 0\n(no output)");
  });

  it("kills the whole process tree on timeout", async () => {
    const marker = `sleep 900.${process.pid}1`;
    const { ctx } = await createSandbox({}, env);
    // The sleeps would outlast the test's timeout: returning at all shows the tree was killed. 2 s, so that a
    // loaded machine's bash has long printed "started" when it comes.
    const result = await executeBash.execute({ command: `echo started; ${marker} & ${marker}`, timeout_ms: 2_000 }, ctx);
    expect(result).toBe("timed out after 2000 ms; the process tree was killed\nstarted");
    await expect.poll(() => processesMatching(marker), { timeout: 15_000 }).toEqual([]);
  });

  it("returns soon after the shell exits, killing background jobs that hold the output open", async () => {
    const marker = `sleep 900.${process.pid}2`;
    const { ctx } = await createSandbox({}, env);
    const result = await executeBash.execute({ command: `${marker} & echo done`, timeout_ms: 10_000 }, ctx);
    expect(result).toBe("exit code: 0\ndone\n[background processes still running when the command ended were killed]");
    await expect.poll(() => processesMatching(marker), { timeout: 15_000 }).toEqual([]);
  });

  it("kills the process tree when the run is cancelled", async () => {
    const marker = `sleep 900.${process.pid}3`;
    const { ctx } = await createSandbox({}, env);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(executeBash.execute({ command: `${marker} & ${marker}` }, { ...ctx, signal: controller.signal })).rejects.toThrow(/cancelled/);
    await expect.poll(() => processesMatching(marker), { timeout: 15_000 }).toEqual([]);
  });

  it("keeps the head and the tail of long output", async () => {
    const { ctx } = await createSandbox({}, env);
    const result = await executeBash.execute({ command: "for i in $(seq 1 20000); do echo line $i; done" }, ctx);
    expect(result.startsWith("exit code: 0\nline 1\nline 2\n")).toBe(true);
    expect(result.endsWith("line 19999\nline 20000")).toBe(true);
    expect(result).toMatch(/\n\[\.\.\. \d+ bytes omitted \.\.\.\]\n/);
    expect(Buffer.byteLength(result)).toBeLessThan(17_000);
  });

  it("declares the command for the policy", () => {
    expect(executeBash.accesses({ command: "npm test" })).toEqual([{ kind: "command", command: "npm test" }]);
  });
});
