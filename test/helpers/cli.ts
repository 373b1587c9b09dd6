import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { scratchDir } from "./temp.ts";

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

let emptyHome: string | undefined;

/**
 * An empty home, so no user-level config of the machine running the tests is picked up: one per test file,
 * made again after the folders of the previous file are removed (test files share this module).
 */
function emptyHomeDir(): string {
  if (emptyHome === undefined || !existsSync(emptyHome)) emptyHome = scratchDir("nanocoder-test-home-");
  return emptyHome;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `nanocoder` binary as a user would, in `cwd`, with a clean environment:
 * no provider variables leak in from the machine running the tests.
 */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: emptyHomeDir(), CI: "true", ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
