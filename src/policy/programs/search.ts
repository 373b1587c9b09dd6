import { get, patternOperands, split, type OptionSpec } from "./options.ts";
import { optionRisks } from "./risks.ts";
import { readsAll, type PathCall, type ProgramFamily } from "./types.ts";

/** grep, rg, ag, ack, find, diff: programs that read folders with everything in them. */

const GREP_OPTIONS: OptionSpec = {
  short: "efABCDdm",
  long: ["regexp", "file", "after-context", "before-context", "context", "max-count", "include", "exclude", "exclude-dir", "exclude-from", "label", "directories", "devices", "binary-files", "color", "colour"],
  flags: ["recursive", "dereference-recursive", "files-with-matches", "files-without-match", "fixed-strings", "extended-regexp", "ignore-case", "invert-match", "count", "line-number", "word-regexp", "line-regexp", "no-messages", "quiet", "silent", "text", "null", "only-matching"],
};

/** grep -r/-R: the folders searched (the current one when none is named) and their filters. */
function grepPaths(call: PathCall): void {
  const { files, split: options } = patternOperands(call, GREP_OPTIONS);
  const { values, flags, ordered } = options;
  const recursive = flags.has("r") || flags.has("R") || flags.has("recursive") || flags.has("dereference-recursive") || get(values, "d", "directories").includes("recurse");
  if (!recursive) return;
  // GNU grep: the last --include/--exclude that matches decides; with none matching, a file is read unless
  // the first of them is --include. --exclude-dir leaves folders out.
  const filters = ordered.filter(({ name }) => name === "include" || name === "exclude").map(({ name, value }) => ({ glob: value, include: name === "include" }));
  const dereferences = flags.has("R") || flags.has("dereference-recursive");
  call.paths.folderReads.push(
    ...(files.length > 0 ? files : ["."]).map((folder) => ({
      ...readsAll(folder, call.source, "--exclude=NAME", dereferences),
      files: filters,
      readsUnmatched: filters[0]?.include !== true,
      folders: get(values, "exclude-dir").map((glob) => ({ glob, include: false })),
    })),
  );
}

export const grep: ProgramFamily = { names: ["grep", "egrep", "fgrep"], ownReads: true, onlyReads: true, paths: grepPaths };

const RG_OPTIONS: OptionSpec = {
  short: "efgtTABCmM",
  long: ["regexp", "file", "glob", "iglob", "type", "type-not", "after-context", "before-context", "context", "max-count", "max-columns", "pre", "pre-glob"],
  flags: ["files", "type-list", "hidden", "unrestricted", "follow", "files-with-matches", "files-without-match", "no-ignore"],
};

export const rg: ProgramFamily = {
  names: ["rg"],
  ownReads: true,
  onlyReads: true,
  paths(call) {
    const { files, split: options } = patternOperands(call, RG_OPTIONS);
    const { flags, ordered } = options;
    if (flags.has("files") || flags.has("type-list")) return;
    // ripgrep: the last matching glob decides, for files and folders; with any glob letting files in, a file
    // none matches is left out. A glob with a slash is not modelled: then no glob leaves anything out.
    const globs = ordered
      .filter(({ name }) => name === "g" || name === "glob" || name === "iglob")
      .map(({ name, value }) => ({ glob: value.replace(/^!/, ""), include: !value.startsWith("!"), nocase: name === "iglob" }));
    const modelled = globs.every(({ glob }) => !glob.includes("/"));
    const filters = modelled ? globs : globs.filter(({ include }) => include);
    const hidden = flags.has("hidden") || flags.has(".") || flags.has("u") || flags.has("unrestricted") || globs.some(({ include }) => include);
    call.paths.folderReads.push(
      ...(files.length > 0 ? files : ["."]).map((folder) => ({
        ...readsAll(folder, call.source, "-g '!NAME'", flags.has("L") || flags.has("follow")),
        files: filters,
        readsUnmatched: !globs.some(({ include }) => include),
        folders: filters,
        skipsHidden: !hidden,
      })),
    );
  },
  risks: (args) =>
    optionRisks(args, {
      options: {
        "--pre": "runs the given preprocessor command on every file",
        "--hostname-bin": "runs the given program",
        "--search-zip": "runs decompression programs",
      },
      letters: { z: "runs decompression programs" },
      valueLetters: "ABCEMefgjmrtTd",
    }),
};

/** ag and ack search the current folder, or the folders named, whole. */
export const agAck: ProgramFamily = {
  names: ["ag", "ack"],
  ownReads: true,
  onlyReads: true,
  paths(call) {
    const spec: OptionSpec = call.program === "ag" ? { short: "ABCmGg", long: ["ignore", "ignore-dir", "file-search-regex"] } : { short: "ABCm", long: ["ignore-dir", "ignore-file"] };
    const { files } = patternOperands(call, spec);
    call.paths.folderReads.push(...(files.length > 0 ? files : ["."]).map((folder) => readsAll(folder, call.source, "--ignore NAME")));
  },
};

const RUNS_PER_FILE = "runs a command for each file";
const FIND_WRITES = "writes to a file the file rules do not see";

/** `find START… -delete` removes what it finds under START; `-fprint FILE` and friends write FILE. */
export const find: ProgramFamily = {
  names: ["find"],
  paths({ paths, words, write, source }) {
    let at = 0;
    while (at < words.length && /^-[HLP]$|^-D$|^-O\d*$/.test(words[at] ?? "")) at += words[at] === "-D" ? 2 : 1;
    const starts: string[] = [];
    while (at < words.length && !/^[-(!,]/.test(words[at] ?? "")) starts.push(words[at++] ?? "");
    const expression = words.slice(at);
    if (expression.includes("-delete")) paths.trees.push(...(starts.length > 0 ? starts : ["."]));
    expression.forEach((word, index) => {
      if (["-fprint", "-fprint0", "-fprintf", "-fls"].includes(word)) write(expression[index + 1] ?? "");
    });
    // `-files0-from FILE` takes the starting points from FILE (or the input): anything it could reach.
    if (expression.includes("-files0-from")) paths.namesFromInput.push({ command: source, via: "-files0-from" });
  },
  risks: (args) =>
    optionRisks(args, {
      options: {
        "-exec": RUNS_PER_FILE,
        "-execdir": RUNS_PER_FILE,
        "-ok": RUNS_PER_FILE,
        "-okdir": RUNS_PER_FILE,
        "-delete": "deletes files",
        "-fprint": FIND_WRITES,
        "-fprint0": FIND_WRITES,
        "-fprintf": FIND_WRITES,
        "-fls": FIND_WRITES,
      },
      readsPastDoubleDash: true,
      abbreviations: "exact",
    }),
};

/**
 * `diff A B` on folders compares the files they hold (all of them with `-r`, and with `-N` also those only
 * one side has), so a folder operand is read with everything in it, whatever the options.
 */
export const diff: ProgramFamily = {
  names: ["diff"],
  onlyReads: true,
  paths({ paths, words, source }) {
    const { operands } = split(words, { short: "CDFILSUWx", long: ["exclude", "exclude-from", "from-file", "to-file", "label", "starting-file"], flags: ["recursive", "no-dereference", "new-file", "unidirectional-new-file"] });
    paths.folderReads.push(...operands.map((folder) => readsAll(folder, source, "--exclude=NAME")));
  },
};
