import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpFetch } from "../../src/provider/http.ts";

/* The node:http fetch given to the openai SDK behaves as the built-in fetch does. */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serve(handler: http.RequestListener, configure?: (server: http.Server) => void): Promise<string> {
  const server = http.createServer(handler);
  configure?.(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server that answers every connection with `raw` bytes, then does `then`. */
async function serveRaw(raw: string, then: (socket: net.Socket) => void = (socket) => socket.end()): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("data", () => {
      socket.write(raw);
      then(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fetch = createHttpFetch(() => undefined);

describe("problems", () => {
  it("follows a redirect as fetch does (307 keeps the method and the body)", async () => {
    const url = await serve((request, response) => {
      if (request.url === "/v1/chat/completions") {
        response.writeHead(307, { location: "/v2/chat/completions" }).end();
        return;
      }
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => response.end(JSON.stringify({ method: request.method, url: request.url, body })));
    });
    const response = await fetch(`${url}/v1/chat/completions`, { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method: "POST", url: "/v2/chat/completions", body: '{"a":1}' });
  });

  it("rejects, rather than throwing out of an event handler, on a status a Response cannot carry", async () => {
    const url = await serveRaw("HTTP/1.1 600 Odd\r\ncontent-length: 0\r\n\r\n");
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", record);
    try {
      // A hang is caught by the test's own timeout: no clock of ours to race against a loaded machine.
      const outcome = await fetch(url, { method: "POST", body: "{}" }).then(
        (response) => `status ${response.status}`,
        (error: unknown) => `rejected: ${String(error)}`,
      );
      expect(outcome).toMatch(/^rejected/);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", record);
    }
  });

  it("sends what a Request object given as input holds (method, headers, body)", async () => {
    const url = await serve((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => response.end(JSON.stringify({ method: request.method, body, header: request.headers["x-one"] })));
    });
    const response = await fetch(new Request(url, { method: "POST", body: "hello", headers: { "x-one": "1" } }));
    expect(await response.json()).toEqual({ method: "POST", body: "hello", header: "1" });
  });
});

describe("edge cases that work", () => {
  it("gives a non-200 answer with its body and every header, set-cookie values apart", async () => {
    const url = await serve((_request, response) => {
      response.setHeader("set-cookie", ["a=1", "b=2"]);
      response.setHeader("x-ratelimit-remaining", "0");
      response.writeHead(429, "Too Many Requests", { "retry-after": "3", "content-type": "application/json" });
      response.end('{"error":{"message":"slow down"}}');
    });
    const response = await fetch(url);
    expect(response.status).toBe(429);
    expect(response.statusText).toBe("Too Many Requests");
    expect(response.headers.get("retry-after")).toBe("3");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.json()).toEqual({ error: { message: "slow down" } });
  });

  it("sends string, byte and URLSearchParams bodies with their length", async () => {
    const url = await serve((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => response.end(JSON.stringify({ body, length: request.headers["content-length"] ?? null })));
    });
    expect(await (await fetch(url, { method: "POST", body: "héllo" })).json()).toEqual({ body: "héllo", length: "6" });
    expect(await (await fetch(url, { method: "POST", body: new TextEncoder().encode("bytes") })).json()).toEqual({ body: "bytes", length: "5" });
    expect(await (await fetch(url, { method: "POST", body: new URLSearchParams({ a: "1 2" }) })).json()).toMatchObject({ body: "a=1+2" });
  });

  it("rejects with an AbortError when aborted before the answer, and the read fails when aborted mid-stream", async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: first\n\n");
      // never ends
    });
    const early = new AbortController();
    const pending = fetch(`${url}/slow`, { signal: early.signal });
    early.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });

    const late = new AbortController();
    const response = await fetch(url, { signal: late.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: first\n\n");
    late.abort();
    // Not an AbortError as with the built-in fetch ("aborted", ECONNRESET): openai.ts looks at the signal instead.
    await expect(reader.read()).rejects.toThrow();
  });

  it("fails the read, rather than ending it quietly, when the server closes the connection mid-body", async () => {
    const url = await serveRaw("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"partial\":", (socket) => setTimeout(() => socket.destroy(), 20));
    const response = await fetch(url);
    await expect(response.text()).rejects.toThrow();
  });

  it("fails the read when a chunked stream is cut before its last chunk", async () => {
    const url = await serveRaw("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n", (socket) => setTimeout(() => socket.end(), 20));
    const response = await fetch(url);
    await expect(response.text()).rejects.toThrow();
  });

  it("reuses a kept-alive connection, and opens a new one after the server closed the idle one", async () => {
    const ports: number[] = [];
    const sockets = new Set<net.Socket>();
    const url = await serve(
      (request, response) => {
        ports.push(request.socket.remotePort ?? 0);
        response.end("ok");
      },
      (server) => server.on("connection", (socket: net.Socket) => sockets.add(socket)),
    );
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    expect(await (await fetch(url)).text()).toBe("ok");
    await pause(10);
    expect(await (await fetch(url)).text()).toBe("ok");
    await pause(10);
    for (const socket of sockets) socket.destroy(); // the server drops the idle connection
    await pause(30);
    expect(await (await fetch(url, { method: "POST", body: "{}" })).text()).toBe("ok");
    expect(ports).toHaveLength(3);
    expect(ports[0]).toBe(ports[1]);
    expect(ports[2]).not.toBe(ports[1]);
  });

  it("gives no body for 204 and 304", async () => {
    const url = await serve((request, response) => {
      response.writeHead(request.url === "/a" ? 204 : 304).end();
    });
    expect((await fetch(`${url}/a`)).body).toBeNull();
    expect((await fetch(`${url}/b`)).body).toBeNull();
  });
});
