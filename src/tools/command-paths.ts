import { posix } from "node:path";
import { programName, type SimpleCommand, type Word } from "../policy/shell/types.ts";
import { unwrapLayers } from "../policy/shell/wrappers.ts";

/**
 * Which words of a command line are paths, read from the words alone (no file system): what may be read,
 * what file-changing programs change, and the folders the commands may run in. Over-approximates where a
 * program's reading is not certain, so the decision errs towards refusing.
 */
export interface CommandPaths {
  /** Literal operands and `--opt=value` values that may name files to read (patterns and scripts left out). */
  reads: string[];
  /** Paths file-changing programs change. */
  writes: string[];
  /** Folders whose contents are changed or removed (`rm -r`, `chmod -R`, what `mv` moves away). */
  trees: string[];
  /** Folders copied or moved into a destination folder. */
  copies: { source: string; folder: string }[];
  /** Folders the commands may run in: the workspace root, `cd` targets (one after another too), `env -C`. */
  folders: string[];
}

/** Options that take a value, per program (short letters, long names), so the value is not read as a path. */
interface OptionSpec {
  short: string;
  long: string[];
}

const NO_VALUES: OptionSpec = { short: "", long: [] };

const COPY_OPTIONS: OptionSpec = { short: "St", long: ["suffix", "target-directory", "backup", "reflink", "sparse", "preserve", "no-preserve", "context"] };

/** Programs that change the files they are given, and their options that take a value. */
const FILE_CHANGERS: Record<string, OptionSpec> = {
  cp: COPY_OPTIONS,
  mv: COPY_OPTIONS,
  ln: COPY_OPTIONS,
  install: { short: "gmoSt", long: ["group", "mode", "owner", "suffix", "target-directory", "backup", "strip-program", "context"] },
  rm: { short: "", long: ["interactive", "preserve-root"] },
  rmdir: NO_VALUES,
  unlink: NO_VALUES,
  mkdir: { short: "m", long: ["mode", "context"] },
  touch: { short: "dtr", long: ["date", "reference", "time"] },
  tee: { short: "", long: ["output-error"] },
  truncate: { short: "sr", long: ["size", "reference"] },
  shred: { short: "ns", long: ["iterations", "size", "random-source"] },
  chmod: { short: "", long: ["reference"] },
  chown: { short: "", long: ["reference", "from"] },
  chgrp: { short: "", long: ["reference"] },
};

/** Programs whose first operand is a mode, an owner or a group rather than a path (without `--reference`). */
const FIRST_OPERAND_NOT_A_PATH = new Set(["chmod", "chown", "chgrp"]);

/** Programs that put their sources into a folder when the destination is one. */
const COPIERS = new Set(["cp", "mv", "ln", "install"]);

/** Programs whose `-r`/`-R`/`--recursive` change what a folder holds. */
const RECURSIVE = new Set(["rm", "chmod", "chown", "chgrp"]);

/** Programs whose first operand is a pattern or a script, unless given with -e or -f. */
const PATTERN_FIRST: Record<string, OptionSpec> = {
  grep: { short: "efABCDdm", long: ["regexp", "file", "after-context", "before-context", "context", "max-count", "include", "exclude", "exclude-dir", "label"] },
  egrep: { short: "efABCm", long: ["regexp", "file"] },
  fgrep: { short: "efABCm", long: ["regexp", "file"] },
  rg: { short: "efgtTABCm", long: ["regexp", "file", "glob", "type", "type-not", "after-context", "before-context", "context", "max-count"] },
  sed: { short: "efl", long: ["expression", "file", "line-length"] },
  awk: { short: "fvF", long: ["file", "assign", "field-separator"] },
};

export function commandPaths(commands: SimpleCommand[]): CommandPaths {
  const paths: CommandPaths = { reads: [], writes: [], trees: [], copies: [], folders: workingFolders(commands) };
  for (const command of commands) {
    if (!command.program) continue;
    for (const [program, ...args] of unwrapLayers([command.program, ...command.args])) {
      if (!program?.literal) continue;
      addLayer(paths, programName(program), args);
    }
  }
  return paths;
}

function addLayer(paths: CommandPaths, program: string, args: Word[]): void {
  const words = args.filter((word) => word.literal).map((word) => word.value);
  const patternFirst = PATTERN_FIRST[program];
  if (patternFirst) {
    const { operands, values } = split(words, patternFirst);
    const given = values.has("e") || values.has("f") || values.has("regexp") || values.has("file") || values.has("expression");
    paths.reads.push(...(given ? operands : operands.slice(1)), ...(values.get("f") ?? []), ...(values.get("file") ?? []));
    if (program === "sed" && inPlace(words)) paths.writes.push(...(given ? operands : operands.slice(1)));
    return;
  }
  if (program === "dd") {
    paths.writes.push(...words.flatMap((word) => (word.startsWith("of=") ? [word.slice(3)] : [])));
    paths.reads.push(...words.flatMap((word) => (word.startsWith("if=") ? [word.slice(3)] : [])));
    return;
  }
  const end = words.indexOf("--");
  paths.reads.push(...(end === -1 ? words : words.slice(0, end)).flatMap(readCandidates), ...(end === -1 ? [] : words.slice(end + 1)));
  const spec = FILE_CHANGERS[program];
  if (spec) addFileChanger(paths, program, words, spec);
}

