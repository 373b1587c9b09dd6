/**
 * Builds the committed bundles of action/, which run without node_modules (no install, no build):
 *
 * - index.mjs: the GitHub Action's entry point (src/github/main.ts);
 * - nanocoder.mjs and cli.mjs: the command line, which the pre-commit hook runs (.pre-commit-hooks.yaml,
 *   `language: script`). nanocoder.mjs is src/cli/main.ts, a few lines that check the Node version before
 *   anything else is parsed (an older Node would stop at the bundle's syntax with a SyntaxError that says
 *   nothing of the cause), then load cli.mjs, the rest of the command line in one file;
 * - the two WebAssembly files the shell parser loads, beside them.
 *
 *   node scripts/build-action.ts [out-dir]      (default: action/)
 */
import { chmod, copyFile, mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type OutputOptions } from "rolldown";
import { bundleOptions, grammarBesideBundle, replaceInModule } from "./bundle.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = resolve(process.argv[2] ?? join(root, "action"));
const require = createRequire(join(root, "package.json"));
const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };

/** One file, no chunks: what is committed is exactly what runs. */
const singleFile = (file: string, source: string): OutputOptions => ({
  file: join(outDir, file),
  format: "esm",
  codeSplitting: false,
  banner: `// Built by \`npm run build:action\` from ${source}. Do not edit.`,
  comments: { legal: false },
});

/** The command line reads its version from ../../package.json, which is not beside a bundle: it is written in. */
const versionWrittenIn = replaceInModule(
  "version-written-in",
  "src/cli/cli.ts",
  'createRequire(import.meta.url)("../../package.json") as { version: string }',
  JSON.stringify({ version }),
);

/** The entry loads the command line from the bundle beside it. */
const cliBeside = {
  name: "cli-beside-entry",
  resolveId(source: string, importer: string | undefined) {
    return source === "./cli.ts" && importer?.endsWith("src/cli/main.ts") ? { id: "./cli.mjs", external: true } : null;
  },
};

await mkdir(outDir, { recursive: true });
await build({ ...bundleOptions, cwd: root, input: join(root, "src/github/main.ts"), plugins: [grammarBesideBundle], output: singleFile("index.mjs", "src/github/main.ts") });
await build({ ...bundleOptions, cwd: root, input: join(root, "src/cli/cli.ts"), plugins: [grammarBesideBundle, versionWrittenIn], output: singleFile("cli.mjs", "src/cli/cli.ts") });
await build({ ...bundleOptions, cwd: root, input: join(root, "src/cli/main.ts"), plugins: [cliBeside], output: singleFile("nanocoder.mjs", "src/cli/main.ts") });
// pre-commit runs a `language: script` entry as a program: git must record it as executable (mode 100755).
await chmod(join(outDir, "nanocoder.mjs"), 0o755);
await copyFile(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"), join(outDir, "tree-sitter-bash.wasm"));
await copyFile(require.resolve("web-tree-sitter/web-tree-sitter.wasm"), join(outDir, "web-tree-sitter.wasm"));
