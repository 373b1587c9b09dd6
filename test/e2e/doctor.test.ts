import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeBwrap } from "../../src/sandbox/probe.ts";
import { runCli } from "../helpers/cli.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.ts";
import { removeDir } from "../helpers/repo.ts";

let server: FakeOpenAI;
let dir: string;

beforeAll(async () => {
  server = await startFakeOpenAI([]);
  dir = mkdtempSync(join(tmpdir(), "nanocoder-doctor-"));
  writeFileSync(join(dir, "bad-policy.yaml"), "version: 1\nsandbox: {mode: sometimes}\n");
});

afterAll(async () => {
  await server.close();
  removeDir(dir);
});

describe("nanocoder doctor", () => {
  it("reports git, the provider's answer, the policy and the sandbox; exit 0 when all is fine", async () => {
    const sandboxWorks = (await probeBwrap()).ok;
    const result = await runCli(["doctor", "--base-url", server.url], { cwd: dir });
    expect(result.stdout).toMatch(/^ok {4}git: git version/m);
    expect(result.stdout).toContain(`ok    provider 127.0.0.1: GET ${server.url}/models: 200 OK`);
    expect(result.stdout).toContain("ok    policy: built-in loads");
    if (sandboxWorks) {
      expect(result.stdout).toMatch(/^ok {4}sandbox: bubblewrap works \(.*bwrap\); commands run without network$/m);
      expect(result.code).toBe(0);
    } else {
      expect(result.stdout).toMatch(/^FAIL  sandbox: .*\n {6}fix: /m);
      expect(result.code).toBe(1);
    }
  });

  it("exits 1 naming what is wrong: no server there, a policy that does not load", async () => {
    const result = await runCli(["doctor", "--base-url", "http://127.0.0.1:1/v1", "--policy", "bad-policy.yaml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FAIL  provider 127.0.0.1: GET http://127.0.0.1:1/v1/models: connection refused (ECONNREFUSED)\n      fix: is the server running at http://127.0.0.1:1/v1? Fix --base-url\n");
    expect(result.stdout).toMatch(/^FAIL {2}policy: bad-policy\.yaml:2:11: sandbox\.mode/m);
  });

  it("names the variable a URL came from in its fix, and takes --model as validate does", async () => {
    const configDir = mkdtempSync(join(tmpdir(), "nanocoder-doctor-config-"));
    try {
      writeFileSync(join(configDir, "agents.config.json"), JSON.stringify({ providers: [{ name: "local", baseUrl: "$LOCAL_URL", models: ["q"] }] }));
      const result = await runCli(["doctor", "--model", "q"], { cwd: configDir, env: { LOCAL_URL: "http://127.0.0.1:1/v1" } });
      expect(result.stderr).toBe("");
      expect(result.stdout).toContain("fix: is the server running at http://127.0.0.1:1/v1? Fix $LOCAL_URL (which baseUrl in agents.config.json:1:15 names) (or --base-url)\n");
      expect(result.code).toBe(1);
    } finally {
      removeDir(configDir);
    }
  });
});
