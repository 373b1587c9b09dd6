import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bridgedCommand } from "../../src/sandbox/network-bridge.ts";
import { startNetworkProxy, type NetworkProxy } from "../../src/sandbox/network-proxy.ts";
import { findBwrap } from "../../src/sandbox/probe.ts";
import type { SpawnSpec } from "../../src/tools/types.ts";
import { scratchDir } from "../helpers/temp.ts";

const SETTING = "sandbox.network in test-policy.yaml";
const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

// Only a machine without bubblewrap skips these; where bwrap is installed but cannot work, they fail and say why.
const bwrap = await findBwrap(process.env.PATH ?? "");
if (!bwrap) console.warn("SKIPPED parts of test/sandbox/network-bridge.test.ts: bubblewrap (bwrap) is not installed");

interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: string;
  output: string;
}

// The loopback servers go by two names: `localhost` is allowed, `127.0.0.1` is not. Both are also in the
// bridge's NO_PROXY (a command's own local servers are reached directly), so the commands here clear it.
describe("bridgedCommand", () => {
  let server: Server;
  let port: number;
  let hits = 0;
  let socketDir: string;
  let proxy: NetworkProxy;

  beforeAll(async () => {
    server = createServer((_, res) => {
      hits++;
      res.end("pong from the host");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    socketDir = scratchDir("nanocoder-bridge-");
    proxy = await startNetworkProxy({ allow: ["localhost"], socketPath: join(socketDir, "proxy.sock"), setting: SETTING });
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const bridged = (file: string, ...args: string[]): SpawnSpec => bridgedCommand({ file, args, env: ENV }, { node: process.execPath, socketPath: proxy.socketPath });

  /** Runs `spec` in a sandbox with a network namespace of its own (no --share-net) that sees the proxy's socket. */
  function inSandbox(spec: SpawnSpec): Promise<Outcome> {
    // The Node running the tests is bound back over the private /tmp: a clone checked out under /tmp has it there.
    const node = dirname(process.execPath);
    const args = ["--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--ro-bind", node, node, "--bind", socketDir, socketDir];
    return run({ file: bwrap ?? "bwrap", args: [...args, "--", spec.file, ...spec.args], env: spec.env });
  }

  describe.skipIf(!bwrap)("in bubblewrap without a network of its own", () => {
    it("cannot reach the host's server without the bridge", async () => {
      const before = hits;
      for (const host of ["localhost", "127.0.0.1"]) {
        const result = await inSandbox({ file: "curl", args: ["-sS", `http://${host}:${port}/`], env: ENV });
        expect(result.code).not.toBe(0);
        expect(result.stdout).not.toContain("pong");
      }
      expect(hits).toBe(before);
    });

    it("curl reaches an allowed host through the bridge", async () => {
      const result = await inSandbox(bridged("curl", "-sS", "--noproxy", "", `http://localhost:${port}/`));
      expect(result).toMatchObject({ code: 0, stdout: "pong from the host" });
    });

    it("curl is refused a host not listed: non-zero exit, and the proxy's line on stderr though curl -f hides the body", async () => {
      const before = hits;
      const result = await inSandbox(bridged("curl", "-fsS", "--noproxy", "", `http://127.0.0.1:${port}/`));
      expect(result.code).not.toBe(0);
      expect(result.output).toContain(`nanocoder: network access to 127.0.0.1 refused: not in ${SETTING}; add it there to allow it`);
      expect(hits).toBe(before);
    });

    it("curl tunnels with CONNECT (as https clients do) to an allowed host, and is refused one not listed", async () => {
      const allowed = await inSandbox(bridged("curl", "-sS", "--proxytunnel", "--noproxy", "", `http://localhost:${port}/`));
      expect(allowed).toMatchObject({ code: 0, stdout: "pong from the host" });
      const refused = await inSandbox(bridged("curl", "-sS", "--proxytunnel", "--noproxy", "", `http://127.0.0.1:${port}/`));
      expect(refused.code).not.toBe(0);
      expect(refused.output).toContain(`network access to 127.0.0.1 refused: not in ${SETTING}`);
    });

    it.skipIf(Number(process.versions.node.split(".")[0]) < 24)("Node's fetch goes through the proxy (NODE_USE_ENV_PROXY)", async () => {
      const script = "fetch(process.argv[1]).then(async (r) => { process.stdout.write(await r.text()); process.exitCode = r.ok ? 0 : 1; })";
      const fetchIn = (url: string) => inSandbox(bridged("env", "NO_PROXY=", "no_proxy=", process.execPath, "-e", script, url));
      expect(await fetchIn(`http://localhost:${port}/`)).toMatchObject({ code: 0, stdout: "pong from the host" });
      // Node's fetch tunnels even http:// with CONNECT, so a refusal is a bare "fetch failed": the bridge's line says why.
      const refused = await fetchIn(`http://127.0.0.1:${port}/`);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain(`network access to 127.0.0.1 refused: not in ${SETTING}`);
    });

    it("reports a refused host once, however often the command asks", async () => {
      const url = `http://127.0.0.1:${port}/`;
      const result = await inSandbox(bridged("sh", "-c", `curl -fsS --noproxy '' ${url}; curl -fsS --noproxy '' ${url}; true`));
      expect(result.output.match(/network access to 127\.0\.0\.1 refused/g)).toHaveLength(1);
    });

    it("relays the command's exit code", async () => {
      expect(await inSandbox(bridged("sh", "-c", "exit 7"))).toMatchObject({ code: 7 });
      expect(await inSandbox(bridged("sh", "-c", "exit 0"))).toMatchObject({ code: 0 });
    });

    it("gives the command its arguments unchanged and the proxy variables", async () => {
      const result = await inSandbox(bridged("sh", "-c", 'printf "%s|" "$@"; echo "$HTTPS_PROXY $http_proxy $NO_PROXY $NODE_USE_ENV_PROXY"', "sh", "--version", "a b"));
      expect(result.stdout).toMatch(/^--version\|a b\|(http:\/\/127\.0\.0\.1:\d+) \1 localhost,127\.0\.0\.1,::1 1\n$/);
    });
  });

  // Outside any sandbox the bridge works the same (the socket is a file); bwrap would blur how the command ended.
  it("ends by the command's signal, or 128+n", async () => {
    const result = await run(bridged("sh", "-c", "kill -TERM $$"));
    expect([result.signal, result.code]).toSatisfy(([signal, code]: [string | null, number | null]) => signal === "SIGTERM" || code === 143);
  });

  it("passes NODE_OPTIONS to the command without applying them to the bridge", async () => {
    const spec = bridgedCommand({ file: "sh", args: ["-c", 'echo "$NODE_OPTIONS"'], env: { ...ENV, NODE_OPTIONS: "--require /nonexistent/nanocoder-test.js" } }, { node: process.execPath, socketPath: proxy.socketPath });
    expect(await run(spec)).toMatchObject({ code: 0, stdout: "--require /nonexistent/nanocoder-test.js\n" });
  });

  it("says so when the command cannot be started", async () => {
    const result = await run(bridged("/nonexistent/nanocoder-command"));
    expect(result.code).toBe(127);
    expect(result.output).toContain("nanocoder: cannot run /nonexistent/nanocoder-command");
  });
});

function run(spec: SpawnSpec): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(spec.file, spec.args, { env: spec.env, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, signal: error?.signal ?? null, stdout, output: `${stdout}${stderr}` });
    });
  });
}
