/**
 * Command patterns are shell-like words. A word matches the same word; `*` inside a word matches within that
 * word up to a `/` (as in file globs: `scripts/*.js` is not `scripts/../src/x.js` nor `scripts/a/b.js`),
 * `**` inside a word across `/` too; a whole-word `*` matches exactly one word; a whole-word `**` any number
 * of words (none included). Quoting a `*` makes it literal. `git log` never matches `git logout`.
 */

export type PatternWord =
  | { kind: "rest" }
  | { kind: "one" }
  | {
      kind: "text";
      text: string;
      glob: RegExp | undefined;
      /** A glob of an allow rule: a `..` folder in the word matches only a `..` the pattern spells out. */
      noParents?: true;
    };

/** A word of a shell-like string: its value after quote removal, as written, and which characters were unquoted. */
export interface ShellToken {
  value: string;
  raw: string;
  /** `value` with every quoted or escaped character replaced by "_". */
  mask: string;
}

/**
 * `anyStar`: a `*` inside a word matches across `/` too. Deny rules are read so: a deny is refused more,
 * never less (`cat secrets/*` denies `cat secrets/a/b` as it always did).
 */
export function parsePattern(pattern: string, anyStar = false): PatternWord[] {
  return splitShellWords(pattern).map((token) => patternWord(token, anyStar));
}

function patternWord(token: ShellToken, anyStar: boolean): PatternWord {
  if (token.mask === "**") return { kind: "rest" };
  if (token.mask === "*") return { kind: "one" };
  if (!token.mask.includes("*")) return { kind: "text", text: token.value, glob: undefined };
  let source = "";
  for (let i = 0; i < token.value.length; i++) {
    const char = token.value[i] ?? "";
    if (token.mask[i] !== "*") source += char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
    else if (anyStar || token.mask[i + 1] === "*") {
      source += ".*";
      while (token.mask[i + 1] === "*") i++;
    } else source += "[^/]*";
  }
  const glob = new RegExp(`^${source}$`, "s");
  return anyStar ? { kind: "text", text: token.value, glob } : { kind: "text", text: token.value, glob, noParents: true };
}

/** Splits like a shell would, without expansions: whitespace separates, quotes group, backslash escapes. */
export function splitShellWords(text: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  let current: ShellToken | undefined;
  let quote: "'" | '"' | undefined;
  const add = (value: string, raw: string, masked: boolean): void => {
    current ??= { value: "", raw: "", mask: "" };
    current.value += value;
    current.raw += raw;
    current.mask += masked ? "_".repeat(value.length) : value;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";
    if (quote === "'") {
      if (char === "'") quote = undefined;
      add(char === "'" ? "" : char, char, true);
    } else if (char === "\\" && (quote !== '"' || /["\\$`]/.test(text[i + 1] ?? ""))) {
      add(text[i + 1] ?? "", char + (text[i + 1] ?? ""), true);
      i++;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      add(char === '"' ? "" : char, char, true);
    } else if (char === "'" || char === '"') {
      quote = char;
      add("", char, true);
    } else if (/\s/.test(char)) {
      if (current) tokens.push(current);
      current = undefined;
    } else add(char, char, false);
  }
  if (current) tokens.push(current);
  return tokens;
}

export function matchesText(word: PatternWord, text: string): boolean {
  if (word.kind !== "text") return true;
  if (!word.glob) return word.text === text;
  // As in file globs, `**` never climbs out through `..`: `scripts/**.js` is not `scripts/../src/x.js`.
  if (word.noParents && PARENT.test(text) && !PARENT.test(word.text)) return false;
  return word.glob.test(text);
}

const PARENT = /(^|\/)\.\.(\/|$)/;

/** A word of the command being matched: `any` stands for zero or more unknown words (an expansion). */
export type SubjectWord = { kind: "word"; text: string; optional: boolean } | { kind: "any" };

/**
 * Matches pattern words against subject words in order. `optional` subject words may be skipped (deny
 * matching uses this for words that may be the value of the option before them). Dynamic programming from
 * the ends, without recursion: linear in pattern × subject and safe for commands of any length.
 */
export function matchInOrder(pattern: readonly PatternWord[], subject: readonly SubjectWord[]): boolean {
  const width = subject.length + 1;
  // fits[i * width + j]: pattern words from i match subject words from j.
  const fits = new Uint8Array((pattern.length + 1) * width);
  const at = (i: number, j: number): boolean => fits[i * width + j] === 1;
  fits[pattern.length * width + subject.length] = 1;
  for (let j = subject.length - 1; j >= 0; j--) {
    const item = subject[j];
    const skippable = item !== undefined && (item.kind === "any" || item.optional);
    fits[pattern.length * width + j] = skippable && at(pattern.length, j + 1) ? 1 : 0;
  }
  for (let i = pattern.length - 1; i >= 0; i--) {
    const word = pattern[i];
    if (!word) continue;
    for (let j = subject.length; j >= 0; j--) {
      fits[i * width + j] = matchStep(word, subject[j], (di, dj) => at(i + di, j + dj)) ? 1 : 0;
    }
  }
  return at(0, 0);
}

/** One step of the match: `next(di, dj)` tells whether the rest matches after advancing by di and dj. */
function matchStep(
  word: PatternWord,
  item: SubjectWord | undefined,
  next: (di: number, dj: number) => boolean,
): boolean {
  if (word.kind === "rest") return next(1, 0) || (item !== undefined && next(0, 1));
  if (!item) return false;
  if (item.kind === "any") return next(0, 1) || next(1, 0);
  if (item.optional && next(0, 1)) return true;
  return matchesText(word, item.text) && next(1, 1);
}

/** Allow matching: every word literal, in order, exactly as the pattern says. */
export function matchWords(pattern: readonly PatternWord[], words: readonly string[]): boolean {
  return matchInOrder(
    pattern,
    words.map((text) => ({ kind: "word", text, optional: false })),
  );
}
