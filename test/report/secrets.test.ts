/**
 * Secrets never reach an output file or what is printed (docs/outputs.md "Secrets",
 * docs/config.md: "replaced by [REDACTED] in everything a run prints and writes", docs/policy.md:
 * "A variable passed through env.pass reaches the command, but if its name looks secret its value is
 * still [REDACTED] in logs and reports").
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog, writeJson } from "../../src/report/files.ts";
import { embedJson } from "../../src/report/html/render.ts";
import { collectSecrets, createRedactor, redactBytes, stringifyRedacted } from "../../src/report/redact.ts";
import { createEventStream, renderJsonSummary } from "../../src/cli/json-output.ts";
import type { RunSummary } from "../../src/report/schema.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { createRepo, removeDir } from "../helpers/repo.ts";

const API_KEY = "sk-apikey-5555";
const DEPLOY_TOKEN = "dt-secret-9876";
const OTHER_SECRET = "other-secret-1234";

/** Every file under `dir`, relative path → text. */
function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      const rel = prefix ? `${prefix}/${entry}` : entry;
      if (statSync(path).isDirectory()) walk(path, rel);
      else files[rel] = readFileSync(path, "utf8");
    }
  };
  walk(dir, "");
  return files;
}

function filesHolding(files: Record<string, string>, secrets: string[]): string[] {
  return Object.entries(files)
    .filter(([, text]) => secrets.some((secret) => text.includes(secret)))
    .map(([path]) => path);
}

describe("secrets in a whole run (e2e)", () => {
  let server: FakeOpenAI;
  let repo: string;
  let scratch: string;
  let out: string;
  let cassettes: string;
  let run: CliResult;

  beforeAll(async () => {
    const answer = `Done. For the record the key is ${API_KEY}, the deploy token ${DEPLOY_TOKEN} and ${OTHER_SECRET}.`;
    server = await startFakeOpenAI([
      {
        match: "Leak check",
        turns: [
          // A secret split across many stream chunks (the fake streams content in small deltas), in tool arguments too.
          { tool_calls: [{ name: "write_file", arguments: { path: "notes.txt", content: `notes mention ${OTHER_SECRET}\n` } }] },
          { content: answer },
        ],
      },
    ]);
    repo = createRepo({
      "README.md": "project\n",
      ".nanocoder/policy.yaml": [
        "version: 1",
        "default: deny",
        "files:",
        '  read: {allow: ["**"]}',
        '  write: {allow: ["**"]}',
        "env:",
        "  pass: [DEPLOY_TOKEN]",
        "sandbox:",
        "  mode: none",
        "",
      ].join("\n"),
      "tasks/leak.yaml": [
        "id: leak",
        "prompt: Leak check notes.",
        "checks:",
        '  - {name: deploy, run: \'echo "deploying with token=$DEPLOY_TOKEN"\'}',
        "",
      ].join("\n"),
    });
    scratch = mkdtempSync(join(tmpdir(), "nanocoder-secrets-"));
    out = join(scratch, "out");
    cassettes = join(scratch, "cassettes");
    run = await runCli(["batch", "tasks/*.yaml", "--base-url", server.url, "--model", "scripted", "--out", out, "--record", cassettes], {
      cwd: repo,
      env: { OPENAI_API_KEY: API_KEY, DEPLOY_TOKEN, OTHER_SECRET: OTHER_SECRET },
    });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    removeDir(repo);
    removeDir(scratch);
  });

  it("ran the task and its check", () => {
    expect(run.code).toBe(0);
    expect(readdirSync(join(out, "tasks/leak/checks"))).toEqual(["1-deploy.log"]);
  });

  it("sends the API key to the server only as the Authorization header", () => {
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("keeps every secret out of what is printed", () => {
    expect(`${run.stdout}\n${run.stderr}`).not.toContain(API_KEY);
    expect(`${run.stdout}\n${run.stderr}`).not.toContain(DEPLOY_TOKEN);
    expect(`${run.stdout}\n${run.stderr}`).not.toContain(OTHER_SECRET);
  });

  it("keeps every secret out of summary.json, report.md, cost files, junit.xml, result.json, events.jsonl, manifest.jsonl and patch.diff", () => {
    const files = filesUnder(out);
    const reports = Object.fromEntries(Object.entries(files).filter(([path]) => !path.endsWith(".log")));
    expect(Object.keys(reports)).toEqual(expect.arrayContaining(["summary.json", "report.md", "junit.xml", "cost.json", "cost.csv", "manifest.jsonl", "tasks/leak/result.json", "tasks/leak/events.jsonl", "tasks/leak/patch.diff"]));
    expect(filesHolding(reports, [API_KEY, DEPLOY_TOKEN, OTHER_SECRET])).toEqual([]);
    expect(files["tasks/leak/events.jsonl"]).toContain("token=[REDACTED]");
    expect(files["tasks/leak/patch.diff"]).toContain("+notes mention [REDACTED]");
    expect(run.stderr).toContain("warning: the patch held a secret's value, hidden as [REDACTED] in tasks/leak/patch.diff");
  });
  it("redacts a secret that a check prints into its checks/*.log (env.pass of a secret-looking name)", () => {
    const log = readFileSync(join(out, "tasks/leak/checks/1-deploy.log"), "utf8");
    expect(log).not.toContain(DEPLOY_TOKEN);
    expect(log).toBe("deploying with token=[REDACTED]\n");
  });
  it("keeps secrets out of the cassettes written by --record", () => {
    const files = filesUnder(cassettes);
    expect(Object.keys(files)).toEqual(["leak.jsonl"]);
    expect(filesHolding(files, [API_KEY, DEPLOY_TOKEN, OTHER_SECRET])).toEqual([]);
  });
});

describe("redaction of secrets that JSON escaping changes", () => {
  // A password with a quote or a backslash is ordinary; JSON.stringify writes it as \" and \\,
  // and the redactor runs on the serialized text, so it never matches.
  const PASSWORD = 'pa"ss\\word-42';
  const redact = createRedactor(collectSecrets({ DB_PASSWORD: PASSWORD }, []));

  it("hides it in plain text", () => {
    expect(redact(`password is ${PASSWORD}`)).toBe("password is [REDACTED]");
  });
  it("hides it in a JSON file written by writeJson (result.json, summary.json, cost.json)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nanocoder-json-"));
    try {
      await writeJson(join(dir, "result.json"), { final_message: `the password is ${PASSWORD}` }, redact);
      const parsed = JSON.parse(readFileSync(join(dir, "result.json"), "utf8")) as { final_message: string };
      expect(parsed.final_message).not.toContain(PASSWORD);
      expect(parsed.final_message).toBe("the password is [REDACTED]");
    } finally {
      removeDir(dir);
    }
  });
  it("hides it in an events.jsonl line written by EventLog", () => {
    const dir = mkdtempSync(join(tmpdir(), "nanocoder-jsonl-"));
    try {
      const log = new EventLog(join(dir, "events.jsonl"), redact);
      log.append({ type: "model_response", content: `the password is ${PASSWORD}` });
      log.close();
      const event = JSON.parse(readFileSync(join(dir, "events.jsonl"), "utf8")) as { content: string };
      expect(event.content).not.toContain(PASSWORD);
    } finally {
      removeDir(dir);
    }
  });
});

