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
