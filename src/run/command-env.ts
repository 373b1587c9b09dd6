/** Variables commands see from the runner's environment; API keys and tokens stay out of their reach. */
const PASSED = ["PATH", "HOME", "LANG", "LANGUAGE", "TZ", "CI"];

/**
 * Set for every command: no pager or prompt can hang an unattended run, and repository config cannot
 * turn git into code execution (no system config, no hooks, no fsmonitor, no implicitly
 * discovered bare repositories).
 */
const HARDENING: Record<string, string> = {
  TERM: "dumb",
  PAGER: "cat",
  GIT_PAGER: "cat",
  GIT_TERMINAL_PROMPT: "0",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_COUNT: "3",
  GIT_CONFIG_KEY_0: "core.hooksPath",
  GIT_CONFIG_VALUE_0: "/dev/null",
  GIT_CONFIG_KEY_1: "core.fsmonitor",
  GIT_CONFIG_VALUE_1: "false",
  // A folder the model filled with HEAD, config, objects/ and refs/ is a bare repository to git when a command
  // runs inside it, and its config (diff.external, core.pager, …) would run code. Only --git-dir/GIT_DIR may
  // name a bare repository (git >= 2.38); worktrees and linked worktrees are not bare and are unaffected.
  GIT_CONFIG_KEY_2: "safe.bareRepository",
  GIT_CONFIG_VALUE_2: "explicit",
};

/** The environment of every command the model runs: a short allow-list, the policy's `env.pass`, and the hardening above. */
export function commandEnv(env: NodeJS.ProcessEnv, pass: string[] = []): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (PASSED.includes(name) || name.startsWith("LC_") || pass.includes(name))) result[name] = value;
  }
  return { ...result, ...HARDENING };
}
