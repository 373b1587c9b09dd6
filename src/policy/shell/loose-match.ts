import { matchInOrder, matchesText, type PatternWord, type SubjectWord } from "./pattern.ts";

/** A word of the command for deny matching; a non-literal word may stand for any words at all. */
export interface LooseWord {
  text: string;
  literal: boolean;
}

/**
 * Deny matching, which errs towards matching: the program matches by its base name (`/bin/rm` is `rm`);
 * the pattern's flags may appear anywhere, in any order, or inside combined short flags (`-r` is in `-fr`);
 * a word right after a flag may be that flag's value and is skipped if needed (`git -C dir push`); an
 * expansion matches any number of words and any flag. A dynamic program matches every pattern.
 */
export function matchLoosely(pattern: readonly PatternWord[], words: readonly LooseWord[]): boolean {
  const [programPattern, ...patternArgs] = pattern;
  const [program, ...args] = words;
  if (!programPattern || !program) return false;
  if (!program.literal) return true;
  if (!programMatches(programPattern, program.text)) return false;
  const wanted = splitPattern(patternArgs);
  const given = splitArgs(args);
  if (!matchInOrder(wanted.positional, given.positional)) return false;
  if (given.dynamic) return true;
  if (!wanted.flags.every((flag) => flagPresent(flag, given.flags))) return false;
  return wanted.open || given.flags.every((flag) => wanted.flags.some((word) => flagCovers(word, flag)));
}

function baseName(text: string): string {
  return text.slice(text.lastIndexOf("/") + 1);
}

function programMatches(word: PatternWord, program: string): boolean {
  if (word.kind !== "text") return true;
  if (word.glob) return word.glob.test(program) || word.glob.test(baseName(program));
  return baseName(word.text) === baseName(program);
}

type FlagWord = PatternWord & { kind: "text" };

function isFlag(text: string): boolean {
  return text.length > 1 && text.startsWith("-") && text !== "--";
}

function splitPattern(words: readonly PatternWord[]): { flags: FlagWord[]; positional: PatternWord[]; open: boolean } {
  const flags: FlagWord[] = [];
  const positional: PatternWord[] = [];
  let options = true;
  for (const word of words) {
    if (word.kind === "text" && word.text === "--") options = false;
    if (options && word.kind === "text" && isFlag(word.text)) flags.push(word);
    else positional.push(word);
  }
  return { flags, positional, open: words.some((word) => word.kind === "rest") };
}

function splitArgs(args: readonly LooseWord[]): { flags: string[]; positional: SubjectWord[]; dynamic: boolean } {
  const flags: string[] = [];
  const positional: SubjectWord[] = [];
  let options = true;
  let afterFlag = false;
  for (const word of args) {
    if (!word.literal) {
      positional.push({ kind: "any" });
      afterFlag = false;
      continue;
    }
    if (word.text === "--") options = false;
    if (options && isFlag(word.text)) {
      flags.push(word.text);
      afterFlag = !word.text.includes("=");
      continue;
    }
    positional.push({ kind: "word", text: word.text, optional: afterFlag });
    afterFlag = false;
  }
  return { flags, positional, dynamic: args.some((word) => !word.literal) };
}

const CLUSTER = /^-[A-Za-z0-9]+$/;

/** The pattern flag is given: as is, as `--flag=value`, by glob, or (short flags) letter by letter in clusters. */
function flagPresent(flag: FlagWord, given: string[]): boolean {
  if (given.some((word) => sameFlag(flag, word))) return true;
  if (flag.glob || !CLUSTER.test(flag.text)) return false;
  // Any single-dash word lends its letters: `-r+` or `-r{}` still hand `-r` to getopt.
  const letters = new Set(given.filter((word) => /^-[^-]/.test(word)).flatMap((word) => [...word.slice(1)]));
  return [...flag.text.slice(1)].every((letter) => letters.has(letter));
}

function sameFlag(flag: FlagWord, word: string): boolean {
  if (matchesText(flag, word)) return true;
  return flag.text.startsWith("--") && !flag.text.includes("=") && word.startsWith(`${flag.text}=`);
}

/** Without a `**`, a command flag must be one the pattern names (so `rm -r` does not match `rm -r -i`). */
function flagCovers(flag: FlagWord, word: string): boolean {
  if (sameFlag(flag, word)) return true;
  return !flag.glob && CLUSTER.test(flag.text) && CLUSTER.test(word) && [...word.slice(1)].every((letter) => flag.text.includes(letter));
}
