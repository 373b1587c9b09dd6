/**
 * Builds the committed bundles of action/, which run without node_modules (no install, no build):
 *
 * - index.mjs: the GitHub Action's entry point (src/github/main.ts);
 * - nanocoder.mjs and cli.mjs: the command line, which the pre-commit hook runs (.pre-commit-hooks.yaml,
 *   `language: script`). nanocoder.mjs is src/cli/main.ts, a few lines that check the Node version before
 *   anything else is parsed (an older Node would stop at the bundle's syntax with a SyntaxError that says
 *   nothing of the cause), then load cli.mjs, the rest of the command line;
 * - the code they share, built in the same build and split as each needs it: files that both entries import,
 *   and files loaded only when a command or a step needs them;
 * - the two WebAssembly files the shell parser loads, beside them.
 *
 *   node scripts/build-action.ts [out-dir]      (default: action/)
 */
import { chmod, copyFile, mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { bundleOptions, grammarBesideBundle, pricesWithoutCollator, replaceInModule } from "./bundle.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = resolve(process.argv[2] ?? join(root, "action"));
const require = createRequire(join(root, "package.json"));
const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };

/** The command line reads its version from ../../package.json, which is not beside a bundle: it is written in. */
const versionWrittenIn = replaceInModule(
  "version-written-in",
  "src/cli/cli.ts",
  'createRequire(import.meta.url)("../../package.json") as { version: string }',
  JSON.stringify({ version }),
);

await mkdir(outDir, { recursive: true });
/** The entries, each a file of action/ named after its key. */
const ENTRIES = { index: "src/github/main.ts", cli: "src/cli/cli.ts", nanocoder: "src/cli/main.ts" };
await build({
  ...bundleOptions,
  cwd: root,
  input: Object.fromEntries(Object.entries(ENTRIES).map(([name, source]) => [name, join(root, source)])),
  plugins: [grammarBesideBundle, versionWrittenIn, ...pricesWithoutCollator],
  output: {
    dir: outDir,
    format: "esm",
    entryFileNames: "[name].mjs",
    chunkFileNames: "[name].mjs",
    // The Action and the command line share nearly all their code: it is written once, in the files both
    // entries import. What a module loads on demand (a command, the GitHub client, the MCP client, execa) is
    // a file of its own, as in dist/cli: kept in one file with the rest, it was loaded by every start, and
    // the pre-commit hook's `--version` took 0.5 s of CPU instead of 0.08 s. nanocoder.mjs loads cli.mjs
    // only after its Node version check, as a dynamic import of the entry beside it. The o200k tokenizer
    // (2.4 MB, whose table takes half a second of CPU to load) is tokenizer.mjs, loaded only when a server
    // sends no token usage; the price table (600 KB) and the shell parser's runtime are their own files
    // too, loaded when a task runs or a command is decided: a hook whose tasks match none of the staged
    // files loads neither.
    codeSplitting: {
      groups: [
        { name: "tokenizer", test: /node_modules\/gpt-tokenizer\//, priority: 1 },
        { name: "prices", test: /node_modules\/@pydantic\/genai-prices\//, priority: 1 },
        { name: "shell-parser", test: /node_modules\/web-tree-sitter\//, priority: 1 },
      ],
    },
    banner: (chunk) => `// Built by \`npm run build:action\` from ${ENTRIES[chunk.name as keyof typeof ENTRIES] ?? "the modules the entries share"}. Do not edit.`,
    comments: { legal: false },
  },
});
// pre-commit runs a `language: script` entry as a program: git must record it as executable (mode 100755).
await chmod(join(outDir, "nanocoder.mjs"), 0o755);
await copyFile(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"), join(outDir, "tree-sitter-bash.wasm"));
await copyFile(require.resolve("web-tree-sitter/web-tree-sitter.wasm"), join(outDir, "web-tree-sitter.wasm"));
