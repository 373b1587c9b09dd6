import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { removeDir } from "../helpers/repo.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-bundle-"));

afterAll(() => removeDir(scratch));

/** The Action's entry, the pre-commit hook's entry and the command line it loads, and the parser's WebAssembly. */
const BUNDLED = ["index.mjs", "nanocoder.mjs", "cli.mjs", "tree-sitter-bash.wasm", "web-tree-sitter.wasm"];

it("action/ holds the bundles of the current sources (run npm run build:action and commit them when this fails)", () => {
  execFileSync(process.execPath, [join(root, "scripts/build-action.ts"), scratch], { cwd: root, stdio: "pipe" });
  for (const file of BUNDLED) {
    const fresh = readFileSync(join(scratch, file));
    const committed = readFileSync(join(root, "action", file));
    expect(committed.equals(fresh), `action/${file} is stale`).toBe(true);
  }
});

it("the hook's entry is executable, in the working tree and as git records it (pre-commit runs it as a program)", () => {
  const entry = join(root, "action/nanocoder.mjs");
  expect(statSync(entry).mode & 0o111, "action/nanocoder.mjs is not executable: chmod +x it").not.toBe(0);
  // Once added, git must record mode 100755, or a clone of the repository gets a file pre-commit cannot run.
  const recorded = execFileSync("git", ["ls-files", "--stage", "--", "action/nanocoder.mjs"], { cwd: root, encoding: "utf8" });
  if (recorded !== "") expect(recorded, "git records action/nanocoder.mjs without its executable bit: git update-index --chmod=+x action/nanocoder.mjs").toMatch(/^100755 /);
});
