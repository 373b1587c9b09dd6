import { existsSync } from "node:fs";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNetworkProxy, type NetworkProxy } from "../../src/sandbox/network-proxy.ts";
import { scratchDir } from "../helpers/temp.ts";

const SETTING = "sandbox.network in test-policy.yaml";

describe("startNetworkProxy", () => {
  let server: Server;
  let port: number;
  let closedPort: number;
  let proxy: NetworkProxy;
  const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
  const refused: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      if (req.url === "/forged") res.writeHead(403, { "x-nanocoder-refused": "forged.example" });
      res.end(`pong ${req.url}`);
    });
    port = await listen(server);
    const gone = createServer();
    closedPort = await listen(gone);
    await new Promise((resolve) => gone.close(resolve));
    const socketPath = join(scratchDir("nanocoder-proxy-"), "proxy.sock");
    proxy = await startNetworkProxy({ allow: ["localhost", "::1", `127.0.0.3:${closedPort}`], socketPath, setting: SETTING, onRefused: (host) => refused.push(host) });
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("passes plain HTTP to an allowed host, with an origin-form path and the target's Host", async () => {
    const response = await viaProxy(`http://localhost:${port}/hello?x=1`, { host: "elsewhere.example", "proxy-connection": "keep-alive" });
    expect(response).toMatchObject({ status: 200, body: "pong /hello?x=1" });
    expect(seen.at(-1)?.url).toBe("/hello?x=1");
    expect(seen.at(-1)?.headers.host).toBe(`localhost:${port}`);
    expect(seen.at(-1)?.headers["proxy-connection"]).toBeUndefined();
  });

  it("asks for / when the URL has no path, keeping its query", async () => {
    expect(await viaProxy(`http://localhost:${port}?q=1`)).toMatchObject({ status: 200, body: "pong /?q=1" });
  });

  it("refuses plain HTTP to a host not listed: 403, the host in a header, one line naming the setting", async () => {
    const before = seen.length;
    const response = await viaProxy(`http://127.0.0.1:${port}/`);
    expect(response).toEqual({
      status: 403,
      refused: "127.0.0.1",
      body: `nanocoder: network access to 127.0.0.1 refused: not in ${SETTING}; add it there to allow it\n`,
    });
    expect(seen.length).toBe(before);
    expect(refused).toContain("127.0.0.1");
  });

  it("does not pass on a server's own x-nanocoder-refused header", async () => {
    const response = await viaProxy(`http://localhost:${port}/forged`);
    expect(response).toEqual({ status: 403, refused: undefined, body: "pong /forged" });
  });

  it("tunnels CONNECT to an allowed host", async () => {
    const { socket, head } = await openTunnel(`localhost:${port}`);
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    socket.write("GET /through-tunnel HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    expect(await readToEnd(socket)).toMatch(/^HTTP\/1\.1 200 [\s\S]*pong \/through-tunnel$/);
  });

  it("refuses CONNECT to a host not listed, and closes the connection", async () => {
    const response = await rawExchange(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 403 /);
    expect(response).toMatch(/\r\nx-nanocoder-refused: 127\.0\.0\.1\r\n/);
    expect(response.split("\r\n\r\n")[1]).toBe(`nanocoder: network access to 127.0.0.1 refused: not in ${SETTING}; add it there to allow it\n`);
  });

  it("parses IPv6 CONNECT targets: [::1] is allowed by `::1`, so an unreachable port is a 502, not a refusal", async () => {
    const response = await rawExchange(`CONNECT [::1]:${closedPort} HTTP/1.1\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 502 /);
    expect(response.split("\r\n\r\n")[1]).toMatch(new RegExp(`^nanocoder: cannot reach ::1:${closedPort}: .+\\n$`));
  });

  it("lets a host listed with a port through on that port only, and names the entry that would allow another", async () => {
    // Allowed: nothing listens there, so the answer is the 502 of an attempt, not a refusal.
    const allowed = await rawExchange(`CONNECT 127.0.0.3:${closedPort} HTTP/1.1\r\n\r\n`);
    expect(allowed).toMatch(/^HTTP\/1\.1 502 /);
    const other = `nanocoder: network access to 127.0.0.3:${port} refused: ${SETTING} allows 127.0.0.3 on other ports only; add 127.0.0.3:${port} there to allow it\n`;
    const tunnel = await rawExchange(`CONNECT 127.0.0.3:${port} HTTP/1.1\r\n\r\n`);
    expect(tunnel).toMatch(/^HTTP\/1\.1 403 /);
    expect(tunnel.split("\r\n\r\n")[1]).toBe(other);
    expect(await viaProxy(`http://127.0.0.3:${port}/`)).toEqual({ status: 403, refused: "127.0.0.3", body: other });
  });

  it("answers 502 with one line when an allowed host does not answer", async () => {
    const response = await viaProxy(`http://localhost:${closedPort}/`);
    expect(response.status).toBe(502);
    expect(response.body).toMatch(new RegExp(`^nanocoder: cannot reach localhost:${closedPort}: [^\\n]+\\n$`));
  });

  it.each([
    ["an origin-form request", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["an https:// absolute URL", "GET https://localhost/ HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["CONNECT without a port", "CONNECT localhost HTTP/1.1\r\n\r\n"],
    ["CONNECT to a wildcard", "CONNECT *.example.org:443 HTTP/1.1\r\n\r\n"],
  ])("refuses %s with a 400", async (_, raw) => {
    expect(await rawExchange(raw)).toMatch(/^HTTP\/1\.1 400 [\s\S]*\r\n\r\nnanocoder: /);
  });

  it("close() ends open tunnels and removes the socket", async () => {
    const socketPath = join(scratchDir("nanocoder-proxy-"), "proxy.sock");
    const own = await startNetworkProxy({ allow: ["localhost"], socketPath, setting: SETTING });
    const { socket, head } = await openTunnel(`localhost:${port}`, socketPath);
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    const ended = new Promise((resolve) => socket.once("close", resolve));
    await own.close();
    await ended;
    expect(socket.destroyed).toBe(true);
    expect(existsSync(socketPath)).toBe(false);
  });

  function viaProxy(url: string, headers: Record<string, string> = {}): Promise<{ status: number | undefined; refused: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: proxy.socketPath, path: url, headers, agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode, refused: headerValue(res.headers["x-nanocoder-refused"]), body }));
      });
      req.on("error", reject).end();
    });
  }

  /** Writes `text` on a new connection to the proxy and reads until the proxy closes it. */
  function rawExchange(text: string): Promise<string> {
    const socket = connect(proxy.socketPath);
    socket.write(text);
    return readToEnd(socket);
  }

  /** A CONNECT, answered: the response head, and the socket to go on with. */
  function openTunnel(target: string, socketPath = proxy.socketPath): Promise<{ socket: Socket; head: string }> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      let seen = "";
      const onData = (chunk: Buffer) => {
        seen += chunk.toString("latin1");
        if (!seen.includes("\r\n\r\n")) return;
        socket.off("data", onData);
        resolve({ socket, head: seen });
      };
      socket.on("data", onData).on("error", reject);
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
    });
  }
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function readToEnd(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    socket.on("error", reject).on("close", () => resolve(text));
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}
