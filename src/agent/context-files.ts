import { readFile } from "node:fs/promises";
import { glob } from "tinyglobby";
import { decide } from "../policy/decide.ts";
import type { Policy } from "../policy/types.ts";
import { resolveAccesses } from "../policy/resolve/index.ts";
import { lstatIfExists, resolveWorkspacePath } from "../workspace/paths.ts";
import { isBinary } from "../tools/text.ts";
import { truncateMiddle } from "../tools/truncate.ts";
import type { ContextFile } from "./prompt.ts";

/** Context given up front may take this share of the window; the rest is for the work and the reply. */
const CONTEXT_SHARE = 0.4;
/** Bytes per token when a token budget becomes a byte cap: few, so the cap errs on the short side. */
const BYTES_PER_TOKEN = 3;
/** Context is for reading, not for whole trees: past these the rest is left for the model to read itself. */
const MAX_FILE_BYTES = 50_000;
const MAX_TOTAL_BYTES = 200_000;
/** A file left with less room than this is skipped rather than cut to a stub. */
const MIN_USEFUL_BYTES = 1_000;
/** Larger files are not loaded at all, as read_file does not load them. */
const MAX_READ_BYTES = 10_000_000;

export interface ContextCaps {
  /** Cap on one file, in UTF-8 bytes; a longer file keeps its head and tail. */
  fileBytes: number;
  /** Cap on all context files together. */
  totalBytes: number;
}

export interface ContextSelection {
  files: ContextFile[];
  skipped: { path: string; reason: string }[];
}

export const NO_SUCH_FILE = "no such file in the workspace";

export type WorkspaceText = { ok: true; path: string; content: string; bytes: number } | { ok: false; reason: string };

/** Caps that keep the context given up front within 40% of the model's window. */
export function contextCaps(contextWindow: number): ContextCaps {
  const totalBytes = Math.min(MAX_TOTAL_BYTES, Math.floor(contextWindow * CONTEXT_SHARE * BYTES_PER_TOKEN));
  return { totalBytes, fileBytes: Math.min(MAX_FILE_BYTES, totalBytes) };
}

/**
 * The `@path` mentions of a prompt, in order, each once: an `@` that starts a word, then a path without
 * spaces. Punctuation that ends a sentence is not part of the path (`see @src/a.ts.` names `src/a.ts`);
 * an e-mail address is no mention.
 */
export function promptMentions(prompt: string): string[] {
  const mentions = new Set<string>();
  for (const match of prompt.matchAll(/(?<![\w@./\\-])@([\w./-]*[\w/-])/g)) {
    const path = match[1];
    if (path !== undefined) mentions.add(path);
  }
  return [...mentions];
}

/**
 * Reads the task's `context` files and globs, then the files its prompt mentions with `@path`, from the
 * workspace. Each passes the policy's read rules like any read the model makes (symlinks resolved, nothing
 * outside the workspace), so a broad glob never hands it a secret. A mention that names no file is left as
 * text: `@octocat` is a person. Each file is capped, and so is the whole.
 */
export async function loadContextFiles(
  request: { patterns: string[]; mentions: string[] },
  workspace: string,
  policy: Policy,
  caps: ContextCaps,
): Promise<ContextSelection> {
  const selection: ContextSelection = { files: [], skipped: [] };
  const seen = new Set<string>();
  let room = caps.totalBytes;
  const take = async (path: string): Promise<void> => {
    const text = await readWorkspaceText(workspace, path, policy, Math.min(caps.fileBytes, room));
    if (!text.ok) {
      if (!selection.skipped.some((skip) => skip.path === path)) selection.skipped.push({ path, reason: text.reason });
      return;
    }
    if (seen.has(text.path)) return;
    seen.add(text.path);
    room -= text.bytes;
    selection.files.push({ path: text.path, content: text.content });
  };
  for (const pattern of request.patterns) {
    // A path naming a file is that file, whatever characters it holds (`app/(auth)/page.js`, `[id].js`); anything
    // else is a glob. validate decides the same way (run/context-check.ts), so what it accepts is what runs.
    const paths = (await isWorkspaceFile(workspace, pattern)) ? [pattern] : await glob(pattern, { cwd: workspace, dot: true, ignore: [".git/**"], onlyFiles: true });
    if (paths.length === 0) throw new Error(`context: "${pattern}" matches no file in the workspace`);
    for (const path of paths.sort()) await take(path);
  }
  for (const mention of request.mentions) await take(mention);
  return selection;
}

/**
 * A text file of the workspace the task gives the model unasked (context files, AGENTS.md), read only
 * when the policy lets the model read it, capped at `maxBytes` with its head and tail kept.
 */
export async function readWorkspaceText(workspace: string, path: string, policy: Policy, maxBytes: number): Promise<WorkspaceText> {
  let target: { absolute: string; relative: string };
  try {
    target = await resolveWorkspacePath(workspace, path);
    const decision = decide(policy, await resolveAccesses("read_file", [{ kind: "read", path }], workspace));
    if (decision.decision === "deny") return { ok: false, reason: `denied by policy: ${decision.reason}` };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const stats = await lstatIfExists(target.absolute);
  if (!stats) return { ok: false, reason: NO_SUCH_FILE };
  if (!stats.isFile()) return { ok: false, reason: stats.isDirectory() ? "a folder, not a file" : "not a regular file" };
  if (stats.size > MAX_READ_BYTES) return { ok: false, reason: `too large (${stats.size} bytes); the model can search it or read slices` };
  if (maxBytes < MIN_USEFUL_BYTES && stats.size > maxBytes) {
    return { ok: false, reason: "the context is full (it may take 40% of the model's window); read it with read_file" };
  }
  const bytes = await readFile(target.absolute);
  if (isBinary(bytes)) return { ok: false, reason: "a binary file" };
  const content = capText(bytes.toString("utf8"), bytes.length, maxBytes);
  return { ok: true, path: target.relative, content, bytes: Math.min(bytes.length, maxBytes) };
}

async function isWorkspaceFile(workspace: string, path: string): Promise<boolean> {
  const target = await resolveWorkspacePath(workspace, path).catch(() => undefined);
  return target !== undefined && ((await lstatIfExists(target.absolute))?.isFile() ?? false);
}

function capText(text: string, bytes: number, maxBytes: number): string {
  if (bytes <= maxBytes) return text;
  const note = `[this file has ${bytes} bytes; only its head and tail are shown here: read the rest with read_file]`;
  return `${note}\n${truncateMiddle(text, maxBytes)}`;
}
