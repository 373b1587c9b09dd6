import { existsSync, realpathSync } from "node:fs";
import { resolveAccesses } from "../../src/policy/resolve/index.ts";
import type { Access, ResolvedRequest } from "../../src/policy/types.ts";
import { scratchDir } from "./temp.ts";

let empty: string | undefined;

/**
 * A tool call resolved as `invokeTool` resolves it, in an empty workspace made once per test file: for tests
 * of rules, where no file of the workspace matters. `decide` takes nothing else.
 */
export function resolved(tool: string, ...accesses: Access[]): Promise<ResolvedRequest> {
  // Made again in the next test file, after the folders of the previous one are removed (test files share this module).
  if (empty === undefined || !existsSync(empty)) empty = realpathSync(scratchDir("nanocoder-resolve-"));
  return resolveAccesses(tool, accesses, empty);
}
