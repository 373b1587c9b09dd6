import { execa } from "execa";

/** Git with the caller's GIT_* variables removed, hooks off, and `env` added (a temporary index, an identity). */
export async function runGit(args: string[], cwd: string, env: Record<string, string> = {}, input?: string): Promise<string> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("GIT_")) base[name] = value;
  }
  const result = await execa("git", ["-c", "core.hooksPath=/dev/null", ...args], {
    cwd,
    env: { ...base, GIT_TERMINAL_PROMPT: "0", ...env },
    extendEnv: false,
    reject: false,
    ...(input === undefined ? {} : { input }),
  });
  if (result.exitCode !== 0) throw new Error(`git ${args[0] ?? ""} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** Like runGit, but only says whether git succeeded. */
export async function gitSucceeds(args: string[], cwd: string, env: Record<string, string> = {}): Promise<boolean> {
  return await runGit(args, cwd, env).then(
    () => true,
    () => false,
  );
}