describe("redaction of JSON: strings and keys, never numbers or syntax", () => {
  // A secret of digits also sits inside a number: MY_TOKEN=082044 and a cost of 0.082044.
  const redact = createRedactor(collectSecrets({ MY_TOKEN: "082044", KEY_TOKEN: "cost_usd" }, []));
  const value = { cost_usd: 0.082044, turns: 1082044, note: "token 082044", nested: [{ "082044": "k" }] };
  const expected = { "[REDACTED]": 0.082044, turns: 1082044, note: "token [REDACTED]", nested: [{ "[REDACTED]": "k" }] };

  it("keeps numbers and syntax whole and hides the secret in strings and keys", () => {
    expect(JSON.parse(stringifyRedacted(value, redact))).toEqual(expected);
  });
  it("in every JSON writer: writeJson, EventLog, the page's data, --json and --jsonl", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nanocoder-numbers-"));
    try {
      await writeJson(join(dir, "cost.json"), value, redact);
      expect(JSON.parse(readFileSync(join(dir, "cost.json"), "utf8"))).toEqual(expected);
      const log = new EventLog(join(dir, "events.jsonl"), redact);
      log.append(value);
      log.close();
      expect(JSON.parse(readFileSync(join(dir, "events.jsonl"), "utf8"))).toMatchObject(expected);
    } finally {
      removeDir(dir);
    }
    expect(JSON.parse(embedJson(value, redact))).toEqual(expected);
    expect(JSON.parse(renderJsonSummary(value as unknown as RunSummary, "out", redact))).toMatchObject(expected);
    const lines: string[] = [];
    createEventStream((line) => lines.push(line), redact)("t", value as never, "ts");
    expect(JSON.parse(lines[0] ?? "")).toMatchObject(expected);
  });
});

describe("which secrets are collected", () => {
  it("takes API keys and secret-looking variables of 6+ characters, longest first, and leaves others", () => {
    const secrets = collectSecrets(
      { GITHUB_TOKEN: "ghp_abcdef", MY_PASSWD: "hunter22", SESSION_ID: "sess-123456", SHORT_KEY: "12345", HOME: "/home/someone-long", npm_config_auth: "npm-auth-xyz" },
      ["sk-provider-key", undefined, "tiny"],
    );
    expect(secrets).toEqual(expect.arrayContaining(["ghp_abcdef", "hunter22", "sess-123456", "sk-provider-key", "npm-auth-xyz"]));
    expect(secrets).not.toContain("12345");
    expect(secrets).not.toContain("tiny");
    expect(secrets).not.toContain("/home/someone-long");
    const lengths = secrets.map((secret) => secret.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
  });

  it("hides a secret that contains another one whole", () => {
    const redact = createRedactor(collectSecrets({ A_TOKEN: "abcdef", B_TOKEN: "abcdef-and-more" }, []));
    expect(redact("x abcdef-and-more y abcdef z")).toBe("x [REDACTED] y [REDACTED] z");
  });
});

describe("redactBytes", () => {
  const redact = createRedactor(["hunter2hunter2", "pässwört-geheim"]);

  it("hides an ASCII secret and leaves bytes that are not UTF-8 as they were", () => {
    const latin1 = Buffer.concat([Buffer.from("+caf"), Buffer.from([0xe9]), Buffer.from(" key=hunter2hunter2\n")]);
    expect(redactBytes(latin1, redact)).toEqual(Buffer.concat([Buffer.from("+caf"), Buffer.from([0xe9]), Buffer.from(" key=[REDACTED]\n")]));
  });

  it("hides a secret that is not ASCII, as UTF-8", () => {
    expect(redactBytes(Buffer.from("+pw=pässwört-geheim\n"), redact)?.toString("utf8")).toBe("+pw=[REDACTED]\n");
  });

  it("says when there was nothing to hide", () => {
    expect(redactBytes(Buffer.from("+nothing here\n"), redact)).toBeUndefined();
  });
});
