import { glob } from "tinyglobby";
import { z } from "zod";
import { createIgnoreFilter } from "../workspace/gitignore.ts";
import { resolveWorkspacePath } from "../workspace/paths.ts";
import { defineTool, ToolError } from "./types.ts";

const DEFAULT_RESULTS = 50;
const MAX_RESULTS = 500;

export const parameters = z.object({
  pattern: z.string().min(1)
    .describe("Glob relative to the workspace root, e.g. \"**/*.ts\", \"src/**/test_*.py\" or \"**/{README,CHANGELOG}.md\". A pattern without ** only matches at that level: \"*.json\" finds files in the root only."),
  max_results: z.number().int().min(1).optional()
    .describe(`How many paths to return at most. Defaults to ${DEFAULT_RESULTS}, at most ${MAX_RESULTS}.`),
});

export default defineTool({
  name: "find_files",
  description: "Find files whose path matches a glob pattern. Returns sorted workspace-relative paths, skipping .git and gitignored files.",
  parameters,
  accesses: () => [{ kind: "read", path: "." }],
  async execute(args, ctx) {
    checkPattern(args.pattern);
    const root = (await resolveWorkspacePath(ctx.workspace, ".")).absolute;
    const isIgnored = createIgnoreFilter(root);
    const found = await glob(args.pattern, {
      cwd: root,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      ignore: ["**/.git", "**/.git/**"],
      signal: ctx.signal,
    });
    const matches = found.filter((file) => !isIgnored(file, false)).sort();
    if (matches.length === 0) return noMatches(args.pattern);
    const limit = Math.min(args.max_results ?? DEFAULT_RESULTS, MAX_RESULTS);
    const shown = matches.slice(0, limit).join("\n");
    if (matches.length <= limit) return shown;
    return `${shown}\n[showing ${limit} of ${matches.length} files; narrow the pattern or raise max_results (at most ${MAX_RESULTS})]`;
  },
});

// --- internal ---

function checkPattern(pattern: string): void {
  if (pattern.startsWith("/")) {
    throw new ToolError(`The pattern "${pattern}" is absolute; give a glob relative to the workspace root, e.g. "src/**/*.ts".`);
  }
  if (pattern.split("/").includes("..")) {
    throw new ToolError(`The pattern "${pattern}" leaves the workspace with ".."; only files inside it can be found.`);
  }
}

function noMatches(pattern: string): string {
  const hint = pattern.includes("**") ? "" : ` Patterns without ** only match at one level; try "**/${pattern}".`;
  return `No files match "${pattern}".${hint}`;
}
