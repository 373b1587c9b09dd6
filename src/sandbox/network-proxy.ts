import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, isIP, type Socket } from "node:net";
import { canonicalHost, hostAllowed, unbracketed } from "../policy/hosts.ts";

export interface NetworkProxy {
  socketPath: string;
  close(): Promise<void>;
}

export interface NetworkProxyOptions {
  allow: readonly string[];
  /** Where the socket is created (a path in a private temp folder; the caller binds it into the sandbox). */
  socketPath: string;
  /** Names the setting in refusal messages, e.g. "sandbox.network in .nanocoder/policy.yaml". */
  setting: string;
  /** Called once per refused request (for logging). */
  onRefused?(host: string): void;
}

/** Refusals carry this header with the refused host; the bridge inside the sandbox looks for it. */
export const REFUSED_HEADER = "x-nanocoder-refused";

/**
 * An HTTP proxy on a unix socket for sandboxed commands: CONNECT host:port (tunnels, for https) and
 * plain-HTTP absolute-form requests (GET http://host/...) to hosts `hostAllowed` lets through; names are
 * resolved here, outside the sandbox. Anything else is refused. Every proxy-made answer closes its
 * connection, so the bridge sees each one as the first response on a connection.
 */
export async function startNetworkProxy(options: NetworkProxyOptions): Promise<NetworkProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  // Our own pool, so close() can end the connections it keeps open to servers.
  const agent = new Agent({ keepAlive: true });
  const check: Check = (host, port) => {
    if (hostAllowed(host, port, options.allow)) return undefined;
    options.onRefused?.(host);
    // A host listed with other ports only: say which entry would allow this one.
    if (hostAllowed(host, undefined, options.allow)) return `nanocoder: network access to ${bracketed(host)}:${port} refused: ${options.setting} allows ${host} on other ports only; add ${bracketed(host)}:${port} there to allow it`;
    return `nanocoder: network access to ${host} refused: not in ${options.setting}; add it there to allow it`;
  };
  // No request timeout: a long upload through the proxy is the command's business, and the sandbox's to stop.
  const server = createServer({ requestTimeout: 0 }, (req, res) => forwardRequest(req, res, check, agent));
  server.on("connection", track);
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => openTunnel(req.url ?? "", client, head, check, track));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    socketPath: options.socketPath,
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      return closed;
    },
  };
}

// --- internal ---

/** The refusal message for `host` on `port`, or undefined when it may be reached. */
type Check = (host: string, port: number) => string | undefined;

/** A tunnel for `CONNECT host:port`: answered 200 once the server is reached, then bytes both ways. */
function openTunnel(target: string, client: Socket, head: Buffer, check: Check, track: (socket: Socket) => void): void {
  client.on("error", () => client.destroy());
  const authority = parseAuthority(target);
  if (!authority) return void client.end(rawResponse(400, "Bad Request", `nanocoder: bad CONNECT target "${printable(target)}"; expected host:port`));
  const { host, port } = authority;
  const refusal = check(host, port);
  if (refusal !== undefined) return void client.end(rawResponse(403, "Forbidden", refusal, { [REFUSED_HEADER]: host }));
  const upstream = connect({ host, port });
  track(upstream);
  let connected = false;
  upstream.on("error", (error) => {
    if (connected) client.destroy();
    else client.end(rawResponse(502, "Bad Gateway", `nanocoder: cannot reach ${host}:${port}: ${error.message}`));
  });
  upstream.once("connect", () => {
    connected = true;
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    upstream.write(head);
    client.pipe(upstream).pipe(client);
  });
  client.once("close", () => upstream.destroy());
  upstream.once("close", () => client.destroy());
}

/** A plain-HTTP request (`GET http://host/path`), sent on to the server with the answer passed back. */
function forwardRequest(req: IncomingMessage, res: ServerResponse, check: Check, agent: Agent): void {
  res.setHeader("connection", "close");
  const match = /^http:\/\/([^/?#]*)([^#]*)/i.exec(req.url ?? "");
  const authority = match ? parseAuthority(match[1] ?? "", 80) : undefined;
  if (!match || !authority) {
    return answer(res, 400, `nanocoder: this is a proxy; it takes CONNECT host:port or absolute http:// URLs, not "${printable(req.url ?? "")}"`);
  }
  const { host, port } = authority;
  const refusal = check(host, port);
  if (refusal !== undefined) return answer(res, 403, refusal, { [REFUSED_HEADER]: host });
  // The rest of the URL after the authority: empty, `/path...` or `?query`.
  const rest = match[2] ?? "";
  const path = rest.startsWith("/") ? rest : `/${rest}`;
  // RFC 9112 3.2.2: a proxy replaces Host with the target's, so the name checked is the name the server sees.
  const headers = { ...withoutHopByHop(req.headers), host: port === 80 ? bracketed(host) : `${bracketed(host)}:${port}` };
  const upstream = request({ host, port, method: req.method, path, headers, agent, setHost: false });
  upstream.once("response", (response) => {
    // A server cannot pass its own answer off as nanocoder's refusal.
    res.writeHead(response.statusCode ?? 502, response.statusMessage, withoutHopByHop(response.headers, [REFUSED_HEADER]));
    response.on("error", () => res.destroy());
    response.pipe(res);
  });
  req.on("error", () => upstream.destroy());
  upstream.on("error", (error) => {
    if (res.headersSent) res.destroy();
    else answer(res, 502, `nanocoder: cannot reach ${host}:${port}: ${error.message}`);
  });
  res.once("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** `host:port` or `[v6]:port` (the port optional when `defaultPort` is given); the host as sent. */
function parseAuthority(authority: string, defaultPort?: number): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return undefined;
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (port === undefined || port < 1 || port > 65_535) return undefined;
  const host = canonicalHost(match[1] ?? "");
  return host === undefined ? undefined : { host, port };
}

function bracketed(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Headers about one connection, not the message: the proxy's own connections differ on each side. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"];

function withoutHopByHop(headers: IncomingHttpHeaders, also: string[] = []): IncomingHttpHeaders {
  const named = [...HOP_BY_HOP, ...also, ...String(headers.connection ?? "").split(",").map((name) => name.trim().toLowerCase())];
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !named.includes(name)));
}

function answer(res: ServerResponse, status: number, line: string, headers: Record<string, string> = {}): void {
  // With a length, not chunked: the bridge reads the line straight after the headers.
  const body = Buffer.from(`${line}\n`);
  res.writeHead(status, { ...headers, "content-type": "text/plain; charset=utf-8", "content-length": body.length }).end(body);
}

/** An HTTP response written on a socket taken over from the HTTP server (after CONNECT). */
function rawResponse(status: number, reason: string, line: string, headers: Record<string, string> = {}): string {
  const body = Buffer.from(`${line}\n`);
  const fields = { ...headers, "content-type": "text/plain; charset=utf-8", "content-length": String(body.length), connection: "close" };
  const head = Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  return `HTTP/1.1 ${status} ${reason}\r\n${head}\r\n${body.toString()}`;
}

/** A client's text as it may appear in a one-line message. */
function printable(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, "?").slice(0, 200);
}
