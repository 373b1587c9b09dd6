import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import type { Parser } from "web-tree-sitter";
import { type Collected, collect } from "./collect.ts";
import { addNestedCommands } from "./nested.ts";
import { firstSkippedCharacter } from "./differentials.ts";
import { copyTree, firstError, type SyntaxNode } from "./syntax.ts";
import { type ParsedCommand, refuse, ShellRefusal, shorten } from "./types.ts";

export interface ShellParser {
  /** Synchronous, pure from the caller's view; never throws: anything it cannot vouch for is `{ ok: false }`. */
  parse(command: string): ParsedCommand;
}

export const MAX_COMMAND_LENGTH = 10_000;
const MAX_TREE_DEPTH = 200;
const MAX_NESTED_SCRIPTS = 32;

/**
 * Characters that hide or reorder text on screen, or that bash and this parser could read differently:
 * NUL and other control characters (tab and newline are fine), zero-width and bidirectional controls, BOM,
 * invisible fillers, variation selectors and tag characters.
 */
const HIDDEN_CHARACTERS =
  /[\0-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e007f}]/u;

/** A backslash-newline between two non-blank characters joins words in bash but splits them in tree-sitter-bash. */
const JOINING_CONTINUATION = /[^\s\\](?:\\\\)*\\\n[^\s]/;

let loading: Promise<ShellParser> | undefined;

/** Loads the bash grammar once; later calls share the same parser. */
export function loadShellParser(): Promise<ShellParser> {
  loading ??= createShellParser();
  return loading;
}

/**
 * The grammar's lexer is one generated function of 160 kB of WebAssembly. V8 runs it with Liftoff, its
 * baseline compiler, which is fast enough; but lexing spends a tier-up budget in proportion to the code it
 * jumps over, and within some ten commands (or one with a long word) V8 hands the lexer to TurboFan,
 * which takes about 700 MB and 1 to 3 s of a core for it, and a process that exits meanwhile waits for it
 * (`policy check` took 1.8 s and 575 MB). So WebAssembly stays at baseline. V8 reads these flags when a
 * function would tier up, not when a module is compiled, so they hold for the whole process; the only
 * other WebAssembly there is fetch's HTTP parser, no slower for it.
 */
function keepWasmBaseline(): void {
  setFlagsFromString("--no-wasm-dynamic-tiering");
  setFlagsFromString("--no-wasm-tier-up");
}

async function createShellParser(): Promise<ShellParser> {
  keepWasmBaseline();
  // Imported here, not with this module: the policy code imports the parser, but only a command to decide
  // or a policy file's examples need it, and its runtime is 140 KB of code to load.
  const { Language, Parser } = await import("web-tree-sitter");
  await Parser.init();
  const grammar = createRequire(import.meta.url).resolve("tree-sitter-bash/tree-sitter-bash.wasm");
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammar));
  return { parse: (command) => parseCommand(parser, command) };
}

function parseCommand(parser: Parser, command: string): ParsedCommand {
  try {
    let scripts = 0;
    const parseScript = (script: string): Collected => {
      if (++scripts > MAX_NESTED_SCRIPTS) refuse("it nests too many shell scripts (`bash -c`…)");
      return collectCommand(parser, script);
    };
    const { commands, redirects } = addNestedCommands(collectCommand(parser, command), parseScript);
    if (commands.length === 0) refuse("there is no command to run");
    return { ok: true, source: command, commands, redirects };
  } catch (error) {
    const reason = error instanceof ShellRefusal ? error.message : `the shell parser failed (${String(error)})`;
    return { ok: false, source: command, reason };
  }
}

function collectCommand(parser: Parser, command: string): Collected {
  checkText(command);
  const tree = parser.parse(command);
  if (!tree) return refuse("the shell parser returned nothing");
  let root: SyntaxNode | undefined;
  try {
    const cursor = tree.walk();
    root = copyTree(cursor, MAX_TREE_DEPTH);
    cursor.delete();
  } finally {
    tree.delete();
  }
  if (!root) return refuse("it is nested too deeply to check");
  const error = firstError(root);
  if (error) refuse(describeSyntaxError(error));
  const skipped = firstSkippedCharacter(root, command);
  if (skipped !== undefined) refuse(`the parser skipped \`${command[skipped] ?? ""}\` at offset ${skipped}, so it would not check what bash runs`);
  return collect(root);
}

function checkText(command: string): void {
  if (command.length > MAX_COMMAND_LENGTH) refuse(`it is longer than ${MAX_COMMAND_LENGTH} characters`);
  const hidden = HIDDEN_CHARACTERS.exec(command);
  if (hidden) {
    const code = hidden[0].codePointAt(0) ?? 0;
    refuse(`it contains the invisible or control character U+${code.toString(16).toUpperCase().padStart(4, "0")} at offset ${hidden.index}`);
  }
  if (JOINING_CONTINUATION.test(command)) refuse("a line continuation (backslash-newline) joins two words, which this parser would split");
}

function describeSyntaxError(node: SyntaxNode): string {
  if (node.missing) return `it does not parse as shell: \`${node.type}\` is missing (unterminated quote or construct?)`;
  return `it does not parse as shell near \`${shorten(node.text)}\``;
}
