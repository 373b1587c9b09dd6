import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { deserializeMessage, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { killProcessGroup, trackProcessGroup } from "../shared/process-tree.ts";
import type { SpawnSpec } from "../tools/types.ts";

/** One message from a server may be this large; a server sending more is stopped (it would fill the memory). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** What is kept of a server's stderr for messages: its end. */
const STDERR_TAIL_BYTES = 4_000;
/** After SIGTERM, the server's process group gets this long before SIGKILL. */
const KILL_GRACE_MS = 2_000;

/**
 * MCP over a stdio server's pipes, with the server in a process group of its own: closing ends the whole
 * group (a server's own children included), and until then a second Ctrl-C can end it (shared/process-tree.ts).
 * The SDK's own stdio transport gives neither the group nor the stderr tail that messages name.
 */
export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private child: ChildProcess | undefined;
  private readonly buffer = new LineBuffer(MAX_MESSAGE_BYTES);
  private stderr = "";
  private exit: string | undefined;
  private untrack: (() => void) | undefined;

  private readonly spec: SpawnSpec & { cwd: string };

  constructor(spec: SpawnSpec & { cwd: string }) {
    this.spec = spec;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.spec.file, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
      this.child = child;
      if (child.pid !== undefined) this.untrack = trackProcessGroup(child.pid);
      child.once("error", (error) => {
        this.exit = `could not start: ${error.message}`;
        reject(error);
        this.onerror?.(error);
      });
      child.once("spawn", () => resolve());
      child.once("exit", (code, signal) => {
        this.exit ??= signal ? `killed by ${signal}` : `exited with code ${code}`;
        // The group may hold the server's own children still.
        if (child.pid !== undefined) killProcessGroup(child.pid);
        this.untrack?.();
        this.onclose?.();
      });
      child.stdin?.on("error", (error) => this.onerror?.(error));
      child.stdout?.on("data", (chunk: Buffer) => this.receive(chunk));
      child.stderr?.on("data", (chunk: Buffer) => {
        this.stderr = (this.stderr + chunk.toString("utf8")).slice(-STDERR_TAIL_BYTES);
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || !stdin.writable) return Promise.reject(new Error(`the server is not running (${this.exit ?? "not started"})`));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", () => resolve());
    });
  }

  /** Ends the server's process group: SIGTERM, then SIGKILL after a grace period; resolves once it has exited. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      this.untrack?.();
      return;
    }
    const exited = once(child, "exit");
    this.exit ??= "stopped by nanocoder";
    child.stdin?.end();
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Gone already.
    }
    const timer = setTimeout(() => killProcessGroup(child.pid), KILL_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** How the server ended, when it has. */
  get exitStatus(): string | undefined {
    return this.exit;
  }

  /** The end of what the server wrote on stderr, for messages. */
  get stderrTail(): string {
    return this.stderr.trim();
  }

  private receive(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.buffer.append(chunk);
    } catch {
      // One message larger than the cap: stopped before it fills the memory.
      this.exit = `sent a message larger than ${MAX_MESSAGE_BYTES} bytes; stopped`;
      this.onerror?.(new Error(this.exit));
      void this.close();
      return;
    }
    for (const line of lines) {
      let message: JSONRPCMessage;
      try {
        message = deserializeMessage(line);
      } catch (error) {
        // A line that is no JSON-RPC message (a log line on stdout): skipped, as the SDK's transport does.
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      this.onmessage?.(message);
    }
  }
}

/**
 * Splits a stream into lines in time linear in its size: a chunk is searched for a line break once, and the
 * chunks of a line are joined once, when it ends. (The SDK's ReadBuffer joins and searches everything it
 * holds at every chunk: a 20 MB message took seconds of the event loop.) A line longer than `maxBytes`
 * throws, and what was held is dropped.
 */
export class LineBuffer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** The lines this chunk ends, without their `\n` (or `\r\n`). */
  append(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      const tail = chunk.subarray(start, end);
      const whole = this.pending.length === 0 ? tail : Buffer.concat([...this.pending, tail], this.pendingBytes + tail.length);
      this.pending = [];
      this.pendingBytes = 0;
      if (whole.length > this.maxBytes) throw new Error(`a line longer than ${this.maxBytes} bytes`);
      lines.push(whole.toString("utf8").replace(/\r$/, ""));
      start = end + 1;
    }
    if (start < chunk.length) {
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        throw new Error(`a line longer than ${this.maxBytes} bytes`);
      }
      this.pending.push(chunk.subarray(start));
    }
    return lines;
  }
}
