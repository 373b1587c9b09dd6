import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { lstatIfExists, resolveWorkspacePath } from "../workspace/paths.ts";
import { splitLines } from "./text.ts";
import { defineTool, ToolError } from "./types.ts";

export const parameters = z.object({
  path: z.string().describe("File to write, relative to the workspace root. Missing parent folders are created."),
  content: z.string().describe("The complete new content of the file. It replaces whatever the file held before."),
});

export default defineTool({
  name: "write_file",
  description: "Create a file or replace its whole content. To change part of an existing file, use string_replace instead.",
  parameters,
  accesses: (args) => [{ kind: "write", path: args.path }],
  async execute(args, ctx) {
    const { absolute, relative } = await resolveWorkspacePath(ctx.workspace, args.path);
    const existing = await lstatIfExists(absolute);
    if (existing?.isDirectory()) throw new ToolError(`"${args.path}" is a folder; give the path of a file inside it.`);
    if (existing && !existing.isFile()) throw new ToolError(`"${args.path}" is not a regular file (a pipe, socket or device); delete it first to write a file there.`);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, args.content, "utf8");
    const verb = existing ? "Overwrote" : "Created";
    const lines = splitLines(args.content).length;
    return `${verb} ${relative} (${lines} ${lines === 1 ? "line" : "lines"}, ${Buffer.byteLength(args.content)} bytes).`;
  },
});
