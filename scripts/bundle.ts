import type { InputOptions } from "rolldown";

/** What the command line and the Action bundle share. */
export const bundleOptions = {
  platform: "node",
  // Found through node_modules at run time, beside its ripgrep binary; optional: without it the search
  // tool falls back to its own search.
  external: ["@vscode/ripgrep"],
  // web-tree-sitter's Emscripten loader uses eval on purpose; nothing to act on.
  onLog(level, log, handler) {
    if (log.code !== "EVAL") handler(level, log);
  },
} satisfies InputOptions;
