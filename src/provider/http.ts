import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** Connections kept open between requests, shared by every task of the process like fetch's own pool. */
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

interface Outgoing {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
}

/**
 * The fetch the openai SDK uses: node:http with keep-alive connections, and a callback for every piece of
 * the response as it arrives (the stream idle timer). Node's streams carry the bytes until the SDK reads
 * them; that costs a fraction of the built-in fetch per request, which counts at hundreds of steps per task.
 * Redirects are followed as fetch follows them.
 */
export function createHttpFetch(onBytes: () => void): Fetch {
  return async (input, init = {}) => {
    let outgoing = await outgoingOf(input, init);
    for (let hops = 0; ; hops++) {
      const response = await send(outgoing, onBytes);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || !location || hops >= MAX_REDIRECTS) return toResponse(response, onBytes);
      response.resume();
      outgoing = redirected(outgoing, response.statusCode ?? 0, new URL(location, outgoing.url));
    }
  };
}

async function outgoingOf(input: string | URL | Request, init: RequestInit): Promise<Outgoing> {
  const request = input instanceof Request ? input : undefined;
  const body = init.body ?? (request?.body ? new Uint8Array(await request.arrayBuffer()) : undefined);
  return {
    url: new URL(request ? request.url : String(input)),
    method: init.method ?? request?.method ?? "GET",
    headers: { ...headerRecord(request?.headers), ...headerRecord(init.headers) },
    body: bodyOf(body),
    signal: init.signal ?? request?.signal ?? undefined,
  };
}

/** 307 and 308 repeat the request; 301, 302 and 303 turn a POST into a GET without a body, as fetch does. */
function redirected(outgoing: Outgoing, status: number, url: URL): Outgoing {
  if (status === 307 || status === 308 || (status !== 303 && outgoing.method !== "POST")) return { ...outgoing, url };
  const headers = Object.fromEntries(Object.entries(outgoing.headers).filter(([name]) => !/^content-/i.test(name)));
  return { ...outgoing, url, method: outgoing.method === "HEAD" ? "HEAD" : "GET", headers, body: undefined };
}

function send(outgoing: Outgoing, onBytes: () => void): Promise<http.IncomingMessage> {
  const secure = outgoing.url.protocol === "https:";
  const options: http.RequestOptions = {
    method: outgoing.method,
    headers: outgoing.headers,
    agent: secure ? agents.https : agents.http,
    ...(outgoing.signal ? { signal: outgoing.signal } : {}),
  };
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(outgoing.url, options, (response) => {
      onBytes();
      resolve(response);
    });
    request.on("error", reject);
    request.end(outgoing.body);
  });
}

/**
 * The answer as a Response whose body reports each piece to `onBytes`. A status outside what a Response can
 * carry (200–599) ends the request as an error.
 */
function toResponse(response: http.IncomingMessage, onBytes: () => void): Response {
  const status = response.statusCode ?? 0;
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  if (status < 200 || status > 599) {
    response.destroy();
    throw new TypeError(`the server answered with HTTP status ${status}, which is not a valid response`);
  }
  if (NO_BODY_STATUSES.has(status)) {
    response.resume();
    return new Response(null, { status, statusText: response.statusMessage ?? "", headers });
  }
  // The listener and the stream are attached together, so no piece flows past before the SDK reads.
  response.on("data", onBytes);
  const body = Readable.toWeb(response) as ReadableStream<Uint8Array>;
  return new Response(body, { status, statusText: response.statusMessage ?? "", headers });
}

function headerRecord(given: RequestInit["headers"]): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(given).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** The SDK sends JSON as a string; anything else it could send is passed on as bytes. */
function bodyOf(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError("request bodies other than text and bytes are not supported");
}

/** The first system error code (ECONNREFUSED, ENOTFOUND, …) in the cause chain. */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return undefined;
    if ("code" in current && typeof current.code === "string" && current.code !== "") return current.code;
    current = "cause" in current ? current.cause : undefined;
  }
  return undefined;
}
