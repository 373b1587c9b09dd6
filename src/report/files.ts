import { closeSync, openSync, writeSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Redact } from "./redact.ts";

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

export async function writeJson(path: string, value: unknown, redact: Redact): Promise<void> {
  await writeFileAtomic(path, `${redact(JSON.stringify(value, null, 2))}\n`);
}

/**
 * The one writer of a task's events.jsonl: each event is written (synchronously, to the operating system)
 * before the next step starts, so a crash loses nothing that happened. The file stays open until `close`.
 */
export class EventLog {
  readonly path: string;
  readonly #redact: Redact;
  #fd: number | undefined;

  constructor(path: string, redact: Redact) {
    this.path = path;
    this.#redact = redact;
  }

  append(event: object): void {
    const line = JSON.stringify({ ts: new Date().toISOString(), ...event });
    this.#fd ??= openSync(this.path, "a");
    const bytes = Buffer.from(`${this.#redact(line)}\n`);
    for (let written = 0; written < bytes.length; ) written += writeSync(this.#fd, bytes, written);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
