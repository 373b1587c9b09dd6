import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { removeDir } from "../helpers/repo.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-bundle-"));

afterAll(() => removeDir(scratch));

/** The Action's entry, the pre-commit hook's entry, the command line it loads, and the parser's WebAssembly. */
const ENTRIES = ["index.mjs", "nanocoder.mjs", "cli.mjs", "tree-sitter-bash.wasm", "web-tree-sitter.wasm"];

it("action/ holds the bundles of the current sources, and no others (run npm run build:action and commit them when this fails)", () => {
  execFileSync(process.execPath, [join(root, "scripts/build-action.ts"), scratch], { cwd: root, stdio: "pipe" });
  const built = readdirSync(scratch).sort();
  expect(built).toEqual(expect.arrayContaining(ENTRIES));
  // A chunk left over from an earlier build, or one not committed, is as wrong as a stale one.
  expect(readdirSync(join(root, "action")).sort(), "action/ holds other files than a build makes").toEqual(built);
  for (const file of built) {
    const fresh = readFileSync(join(scratch, file));
    const committed = readFileSync(join(root, "action", file));
    expect(committed.equals(fresh), `action/${file} is stale`).toBe(true);
  }
});

/** The files a start of `entry` loads before any dynamic import: the entry and what it imports, file by file. */
function loadedAtStart(dir: string, entry: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const [, imported] of readFileSync(join(dir, file), "utf8").matchAll(/^(?:import|export)\b[^;]*?"\.\/([\w.-]+\.mjs)"/gm)) visit(imported as string);
  };
  visit(entry);
  return loaded;
}

it("the Action's entry and the command line share their code; the o200k table, the price table and the shell parser are files of their own, loaded only when needed", () => {
  const holding = (text: string) => readdirSync(scratch).filter((file) => file.endsWith(".mjs") && readFileSync(join(scratch, file), "utf8").includes(text));
  expect(holding("gpt-tokenizer/esm/bpeRanks/o200k_base.js")).toEqual(["tokenizer.mjs"]);
  // Written once, whichever entry loads it: the openai SDK's client, zod's errors.
  expect(holding('"https://mtls.api.openai.com/v1"')).toHaveLength(1);
  expect(holding('$constructor("$ZodError"')).toHaveLength(1);
  const action = loadedAtStart(scratch, "index.mjs");
  const commandLine = loadedAtStart(scratch, "cli.mjs");
  for (const lazy of ["tokenizer.mjs", "prices.mjs", "shell-parser.mjs"]) {
    expect(action.has(lazy), `index.mjs loads ${lazy} at start`).toBe(false);
    expect(commandLine.has(lazy), `cli.mjs loads ${lazy} at start`).toBe(false);
  }
  // The hook's entry checks the Node version before it loads anything of the bundle.
  expect([...loadedAtStart(scratch, "nanocoder.mjs")]).toEqual(["nanocoder.mjs"]);
});

it("the hook's entry is executable, in the working tree and as git records it (pre-commit runs it as a program)", () => {
  const entry = join(root, "action/nanocoder.mjs");
  expect(statSync(entry).mode & 0o111, "action/nanocoder.mjs is not executable: chmod +x it").not.toBe(0);
  // Once added, git must record mode 100755, or a clone of the repository gets a file pre-commit cannot run.
  const recorded = execFileSync("git", ["ls-files", "--stage", "--", "action/nanocoder.mjs"], { cwd: root, encoding: "utf8" });
  if (recorded !== "") expect(recorded, "git records action/nanocoder.mjs without its executable bit: git update-index --chmod=+x action/nanocoder.mjs").toMatch(/^100755 /);
});
