/** One shell word. `value` is the word after quote removal when `literal`; otherwise it is the source text. */
export interface Word {
  value: string;
  /** False when the shell would expand the word at run time: `$VAR`, `$(…)`, globs, braces, tilde, `{}` of find… */
  literal: boolean;
  /** The word as written in the command. */
  source: string;
}

/** A leading `NAME=value` of a simple command (or a bare assignment statement). */
export interface Assignment {
  name: string;
  value: Word;
  source: string;
}

/**
 * One program the shell would run. `program` is undefined for a bare assignment (`FOO=bar`).
 * Test and arithmetic commands appear with `[`, `[[` or `((` as their program.
 */
export interface SimpleCommand {
  source: string;
  assignments: Assignment[];
  program: Word | undefined;
  args: Word[];
}

/** A redirection that opens a file; fd duplications, heredocs and herestrings are not listed. */
export interface Redirect {
  kind: "read" | "write";
  operator: string;
  target: Word;
}

export type ParsedCommand =
  | { ok: false; source: string; reason: string }
  | { ok: true; source: string; commands: SimpleCommand[]; redirects: Redirect[] };

/** Thrown inside the parser to fail closed; `parse` turns it into `{ ok: false, reason }`. */
export class ShellRefusal extends Error {}

export function refuse(reason: string): never {
  throw new ShellRefusal(reason);
}

/** Runs `run`, prefixing the reason of any refusal with `context`. */
export function withContext<T>(context: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ShellRefusal) refuse(`${context}: ${error.message}`);
    throw error;
  }
}

export function literalWord(value: string): Word {
  return { value, literal: true, source: value };
}

export function programName(word: Word): string {
  const slash = word.value.lastIndexOf("/");
  return slash === -1 ? word.value : word.value.slice(slash + 1);
}

/** One line, at most 60 characters, for quoting a command in a reason. */
export function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
