import { readFile, writeFile } from "node:fs/promises";
import { z } from "zod";
import { lstatIfExists, resolveWorkspacePath } from "../workspace/paths.ts";
import { isBinary, lineNumberAt, renderNumberedLines, splitLines } from "./text.ts";
import { defineTool, ToolError } from "./types.ts";

/** Lines of context shown around the edit, and the most lines the snippet may have. */
const CONTEXT_LINES = 3;
const MAX_SNIPPET_LINES = 40;

export const parameters = z.object({
  path: z.string().describe("File to edit, relative to the workspace root."),
  old_str: z.string().min(1)
    .describe("The exact text to replace, copied from the file, including whitespace and indentation (without read_file's line numbers). It must occur exactly once unless replace_all is true; include surrounding lines to make it unique."),
  new_str: z.string().describe("The text to put in its place, taken literally. Use an empty string to delete old_str."),
  replace_all: z.boolean().optional().describe("Replace every occurrence of old_str instead of requiring exactly one. Defaults to false."),
});

type Args = z.infer<typeof parameters>;

export default defineTool({
  name: "string_replace",
  description: "Edit a file by replacing an exact piece of text with new text. Read the file first so old_str matches it exactly. " +
    "To create a file or rewrite it entirely, use write_file.",
  parameters,
  accesses: (args) => [{ kind: "write", path: args.path }],
  async execute(args, ctx) {
    const { absolute, relative } = await resolveWorkspacePath(ctx.workspace, args.path);
    if (args.old_str === args.new_str) throw new ToolError("old_str and new_str are identical, so there is nothing to change.");
    const content = await readTextFile(absolute, args.path);
    const { oldStr, newStr } = matchLineEndings(content, args);
    const offsets = findOffsets(content, oldStr);
    checkMatchCount(offsets, content, args);
    const [first = 0] = offsets;
    const updated = args.replace_all
      ? content.split(oldStr).join(newStr)
      : content.slice(0, first) + newStr + content.slice(first + oldStr.length);
    await writeFile(absolute, updated, "utf8");
    const what = offsets.length === 1 ? "1 occurrence" : `${offsets.length} occurrences`;
    const which = offsets.length === 1 ? "" : " (showing the first)";
    return `Replaced ${what} in ${relative}${which}:\n${renderSnippet(updated, first, newStr.length)}`;
  },
});

// --- internal ---

async function readTextFile(absolute: string, given: string): Promise<string> {
  const stats = await lstatIfExists(absolute);
  if (!stats) throw new ToolError(`File not found: "${given}". To create a file, use write_file.`);
  if (stats.isDirectory()) throw new ToolError(`"${given}" is a folder, not a file.`);
  if (!stats.isFile()) throw new ToolError(`"${given}" is not a regular file (a pipe, socket or device).`);
  const bytes = await readFile(absolute);
  if (isBinary(bytes)) throw new ToolError(`"${given}" is a binary file; string_replace only edits text.`);
  return bytes.toString("utf8");
}

/** Models write "\n"; a CRLF file would then never match. Use the file's line endings when that helps. */
function matchLineEndings(content: string, args: Args): { oldStr: string; newStr: string } {
  const plain = { oldStr: args.old_str, newStr: args.new_str };
  if (content.includes(args.old_str) || !content.includes("\r\n") || args.old_str.includes("\r")) return plain;
  const toCrlf = (text: string) => text.replaceAll("\n", "\r\n");
  const crlf = { oldStr: toCrlf(args.old_str), newStr: toCrlf(args.new_str) };
  return content.includes(crlf.oldStr) ? crlf : plain;
}

/** Start offsets of non-overlapping occurrences, as split() would cut them. */
function findOffsets(content: string, needle: string): number[] {
  const offsets: number[] = [];
  for (let at = content.indexOf(needle); at !== -1; at = content.indexOf(needle, at + needle.length)) offsets.push(at);
  return offsets;
}

function checkMatchCount(offsets: readonly number[], content: string, args: Args): void {
  if (offsets.length === 0) {
    throw new ToolError(`old_str was not found in "${args.path}". Read the file with read_file and copy the text exactly: whitespace, indentation and line breaks must match, and the line-number prefixes are not part of the file.`);
  }
  if (offsets.length > 1 && !args.replace_all) {
    const lines = offsets.map((offset) => lineNumberAt(content, offset)).join(", ");
    throw new ToolError(`old_str occurs ${offsets.length} times in "${args.path}" (at lines ${lines}). Include more surrounding lines in old_str so it matches exactly once, or set replace_all to true to replace every occurrence.`);
  }
}

function renderSnippet(updated: string, offset: number, insertedLength: number): string {
  const lines = splitLines(updated);
  const firstEdited = lineNumberAt(updated, offset);
  const lastEdited = lineNumberAt(updated, offset + Math.max(insertedLength - 1, 0));
  const from = Math.max(1, firstEdited - CONTEXT_LINES);
  const to = Math.min(lines.length, lastEdited + CONTEXT_LINES, from + MAX_SNIPPET_LINES - 1);
  if (to < from) return "(the file is now empty)";
  return renderNumberedLines(lines.slice(from - 1, to), from);
}
