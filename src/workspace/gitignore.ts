import { readFileSync } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";

/** Tells whether a workspace-relative POSIX path is ignored by git. */
export type IgnoreFilter = (relativePath: string, isDirectory: boolean) => boolean;

/**
 * Honours the root .gitignore and nested ones (each applies to paths below its folder), plus `.git`
 * itself. Files are read lazily, once per folder, so a walk that prunes ignored folders stays cheap.
 */
export function createIgnoreFilter(root: string): IgnoreFilter {
  const rulesByFolder = new Map<string, Ignore | undefined>();
  const rulesFor = (folder: string): Ignore | undefined => {
    if (!rulesByFolder.has(folder)) rulesByFolder.set(folder, readRules(path.join(root, folder, ".gitignore")));
    return rulesByFolder.get(folder);
  };
  return (relativePath, isDirectory) => {
    const segments = relativePath.split("/").filter((segment) => segment !== "" && segment !== ".");
    if (segments.includes(".git")) return true;
    for (let depth = 0; depth < segments.length; depth++) {
      const rules = rulesFor(segments.slice(0, depth).join("/"));
      const below = segments.slice(depth).join("/") + (isDirectory ? "/" : "");
      if (rules?.ignores(below)) return true;
    }
    return false;
  };
}

// --- internal ---

function readRules(file: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}