function addFileChanger(paths: CommandPaths, program: string, words: string[], spec: OptionSpec): void {
  const { operands, values, flags } = split(words, spec);
  const reference = [...(values.get("r") ?? []), ...(values.get("reference") ?? [])];
  paths.reads.push(...reference);
  const targets = FIRST_OPERAND_NOT_A_PATH.has(program) && reference.length === 0 ? operands.slice(1) : operands;
  paths.writes.push(...targets);
  if (RECURSIVE.has(program) && (flags.has("r") || flags.has("R") || flags.has("recursive"))) paths.trees.push(...targets);
  if (!COPIERS.has(program)) return;
  const given = [...(values.get("t") ?? []), ...(values.get("target-directory") ?? [])][0];
  const sources = given === undefined ? targets.slice(0, -1) : targets;
  const folder = given ?? targets.at(-1);
  if (folder === undefined) return;
  paths.writes.push(folder, ...sources.map((source) => posix.join(folder, posix.basename(source))));
  paths.copies.push(...sources.map((source) => ({ source, folder })));
  if (program === "mv") paths.trees.push(...sources);
}

/** `sed -i`, `-i.bak`, `-Ei`, `--in-place[=SUFFIX]` (or a prefix of it, as getopt accepts). */
function inPlace(words: string[]): boolean {
  return words.some((word) => /^-[a-zA-Z]*i/.test(word) || (word.startsWith("--i") && "--in-place".startsWith(word.split("=")[0] ?? "")));
}

/** An operand, or the value of a `--opt=value` word (before `--`). */
function readCandidates(word: string): string[] {
  if (word === "" || word === "-") return [];
  if (!word.startsWith("-")) return [word];
  const value = /^--?[^=]+=(.+)$/.exec(word)?.[1];
  return value ? [value] : [];
}

interface Split {
  operands: string[];
  /** Values of options that take one, by option letter or full long name. */
  values: Map<string, string[]>;
  /** Options given without a value, by letter or full long name. */
  flags: Set<string>;
}

/**
 * Operands and options, as getopt reads them: short options grouped (`-rt DIR`, `-tDIR`), long options
 * abbreviated (`--rec`, `--target=DIR`), `--` ending the options.
 */
function split(words: string[], spec: OptionSpec): Split {
  const result: Split = { operands: [], values: new Map(), flags: new Set() };
  const give = (name: string, value: string) => result.values.set(name, [...(result.values.get(name) ?? []), value]);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "--") {
      result.operands.push(...words.slice(i + 1));
      break;
    }
    if (word.startsWith("--")) {
      const [written = "", attached] = word.slice(2).split(/=(.*)/s);
      const name = spec.long.find((long) => long.startsWith(written)) ?? longFlag(written);
      if (attached !== undefined) give(name, attached);
      else if (spec.long.includes(name)) give(name, words[++i] ?? "");
      else result.flags.add(name);
    } else if (word.startsWith("-") && word.length > 1) {
      for (let at = 1; at < word.length; at++) {
        const letter = word[at] ?? "";
        if (!spec.short.includes(letter)) {
          result.flags.add(letter);
          continue;
        }
        give(letter, at + 1 < word.length ? word.slice(at + 1) : (words[++i] ?? ""));
        break;
      }
    } else result.operands.push(word);
  }
  return result;
}

/** Long flags whose abbreviations matter here. */
function longFlag(written: string): string {
  return ["recursive", "no-target-directory"].find((long) => written.length >= 3 && long.startsWith(written)) ?? written;
}

/**
 * Where commands may run: the root, every `cd`/`pushd` target from the root and after the ones before it
 * (a chain `cd a && cd b`), and `env -C DIR` / `sudo -D DIR` folders from each of those.
 */
function workingFolders(commands: SimpleCommand[]): string[] {
  const folders = new Set(["."]);
  let current = ".";
  for (const command of commands) {
    if (!command.program?.literal) continue;
    const layers = unwrapLayers([command.program, ...command.args]);
    for (const [program, ...args] of layers) {
      const name = program?.literal ? programName(program) : "";
      for (const target of folderTargets(name, args)) {
        if (target === "-" || target.startsWith("/") || target.startsWith("~")) continue;
        const moved = posix.normalize(posix.join(current, target));
        folders.add(moved);
        folders.add(posix.normalize(target));
        if (name === "cd" || name === "pushd") current = moved;
      }
      if ((name === "cd" && args.length === 0) || name === "popd") current = ".";
    }
  }
  return [...folders];
}

function folderTargets(program: string, args: Word[]): string[] {
  const words = args.filter((word) => word.literal).map((word) => word.value);
  if (program === "cd" || program === "pushd") return words.filter((word) => !word.startsWith("-")).slice(0, 1);
  if (program === "env") return optionValues(words, "C", "chdir");
  if (program === "sudo") return optionValues(words, "D", "chdir");
  return [];
}

function optionValues(words: string[], letter: string, long: string): string[] {
  const { values } = split(words, { short: letter, long: [long] });
  return [...(values.get(letter) ?? []), ...(values.get(long) ?? [])];
}
