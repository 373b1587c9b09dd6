import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { removeDir } from "../helpers/repo.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "nanocoder-test-bundle-"));

afterAll(() => removeDir(scratch));

it("action/ holds the bundle of the current sources (run npm run build:action and commit it when this fails)", () => {
  execFileSync(process.execPath, [join(root, "scripts/build-action.ts"), scratch], { cwd: root, stdio: "pipe" });
  for (const file of ["index.mjs", "tree-sitter-bash.wasm", "web-tree-sitter.wasm"]) {
    const fresh = readFileSync(join(scratch, file));
    const committed = readFileSync(join(root, "action", file));
    expect(committed.equals(fresh), `action/${file} is stale`).toBe(true);
  }
});
