import { get, split, type OptionSpec, type Split } from "./options.ts";
import { readsAll, type CommandPaths, type FolderRead, type Write } from "./types.ts";

const GREP_OPTIONS: OptionSpec = {
  short: "efABCDdm",
  long: ["regexp", "file", "after-context", "before-context", "context", "max-count", "include", "exclude", "exclude-dir", "exclude-from", "label", "directories", "devices", "binary-files", "color", "colour"],
  flags: ["recursive", "dereference-recursive", "files-with-matches", "files-without-match", "fixed-strings", "extended-regexp", "ignore-case", "invert-match", "count", "line-number", "word-regexp", "line-regexp", "no-messages", "quiet", "silent", "text", "null", "only-matching"],
};

/** Programs whose first operand is a pattern or a script, unless given with -e or -f. */
export const PATTERN_FIRST: Record<string, OptionSpec> = {
  grep: GREP_OPTIONS,
  egrep: GREP_OPTIONS,
  fgrep: GREP_OPTIONS,
  rg: {
    short: "efgtTABCmM",
    long: ["regexp", "file", "glob", "iglob", "type", "type-not", "after-context", "before-context", "context", "max-count", "max-columns", "pre", "pre-glob"],
    flags: ["files", "type-list", "hidden", "unrestricted", "follow", "files-with-matches", "files-without-match", "no-ignore"],
  },
  ag: { short: "ABCmGg", long: ["ignore", "ignore-dir", "file-search-regex"] },
  ack: { short: "ABCm", long: ["ignore-dir", "ignore-file"] },
  sed: { short: "efl", long: ["expression", "file", "line-length"] },
  awk: { short: "fvFiE", long: ["file", "assign", "field-separator", "include", "exec"] },
  gawk: { short: "fvFiE", long: ["file", "assign", "field-separator", "include", "exec"] },
};

/** `sed -i`, `-i.bak`, `-Ei`, `--in-place[=SUFFIX]` (or a prefix of it, as getopt accepts). */
export function inPlace(words: string[]): boolean {
  return words.some((word) => /^-[a-zA-Z]*i/.test(word) || (word.startsWith("--i") && "--in-place".startsWith(word.split("=")[0] ?? "")));
}

/** grep -r/-R, rg, ag, ack: the folders searched (the current one when none is named) and their filters. */
export function recursiveSearch(program: string, files: string[], split: Split, source: string): FolderRead[] | undefined {
  const { values, flags, ordered } = split;
  const folders = files.length > 0 ? files : ["."];
  if (program === "grep" || program === "egrep" || program === "fgrep") {
    const recursive = flags.has("r") || flags.has("R") || flags.has("recursive") || flags.has("dereference-recursive") || get(values, "d", "directories").includes("recurse");
    if (!recursive) return undefined;
    // GNU grep: the last --include/--exclude that matches decides; with none matching, a file is read unless
    // the first of them is --include. --exclude-dir leaves folders out.
    const filters = ordered.filter(({ name }) => name === "include" || name === "exclude").map(({ name, value }) => ({ glob: value, include: name === "include" }));
    const dereferences = flags.has("R") || flags.has("dereference-recursive");
    return folders.map((folder) => ({
      ...readsAll(folder, source, "--exclude=NAME", dereferences),
      files: filters,
      readsUnmatched: filters[0]?.include !== true,
      folders: get(values, "exclude-dir").map((glob) => ({ glob, include: false })),
    }));
  }
  if (program === "rg") {
    if (flags.has("files") || flags.has("type-list")) return undefined;
    // ripgrep: the last matching glob decides, for files and folders; with any glob letting files in, a file
    // none matches is left out. A glob with a slash is not modelled: then no glob leaves anything out.
    const globs = ordered
      .filter(({ name }) => name === "g" || name === "glob" || name === "iglob")
      .map(({ name, value }) => ({ glob: value.replace(/^!/, ""), include: !value.startsWith("!"), nocase: name === "iglob" }));
    const modelled = globs.every(({ glob }) => !glob.includes("/"));
    const filters = modelled ? globs : globs.filter(({ include }) => include);
    const hidden = flags.has("hidden") || flags.has(".") || flags.has("u") || flags.has("unrestricted") || globs.some(({ include }) => include);
    return folders.map((folder) => ({
      ...readsAll(folder, source, "-g '!NAME'", flags.has("L") || flags.has("follow")),
      files: filters,
      readsUnmatched: !globs.some(({ include }) => include),
      folders: filters,
      skipsHidden: !hidden,
    }));
  }
  if (program === "ag" || program === "ack") return folders.map((folder) => readsAll(folder, source, "--ignore NAME"));
  return undefined;
}

/** `find START… -delete` removes what it finds under START; `-fprint FILE` and friends write FILE. */
export function addFind(paths: CommandPaths, words: string[], write: Write): void {
  let at = 0;
  while (at < words.length && /^-[HLP]$|^-D$|^-O\d*$/.test(words[at] ?? "")) at += words[at] === "-D" ? 2 : 1;
  const starts: string[] = [];
  while (at < words.length && !/^[-(!,]/.test(words[at] ?? "")) starts.push(words[at++] ?? "");
  const expression = words.slice(at);
  if (expression.includes("-delete")) paths.trees.push(...(starts.length > 0 ? starts : ["."]));
  expression.forEach((word, index) => {
    if (["-fprint", "-fprint0", "-fprintf", "-fls"].includes(word)) write(expression[index + 1] ?? "");
  });
}

export function addDiff(paths: CommandPaths, words: string[], source: string): void {
  const { operands, flags } = split(words, { short: "CDFILSUWx", long: ["exclude", "exclude-from", "from-file", "to-file", "label", "starting-file"], flags: ["recursive", "no-dereference"] });
  if (flags.has("r") || flags.has("recursive")) paths.folderReads.push(...operands.map((folder) => readsAll(folder, source, "--exclude=NAME")));
}
