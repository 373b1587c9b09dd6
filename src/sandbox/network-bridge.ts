import type { SpawnSpec } from "../tools/types.ts";

/** Where the bridge keeps the command's NODE_OPTIONS, so they reach the command but do not change the bridge. */
const SAVED_NODE_OPTIONS = "NANOCODER_BRIDGE_NODE_OPTIONS";

/**
 * The process to start inside the sandbox instead of `spec`: a node process that listens on 127.0.0.1
 * of the sandbox's own loopback, forwards each connection to the filtering proxy's unix socket, and runs
 * `spec` as its child with the proxy variables pointing at itself. It passes stdio through, ends as the
 * command ends (its exit code, or its signal), and repeats the proxy's refusals on stderr, once per host,
 * so a client that hides a 403 (curl -f, a package manager's retries) still shows why.
 * The source travels as `-e`, so nothing needs to exist inside the sandbox but node: this works from the
 * single-file bundle too.
 */
export function bridgedCommand(spec: SpawnSpec, options: { node: string; socketPath: string }): SpawnSpec {
  const { NODE_OPTIONS, ...env } = spec.env;
  return {
    file: options.node,
    // After `--` everything is the bridge's argv, never an option for node itself.
    args: ["-e", BRIDGE_SOURCE, "--", options.socketPath, spec.file, ...spec.args],
    env: NODE_OPTIONS === undefined ? env : { ...env, [SAVED_NODE_OPTIONS]: NODE_OPTIONS },
  };
}

/**
 * The bridge, as plain CommonJS for `node -e`: argv is [socketPath, file, ...args]. Each proxy-made answer
 * closes its connection (see startNetworkProxy), so looking at the first response of each connection
 * finds every refusal; the bytes themselves pass through unchanged.
 */
export const BRIDGE_SOURCE = String.raw`"use strict";
const net = require("node:net");
const { spawn } = require("node:child_process");
const { constants } = require("node:os");
const [socketPath, file, ...args] = process.argv.slice(1);
const LOCAL = "localhost,127.0.0.1,::1";
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
const reported = new Set();
const sockets = new Set();

function track(socket) {
  sockets.add(socket);
  socket.once("close", () => sockets.delete(socket));
}

function report(host, line) {
  if (reported.has(host)) return;
  reported.add(host);
  process.stderr.write((line.trim() || "nanocoder: network access to " + host + " refused") + "\n");
}

// Looks at the proxy's first response: a 403 with the refusal header is reported with its one-line body.
function watchFirstResponse(upstream) {
  let seen = Buffer.alloc(0);
  let refused;
  const stop = () => upstream.off("data", peek);
  const peek = (chunk) => {
    seen = Buffer.concat([seen, chunk]);
    const end = seen.indexOf("\r\n\r\n");
    if (end === -1) return seen.length > 65536 ? stop() : undefined;
    const head = seen.subarray(0, end).toString("latin1");
    const match = /^HTTP\/1\.[01] 403 /.test(head) && /\r\nx-nanocoder-refused: *([^\r\n]*)/i.exec(head);
    if (!match) return stop();
    refused = match[1];
    const body = seen.subarray(end + 4);
    const newline = body.indexOf("\n");
    if (newline === -1 && body.length < 4096) return;
    report(refused, body.subarray(0, newline === -1 ? body.length : newline).toString("utf8"));
    refused = undefined;
    stop();
  };
  upstream.on("data", peek);
  upstream.once("close", () => {
    if (refused !== undefined) report(refused, seen.subarray(seen.indexOf("\r\n\r\n") + 4).toString("utf8"));
  });
}

const server = net.createServer((client) => {
  track(client);
  const upstream = net.connect(socketPath);
  track(upstream);
  let answered = false;
  upstream.once("data", () => { answered = true; });
  watchFirstResponse(upstream);
  client.pipe(upstream).pipe(client);
  client.on("error", () => upstream.destroy());
  upstream.on("error", (error) => {
    if (answered) return client.destroy();
    const body = "nanocoder: the network proxy is not reachable: " + error.message + "\n";
    client.end("HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\ncontent-length: " + Buffer.byteLength(body) + "\r\nconnection: close\r\n\r\n" + body);
  });
  client.once("close", () => upstream.destroy());
  upstream.once("close", () => client.destroy());
});

server.on("error", (error) => {
  process.stderr.write("nanocoder: the network bridge cannot listen on 127.0.0.1: " + error.message + "\n");
  process.exit(125);
});

server.listen(0, "127.0.0.1", () => {
  const proxy = "http://127.0.0.1:" + server.address().port;
  const env = { ...process.env, HTTP_PROXY: proxy, HTTPS_PROXY: proxy, http_proxy: proxy, https_proxy: proxy, NO_PROXY: LOCAL, no_proxy: LOCAL, NODE_USE_ENV_PROXY: "1" };
  if (env.${SAVED_NODE_OPTIONS} !== undefined) env.NODE_OPTIONS = env.${SAVED_NODE_OPTIONS};
  delete env.${SAVED_NODE_OPTIONS};
  const child = spawn(file, args, { stdio: "inherit", env });
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.once("error", (error) => {
    process.stderr.write("nanocoder: cannot run " + file + ": " + error.message + "\n");
    process.exit(error.code === "ENOENT" ? 127 : 126);
  });
  child.once("exit", (code, signal) => {
    if (signal === null) process.exit(code);
    // End the way the command ended. A signal node ignores (SIGPIPE) leaves 128+n, once nothing holds the loop.
    for (const name of FORWARDED_SIGNALS) process.off(name, forward);
    server.close();
    for (const socket of sockets) socket.destroy();
    process.exitCode = 128 + (constants.signals[signal] || 0);
    process.kill(process.pid, signal);
  });
});
`;
