/**
 * Finds sed commands that reach outside the text stream: `e` and `s///e` run shell commands, `w`/`W` and
 * `s///w` write files, `r`/`R` read files. Anything this reader does not understand counts as risky too.
 */
export function sedScriptRisk(script: string): string | undefined {
  const reader = { text: script, at: 0 };
  try {
    while (skipSeparators(reader)) {
      const risk = readCommand(reader);
      if (risk) return risk;
    }
    return undefined;
  } catch {
    return "a sed script this policy cannot read";
  }
}

interface Reader {
  text: string;
  at: number;
}

const RISKY_COMMANDS: Record<string, string> = {
  e: "runs a shell command (sed's `e` command)",
  w: "writes a file (sed's `w` command)",
  W: "writes a file (sed's `W` command)",
  r: "reads a file (sed's `r` command)",
  R: "reads a file (sed's `R` command)",
};

const PLAIN_COMMANDS = new Set("{}=dDgGhHnNpPxzFlLqQ".split(""));

function readCommand(reader: Reader): string | undefined {
  readAddress(reader);
  skipSpaces(reader);
  if (reader.text[reader.at] === "!") reader.at++;
  skipSpaces(reader);
  const command = reader.text[reader.at++] ?? "";
  if (command === "") throw new Error("missing command");
  const risky = RISKY_COMMANDS[command];
  if (risky) return risky;
  if (command === "s") return readSubstitution(reader);
  if (command === "y") return readDelimited(reader, 2);
  if ("#:btTv".includes(command)) return skipArgument(reader, command === "#" ? "\n" : ";\n");
  if ("aic".includes(command)) return skipArgument(reader, "\n");
  if (!PLAIN_COMMANDS.has(command)) throw new Error(`unknown sed command ${command}`);
  skipWhile(reader, /[0-9 ]/);
  return undefined;
}

function readSubstitution(reader: Reader): string | undefined {
  readDelimited(reader, 2);
  const flags = skipWhile(reader, /[gpiImMe0-9w]/) ?? "";
  if (flags.includes("e")) return "the sed flag `s///e` runs the result as a shell command";
  if (flags.includes("w")) return "the sed flag `s///w` writes a file";
  return undefined;
}

function readAddress(reader: Reader): void {
  readOneAddress(reader);
  if (reader.text[reader.at] !== ",") return;
  reader.at++;
  readOneAddress(reader);
}

function readOneAddress(reader: Reader): void {
  const char = reader.text[reader.at] ?? "";
  if (/[0-9$+~]/.test(char)) {
    skipWhile(reader, /[0-9$+~]/);
  } else if (char === "/" || char === "\\") {
    if (char === "\\") reader.at++;
    readDelimited(reader, 1);
    skipWhile(reader, /[IM]/);
  }
}

/** Reads `count` parts ending in the delimiter found at the current position, honouring backslash escapes. */
function readDelimited(reader: Reader, count: number): undefined {
  const delimiter = reader.text[reader.at++];
  if (delimiter === undefined || delimiter === "\n" || delimiter === "\\") throw new Error("bad delimiter");
  for (let part = 0; part < count; part++) {
    for (;;) {
      const char = reader.text[reader.at++];
      if (char === undefined) throw new Error("unterminated");
      if (char === "\\") reader.at++;
      else if (char === delimiter) break;
    }
  }
  return undefined;
}

function skipArgument(reader: Reader, ends: string): undefined {
  while (reader.at < reader.text.length && !ends.includes(reader.text[reader.at] ?? "")) reader.at++;
  return undefined;
}

function skipWhile(reader: Reader, pattern: RegExp): string | undefined {
  const start = reader.at;
  while (reader.at < reader.text.length && pattern.test(reader.text[reader.at] ?? "")) reader.at++;
  return reader.text.slice(start, reader.at) || undefined;
}

function skipSpaces(reader: Reader): void {
  skipWhile(reader, /[ \t]/);
}

/** Skips whitespace and `;`; false at the end of the script. */
function skipSeparators(reader: Reader): boolean {
  skipWhile(reader, /[\s;]/);
  return reader.at < reader.text.length;
}
