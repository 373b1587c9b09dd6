import { cp, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Access } from "../policy/types.ts";
import { lstatIfExists, resolveWorkspacePath, type WorkspacePath } from "../workspace/paths.ts";
import { defineTool, ToolError, type ToolContext } from "./types.ts";

const operation = z.enum(["delete", "move", "copy", "mkdir"]);

export const parameters = z.object({
  operation: operation
    .describe("delete: remove a file or a folder with everything in it. move: rename or move. copy: copy a file or folder. mkdir: create a folder and any missing parents."),
  path: z.string().describe("The file or folder to act on, relative to the workspace root."),
  destination: z.string().optional()
    .describe("Where to move or copy to, relative to the workspace root. Required for move and copy; it must not exist yet."),
}).refine((args) => !needsDestination(args.operation) || args.destination !== undefined, {
  message: "destination is required for move and copy",
  path: ["destination"],
});

type Args = z.infer<typeof parameters>;

export default defineTool({
  name: "file_op",
  description: "Delete, move, copy a file or folder, or create a folder. Use this instead of rm, mv, cp or mkdir in execute_bash.",
  parameters,
  accesses: renderAccesses,
  async execute(args, ctx) {
    switch (args.operation) {
      case "delete": return deletePath(args, ctx);
      case "mkdir": return makeFolder(args, ctx);
      case "move":
      case "copy": return moveOrCopy(args, ctx);
    }
  },
});

// --- internal ---

function needsDestination(name: z.infer<typeof operation>): boolean {
  return name === "move" || name === "copy";
}

/**
 * A folder's files count one by one: deleting or moving a folder changes each of them, and a copied or moved
 * folder's files land under the destination. Moving or copying reads the source, so a file the policy keeps
 * from the model cannot be made readable under another name; both ends of a move or copy are checked as
 * writes too (the policy's rule), so a copy cannot take a file from a folder the model may not touch.
 */
function renderAccesses(args: Args): Access[] {
  const destination: Access[] = args.destination === undefined ? [] : [{ kind: "write", path: args.destination, contentsOf: args.path }];
  switch (args.operation) {
    case "delete": return [{ kind: "write", path: args.path, within: true }];
    case "mkdir": return [{ kind: "write", path: args.path }];
    case "move": return [{ kind: "read", path: args.path, within: true }, { kind: "write", path: args.path, within: true }, ...destination];
    case "copy": return [{ kind: "read", path: args.path, within: true }, { kind: "write", path: args.path, within: true }, ...destination];
  }
}

async function deletePath(args: Args, ctx: ToolContext): Promise<string> {
  // keepFinalLink: deleting a symlink removes the link, never what it points to.
  const source = await resolveWorkspacePath(ctx.workspace, args.path, { keepFinalLink: true });
  if (source.relative === ".") throw new ToolError("Refusing to delete the workspace root.");
  const stats = await lstatIfExists(source.absolute);
  if (!stats) throw new ToolError(`Nothing to delete: "${args.path}" does not exist.`);
  await rm(source.absolute, { recursive: true });
  return `Deleted ${stats.isDirectory() ? "folder" : "file"} ${source.relative}.`;
}

async function makeFolder(args: Args, ctx: ToolContext): Promise<string> {
  const target = await resolveWorkspacePath(ctx.workspace, args.path);
  const stats = await lstatIfExists(target.absolute);
  if (stats?.isDirectory()) return `Folder ${target.relative} already exists.`;
  if (stats) throw new ToolError(`"${args.path}" already exists and is a file, not a folder.`);
  await mkdir(target.absolute, { recursive: true });
  return `Created folder ${target.relative}.`;
}

async function moveOrCopy(args: Args, ctx: ToolContext): Promise<string> {
  if (args.destination === undefined) throw new ToolError(`destination is required for ${args.operation}.`);
  const moving = args.operation === "move";
  // A moved symlink stays a link; a copy copies what the link points to.
  const source = await resolveWorkspacePath(ctx.workspace, args.path, { keepFinalLink: moving });
  const destination = await resolveWorkspacePath(ctx.workspace, args.destination, { keepFinalLink: true });
  await checkMoveOrCopy(source, destination, args);
  await mkdir(path.dirname(destination.absolute), { recursive: true });
  if (moving) await rename(source.absolute, destination.absolute);
  else await cp(source.absolute, destination.absolute, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true });
  return `${moving ? "Moved" : "Copied"} ${source.relative} to ${destination.relative}.`;
}

async function checkMoveOrCopy(source: WorkspacePath, destination: WorkspacePath, args: Args): Promise<void> {
  if (source.relative === ".") throw new ToolError(`Refusing to ${args.operation} the workspace root.`);
  if (!(await lstatIfExists(source.absolute))) throw new ToolError(`"${args.path}" does not exist.`);
  if (await lstatIfExists(destination.absolute)) {
    throw new ToolError(`The destination "${args.destination}" already exists; delete it first or choose another destination.`);
  }
  if (destination.relative.startsWith(`${source.relative}/`)) {
    throw new ToolError(`Cannot ${args.operation} "${args.path}" into itself ("${args.destination}").`);
  }
}
