/**
 * The push authenticates with the Action's github-token, and with it alone, even when actions/checkout
 * left its own token in the checkout's config as an extra header (src/github/push-auth.ts). The origin is a
 * git smart-HTTP server on 127.0.0.1 that records every Authorization header git sends.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBundledAction } from "../helpers/action.ts";
import { startFakeGitHub, type FakeGitHub } from "../helpers/fake-github.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { startGitHttpServer, type GitHttpServer } from "../helpers/git-http.ts";
import { createRepo, git, removeDir } from "../helpers/repo.ts";

const GIVEN_TOKEN = "ghs_given_token_24680";
const CHECKOUT_TOKEN = "ghs_checkout_token_13579";
const basic = (token: string) => `basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;

let openai: FakeOpenAI;
let github: FakeGitHub;
let gitServer: GitHttpServer;
let scratch: string;
let counter = 0;
const repos: string[] = [];

beforeAll(async () => {
  openai = await startFakeOpenAI([{ match: "Write alpha", turns: [{ tool_calls: [{ name: "write_file", arguments: { path: "alpha.txt", content: "alpha\n" } }] }, { content: "done" }] }]);
  github = await startFakeGitHub("acme/widgets");
  scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-push-auth-"));
  gitServer = await startGitHttpServer(scratch);
});

afterAll(async () => {
  await openai.close();
  await github.close();
  await gitServer.close();
  for (const repo of repos) removeDir(repo);
  removeDir(scratch);
});

interface Checkout {
  repo: string;
  origin: string;
  /** The branch prefix of this checkout's runs. */
  prefix: string;
}

/** A checkout whose origin is served over HTTP, with `headers` set in its config as actions/checkout sets its token. */
function checkout(headers: (originUrl: string) => Record<string, string>): Checkout {
  const name = `origin-${++counter}.git`;
  const origin = join(scratch, name);
  git(scratch, "init", "--quiet", "--bare", origin);
  const repo = createRepo({ "README.md": "widgets\n", ".gitignore": ".nanocoder/runs/\n", "tasks/alpha.yaml": "prompt: Write alpha.txt.\n" });
  repos.push(repo);
  git(repo, "push", "--quiet", origin, "main");
  const originUrl = `${gitServer.url}/${name}`;
  git(repo, "remote", "add", "origin", originUrl);
  for (const [key, value] of Object.entries(headers(originUrl))) git(repo, "config", "--add", key, value);
  return { repo, origin, prefix: `auth-${counter}/` };
}

async function runAction({ repo, prefix }: Checkout) {
  const before = gitServer.requests.length;
  const run = await runBundledAction({
    repo,
    scratch,
    githubUrl: github.url,
    name: `push-auth-${++counter}`,
    inputs: { tasks: "tasks/*.yaml", "base-url": openai.url, model: "scripted", "github-token": GIVEN_TOKEN, "open-pr": "per-task", "branch-prefix": prefix },
  });
  return { run, gitRequests: gitServer.requests.slice(before) };
}

type HeaderCase = [name: string, headers: (url: string) => Record<string, string>];

const ACTIONS_CHECKOUT: HeaderCase = [
  "the checkout's http.<origin>.extraheader (as actions/checkout writes it)",
  (url: string) => ({ [`http.${new URL(url).origin}/.extraheader`]: `AUTHORIZATION: ${basic(CHECKOUT_TOKEN)}` }),
];
const ALL_AT_ONCE: HeaderCase = [
  "both, and a header for the repository's own URL",
  (url: string) => ({
    "http.extraheader": `AUTHORIZATION: ${basic(CHECKOUT_TOKEN)}`,
    [`http.${new URL(url).origin}/.extraheader`]: `AUTHORIZATION: ${basic(CHECKOUT_TOKEN)}`,
    [`http.${url}.extraheader`]: `AUTHORIZATION: ${basic(CHECKOUT_TOKEN)}`,
  }),
];
const HEADER_CASES: HeaderCase[] = [ACTIONS_CHECKOUT, ["a generic http.extraheader", () => ({ "http.extraheader": `AUTHORIZATION: ${basic(CHECKOUT_TOKEN)}` })], ALL_AT_ONCE, ["no saved header at all", () => ({})]];

/** A run of the Action in a checkout, with the checkout's local config before and after it. */
async function runChecked(made: Checkout) {
  const configBefore = git(made.repo, "config", "--list", "--local");
  const { run, gitRequests } = await runAction(made);
  return { ...made, run, gitRequests, configBefore, configAfter: git(made.repo, "config", "--list", "--local") };
}

/** Each case's checkout and first run of the Action, made once. */
const firstRuns = new Map<string, ReturnType<typeof runChecked>>();
function firstRunOf([name, headers]: HeaderCase) {
  const known = firstRuns.get(name) ?? runChecked(checkout(headers));
  firstRuns.set(name, known);
  return known;
}

let nextRun: ReturnType<typeof runChecked> | undefined;

/**
 * The first case's checkout run a second time, with ALL_AT_ONCE's headers in place of its own: the next-run
 * test below, and ALL_AT_ONCE's case, since a next run makes every request a first run makes (ls-remote, then
 * the fetch of the existing branch, then the push).
 */
function runNext() {
  nextRun ??= firstRunOf(ACTIONS_CHECKOUT).then((first) => {
    const originUrl = git(first.repo, "remote", "get-url", "origin").trim();
    for (const key of Object.keys(ACTIONS_CHECKOUT[1](originUrl))) git(first.repo, "config", "--unset-all", key);
    for (const [key, value] of Object.entries(ALL_AT_ONCE[1](originUrl))) git(first.repo, "config", "--add", key, value);
    return runChecked(first);
  });
  return nextRun;
}

describe("the push uses github-token, not the token actions/checkout saved", () => {
  it.each(HEADER_CASES)("%s", async (name, headers) => {
    const { origin, prefix, configBefore, configAfter, run, gitRequests } = await (name === ALL_AT_ONCE[0] ? runNext() : firstRunOf([name, headers]));
    expect(run.stdout).not.toMatch(/::error::/);
    expect(run.code).toBe(0);
    expect(git(origin, "show", `${prefix}alpha:alpha.txt`)).toBe("alpha\n");
    // ls-remote, fetch and push all went over HTTP, each with the given token as its one Authorization header.
    expect(gitRequests.some((request) => request.query === "service=git-receive-pack")).toBe(true);
    for (const request of gitRequests) expect(request.authorizations).toEqual([basic(GIVEN_TOKEN)]);
    expect(configAfter).toBe(configBefore);
  });

  it("updates its branch on the next run with the same token (ls-remote and fetch of the existing branch included)", async () => {
    const first = await firstRunOf(ACTIONS_CHECKOUT);
    expect(first.run.code).toBe(0);
    const again = await runNext();
    expect(again.run.code).toBe(0);
    expect(again.gitRequests.filter((request) => request.query === "service=git-upload-pack").length).toBeGreaterThan(0);
    for (const request of again.gitRequests) expect(request.authorizations).toEqual([basic(GIVEN_TOKEN)]);
    expect(git(first.origin, "log", "-1", "--format=%B", `${first.prefix}alpha`)).toMatch(/Nanocoder-Run: /);
  });
});
