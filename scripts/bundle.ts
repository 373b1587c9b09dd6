import type { InputOptions, Plugin } from "rolldown";

/** What the command line and the committed bundles (the Action's, the pre-commit hook's) share. */
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

/** The grammar is found through node_modules at run time in the CLI; in a committed bundle it sits beside the bundle. */
const GRAMMAR_LOOKUP = 'createRequire(import.meta.url).resolve("tree-sitter-bash/tree-sitter-bash.wasm")';
const GRAMMAR_BESIDE = 'decodeURIComponent(new URL("./tree-sitter-bash.wasm", import.meta.url).pathname)';

/**
 * Replaces `search` with `replacement` in the module whose path ends with `file`; fails the build when the
 * text is gone, so a change to that module cannot silently leave a bundle looking in node_modules.
 */
export function replaceInModule(name: string, file: string, search: string, replacement: string): Plugin {
  return {
    name,
    transform(code, id) {
      if (!id.endsWith(file)) return null;
      if (!code.includes(search)) throw new Error(`${name}: ${id} no longer holds ${search}`);
      return { code: code.replace(search, replacement) };
    },
  };
}

/** For bundles that run without node_modules: the shell grammar is loaded from the bundle's own folder. */
export const grammarBesideBundle = replaceInModule("grammar-beside-bundle", "src/policy/shell/parser.ts", GRAMMAR_LOOKUP, GRAMMAR_BESIDE);

/**
 * The price table sorts short ASCII names (its units' dimensions and usage keys) with localeCompare, first
 * while it loads: setting up ICU's collator for that costs 0.015-0.035 s of CPU in every run that prices
 * or sizes a model. Any fixed order serves both sorts (one makes a lookup key, the other breaks ties between
 * units that do not depend on each other), so they compare by code unit.
 */
const PRICES_FILE = "@pydantic/genai-prices/dist/index.js";
const BY_CODE_UNIT = (a: string, b: string) => `(${a} < ${b} ? -1 : ${a} > ${b} ? 1 : 0)`;
export const pricesWithoutCollator: Plugin[] = [
  replaceInModule("prices-key-without-collator", PRICES_FILE, "t.localeCompare(a)", BY_CODE_UNIT("t", "a")),
  replaceInModule("prices-units-without-collator", PRICES_FILE, "n.usageKey.localeCompare(s.usageKey)", BY_CODE_UNIT("n.usageKey", "s.usageKey")),
];

