/**
 * A git remote over smart HTTP on 127.0.0.1: `git http-backend` behind a small CGI bridge, serving the bare
 * repositories under one folder (http://127.0.0.1:PORT/<name>.git). Every request is recorded with each
 * Authorization header it carried (all of them: curl sends every configured extra header).
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHttpRequest {
  method: string;
  path: string;
  query: string;
  authorizations: string[];
}

export interface GitHttpServer {
  url: string;
  requests: GitHttpRequest[];
  close(): Promise<void>;
}

export async function startGitHttpServer(projectRoot: string): Promise<GitHttpServer> {
  const requests: GitHttpRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.search.slice(1), authorizations: headerValues(req, "authorization") });
    serveWithBackend(req, res, url, projectRoot);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function headerValues(req: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]?.toLowerCase() === name) values.push(req.rawHeaders[i + 1] ?? "");
  return values;
}

/** CGI: the request as environment variables and stdin; the answer as headers, a blank line and the body. */
function serveWithBackend(req: IncomingMessage, res: ServerResponse, url: URL, projectRoot: string): void {
  const header = (name: string) => req.headers[name]?.toString() ?? "";
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    // An authenticated user lets http-backend accept pushes.
    REMOTE_USER: "pusher",
    REMOTE_ADDR: "127.0.0.1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: url.pathname,
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: header("content-type"),
    HTTP_CONTENT_ENCODING: header("content-encoding"),
    GIT_PROTOCOL: header("git-protocol"),
    ...(req.headers["content-length"] ? { CONTENT_LENGTH: header("content-length") } : {}),
  };
  const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "inherit"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.pipe(child.stdin);
  child.on("close", () => {
    const output = Buffer.concat(chunks);
    const end = output.indexOf("\r\n\r\n");
    const headers = output.subarray(0, end).toString("latin1").split("\r\n");
    let status = 200;
    for (const line of headers) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else if (name) res.setHeader(name, value);
    }
    res.writeHead(status);
    res.end(output.subarray(end + 4));
  });
}
