/** Variables commands may see. Everything else, API keys and tokens above all, stays out of their reach. */
const PASSED = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "TZ", "TMPDIR", "CI"];

export function commandEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (PASSED.includes(name) || name.startsWith("LC_"))) result[name] = value;
  }
  return result;
}
