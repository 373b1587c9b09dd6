/**
 * Builds the command line into dist/cli/: src/cli/main.ts bundled, one file for the start and one per
 * command (loaded when that command runs), with web-tree-sitter's WebAssembly beside them. Loading a few
 * files instead of some 700 modules takes about a third off a task's start-up.
 *
 *   node scripts/build.ts
 */
import { copyFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { bundleOptions, pricesWithoutCollator } from "./bundle.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, "dist/cli");
const require = createRequire(join(root, "package.json"));

await rm(join(root, "dist"), { recursive: true, force: true });
await build({
  ...bundleOptions,
  cwd: root,
  input: join(root, "src/cli/main.ts"),
  plugins: pricesWithoutCollator,
  output: {
    dir: outDir,
    format: "esm",
    entryFileNames: "main.js",
    chunkFileNames: "[name]-[hash].js",
    // Node reads each file as UTF-8 before V8 compiles it (or finds it in the compile cache): a file that is
    // all ASCII decodes on a fast path and is kept one byte a character, so no comment (ours are full of
    // "…" and "→") and no literal carries a non-ASCII character. About 0.03 s of CPU off each batch run.
    comments: false,
    charset: "ascii",
  },
});
// The parser's runtime looks for its WebAssembly beside the module that loads it, here a chunk of dist/cli.
await copyFile(require.resolve("web-tree-sitter/web-tree-sitter.wasm"), join(outDir, "web-tree-sitter.wasm"));
