import { programName, type Word } from "../shell/types.ts";
import { familyOf } from "./index.ts";
import type { ProgramFamily } from "./types.ts";

/**
 * Options of test runners, linters and compilers that make them write a file or fill (or empty) a folder
 * they are given: `--outputFile=report.json`, `--junitxml=out.xml`, `--basetemp=tmp`, `-o out.txt` (eslint).
 * Their values are checked as writes, like a `>` redirection, wherever they appear: past `--` too, since
 * `npm test -- --outputFile=x` hands them to the script.
 */
export interface OutputOption {
  /** The option word as written, e.g. `--outputFile.json=x.json`. */
  option: string;
  /** The path the program writes. */
  value: Word;
  /** True when the path is a folder the program fills or empties. */
  folder: boolean;
  /**
   * An option of the same command that moves the folder relative paths are taken from (`--root`, `--prefix`,
   * `-C`, `--filter`…): where a relative value lands cannot be known then.
   */
  movedBy?: string;
}

type ValueShape = "path" | "kind:path" | "key=value,…";

interface OptionSpec {
  folder: boolean;
  shape?: ValueShape;
  /** Taken only as `--name=value`: without `=` the option is also a plain flag somewhere. */
  equalsOnly?: boolean;
}

const FILE: OptionSpec = { folder: false };
const FOLDER: OptionSpec = { folder: true };

/**
 * Long options by normalised name (lower case, without `-` and `_`): yargs and cac read `--output-file`
 * and `--outputFile` alike. A dotted option (`--outputFile.json`) is looked up whole, then without its
 * last parts, so `--coverage.reportsDirectory` and `--outputFile.json` are both found.
 */
const LONG_OPTIONS: Record<string, OptionSpec> = {
  // A file for some programs, a folder for others (playwright): read as a folder, the stricter.
  output: FOLDER,
  out: FOLDER,
  outputfile: FILE,
  outfile: FILE,
  junitxml: FILE,
  resultlog: FILE,
  logfile: FILE,
  reportlog: FILE,
  jsonreportfile: FILE,
  tsbuildinfofile: FILE,
  cachelocation: FILE,
  html: { folder: false, equalsOnly: true },
  covreport: { folder: false, shape: "kind:path" },
  reporteroption: { folder: false, shape: "key=value,…" },
  reporteroptions: { folder: false, shape: "key=value,…" },
  basetemp: FOLDER,
  outdir: FOLDER,
  outputdir: FOLDER,
  declarationdir: FOLDER,
  coveragedirectory: FOLDER,
  coveragedir: FOLDER,
  "coverage.reportsdirectory": FOLDER,
  reportsdirectory: FOLDER,
  reportdir: FOLDER,
  reportsdir: FOLDER,
  tempdir: FOLDER,
  tempdirectory: FOLDER,
  cachedir: FOLDER,
  cachedirectory: FOLDER,
};

/**
 * Options (normalised long names) that move the folder a program or the script it runs takes relative paths
 * from: vitest's `--root`, jest's `--rootDir`, npm's `--prefix` and `--workspace`, pnpm's `--dir` and `--filter`…
 */
const MOVES_BASE = new Set(["root", "rootdir", "dir", "cwd", "prefix", "workspace", "workspaces", "filter", "chdir", "directory"]);

/** The output options of one command (program first), in order. */
export function outputOptions(words: readonly Word[]): OutputOption[] {
  const [program, ...args] = words;
  if (!program) return [];
  const family = program.literal ? familyOf(programName(program)) : undefined;
  const found = optionsOf(family, args);
  const movedBy = baseMover(family, args);
  return movedBy === undefined ? found : found.map((output) => ({ ...output, movedBy }));
}

function optionsOf(family: ProgramFamily | undefined, args: readonly Word[]): OutputOption[] {
  const short = family?.outputs?.short ?? {};
  const reporter = family?.outputs?.reporterShort ?? "";
  const found: OutputOption[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (!word) continue;
    const text = word.literal ? word.value : word.source;
    if (text.startsWith("--")) {
      const equals = text.indexOf("=");
      const spec = lookUp(equals === -1 ? text.slice(2) : text.slice(2, equals));
      if (!spec) continue;
      if (equals === -1 && spec.equalsOnly) continue;
      const value = equals === -1 ? args[++i] : partOf(word, text.slice(equals + 1));
      if (value) found.push(...shaped(text, value, spec));
    } else if (/^-[A-Za-z]/.test(text) && Object.hasOwn(short, text[1] ?? "")) {
      const value = text.length > 2 ? partOf(word, text.slice(2).replace(/^=/, "")) : args[++i];
      if (value) found.push({ option: text, value, folder: short[text[1] ?? ""] === "folder" });
    } else if (/^-[A-Za-z]/.test(text) && reporter.includes(text[1] ?? "")) {
      const value = text.length > 2 ? partOf(word, text.slice(2).replace(/^=/, "")) : args[++i];
      if (value) found.push(...shaped(text, value, { folder: false, shape: "key=value,…" }));
    }
  }
  return found;
}

/** The first option of the command that moves where relative paths are taken from, if any. */
function baseMover(family: ProgramFamily | undefined, args: readonly Word[]): string | undefined {
  const short = family?.outputs?.movesBase ?? "";
  for (const word of args) {
    const text = word.literal ? word.value : word.source;
    if (text.startsWith("--")) {
      const option = (text.slice(2).split("=")[0] ?? "").toLowerCase().replace(/[-_]/g, "");
      if (MOVES_BASE.has(option) || (family?.names.includes("pnpm") === true && option === "recursive")) return text;
    } else if (/^-[A-Za-z]/.test(text) && [...text.slice(1)].some((letter) => short.includes(letter))) return text;
  }
  return undefined;
}

function lookUp(name: string): OptionSpec | undefined {
  const parts = name.toLowerCase().replace(/[-_]/g, "").split(".");
  for (let length = parts.length; length > 0; length--) {
    const spec = LONG_OPTIONS[parts.slice(0, length).join(".")];
    if (spec) return spec;
  }
  return undefined;
}

/** A piece of a word: literal when the word is. */
function partOf(word: Word, text: string): Word {
  return { value: text, literal: word.literal, source: text };
}

function shaped(option: string, value: Word, spec: OptionSpec): OutputOption[] {
  if (!value.literal || !spec.shape || spec.shape === "path") return [{ option, value, folder: spec.folder }];
  if (spec.shape === "kind:path") {
    // pytest-cov: `--cov-report=html:DIR`, `xml:FILE`; a bare kind writes to the program's default place.
    const colon = value.value.indexOf(":");
    if (colon === -1) return [];
    const kind = value.value.slice(0, colon);
    return [{ option, value: partOf(value, value.value.slice(colon + 1)), folder: kind === "html" || kind === "annotate" }];
  }
  // mocha reporters: `output=FILE`, `mochaFile=FILE`, `reportDir=DIR`…
  return value.value.split(",").flatMap((pair) => {
    const equals = pair.indexOf("=");
    const key = pair.slice(0, equals);
    if (equals === -1 || !/output|file|dir|path/i.test(key)) return [];
    return [{ option, value: partOf(value, pair.slice(equals + 1)), folder: /dir/i.test(key) }];
  });
}
