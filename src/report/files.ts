import { closeSync, fstatSync, openSync, writeSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { stringifyRedacted, type Redact } from "./redact.ts";

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

export async function writeJson(path: string, value: unknown, redact: Redact): Promise<void> {
  await writeFileAtomic(path, `${stringifyRedacted(value, redact, 2)}\n`);
}

/** The one writer of the run folder's JSON files: each names its JSON Schema first. */
export async function writeJsonFile(path: string, schema: string, value: object, redact: Redact): Promise<void> {
  await writeJson(path, { $schema: schema, ...value }, redact);
}

/**
 * The one writer of the JSON Lines files (events.jsonl, manifest.jsonl): each record is written (synchronously, to the operating system)
 * before the next step starts, so a crash loses nothing that happened. The file stays open until `close`.
 */
export class EventLog {
  readonly path: string;
  readonly #redact: Redact;
  /** The URL of the JSON Schema of the lines, named by the file's first line. */
  readonly #schema: string | undefined;
  #fd: number | undefined;

  constructor(path: string, redact: Redact, schema?: string) {
    this.path = path;
    this.#redact = redact;
    this.#schema = schema;
  }

  /** Writes one record; returns its `ts`, for those who pass the record on as the log has it. */
  append(event: object): string {
    let named = {};
    if (this.#fd === undefined) {
      this.#fd = openSync(this.path, "a");
      // Only a new file's first line: a resumed run appends to a manifest that named it already.
      if (this.#schema !== undefined && fstatSync(this.#fd).size === 0) named = { $schema: this.#schema };
    }
    const ts = new Date().toISOString();
    const bytes = Buffer.from(`${stringifyRedacted({ ts, ...named, ...event }, this.#redact)}\n`);
    for (let written = 0; written < bytes.length; ) written += writeSync(this.#fd, bytes, written);
    return ts;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
