import { readFile } from "node:fs/promises";
import { z } from "zod";
import { lstatIfExists, resolveWorkspacePath } from "../workspace/paths.ts";
import { isBinary, renderNumberedLines, splitLines } from "./text.ts";
import { defineTool, ToolError } from "./types.ts";

/** A requested range above either limit comes back one page at a time. */
const MAX_RANGE_LINES = 500;
const MAX_RANGE_BYTES = 50_000;
const PAGE_LINES = 400;
const PAGE_BYTES = 40_000;
/** Larger files are not loaded at all: search them or slice them with a command instead. */
const MAX_FILE_BYTES = 10_000_000;

export const parameters = z.object({
  path: z.string().describe("File to read, relative to the workspace root, e.g. \"src/index.ts\"."),
  start_line: z.number().int().min(1).optional()
    .describe("First line to read, 1-based and inclusive. Defaults to 1."),
  end_line: z.number().int().min(1).optional()
    .describe("Last line to read, 1-based and inclusive. Defaults to the end of the file. Long ranges come back one page at a time, with a hint saying where to go on."),
});

type Args = z.infer<typeof parameters>;

export default defineTool({
  name: "read_file",
  description: "Read a text file. Lines come back numbered (`  12| text`); the numbers are not part of the file. " +
    "Files over 500 lines or 50 KB come back one page at a time: follow the hint at the end to read on, or ask for start_line/end_line directly.",
  parameters,
  accesses: (args) => [{ kind: "read", path: args.path }],
  async execute(args, ctx) {
    const { absolute, relative } = await resolveWorkspacePath(ctx.workspace, args.path);
    const lines = splitLines(await readTextFile(absolute, args.path));
    if (lines.length === 0) return `[${relative} is empty]`;
    const { start, end } = checkRange(args, lines.length);
    const last = pageEnd(lines, start, end);
    const body = renderNumberedLines(lines.slice(start - 1, last), start);
    return body + footer(start, last, end, lines.length);
  },
});

// --- internal ---

async function readTextFile(absolute: string, given: string): Promise<string> {
  const stats = await lstatIfExists(absolute);
  if (!stats) throw new ToolError(`File not found: "${given}". Use find_files or list_directory to locate it.`);
  if (stats.isDirectory()) throw new ToolError(`"${given}" is a folder; use list_directory to see what it contains.`);
  if (!stats.isFile()) throw new ToolError(`"${given}" is not a regular file (a pipe, socket or device); it cannot be read as text.`);
  if (stats.size > MAX_FILE_BYTES) {
    throw new ToolError(`"${given}" is too large to read (${stats.size} bytes). Use search_file_contents to find the part you need, or execute_bash with sed -n to print a slice.`);
  }
  const bytes = await readFile(absolute);
  if (isBinary(bytes)) throw new ToolError(`"${given}" is a binary file (it contains NUL bytes); read_file only reads text.`);
  return bytes.toString("utf8");
}

function checkRange(args: Args, total: number): { start: number; end: number } {
  const start = args.start_line ?? 1;
  if (start > total) {
    throw new ToolError(`start_line ${start} is past the end of the file, which has ${total} lines. Use a start_line from 1 to ${total}.`);
  }
  if (args.end_line !== undefined && args.end_line < start) {
    throw new ToolError(`end_line ${args.end_line} is before start_line ${start}. Give end_line >= start_line, or leave it out to read to the end.`);
  }
  return { start, end: Math.min(args.end_line ?? total, total) };
}

/** Last line to show: `end` when the range is small enough, otherwise the end of the first page. */
function pageEnd(lines: readonly string[], start: number, end: number): number {
  const bytesOf = (line: string) => Buffer.byteLength(line) + 1;
  const rangeBytes = lines.slice(start - 1, end).reduce((sum, line) => sum + bytesOf(line), 0);
  if (end - start + 1 <= MAX_RANGE_LINES && rangeBytes <= MAX_RANGE_BYTES) return end;
  let last = start;
  let used = bytesOf(lines[start - 1] ?? "");
  while (last < end && last - start + 1 < PAGE_LINES) {
    const next = bytesOf(lines[last] ?? "");
    if (used + next > PAGE_BYTES) break;
    used += next;
    last++;
  }
  return last;
}

function footer(start: number, last: number, end: number, total: number): string {
  if (last < end) return `\n[lines ${start}-${last} of ${total}; call read_file with start_line=${last + 1} to read on]`;
  if (start > 1 || last < total) return `\n[lines ${start}-${last} of ${total}]`;
  return "";
}
