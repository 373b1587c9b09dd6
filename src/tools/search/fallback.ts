import { lstat, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { minimatch } from "minimatch";
import { glob } from "tinyglobby";
import { createIgnoreFilter } from "../../workspace/gitignore.ts";
import { clipLine, isBinary, splitLines } from "../text.ts";
import { ToolError } from "../types.ts";
import { MAX_FILE_BYTES, MAX_LINE_CHARS, type SearchMatch, type SearchRequest, type SearchResult } from "./types.ts";

/** Used when rg cannot run. JavaScript regular expressions stand in for rg's (close for common patterns). */
export async function searchWithJavaScript(request: SearchRequest): Promise<SearchResult> {
  const regex = compile(request);
  const matches: SearchMatch[] = [];
  for (const file of await listFiles(request)) {
    for (const match of await searchFile(request.root, file, regex)) {
      matches.push(match);
      if (matches.length > request.limit) return { matches, truncated: true };
    }
  }
  return { matches, truncated: false };
}

// --- internal ---

function compile(request: SearchRequest): RegExp {
  try {
    return new RegExp(request.query, request.caseSensitive ? "" : "i");
  } catch (error) {
    throw new ToolError(`Invalid regular expression /${request.query}/: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function listFiles(request: SearchRequest): Promise<string[]> {
  const targetStats = await stat(path.join(request.root, request.target));
  if (targetStats.isFile()) return [request.target];
  const isIgnored = createIgnoreFilter(request.root);
  const below = await glob("**", {
    cwd: path.join(request.root, request.target),
    dot: true,
    followSymbolicLinks: false,
    ignore: ["**/.git", "**/.git/**"],
    signal: request.signal,
  });
  return below
    .map((file) => (request.target === "." ? file : `${request.target}/${file}`))
    .filter((file) => matchesInclude(file, request.include) && !isIgnored(file, false))
    .sort();
}

/** Like rg --glob: matched against the workspace-relative path; a glob without "/" matches the file name in any folder. */
function matchesInclude(file: string, include: string | undefined): boolean {
  if (include === undefined) return true;
  return minimatch(file, include, { dot: true, matchBase: !include.includes("/") });
}

async function searchFile(root: string, file: string, regex: RegExp): Promise<SearchMatch[]> {
  const absolute = path.join(root, file);
  // lstat: a symlink may point outside the workspace, and rg does not follow them either.
  const stats = await lstat(absolute);
  if (!stats.isFile() || stats.size > MAX_FILE_BYTES) return [];
  const bytes = await readFile(absolute);
  if (isBinary(bytes)) return [];
  return splitLines(bytes.toString("utf8")).flatMap((text, index) =>
    regex.test(text) ? [{ path: file, line: index + 1, text: clipLine(text, MAX_LINE_CHARS) }] : []);
}
