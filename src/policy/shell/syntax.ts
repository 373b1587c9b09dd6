import type { TreeCursor } from "web-tree-sitter";

/** A tree-sitter node copied into plain data, so nothing outside the parser touches wasm objects. */
export interface SyntaxNode {
  type: string;
  named: boolean;
  missing: boolean;
  field: string | null;
  text: string;
  /** Offsets into the source, in UTF-16 code units. */
  start: number;
  end: number;
  children: SyntaxNode[];
}

/**
 * Copies the tree under the cursor (a cursor walk is much cheaper than Node accessors).
 * Iterative, so a hostile nesting depth cannot overflow the stack; returns undefined beyond `maxDepth`.
 */
export function copyTree(cursor: TreeCursor, maxDepth: number): SyntaxNode | undefined {
  const root = nodeAt(cursor);
  const path = [root];
  for (;;) {
    if (cursor.gotoFirstChild()) {
      if (path.length >= maxDepth) return undefined;
      appendTo(path, nodeAt(cursor));
      continue;
    }
    for (;;) {
      if (path.length === 1) return root;
      path.pop();
      if (cursor.gotoNextSibling()) {
        appendTo(path, nodeAt(cursor));
        break;
      }
      cursor.gotoParent();
    }
  }
}

function nodeAt(cursor: TreeCursor): SyntaxNode {
  return {
    type: cursor.nodeType,
    named: cursor.nodeIsNamed,
    missing: cursor.nodeIsMissing,
    field: cursor.currentFieldName,
    text: cursor.nodeText,
    start: cursor.startIndex,
    end: cursor.endIndex,
    children: [],
  };
}

function appendTo(path: SyntaxNode[], node: SyntaxNode): void {
  path.at(-1)?.children.push(node);
  path.push(node);
}

export function firstError(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type === "ERROR" || node.missing) return node;
  for (const child of node.children) {
    const found = firstError(child);
    if (found) return found;
  }
  return undefined;
}

export function childrenByField(node: SyntaxNode, field: string): SyntaxNode[] {
  return node.children.filter((child) => child.field === field);
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
