import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { glob } from "tinyglobby";
import { decide } from "../policy/decide.ts";
import type { Policy } from "../policy/types.ts";
import type { ContextFile } from "./prompt.ts";

/** Context is for reading, not for whole trees: past this the rest is left for the model to read itself. */
const MAX_CONTEXT_BYTES = 200_000;

export interface ContextSelection {
  files: ContextFile[];
  skipped: { path: string; reason: string }[];
}

/**
 * Reads the task's `context` files and globs from the workspace. Each file passes the policy's read
 * rules like any read the model makes, so a broad glob never hands it a secret.
 */
export async function loadContextFiles(patterns: string[], workspace: string, policy: Policy): Promise<ContextSelection> {
  const selection: ContextSelection = { files: [], skipped: [] };
  let bytes = 0;
  for (const pattern of patterns) {
    const paths = await glob(pattern, { cwd: workspace, dot: true, ignore: [".git/**"], onlyFiles: true });
    if (paths.length === 0) throw new Error(`context: "${pattern}" matches no file in the workspace`);
    for (const path of paths.sort()) {
      if (selection.files.some((file) => file.path === path)) continue;
      const decision = decide(policy, { tool: "read_file", accesses: [{ kind: "read", path }] });
      if (decision.decision === "deny") {
        selection.skipped.push({ path, reason: `denied by policy: ${decision.reason}` });
        continue;
      }
      const content = await readFile(join(workspace, path), "utf8");
      if (bytes + content.length > MAX_CONTEXT_BYTES) {
        selection.skipped.push({ path, reason: `context is capped at ${MAX_CONTEXT_BYTES} bytes; read it with read_file` });
        continue;
      }
      bytes += content.length;
      selection.files.push({ path, content });
    }
  }
  return selection;
}
