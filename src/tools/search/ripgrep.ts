import type { Result } from "execa";
import { ToolError } from "../types.ts";
import { MAX_FILE_BYTES, MAX_LINE_CHARS, type SearchMatch, type SearchRequest, type SearchResult } from "./types.ts";
import { loadExeca } from "../../shared/execa.ts";

const TIMEOUT_MS = 30_000;
/** Far more than the largest result needs; past it rg is stopped and the search reported as cut short. */
const MAX_OUTPUT_CHARS = 1_000_000;

/** Searches with ripgrep. Returns undefined when rg is not installed or cannot be started. */
export async function searchWithRipgrep(request: SearchRequest): Promise<SearchResult | undefined> {
  const rgPath = await findRipgrep();
  if (rgPath === undefined) return undefined;
  const { execa } = await loadExeca();
  const result = await execa(rgPath, ripgrepArguments(request), {
    cwd: request.root,
    extendEnv: false,
    env: {},
    stdin: "ignore",
    reject: false,
    timeout: TIMEOUT_MS,
    cancelSignal: request.signal,
    maxBuffer: MAX_OUTPUT_CHARS,
  });
  if (couldNotStart(result)) return undefined;
  if (result.isCanceled) throw new Error("the search was cancelled");
  if (result.timedOut) {
    throw new ToolError(`The search took longer than ${TIMEOUT_MS / 1000} s and was stopped; narrow it with path or include.`);
  }
  const lines = result.stdout.split("\n").filter((line) => line !== "");
  if (result.isMaxBuffer) lines.pop(); // may be cut in the middle
  const matches = lines.map(parseLine).filter((match) => match !== undefined);
  if (result.exitCode === 2 && matches.length === 0) {
    throw new ToolError(`The search failed: ${result.stderr.trim() || "rg exited with status 2"}`);
  }
  return { matches, truncated: result.isMaxBuffer };
}

// --- internal ---

async function findRipgrep(): Promise<string | undefined> {
  try {
    // Imported lazily: the package throws at import time when its platform binary is missing.
    return (await import("@vscode/ripgrep")).rgPath;
  } catch {
    return undefined;
  }
}

function ripgrepArguments(request: SearchRequest): string[] {
  return [
    "--no-config",
    "--no-heading", "--with-filename", "--line-number", "--null", "--color", "never",
    "--hidden", "--no-require-git", "--sort", "path",
    "--max-columns", String(MAX_LINE_CHARS), "--max-columns-preview",
    "--max-filesize", String(MAX_FILE_BYTES),
    request.caseSensitive ? "--case-sensitive" : "--ignore-case",
    ...(request.include === undefined ? [] : ["--glob", request.include]),
    "--glob", "!.git",
    "--regexp", request.query,
    "--", request.target,
  ];
}

/** `path NUL line:text`: the NUL keeps paths containing ":" intact. */
function parseLine(line: string): SearchMatch | undefined {
  const nul = line.indexOf("\0");
  const colon = line.indexOf(":", nul + 1);
  if (nul === -1 || colon === -1) return undefined;
  const path = line.slice(0, nul).replace(/^\.\//, "");
  return { path, line: Number(line.slice(nul + 1, colon)), text: line.slice(colon + 1) };
}

function couldNotStart(result: Result): boolean {
  return result.failed && result.exitCode === undefined &&
    !result.isTerminated && !result.timedOut && !result.isCanceled && !result.isMaxBuffer;
}
