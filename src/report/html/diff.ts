/** A patch.diff split per file, for the page's collapsible diffs. */
export interface DiffFile {
  path: string;
  added: number;
  removed: number;
  binary: boolean;
  /** The file's part of the patch, from its `diff --git` line; cut to the budget (`cut`). */
  text: string;
  /** Characters of this file's part left out to keep the page bounded. */
  cut: number;
}

const FILE_START = "diff --git ";

/**
 * Splits `git diff` output into files. The path comes from the `+++ b/` line (the `--- a/` one for a
 * deletion), else from the `diff --git` line; a binary file's encoded body is never shown.
 */
export function splitPatch(patch: string): Omit<DiffFile, "cut">[] {
  const files: Omit<DiffFile, "cut">[] = [];
  const lines = patch.split("\n");
  let current: { header: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) files.push(describeFile(current.header, current.lines));
  };
  for (const line of lines) {
    if (line.startsWith(FILE_START)) {
      flush();
      current = { header: line, lines: [line] };
    } else if (current) {
      current.lines.push(line);
    }
  }
  flush();
  return files;
}

function describeFile(header: string, lines: string[]): Omit<DiffFile, "cut"> {
  let added = 0;
  let removed = 0;
  let binary = false;
  let newPath: string | undefined;
  let oldPath: string | undefined;
  let inHunk = false;
  for (const line of lines) {
    if (!inHunk && line.startsWith("+++ ")) newPath = stripPrefix(line.slice(4), "b/");
    else if (!inHunk && line.startsWith("--- ")) oldPath = stripPrefix(line.slice(4), "a/");
    else if (line.startsWith("GIT binary patch") || /^Binary files .* differ$/.test(line)) binary = true;
    else if (line.startsWith("@@")) inHunk = true;
    else if (inHunk && line.startsWith("+")) added++;
    else if (inHunk && line.startsWith("-")) removed++;
  }
  const path = newPath ?? oldPath ?? pathFromHeader(header);
  if (binary) {
    const summaryEnd = lines.findIndex((line) => line.startsWith("GIT binary patch"));
    const shown = summaryEnd < 0 ? lines : [...lines.slice(0, summaryEnd), "(binary content not shown)"];
    return { path, added, removed, binary, text: shown.join("\n") };
  }
  return { path, added, removed, binary, text: lines.join("\n").replace(/\n+$/, "") };
}

function stripPrefix(path: string, prefix: string): string | undefined {
  // git ends the name with a tab when it holds a space, so a reader can tell where it ends.
  const name = path.endsWith("\t") ? path.slice(0, -1) : path;
  const unquoted = name.startsWith('"') ? (readQuoted(name, 0)?.text ?? name) : name;
  if (unquoted === "/dev/null") return undefined;
  return unquoted.startsWith(prefix) ? unquoted.slice(prefix.length) : unquoted;
}

/** `diff --git a/x b/x`: the b side, which is the a side for a path without spaces; either may be quoted. */
function pathFromHeader(header: string): string {
  const rest = header.slice(FILE_START.length);
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    const second = first ? rest.slice(first.end + 1) : "";
    if (first && second.startsWith('"')) return stripPrefix(second, "b/") ?? "";
    if (first) return second.startsWith("b/") ? second.slice(2) : second;
  }
  const quotedB = rest.indexOf(' "b/');
  if (quotedB >= 0) return stripPrefix(rest.slice(quotedB + 1), "b/") ?? "";
  const split = rest.indexOf(" b/");
  return split >= 0 ? rest.slice(split + 3) : rest;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/**
 * The name git wrote in C-style quotes from `start` (a `"`): `\"`, `\\`, `\t`, `\n` and the like, and each byte
 * of a name that is not ASCII as `\ooo` octal, read back as UTF-8. Undefined when no closing quote is found.
 */
export function readQuoted(text: string, start: number): { text: string; end: number } | undefined {
  const bytes: number[] = [];
  for (let at = start + 1; at < text.length; at++) {
    const character = String.fromCodePoint(text.codePointAt(at) ?? 0);
    if (character === '"') return { text: Buffer.from(bytes).toString("utf8"), end: at + 1 };
    if (character !== "\\") {
      bytes.push(...Buffer.from(character, "utf8"));
      at += character.length - 1;
      continue;
    }
    const next = text[at + 1] ?? "";
    const octal = /^[0-3][0-7]{2}/.exec(text.slice(at + 1, at + 4));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      at += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      at += 1;
    }
  }
  return undefined;
}

/** The files of a patch (splitPatch), the text of each cut so that all of them together stay within `budget` characters. */
export function boundedDiff(files: readonly Omit<DiffFile, "cut">[], budget: number): DiffFile[] {
  let left = budget;
  return files.map((file) => {
    const kept = Math.max(0, Math.min(file.text.length, left));
    left -= kept;
    if (kept === file.text.length) return { ...file, cut: 0 };
    const cutAt = file.text.lastIndexOf("\n", kept);
    const text = file.text.slice(0, cutAt > 0 ? cutAt : kept);
    return { ...file, text, cut: file.text.length - text.length };
  });
}
