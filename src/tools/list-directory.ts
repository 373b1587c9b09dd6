import type { Dirent } from "node:fs";
import { readdir, readlink } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { createIgnoreFilter, type IgnoreFilter } from "../workspace/gitignore.ts";
import { lstatIfExists, resolveWorkspacePath } from "../workspace/paths.ts";
import { defineTool, ToolError } from "./types.ts";

const DEFAULT_DEPTH = 3;
const MAX_DEPTH = 10;
const MAX_ENTRIES = 500;

export const parameters = z.object({
  path: z.string().optional().describe("Folder to list, relative to the workspace root. Defaults to \".\", the root."),
  recursive: z.boolean().optional().describe("Also list subfolders, as an indented tree, skipping what .gitignore ignores. Defaults to false."),
  max_depth: z.number().int().min(1).optional()
    .describe(`With recursive, how many levels to descend (1 = only this folder). Defaults to ${DEFAULT_DEPTH}, at most ${MAX_DEPTH}.`),
});

interface Entry {
  name: string;
  /** Workspace-relative POSIX path. */
  relative: string;
  /** Display suffix: "/" for folders, " -> target" for symlinks. */
  suffix: string;
  children?: Entry[];
}

export default defineTool({
  name: "list_directory",
  description: "List the files and folders in a folder (folders end with /). With recursive, show the tree below it, skipping .git and gitignored paths. " +
    "To find files by name anywhere, find_files is usually quicker.",
  parameters,
  accesses: (args) => [{ kind: "read", path: args.path ?? "." }],
  async execute(args, ctx) {
    const given = args.path ?? ".";
    const folder = await resolveWorkspacePath(ctx.workspace, given);
    const stats = await lstatIfExists(folder.absolute);
    if (!stats) throw new ToolError(`Folder not found: "${given}". List its parent folder to see what exists.`);
    if (!stats.isDirectory()) throw new ToolError(`"${given}" is a file, not a folder; use read_file to read it.`);
    const root = (await resolveWorkspacePath(ctx.workspace, ".")).absolute;
    const depth = args.recursive ? Math.min(args.max_depth ?? DEFAULT_DEPTH, MAX_DEPTH) : 1;
    const isIgnored: IgnoreFilter = args.recursive ? createIgnoreFilter(root) : (relative) => path.posix.basename(relative) === ".git";
    const { entries, complete } = await collect(root, folder.relative, depth, isIgnored);
    if (entries.length === 0) return `${displayFolder(folder.relative)} is empty.`;
    const listing = renderTree(entries, "").join("\n");
    if (complete) return listing;
    return `${listing}\n[listing stopped at ${MAX_ENTRIES} entries; list a subfolder or use a smaller max_depth to see the rest]`;
  },
});

// --- internal ---

/** Breadth first, so when the cap is hit every level shown so far is complete. */
async function collect(root: string, start: string, depth: number, isIgnored: IgnoreFilter): Promise<{ entries: Entry[]; complete: boolean }> {
  const top: Entry[] = [];
  let level: { entry: Entry | undefined; into: Entry[] }[] = [{ entry: undefined, into: top }];
  let count = 0;
  for (let current = 1; current <= depth && level.length > 0; current++) {
    const next: typeof level = [];
    for (const { entry, into } of level) {
      const folder = entry?.relative ?? start;
      for (const child of await readEntries(root, folder, isIgnored)) {
        if (count === MAX_ENTRIES) return { entries: top, complete: false };
        into.push(child);
        count++;
        if (child.children) next.push({ entry: child, into: child.children });
      }
    }
    level = next;
  }
  return { entries: top, complete: true };
}

async function readEntries(root: string, folder: string, isIgnored: IgnoreFilter): Promise<Entry[]> {
  const dirents = await readdir(path.join(root, folder), { withFileTypes: true });
  const entries: Entry[] = [];
  for (const dirent of dirents) {
    const relative = folder === "." ? dirent.name : `${folder}/${dirent.name}`;
    if (isIgnored(relative, dirent.isDirectory())) continue;
    entries.push(await toEntry(root, relative, dirent));
  }
  return entries.sort(byFoldersThenName);
}

async function toEntry(root: string, relative: string, dirent: Dirent): Promise<Entry> {
  if (dirent.isDirectory()) return { name: dirent.name, relative, suffix: "/", children: [] };
  if (dirent.isSymbolicLink()) {
    const target = await readlink(path.join(root, relative)).catch(() => "?");
    return { name: dirent.name, relative, suffix: ` -> ${target}` };
  }
  return { name: dirent.name, relative, suffix: "" };
}

function byFoldersThenName(a: Entry, b: Entry): number {
  const folderFirst = Number(b.children !== undefined) - Number(a.children !== undefined);
  return folderFirst || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function renderTree(entries: readonly Entry[], indent: string): string[] {
  return entries.flatMap((entry) => [
    `${indent}${entry.name}${entry.suffix}`,
    ...renderTree(entry.children ?? [], `${indent}  `),
  ]);
}

function displayFolder(relative: string): string {
  return relative === "." ? "The workspace root" : `The folder ${relative}`;
}
