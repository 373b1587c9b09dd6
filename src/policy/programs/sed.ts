import { patternOperands, split, type OptionSpec } from "./options.ts";
import { optionRisks } from "./risks.ts";
import type { ProgramFamily, Risk } from "./types.ts";

/**
 * sed: its script is read exactly, in a subset whose meaning every sed agrees on; a script outside it is
 * refused as unreadable, since a command this reader skipped could be one that runs a shell (`e`) or writes
 * a file (`w`).
 */

const OPTIONS: OptionSpec = {
  short: "efl",
  long: ["expression", "file", "line-length"],
  flags: ["in-place", "quiet", "silent", "regexp-extended", "separate", "null-data", "unbuffered", "debug", "posix", "sandbox", "follow-symlinks", "zero-terminated"],
  optionalShort: "i",
};

const IN_PLACE = "edits the files it is given in place";

export const sed: ProgramFamily = {
  names: ["sed"],
  ownReads: true,
  paths(call) {
    const { files } = patternOperands(call, OPTIONS);
    if (inPlace(call.words)) call.write(...files);
  },
  risks: (args) => [
    ...optionRisks(args, {
      options: { "--in-place": IN_PLACE, "--file": "reads its script from a file, which this policy cannot check" },
      letters: { i: IN_PLACE, f: "reads its script from a file" },
      valueLetters: "el",
      checkedWrites: ["--in-place", "-i"],
    }),
    ...scriptRisks(args),
  ],
};

/** `sed -i`, `-i.bak`, `-Ei`, `--in-place[=SUFFIX]` (or a prefix of it, as getopt accepts). */
function inPlace(words: string[]): boolean {
  return words.some((word) => /^-[a-zA-Z]*i/.test(word) || (word.startsWith("--i") && "--in-place".startsWith(word.split("=")[0] ?? "")));
}

/** The script sed runs: its -e parts joined by newlines, as sed joins them, or else the first operand. */
function scriptRisks(args: string[]): Risk[] {
  const { operands, ordered } = split(args, OPTIONS);
  const given = ordered.filter(({ name }) => name === "e" || name === "expression").map(({ value }) => value);
  // With -f and no -e the first operand is a file; -f itself is refused above.
  const fromFile = ordered.some(({ name }) => name === "f" || name === "file");
  const scripts = given.length > 0 ? given : fromFile ? [] : operands.slice(0, 1);
  if (scripts.length === 0) return [];
  const script = scripts.join("\n");
  const why = sedScriptRisk(script);
  return why ? [{ flag: script, word: scripts.length === 1 ? script : scripts.join(" "), why }] : [];
}

const RISKY_COMMANDS: Record<string, string> = {
  e: "runs a shell command (sed's `e` command)",
  w: "writes a file (sed's `w` command)",
  W: "writes a file (sed's `W` command)",
  r: "reads a file (sed's `r` command)",
  R: "reads a file (sed's `R` command)",
};

/** Commands that take no argument; `l`, `q` and `Q` take an optional number. */
const PLAIN = new Set("=dDgGhHnNpPxzF".split(""));

class Unreadable extends Error {}

/**
 * Why a sed script reaches outside the text stream, if it does: `e` and `s///e` run shell commands,
 * `w`/`W` and `s///w` write files, `r`/`R` read files. A script outside the modelled subset (an unknown
 * command, a bracket expression holding the delimiter or a newline, where seds part ways;
 * words after a command) counts as risky too.
 */
export function sedScriptRisk(script: string): string | undefined {
  const reader = { text: script, at: 0 };
  try {
    for (;;) {
      skip(reader, /[\s;]/);
      if (reader.at >= reader.text.length) return undefined;
      const risk = readCommand(reader);
      if (risk) return risk;
    }
  } catch (error) {
    return `is a sed script this policy cannot read exactly (${error instanceof Unreadable ? error.message : "unexpected"}); write it with plain s, p, d… commands`;
  }
}

interface Reader {
  text: string;
  at: number;
}

function readCommand(reader: Reader): string | undefined {
  if (peek(reader) === "#") return skipLine(reader);
  readAddresses(reader);
  skip(reader, /[ \t]/);
  if (peek(reader) === "!") {
    reader.at++;
    skip(reader, /[ \t]/);
  }
  const command = reader.text[reader.at++] ?? "";
  const risky = RISKY_COMMANDS[command];
  if (risky) return risky;
  if (command === "s") return readSubstitution(reader);
  if (command === "y") {
    readDelimited(reader, 2, false);
    return endOfCommand(reader);
  }
  if (command === "{" || command === "}") return undefined;
  if (command === "a" || command === "i" || command === "c") return readText(reader);
  if (command === ":" || command === "b" || command === "t" || command === "T") {
    skip(reader, /[ \t]/);
    if (command === ":" && !/[^\s;]/.test(peek(reader))) throw new Unreadable("a `:` without a label");
    skip(reader, /[^\s;]/);
    return endOfCommand(reader);
  }
  if (command === "l" || command === "q" || command === "Q") {
    skip(reader, /[ \t]/);
    skip(reader, /[0-9]/);
    return endOfCommand(reader);
  }
  if (PLAIN.has(command)) return endOfCommand(reader);
  throw new Unreadable(command === "" ? "a missing command" : `the command \`${command}\``);
}

