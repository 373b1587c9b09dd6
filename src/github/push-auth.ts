import { git } from "../workspace/git.ts";

/**
 * The environment that makes git authenticate to the remote with `token` and nothing else.
 *
 * actions/checkout saves its own token as `http.https://github.com/.extraheader`. git sends every extra header
 * configured for a URL, and of the keys that match it only the most specific one counts (`http.<url>.extraheader`
 * wins over `http.extraheader`, whatever the order), so a header added under `http.extraheader` alone would
 * be dropped or sent beside the checkout's. An empty value empties the list of headers; so each configured
 * key, the generic one first, is given an empty value and then the token, from the environment (read after
 * every config file): whichever key git settles on for the remote, the token is the one header left.
 * Nothing is written to the config, and the token never goes into a URL.
 */
export async function pushAuthEnv(repoRoot: string, token: string): Promise<Record<string, string>> {
  const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
  const keys = ["http.extraheader", ...(await urlHeaderKeys(repoRoot))];
  const entries = keys.flatMap((key) => [[key, ""] as const, [key, header] as const]);
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** Every `http.<url>.extraheader` key in the config git reads for the repository (none is exit 1). */
async function urlHeaderKeys(repoRoot: string): Promise<string[]> {
  const listed = await git(["config", "--null", "--name-only", "--get-regexp", "^http\\..+\\.extraheader$"], repoRoot).catch(() => "");
  return [...new Set(listed.split("\0").filter((key) => key !== ""))];
}
