/**
 * Bundles the GitHub Action's entry point (src/github/main.ts) into action/index.mjs, with the two
 * WebAssembly files the shell parser loads beside it, so the Action runs without node_modules.
 *
 *   node scripts/build-action.ts [out-dir]      (default: action/)
 */
import { copyFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { bundleOptions } from "./bundle.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = resolve(process.argv[2] ?? join(root, "action"));
const require = createRequire(join(root, "package.json"));

/** The grammar is found through node_modules at run time in the CLI; in the bundle it sits beside index.mjs. */
const GRAMMAR_LOOKUP = 'createRequire(import.meta.url).resolve("tree-sitter-bash/tree-sitter-bash.wasm")';
const GRAMMAR_BESIDE = 'decodeURIComponent(new URL("./tree-sitter-bash.wasm", import.meta.url).pathname)';

await mkdir(outDir, { recursive: true });
await build({
  ...bundleOptions,
  cwd: root,
  input: join(root, "src/github/main.ts"),
  plugins: [
    {
      name: "grammar-beside-bundle",
      transform(code, id) {
        if (!id.endsWith("src/policy/shell/parser.ts")) return null;
        if (!code.includes(GRAMMAR_LOOKUP)) throw new Error(`build-action: ${id} no longer loads the grammar as expected`);
        return { code: code.replace(GRAMMAR_LOOKUP, GRAMMAR_BESIDE) };
      },
    },
  ],
  output: {
    file: join(outDir, "index.mjs"),
    format: "esm",
    codeSplitting: false,
    banner: "// Built by `npm run build:action` from src/github/main.ts. Do not edit.",
    comments: { legal: false },
  },
});
await copyFile(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"), join(outDir, "tree-sitter-bash.wasm"));
await copyFile(require.resolve("web-tree-sitter/web-tree-sitter.wasm"), join(outDir, "web-tree-sitter.wasm"));
