/**
 * A fake GitHub REST API on 127.0.0.1 for pull-request tests (libs.md §10): the repository, pull requests
 * (list, create, update) and labels. State lives in memory; every request is recorded; `refuse` makes
 * chosen requests fail as GitHub would.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakePull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  state: "open" | "closed";
  labels: string[];
  html_url: string;
}

export interface GitHubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  authorization: string | undefined;
}

/** An error GitHub answers with, as `{message, documentation_url}`. */
export interface GitHubRefusal {
  status: number;
  message: string;
}

export interface FakeGitHub {
  url: string;
  pulls: FakePull[];
  requests: GitHubRequest[];
  /** Set to answer some requests with an error instead (a 403 from a repository's settings, say). */
  refuse?: (request: GitHubRequest) => GitHubRefusal | undefined;
  close(): Promise<void>;
}

export async function startFakeGitHub(repository: string, defaultBranch = "main"): Promise<FakeGitHub> {
  const pulls: FakePull[] = [];
  const requests: GitHubRequest[] = [];
  const prefix = `/repos/${repository}`;
  const fake: Partial<FakeGitHub> = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const text = Buffer.concat(chunks).toString("utf8");
      const request: GitHubRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        authorization: req.headers.authorization,
      };
      requests.push(request);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const refusal = fake.refuse?.(request);
      if (refusal) return send(refusal.status, { message: refusal.message, documentation_url: "https://docs.github.com/rest" });
      const { method, path, query, body } = request;
      // GitHub refuses a longer description.
      if (typeof body.body === "string" && body.body.length > 65_536) return send(422, { message: "Validation Failed: body is too long (maximum is 65536 characters)" });
      const pullNumber = /^\/pulls\/(\d+)$/.exec(path.slice(prefix.length))?.[1];
      const labelsOf = /^\/issues\/(\d+)\/labels$/.exec(path.slice(prefix.length))?.[1];
      const find = (number: string | undefined) => pulls.find((pull) => String(pull.number) === number);
      if (!path.startsWith(prefix)) return send(404, { message: "Not Found" });
      if (method === "GET" && path === prefix) return send(200, { full_name: repository, default_branch: defaultBranch });
      if (method === "GET" && path === `${prefix}/pulls`) {
        const owner = repository.split("/")[0] ?? "";
        const matches = pulls.filter(
          (pull) => (!query.head || `${owner}:${pull.head}` === query.head) && (query.state === "all" || pull.state === (query.state ?? "open")),
        );
        return send(200, matches);
      }
      if (method === "POST" && path === `${prefix}/pulls`) {
        const number = pulls.length + 1;
        const pull: FakePull = {
          number,
          head: String(body.head),
          base: String(body.base),
          title: String(body.title),
          body: String(body.body ?? ""),
          draft: body.draft === true,
          state: "open",
          labels: [],
          html_url: `https://github.test/${repository}/pull/${number}`,
        };
        pulls.push(pull);
        return send(201, pull);
      }
      if (method === "PATCH" && find(pullNumber)) {
        const pull = find(pullNumber);
        if (pull) Object.assign(pull, { ...(body.title ? { title: String(body.title) } : {}), ...(body.body ? { body: String(body.body) } : {}) });
        return send(200, pull);
      }
      if (method === "POST" && find(labelsOf)) {
        const pull = find(labelsOf);
        const labels = Array.isArray(body.labels) ? body.labels.map(String) : [];
        if (pull) pull.labels = [...new Set([...pull.labels, ...labels])];
        return send(200, (pull?.labels ?? []).map((name) => ({ name })));
      }
      return send(404, { message: `fake-github: no route for ${method} ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    pulls,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