/** `s/RE/REPLACEMENT/FLAGS`: the flags `e` (run) and `w` (write) are risky; others may be spaced. */
function readSubstitution(reader: Reader): string | undefined {
  readDelimited(reader, 2, true);
  for (;;) {
    const flag = peek(reader);
    if (flag === "e") return "runs the result as a shell command (sed's `s///e` flag)";
    if (flag === "w") return "writes a file (sed's `s///w` flag)";
    if (!/^[gpiImM0-9 \t]$/.test(flag)) return endOfCommand(reader);
    reader.at++;
  }
}

/** After a command: blanks, then the end, a newline, `;`, `}` or a comment; anything else is not modelled. */
function endOfCommand(reader: Reader): undefined {
  skip(reader, /[ \t]/);
  const next = peek(reader);
  if (next === "" || next === "\n" || next === ";" || next === "}" || next === "#") return undefined;
  throw new Unreadable(`\`${next}\` after a command`);
}

/** `a text`, `a\` + newline + text: the text runs to a newline no backslash escapes. */
function readText(reader: Reader): undefined {
  while (reader.at < reader.text.length) {
    const char = reader.text[reader.at++];
    if (char === "\\") reader.at++;
    else if (char === "\n") return undefined;
  }
  return undefined;
}

function readAddresses(reader: Reader): void {
  if (!readAddress(reader)) return;
  skip(reader, /[ \t]/);
  if (peek(reader) !== ",") return;
  reader.at++;
  skip(reader, /[ \t]/);
  if (peek(reader) === "+" || peek(reader) === "~") {
    reader.at++;
    if (!skip(reader, /[0-9]/)) throw new Unreadable("a `+`/`~` address without a number");
  } else if (!readAddress(reader)) throw new Unreadable("a range without its second address");
}

/** `N`, `N~M`, `$`, `/RE/I`, `\cREc`; false when there is none. */
function readAddress(reader: Reader): boolean {
  const char = peek(reader);
  if (/[0-9]/.test(char)) {
    skip(reader, /[0-9]/);
    if (peek(reader) === "~") {
      reader.at++;
      skip(reader, /[0-9]/);
    }
    return true;
  }
  if (char === "$") {
    reader.at++;
    return true;
  }
  if (char === "/" || char === "\\") {
    if (char === "\\") reader.at++;
    readDelimited(reader, 1, true);
    skip(reader, /[IM]/);
    return true;
  }
  return false;
}

/**
 * `count` parts ending in the delimiter found at the current position, honouring backslash escapes. In a
 * regular expression a bracket expression is read as GNU sed reads it, and refused when it holds the
 * delimiter or a newline: there seds disagree on where the expression ends (GNU sed before 4.3 ended it
 * at the delimiter, so `s/[/]/w x/` wrote the file `x/`).
 */
function readDelimited(reader: Reader, count: number, regex: boolean): void {
  const delimiter = reader.text[reader.at++];
  if (delimiter === undefined || delimiter === "\n" || delimiter === "\\") throw new Unreadable("a bad delimiter");
  for (let part = 0; part < count; part++) {
    const inRegex = regex && part === 0;
    for (;;) {
      const char = reader.text[reader.at++];
      if (char === undefined) throw new Unreadable("an unterminated command");
      if (char === "\\") {
        if (reader.at >= reader.text.length) throw new Unreadable("an unterminated command");
        reader.at++;
      } else if (char === delimiter) break;
      else if (char === "\n" && inRegex) throw new Unreadable("a newline in a regular expression");
      else if (char === "[" && inRegex) readBracket(reader, delimiter);
    }
  }
}

/** `[…]`, `[^…]`, `[]…]`, with `[:class:]` inside; the opening `[` is read. */
function readBracket(reader: Reader, delimiter: string): void {
  const start = reader.at;
  if (peek(reader) === "^") reader.at++;
  if (peek(reader) === "]") reader.at++;
  for (;;) {
    const char = reader.text[reader.at++];
    if (char === undefined) throw new Unreadable("an unterminated bracket expression");
    if (char === "]") return;
    if (char === delimiter) {
      throw new Unreadable(`the bracket expression \`[${reader.text.slice(start, reader.at)}…\` holds the delimiter \`${delimiter}\`, which older seds read as its end; use another delimiter, e.g. \`s|[^/]*$||\``);
    }
    if (char === "\n") throw new Unreadable("a newline in a bracket expression");
    if (char === "[") {
      const inner = /^:[a-z]+:\]/.exec(reader.text.slice(reader.at));
      if (!inner) throw new Unreadable("a bracket expression with `[` other than a `[:class:]`");
      reader.at += inner[0].length;
    }
  }
}

function skipLine(reader: Reader): undefined {
  while (reader.at < reader.text.length && reader.text[reader.at] !== "\n") reader.at++;
  return undefined;
}

function peek(reader: Reader): string {
  return reader.text[reader.at] ?? "";
}

/** Skips characters matching `pattern`; true when it skipped any. */
function skip(reader: Reader, pattern: RegExp): boolean {
  const start = reader.at;
  while (reader.at < reader.text.length && pattern.test(reader.text[reader.at] ?? "")) reader.at++;
  return reader.at > start;
}
