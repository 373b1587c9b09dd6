import executeBash from "./execute-bash.ts";
import fileOp from "./file-op.ts";
import findFiles from "./find-files.ts";
import listDirectory from "./list-directory.ts";
import readFile from "./read-file.ts";
import searchFileContents from "./search-file-contents.ts";
import stringReplace from "./string-replace.ts";
import type { ToolDefinition } from "./types.ts";
import writeFile from "./write-file.ts";

/** The built-in tools, in the order they are offered to the model. */
export const builtinTools: ToolDefinition[] = [
  readFile,
  writeFile,
  stringReplace,
  fileOp,
  listDirectory,
  findFiles,
  searchFileContents,
  executeBash,
];

export function findTool(name: string): ToolDefinition | undefined {
  return builtinTools.find((tool) => tool.name === name);
}
