/**
 * Places where tree-sitter-bash and bash read the same text differently. Each check refuses the command
 * (fails closed) rather than trusting a tree that is not what bash would run.
 */
import type { SyntaxNode } from "./syntax.ts";
import { refuse, shorten } from "./types.ts";

export function checkWord(node: SyntaxNode): void {
  if (hasUnescapedBlank(node.text)) refuse(`the parser read \`${shorten(node.text)}\` as one word, but bash splits it at the blank`);
  if (hidesSubstitution(node.text)) refuseHidden(node.text);
}

/** Reserved words bash recognises in command position (`time` is left out: it is read as a wrapper). */
const RESERVED_WORDS = new Set(["!", "{", "}", "[[", "]]", "if", "then", "elif", "else", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in", "function", "coproc"]);

/**
 * Within one simple command: two words with nothing between them are one word to bash (`pu\`true\`sh`), and
 * an unescaped newline ends the command, though tree-sitter sometimes reads on into the next line.
 */
export function checkSimpleCommand(node: SyntaxNode): void {
  let previousWord: SyntaxNode | undefined;
  node.children.forEach((child, index) => {
    const before = node.children[index - 1];
    const gap = before ? node.text.slice(before.end - node.start, child.start - node.start) : "";
    if (/(^|[^\\])\n/.test(gap)) refuse(`the parser read \`${shorten(node.text)}\` past the end of its line`);
    if (child.field === "name" && RESERVED_WORDS.has(child.text)) {
      refuse(`\`${child.text}\` is a shell keyword in \`${shorten(node.text)}\`, but the parser read it as a command name`);
    }
    if (child.field !== "name" && child.field !== "argument") return;
    if (previousWord?.end === child.start) refuse(`\`${previousWord.text}${child.text}\` is one word to bash, but the parser split it`);
    previousWord = child;
  });
}

/** True when `text` holds an unescaped backtick, `$(` or `${`: shell code tree-sitter left as plain text. */
export function hidesSubstitution(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\\") i++;
    else if (char === "`" || (char === "$" && (text[i + 1] === "(" || text[i + 1] === "{"))) return true;
  }
  return false;
}

function hasUnescapedBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (/\s/.test(text[i] ?? "")) return true;
  }
  return false;
}

export function refuseHidden(text: string): never {
  return refuse(`\`${shorten(text)}\` holds a substitution the parser read as plain text, so its command cannot be checked`);
}

/** An unquoted heredoc body is expanded: check the text between the substitutions tree-sitter did find. */
export function checkHeredocBody(node: SyntaxNode): void {
  const start = node.children.find((child) => child.type === "heredoc_start");
  const body = node.children.find((child) => child.type === "heredoc_body");
  if (!start || !body || /['"\\]/.test(start.text)) return;
  let at = body.start;
  for (const child of [...body.children, { start: body.end, end: body.end }]) {
    const gap = body.text.slice(at - body.start, child.start - body.start);
    if (hidesSubstitution(gap)) refuseHidden(gap);
    at = child.end;
  }
}

/** Nodes whose whole text is content: gaps between their children are not words the parser skipped. */
const CONTENT_NODES = new Set(["heredoc_body", "comment"]);

/**
 * The offset of the first character that is neither blank nor inside any token. tree-sitter-bash silently
 * drops some words (a lone `-` before `<<`); bash would not, so such a command is not what the tree says.
 */
export function firstSkippedCharacter(root: SyntaxNode, source: string): number | undefined {
  const covered = new Uint8Array(source.length);
  const mark = (node: SyntaxNode): void => {
    if (node.children.length === 0 || CONTENT_NODES.has(node.type)) covered.fill(1, node.start, node.end);
    else node.children.forEach(mark);
  };
  mark(root);
  for (let i = 0; i < source.length; i++) {
    if (covered[i] || /\s/.test(source[i] ?? "")) continue;
    if (source[i] === "\\" && source[i + 1] === "\n") {
      i++;
      continue;
    }
    return i;
  }
  return undefined;
}
