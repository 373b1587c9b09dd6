import type { SyntaxNode } from "./syntax.ts";
import type { Word } from "./types.ts";

/**
 * A decoded piece of a word. `mask` keeps the characters the shell sees unquoted and unescaped and replaces
 * every other character with "_", so glob, brace and tilde checks only look at what the shell would expand.
 */
interface Piece {
  value: string;
  literal: boolean;
  mask: string;
}

const DYNAMIC: Piece = { value: "", literal: false, mask: "" };

/** Turns a word node (word, string, concatenation, expansion…) into a Word: its value after quote removal, or dynamic. */
export function wordOf(node: SyntaxNode): Word {
  const piece = decode(node);
  const literal = piece.literal && !expandsUnquoted(piece.mask);
  return { value: literal ? piece.value : node.text, literal, source: node.text };
}

function decode(node: SyntaxNode): Piece {
  switch (node.type) {
    case "word":
    case "number":
      return unquoted(node.text);
    case "raw_string":
      return quoted(node.text.slice(1, -1));
    case "string":
      return doubleQuoted(node);
    case "ansi_c_string":
      return ansiC(node.text.slice(2, -1));
    case "concatenation":
      return join(node.children.map(decode));
    default:
      return DYNAMIC;
  }
}

function join(pieces: Piece[]): Piece {
  return {
    value: pieces.map((piece) => piece.value).join(""),
    literal: pieces.every((piece) => piece.literal),
    mask: pieces.map((piece) => piece.mask).join(""),
  };
}

function quoted(value: string): Piece {
  return { value, literal: true, mask: "_".repeat(value.length) };
}

/** Unquoted text: a backslash quotes the next character, and backslash-newline disappears. */
function unquoted(text: string): Piece {
  let value = "";
  let mask = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";
    if (char === "\\") {
      const next = text[++i] ?? "";
      if (next !== "\n") {
        value += next;
        mask += "_";
      }
      continue;
    }
    if (char === "$" || char === "`") return DYNAMIC;
    value += char;
    mask += char;
  }
  return { value, literal: true, mask };
}

function doubleQuoted(node: SyntaxNode): Piece {
  const pieces: Piece[] = [];
  for (const child of node.children) {
    if (child.type === "string_content") pieces.push(quoted(unescapeDoubleQuoted(child.text)));
    else if (child.type === "$") pieces.push(quoted("$"));
    else if (child.named) return DYNAMIC;
  }
  return join(pieces);
}

/** Inside double quotes a backslash only escapes $ ` " \ and newline. */
function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([$`"\\\n])/g, (_match, char: string) => (char === "\n" ? "" : char));
}

const ANSI_C_SIMPLE: Record<string, string> = {
  a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
  "\\": "\\", "'": "'", '"': '"', "?": "?",
};

/** `$'…'` strings. `\c` (control characters) and NUL bytes (which truncate the word) are left to the shell: dynamic. */
function ansiC(body: string): Piece {
  // Numeric escapes (`\x{41}`, `\400`, `\u…`) have corners where bash and any reimplementation part ways
  // (braces, bytes past 255, NUL cutting the word): such words are refused as unreadable, never guessed.
  if (/\\(c|[0-7]|x|u|U)/.test(body)) return DYNAMIC;
  const value = body.replace(
    /\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|(.))/gs,
    (match, octal?: string, hex?: string, u4?: string, u8?: string, simple?: string) => {
      const code = octal ? parseInt(octal, 8) : parseInt(hex ?? u4 ?? u8 ?? "", 16);
      if (!Number.isNaN(code)) return code <= 0x10ffff ? String.fromCodePoint(code) : "\0";
      return ANSI_C_SIMPLE[simple ?? ""] ?? match;
    },
  );
  return value.includes("\0") ? DYNAMIC : quoted(value);
}

/** Unquoted globs (`* ? [`), brace expansion (`{a,b}`, `{1..3}`) and tilde expansion make a word dynamic. */
function expandsUnquoted(mask: string): boolean {
  return /[*?[]/.test(mask) || /\{[^{}]*(,|\.\.)[^{}]*\}/.test(mask) || /(^|[=:])~/.test(mask);
}
