import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Connections kept open between requests, shared by every task of the process like fetch's own pool. */
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/**
 * The fetch the openai SDK uses: node:http with keep-alive connections, and a callback for every piece of
 * the response as it arrives (the stream idle timer). Node's streams carry the bytes until the SDK reads
 * them; that costs a fraction of the built-in fetch per request, which counts at hundreds of steps per task.
 */
export function createHttpFetch(onBytes: () => void): Fetch {
  return (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const secure = url.protocol === "https:";
    const options: http.RequestOptions = {
      method: init.method ?? "GET",
      headers: headerRecord(init.headers),
      agent: secure ? agents.https : agents.http,
      ...(init.signal ? { signal: init.signal } : {}),
    };
    return new Promise<Response>((resolve, reject) => {
      const request = (secure ? https : http).request(url, options, (response) => {
        onBytes();
        response.on("data", onBytes);
        resolve(toResponse(response));
      });
      request.on("error", reject);
      request.end(bodyOf(init.body));
    });
  };
}

function toResponse(response: http.IncomingMessage): Response {
  const status = response.statusCode ?? 500;
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const body = NO_BODY_STATUSES.has(status) ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
  if (!body) response.resume();
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
