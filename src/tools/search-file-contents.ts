import { z } from "zod";
import { resolveWorkspacePath } from "../workspace/paths.ts";
import { searchWithRipgrep } from "./search/ripgrep.ts";
import { searchWithJavaScript } from "./search/fallback.ts";
import type { SearchRequest } from "./search/types.ts";
import { defineTool } from "./types.ts";

const DEFAULT_RESULTS = 50;
const MAX_RESULTS = 500;

export const parameters = z.object({
  query: z.string().min(1)
    .describe("Regular expression to search for (Rust regex syntax, like grep -E: escape ( ) [ ] { } . * + ? | with \\ to match them literally)."),
  path: z.string().optional().describe("File or folder to search, relative to the workspace root. Defaults to \".\", the whole workspace."),
  include: z.string().optional()
    .describe("Only search files matching this glob: \"*.ts\" matches in any folder, \"src/**/*.py\" is relative to the workspace root."),
  case_sensitive: z.boolean().optional().describe("Match case exactly. Defaults to false: the search ignores case."),
  max_results: z.number().int().min(1).optional()
    .describe(`How many matching lines to return at most. Defaults to ${DEFAULT_RESULTS}, at most ${MAX_RESULTS}.`),
});

export default defineTool({
  name: "search_file_contents",
  description: "Search file contents for a regular expression, like grep -rn. Returns `path:line: text` lines, skipping .git, gitignored and binary files.",
  parameters,
  accesses: (args) => [{ kind: "read", path: args.path ?? "." }],
  async execute(args, ctx) {
    const target = await resolveWorkspacePath(ctx.workspace, args.path ?? ".");
    const root = (await resolveWorkspacePath(ctx.workspace, ".")).absolute;
    const request: SearchRequest = {
      root,
      target: target.relative,
      query: args.query,
      include: args.include,
      caseSensitive: args.case_sensitive ?? false,
      limit: Math.min(args.max_results ?? DEFAULT_RESULTS, MAX_RESULTS),
      signal: ctx.signal,
    };
    const found = (await searchWithRipgrep(request)) ?? (await searchWithJavaScript(request));
    const readable = found.matches.filter((match) => ctx.isReadable(match.path));
    const hidden = hiddenNote(found.matches.length - readable.length);
    const where = target.relative === "." ? "the workspace" : target.relative;
    if (readable.length === 0) return `No matches for /${args.query}/ in ${where}.${hidden}`;
    const lines = readable.slice(0, request.limit).map((match) => `${match.path}:${match.line}: ${match.text}`);
    if (!found.truncated && readable.length <= request.limit) return lines.join("\n") + hidden;
    return `${lines.join("\n")}\n[showing the first ${lines.length} matches; narrow the query, path or include, or raise max_results (at most ${MAX_RESULTS})]${hidden}`;
  },
});

function hiddenNote(count: number): string {
  return count === 0 ? "" : `\n[${count} match${count === 1 ? "" : "es"} in files the policy does not let you read left out]`;
}
