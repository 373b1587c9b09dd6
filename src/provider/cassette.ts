/**
 * Record and replay of model exchanges. Recording wraps a provider and appends every exchange of a task
 * to its cassette, `<dir>/<task-id>.jsonl`: the request's digest and the assembled response, usage
 * included. Replaying serves the model's side from the cassette without any network, and fails loudly
 * when a request is not the one recorded at that point.
 */
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ProviderError } from "./types.ts";
import type { ChatRequest, ModelTurn, Provider } from "./types.ts";
import { stringifyRedacted, type Redact } from "../report/redact.ts";

/** One line of a cassette. */
export interface CassetteEntry {
  /** 1-based: the task's n-th model request. */
  turn: number;
  /** sha256 of the canonical JSON of model, messages and tools. */
  digest: string;
  model: string;
  messages: number;
  tools: number;
  response: ModelTurn;
}

/** What the task's workspace folder is written as in a digested request. */
export const WORKSPACE_PLACEHOLDER = "<workspace>";

/**
 * sha256 of `{model, messages, tools}` (and `output`, the answer's schema, when asked) as JSON with sorted
 * keys, so field order never matters; a request without `output` digests as before it existed. Each of
 * `workspaces` (the task's folder, see workspaceSpellings) counts as WORKSPACE_PLACEHOLDER: every run
 * works in a new temporary folder, and a tool output naming it must not make the replay differ.
 */
export function requestDigest(
  model: string, request: Pick<ChatRequest, "messages" | "tools" | "output">, workspaces: readonly string[] = [], redact: Redact = (text) => text,
): string {
  const canonical = canonicalJson({ model, messages: request.messages, tools: request.tools ?? [], output: request.output });
  return createHash("sha256").update(redact(withPlaceholder(canonical, workspaces))).digest("hex");
}

/**
 * Where a cassette's task works, and how secrets are hidden. A cassette is meant to be committed: its
 * responses are written redacted, and requests are digested redacted, so that a replayed response holding
 * `[REDACTED]` leads to the request that was recorded.
 */
export interface CassetteOptions {
  workspace?: string | undefined;
  redact?: Redact | undefined;
}

/** The ways a tool output may name the workspace: as given and as its real path, longest first. */
export function workspaceSpellings(workspace: string | undefined): string[] {
  if (workspace === undefined || workspace === "") return [];
  return [...new Set([workspace, realPathOf(workspace)])].sort((a, b) => b.length - a.length);
}

function withPlaceholder(json: string, workspaces: readonly string[]): string {
  // Replaced as the paths appear inside JSON strings, backslashes (Windows) escaped.
  return workspaces.reduce((text, path) => text.replaceAll(JSON.stringify(path).slice(1, -1), WORKSPACE_PLACEHOLDER), json);
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Passes every request to `inner` and appends each exchange to `file`, which starts empty. */
export function recordingProvider(inner: Provider, file: string, { workspace, redact = (text) => text }: CassetteOptions = {}): Provider {
  const workspaces = workspaceSpellings(workspace);
  let turn = 0;
  let ready: Promise<void> | undefined;
  return {
    name: inner.name,
    model: inner.model,
    async complete(request) {
      ready ??= mkdir(dirname(file), { recursive: true }).then(() => writeFile(file, ""));
      await ready;
      const digest = requestDigest(inner.model, request, workspaces, redact);
      const response = await inner.complete(request);
      const entry: CassetteEntry = { turn: ++turn, digest, model: inner.model, messages: request.messages.length, tools: request.tools?.length ?? 0, response };
      await appendFile(file, `${stringifyRedacted(entry, redact)}\n`);
      return response;
    },
  };
}

/** Serves the recorded responses of `file` in order, after checking that each request is the recorded one. */
export function replayingProvider(name: string, model: string, file: string, taskId: string, { workspace, redact = (text) => text }: CassetteOptions = {}): Provider {
  const workspaces = workspaceSpellings(workspace);
  let entries: Promise<CassetteEntry[]> | undefined;
  let turn = 0;
  return {
    name,
    model,
    async complete(request) {
      request.signal.throwIfAborted();
      entries ??= loadCassette(file, taskId);
      const recorded = await entries;
      const entry = recorded[turn++];
      const where = `replay of task "${taskId}", turn ${turn}`;
      if (!entry) throw new ProviderError(`${where}: ${file} holds only ${recorded.length} turns; the task asked for more than were recorded`);
      const digest = requestDigest(model, request, workspaces, redact);
      if (digest !== entry.digest) throw new ProviderError(`${where}: the request does not match the recording in ${file} (${difference(entry, model, request)})`);
      return entry.response;
    },
  };
}

async function loadCassette(file: string, taskId: string): Promise<CassetteEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ProviderError(`replay of task "${taskId}": no cassette at ${file}`);
  }
  return text.split("\n").filter((line) => line.trim() !== "").map((line, index) => {
    try {
      return JSON.parse(line) as CassetteEntry;
    } catch {
      throw new ProviderError(`${file}:${index + 1}:1: invalid cassette line`);
    }
  });
}

function difference(entry: CassetteEntry, model: string, request: ChatRequest): string {
  if (entry.model !== model) return `model ${model}, recorded ${entry.model}`;
  const tools = request.tools?.length ?? 0;
  if (entry.messages !== request.messages.length) return `${request.messages.length} messages, recorded ${entry.messages}`;
  if (entry.tools !== tools) return `${tools} tools, recorded ${entry.tools}`;
  return "the messages or tools differ in content";
}
