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
  /** Paths read from git's history (`git show HEAD:.env`, `git log -p -- .env`): checked whether or not they exist. */
  historyReads: string[];
  /** Paths file-changing programs change. */
  writes: string[];
  /** Those of `writes` that are changed as links, not followed: `rm LINK`, what `mv` moves away. */
  linkWrites: string[];
  /** Folders whose contents are changed or removed (`rm -r`, `chmod -R`, what `mv` moves away). */
  trees: string[];
  /** Folders whose tracked files git rewrites (`git checkout -- DIR`, `git clean`); git's own `.git` left out. */
  gitTrees: string[];
  /** `git checkout` operands before `--`: paths when they exist, else revisions. */
  gitTreesIfPresent: string[];
  /** Folders copied or moved into a destination folder. */
  copies: { source: string; folder: string }[];
  /** Folders the commands may run in: the workspace root, `cd` targets (one after another too), `env -C`. */
  folders: string[];
  /** Those of `folders` only guessed (a `cd` target from the root, in case the `cd` before ran in a subshell). */
  guessedFolders: string[];
  /** Relative paths named after a `cd` to a folder the words do not tell (`cd -`, `popd`, `cd "$X"`). */
  unanchored: { path: string; after: string }[];
  /** Folders read with everything in them (`grep -r`, `rg`, `cp -r`, `tar c`…). */
  folderReads: FolderRead[];
  /** Commands that make links (`ln`, `cp -s`…), which later commands of the same line would go through unseen. */
  linkMakers: string[];
  /** Sources of copies and moves: a link among them is copied as a link (checked by the facts). */
  linkCopies: { source: string; command: string }[];
  /** `ln -s TARGET LINK`: TARGET is read relative to the folder of LINK. */
  symlinkTargets: { target: string; linkFolder: string }[];
  /** Commands whose file accesses cannot be known from their words, and why (`tar x`, `git apply`). */
  uncheckable: { command: string; why: string }[];
  /** Folders a program fills with files it names itself (`git clone SRC DIR`, `git format-patch -o DIR`). */
  folderWrites: string[];
  /**
   * Sources of recursive copies, moves and syncs (`cp -r`, `mv`, `rsync`): what they write is read from the
   * file system before the line runs, so a source missing then, or changed earlier in the line, is refused.
   */
  recursiveCopies: { source: string; command: string; writtenBefore: string[] }[];
}

/** A folder a program reads recursively, and what of it that program leaves out. */
export interface FolderRead {
  folder: string;
  command: string;
  /** Base-name globs in the order given, each letting in or leaving out the files it matches; the last match wins. */
  files: Filter[];
  /** Whether a file no filter matches is read. */
  readsUnmatched: boolean;
  /** The same for folders: one left out is not entered. */
  folders: Filter[];
  /** Hidden files and folders are skipped (ripgrep's default), unless an ignore file whitelists some. */
  skipsHidden: boolean;
  /** Symbolic links inside are read through (`grep -R`, `zip`); otherwise they are skipped or kept as links. */
  followsLinks: boolean;
  /** How to leave a file out with this program, for the reason: e.g. `--exclude=NAME`. */
  exclude: string;
  /** Files and folders .gitignore leaves out are not read (`git add` without `-f`). */
  gitignore?: boolean;
}

/** A base-name glob that lets files in (`--include`, rg's `-g GLOB`) or leaves them out (`--exclude`, `-g '!GLOB'`). */
export interface Filter {
  glob: string;
  include: boolean;
  /** rg's `--iglob`: case does not matter. */
  nocase?: boolean;
}

/**
 * Options that take a value, per program (short letters, long names), so the value is not read as a path;
 * `flags`: long options without a value that matter here, so their abbreviations are read as the program
 * reads them (`--rec` is `--recursive`).
 */
interface OptionSpec {
  short: string;
  long: string[];
  flags?: string[];
}

const NO_VALUES: OptionSpec = { short: "", long: [] };

const COPY_OPTIONS: OptionSpec = {
  short: "St",
  long: ["suffix", "target-directory", "backup", "reflink", "sparse", "preserve", "no-preserve", "context"],
  flags: ["recursive", "archive", "no-target-directory", "symbolic-link", "link", "dereference", "no-dereference", "symbolic", "relative", "force", "interactive", "verbose", "update", "parents", "remove-destination", "strip-trailing-slashes", "attributes-only", "copy-contents", "one-file-system", "logical", "physical", "no-clobber"],
};

const RECURSIVE_FLAGS = ["recursive", "dereference", "no-dereference", "verbose", "changes", "silent", "quiet", "preserve-root", "no-preserve-root", "force", "dir", "one-file-system"];

/** Programs that change the files they are given, and their options that take a value. */
const FILE_CHANGERS: Record<string, OptionSpec> = {
  cp: COPY_OPTIONS,
  mv: COPY_OPTIONS,
  ln: COPY_OPTIONS,
  link: NO_VALUES,
  install: { short: "gmoSt", long: ["group", "mode", "owner", "suffix", "target-directory", "backup", "strip-program", "context"] },
  rm: { short: "", long: ["interactive"], flags: RECURSIVE_FLAGS },
  rmdir: NO_VALUES,
  unlink: NO_VALUES,
  mkdir: { short: "m", long: ["mode", "context"] },
  touch: { short: "dtr", long: ["date", "reference", "time"], flags: ["no-dereference", "no-create"] },
  tee: { short: "", long: ["output-error"] },
  truncate: { short: "sr", long: ["size", "reference"] },
  shred: { short: "ns", long: ["iterations", "size", "random-source"] },
  chmod: { short: "", long: ["reference"], flags: RECURSIVE_FLAGS },
  chown: { short: "", long: ["reference", "from"], flags: RECURSIVE_FLAGS },
  chgrp: { short: "", long: ["reference"], flags: RECURSIVE_FLAGS },
  sponge: NO_VALUES,
  rsync: {
    short: "eBfT",
    long: ["rsh", "rsync-path", "filter", "exclude", "include", "exclude-from", "include-from", "files-from", "temp-dir", "compare-dest", "copy-dest", "link-dest", "backup-dir", "suffix", "chmod", "log-file", "partial-dir"],
    flags: ["recursive", "archive", "copy-links", "copy-unsafe-links", "copy-dirlinks", "links", "dry-run"],
  },
};

/** Programs whose first operand is a mode, an owner or a group rather than a path (without `--reference`). */
const FIRST_OPERAND_NOT_A_PATH = new Set(["chmod", "chown", "chgrp"]);

/** Programs that put their sources into a folder when the destination is one. */
const COPIERS = new Set(["cp", "mv", "ln", "install", "rsync"]);

/** Programs whose `-r`/`-R`/`--recursive` change what a folder holds. */
const RECURSIVE = new Set(["rm", "chmod", "chown", "chgrp"]);

/** Programs that act on a link itself rather than on what it points to. */
const ACT_ON_LINKS = new Set(["rm", "unlink", "rmdir"]);

const GREP_OPTIONS: OptionSpec = {
  short: "efABCDdm",
  long: ["regexp", "file", "after-context", "before-context", "context", "max-count", "include", "exclude", "exclude-dir", "exclude-from", "label", "directories", "devices", "binary-files", "color", "colour"],
  flags: ["recursive", "dereference-recursive", "files-with-matches", "files-without-match", "fixed-strings", "extended-regexp", "ignore-case", "invert-match", "count", "line-number", "word-regexp", "line-regexp", "no-messages", "quiet", "silent", "text", "null", "only-matching"],
};

/** Programs whose first operand is a pattern or a script, unless given with -e or -f. */
const PATTERN_FIRST: Record<string, OptionSpec> = {
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

export function commandPaths(commands: SimpleCommand[]): CommandPaths {
  const paths: CommandPaths = {
    reads: [],
    historyReads: [],
    writes: [],
    linkWrites: [],
    trees: [],
    gitTrees: [],
    gitTreesIfPresent: [],
    copies: [],
    folders: [],
    guessedFolders: [],
    unanchored: [],
    folderReads: [],
    linkMakers: [],
    linkCopies: [],
    symlinkTargets: [],
    uncheckable: [],
    folderWrites: [],
    recursiveCopies: [],
  };
  const { folders, guesses, unknownAt } = workingFolders(commands);
  paths.folders = folders;
  paths.guessedFolders = guesses;
  const followed = new Set<string>();
  commands.forEach((command, index) => {
    if (!command.program) return;
    const before = { reads: paths.reads.length, writes: paths.writes.length, copies: paths.recursiveCopies.length };
    for (const [program, ...args] of unwrapLayers([command.program, ...command.args])) {
      if (!program?.literal) continue;
      addLayer(paths, programName(program), args, command.source, followed);
    }
    // Sources of earlier copies count as writes (both ends of a copy do), but a copy does not change its
    // source, and a move only takes files away from it, which leaves less to copy: they are left out here.
    const copied = new Set(paths.copies.map((copy) => copy.source));
    const writtenBefore = paths.writes.slice(0, before.writes).filter((path) => !copied.has(path));
    for (const copy of paths.recursiveCopies.slice(before.copies)) copy.writtenBefore = writtenBefore;
    const after = unknownAt.find((at) => at.index < index);
    if (after) {
      const named = [...paths.reads.slice(before.reads), ...paths.writes.slice(before.writes)].filter((path) => !path.startsWith("/"));
      paths.unanchored.push(...named.map((path) => ({ path, after: after.command })));
    }
  });
  paths.linkWrites = paths.linkWrites.filter((path) => !followed.has(path));
  return paths;
}

function addLayer(paths: CommandPaths, program: string, args: Word[], source: string, followed: Set<string>): void {
  const words = args.filter((word) => word.literal).map((word) => word.value);
  const write = (...given: string[]) => {
    paths.writes.push(...given);
    given.forEach((path) => followed.add(path));
  };
  const patternFirst = PATTERN_FIRST[program];
  if (patternFirst) {
    const options = split(words, patternFirst);
    const { operands, values, flags } = options;
    const given = values.has("e") || values.has("f") || values.has("regexp") || values.has("file") || values.has("expression") || flags.has("files");
    const files = given ? operands : operands.slice(1);
    paths.reads.push(...files, ...(values.get("f") ?? []), ...(values.get("file") ?? []));
    if (program === "sed" && inPlace(words)) write(...files);
    // gawk's `-i inplace` library rewrites every file it reads.
    if ((program === "awk" || program === "gawk") && get(values, "i", "include").some((library) => /^inplace(\.awk)?$/.test(library))) write(...files);
    const recursive = recursiveSearch(program, files, options, source);
    if (recursive) paths.folderReads.push(...recursive);
    return;
  }
  if (program === "dd") {
    write(...words.flatMap((word) => (word.startsWith("of=") ? [word.slice(3)] : [])));
    paths.reads.push(...words.flatMap((word) => (word.startsWith("if=") ? [word.slice(3)] : [])));
    return;
  }
  const end = words.indexOf("--");
  // Past `--`, a word is an operand of this program, but a script runner (`npm test -- --config=.env`) hands
  // it on as an option: both readings are checked.
  paths.reads.push(...words.flatMap(readCandidates), ...(end === -1 ? [] : words.slice(end + 1)));
  const spec = FILE_CHANGERS[program];
  if (program === "ln" || program === "link") addLinker(paths, program, words, source, write);
  else if (spec) addFileChanger(paths, program, words, spec, source, write);
  else if (program === "git") addGit(paths, words, source, write);
  else if (program === "tar") addTar(paths, words, source, write);
  else if (program === "find") addFind(paths, words, write);
  else if (program === "patch") addPatch(paths, words, source, write);
  else if (program === "zip") addZip(paths, words, source, write);
  else if (program === "unzip") addUnzip(paths, words, source);
  else if (program === "diff") addDiff(paths, words, source);
  else if (Object.hasOwn(COMPRESSORS, program)) addCompressor(words, COMPRESSORS[program] ?? "", write);
  else if (program === "uniq" || program === "split" || program === "csplit") addSplitter(program, words, write);
}

/** Compressors replace each file with its compressed (or expanded) twin, unless writing to stdout or testing. */
const COMPRESSORS: Record<string, string> = {
  gzip: ".gz", gunzip: ".gz", bzip2: ".bz2", bunzip2: ".bz2", xz: ".xz", unxz: ".xz", lzma: ".lzma", zstd: ".zst", unzstd: ".zst", compress: ".Z", uncompress: ".Z",
};

function addCompressor(words: string[], suffix: string, write: Write): void {
  const { operands, flags } = split(words, { short: "bSo", long: ["suffix", "block-size", "output"], flags: ["stdout", "to-stdout", "test", "list", "keep"] });
  if (["c", "t", "l", "stdout", "to-stdout", "test", "list"].some((flag) => flags.has(flag))) return;
  write(...operands.flatMap((file) => [file, `${file}${suffix}`, file.endsWith(suffix) ? file.slice(0, -suffix.length) : file]));
}

/** `uniq IN OUT` writes OUT; `split IN PREFIX` and `csplit -f PREFIX` write PREFIXaa…, PREFIX00… */
function addSplitter(program: string, words: string[], write: Write): void {
  const specs: Record<string, OptionSpec> = {
    uniq: { short: "fsw", long: ["skip-fields", "skip-chars", "check-chars", "all-repeated", "group"] },
    split: { short: "abClnt", long: ["suffix-length", "bytes", "line-bytes", "lines", "number", "separator", "additional-suffix", "filter"] },
    csplit: { short: "bfn", long: ["suffix-format", "prefix", "digits"] },
  };
  const spec = specs[program] ?? NO_VALUES;
  const { operands, values } = split(words, spec);
  if (program === "uniq") write(...operands.slice(1, 2));
  else if (program === "split") write(`${operands[1] ?? "x"}aa`, `${operands[1] ?? "x"}00`);
  else write(`${get(values, "f", "prefix")[0] ?? "xx"}00`);
}

type Write = (...paths: string[]) => void;

function addFileChanger(paths: CommandPaths, program: string, words: string[], spec: OptionSpec, source: string, write: Write): void {
  const { operands, values, flags } = split(words, spec);
  const reference = [...(values.get("r") ?? []), ...(values.get("reference") ?? [])];
  paths.reads.push(...reference);
  const targets = FIRST_OPERAND_NOT_A_PATH.has(program) && reference.length === 0 ? operands.slice(1) : operands;
  const given = [...(values.get("t") ?? []), ...(values.get("target-directory") ?? [])][0];
  // `mv` and `cp --remove-destination` replace a link they are given as destination rather than write
  // through it; a link to a folder is entered all the same, which the `folder/name` write below covers.
  const replacesLinks = program === "mv" || (program === "cp" && flags.has("remove-destination"));
  const replaced = replacesLinks && given === undefined ? targets.at(-1) : undefined;
  const onLinks = ACT_ON_LINKS.has(program) || (["chown", "chgrp", "touch"].includes(program) && (flags.has("h") || flags.has("no-dereference")));
  if (onLinks) {
    paths.writes.push(...targets);
    paths.linkWrites.push(...targets);
  } else if (program !== "mv") write(...targets.slice(0, replaced === undefined ? targets.length : -1));
  const recursive = flags.has("r") || flags.has("R") || flags.has("recursive") || flags.has("a") || flags.has("archive");
  if (RECURSIVE.has(program) && recursive) paths.trees.push(...targets);
  if (!COPIERS.has(program)) return;
  const sources = given === undefined ? targets.slice(0, -1) : targets;
  const folder = given ?? targets.at(-1);
  if (folder === undefined) return;
  if (program === "mv") {
    paths.writes.push(...sources);
    paths.linkWrites.push(...sources);
  }
  if (replaced !== undefined) {
    paths.writes.push(replaced);
    paths.linkWrites.push(replaced);
    // Nor is it read: the generic reading of operands took it as a file the command may read.
    const read = paths.reads.lastIndexOf(replaced);
    if (read !== -1) paths.reads.splice(read, 1);
  } else write(folder);
  write(...sources.map((path) => posix.join(folder, posix.basename(path))));
  paths.copies.push(...sources.map((path) => ({ source: path, folder })));
  if ((program === "cp" && recursive) || program === "mv" || program === "rsync") {
    paths.recursiveCopies.push(...sources.map((path) => ({ source: path, command: source, writtenBefore: [] })));
  }
  if (program === "rsync") {
    write(...get(values, "log-file", "backup-dir", "partial-dir", "temp-dir", "T"));
    if (values.has("files-from")) paths.uncheckable.push({ command: source, why: "takes the names of the files to copy from a file, which cannot be checked" });
  }
  // cp copies what a link points to unless it copies recursively or keeps links (-P, -d, -a); mv moves links.
  const keepsLinks = ["P", "d", "no-dereference", "l", "links"].some((flag) => flags.has(flag)) || (program === "cp" && recursive) || (program === "rsync" && (flags.has("a") || flags.has("archive")));
  if (program === "mv" || keepsLinks) paths.linkCopies.push(...sources.map((path) => ({ source: path, command: source })));
  if (program === "mv") paths.trees.push(...sources);
  const dereferences = ["L", "dereference", "copy-links", "copy-unsafe-links", "copy-dirlinks"].some((flag) => flags.has(flag)) || (program === "rsync" && flags.has("k"));
  if (program === "mv" || recursive) paths.folderReads.push(...sources.map((folderRead) => readsAll(folderRead, source, "name the files to copy one by one", dereferences)));
  const makesLinks = program === "cp" && ["s", "symbolic-link", "l", "link"].some((flag) => flags.has(flag));
  if (makesLinks) paths.linkMakers.push(source);
}

/**
 * `ln [-s] TARGET… LINK|DIR`, `ln -t DIR TARGET…`, `link FILE NEW`. The new names are writes. A hard link's
 * file is read and written through the new name, so it is both; a symbolic link's TARGET is text read
 * relative to the link's folder (or to the current one with `-r`).
 */
function addLinker(paths: CommandPaths, program: string, words: string[], source: string, write: Write): void {
  const { operands, values, flags } = split(words, program === "ln" ? COPY_OPTIONS : NO_VALUES);
  paths.linkMakers.push(source);
  const folder = [...(values.get("t") ?? []), ...(values.get("target-directory") ?? [])][0];
  const targets = folder !== undefined || operands.length === 1 ? operands : operands.slice(0, -1);
  const last = operands.at(-1);
  const links =
    folder !== undefined
      ? targets.map((target) => posix.join(folder, posix.basename(target)))
      : operands.length === 1
        ? targets.map((target) => posix.basename(target))
        : last === undefined
          ? []
          : [last, ...targets.map((target) => posix.join(last, posix.basename(target)))];
  write(...links);
  const symbolic = flags.has("s") || flags.has("symbolic") || flags.has("symbolic-link");
  if (!symbolic) {
    write(...targets);
    return;
  }
  if (flags.has("r") || flags.has("relative")) return;
  for (const target of targets) {
    for (const link of links) paths.symlinkTargets.push({ target, linkFolder: posix.dirname(link) });
    if (last !== undefined && folder === undefined) paths.symlinkTargets.push({ target, linkFolder: last });
  }
}

const GIT_GLOBAL_VALUES = new Set(["-c", "-C", "--git-dir", "--work-tree", "--namespace", "--super-prefix", "--config-env", "--attr-source"]);

/** git subcommands whose output shows file contents from history, so `REV:PATH` and paths after `--` are reads. */
const GIT_SHOWS_CONTENT = new Set(["show", "cat-file", "diff", "difftool", "log", "blame", "annotate", "grep", "archive", "whatchanged", "format-patch"]);

interface GitCall {
  paths: CommandPaths;
  source: string;
  write: Write;
  operands: string[];
  values: Map<string, string[]>;
  flags: Set<string>;
  beforeDashes: string[];
  afterDashes: string[];
}

/**
 * What a git subcommand does with files. `pathspecs`: its operands may name files it reads or writes, so a
 * glob or pathspec magic among them (`'*.yml'`, `:(glob)**`, `:!src`) is refused: which files it means
 * cannot be known from the words. `makesLinks`: it writes files from history or the index into the
 * worktree, links included. `run`: the files it writes, or why they cannot be known. A subcommand not in the
 * table is refused (it may write files).
 */
interface GitSubcommand {
  values?: OptionSpec;
  pathspecs?: boolean;
  makesLinks?: boolean | ((call: GitCall) => boolean);
  run?: (call: GitCall) => void;
}

const LOG_VALUES: OptionSpec = {
  short: "nSGL",
  long: ["grep", "author", "committer", "format", "pretty", "since", "until", "after", "before", "max-count", "skip", "date", "encoding", "decorate-refs", "decorate-refs-exclude", "diff-filter", "relative", "output-indicator-new", "output-indicator-old", "output-indicator-context"],
};

const uncheckable = (why: string) => (call: GitCall) => {
  call.paths.uncheckable.push({ command: call.source, why });
};

const READ_ONLY: GitSubcommand = {};
const HISTORY_WRITER: GitSubcommand = { makesLinks: true };

const GIT_SUBCOMMANDS: Record<string, GitSubcommand> = {
  // Read, print, or change only git's own files.
  ...Object.fromEntries(
    [
      "status", "shortlog", "describe", "rev-parse", "rev-list", "ls-files", "ls-tree", "cat-file", "branch", "tag", "fetch", "push", "remote", "reflog",
      "for-each-ref", "show-ref", "symbolic-ref", "update-ref", "name-rev", "merge-base", "count-objects", "fsck", "gc", "prune", "repack", "verify-commit",
      "verify-tag", "help", "version", "var", "check-ignore", "check-attr", "check-ref-format", "write-tree", "commit-tree", "ls-remote", "notes", "range-diff",
      "cherry", "show-branch", "column", "stripspace", "get-tar-commit-id", "verify-pack", "mailinfo", "difftool", "blame", "annotate", "merge-tree", "diff-tree",
      "diff-index", "diff-files", "hash-object",
    ].map((name) => [name, READ_ONLY]),
  ),
  log: { values: LOG_VALUES, pathspecs: true },
  whatchanged: { values: LOG_VALUES, pathspecs: true },
  show: { values: LOG_VALUES, pathspecs: true },
  commit: { values: { short: "mFCcut", long: ["message", "file", "reuse-message", "reedit-message", "fixup", "squash", "author", "date", "template", "trailer", "cleanup", "pathspec-from-file"] }, pathspecs: true },
  diff: { values: LOG_VALUES, pathspecs: true, run: gitDiff },
  grep: {
    values: { short: "efABCm", long: ["regexp", "file", "after-context", "before-context", "context", "max-count", "max-depth", "threads"], flags: ["untracked", "no-index", "cached"] },
    run: gitGrep,
  },
  add: { values: { short: "", long: ["chmod", "pathspec-from-file"] }, pathspecs: true, run: gitAdd },
  mv: { pathspecs: true, run: gitMove },
  rm: { values: { short: "", long: ["pathspec-from-file"], flags: ["cached"] }, pathspecs: true, run: gitRemove },
  checkout: {
    values: { short: "bB", long: ["orphan", "conflict", "pathspec-from-file"] },
    pathspecs: true,
    makesLinks: true,
    run: (call) => {
      call.paths.gitTrees.push(...call.afterDashes);
      call.paths.gitTreesIfPresent.push(...call.beforeDashes);
    },
  },
  restore: {
    values: { short: "s", long: ["source", "conflict", "pathspec-from-file"] },
    pathspecs: true,
    makesLinks: true,
    run: (call) => call.paths.gitTrees.push(...call.operands),
  },
  clean: { values: { short: "e", long: ["exclude"] }, pathspecs: true, run: (call) => call.paths.gitTrees.push(...(call.operands.length > 0 ? call.operands : ["."])) },
  reset: { pathspecs: true, makesLinks: (call) => ["hard", "merge", "keep"].some((flag) => call.flags.has(flag)) },
  stash: {
    values: { short: "m", long: ["message", "pathspec-from-file"] },
    pathspecs: true,
    makesLinks: (call) => !["list", "show"].includes(call.operands[0] ?? ""),
  },
  switch: { values: { short: "cC", long: ["orphan", "conflict"] }, makesLinks: true },
  merge: { values: { short: "msX", long: ["message", "strategy", "strategy-option", "file"] }, makesLinks: true },
  pull: { values: { short: "sX", long: ["strategy", "strategy-option", "depth"] }, makesLinks: true },
  rebase: { values: { short: "sX", long: ["strategy", "strategy-option", "onto"] }, makesLinks: true },
  "cherry-pick": { values: { short: "mX", long: ["mainline", "strategy", "strategy-option"] }, makesLinks: true },
  revert: { values: { short: "mX", long: ["mainline", "strategy", "strategy-option"] }, makesLinks: true },
  bisect: HISTORY_WRITER,
  "sparse-checkout": HISTORY_WRITER,
  "read-tree": {
    values: { short: "", long: ["prefix", "exclude-per-directory", "index-output"] },
    makesLinks: (call) => call.flags.has("u"),
    run: (call) => {
      if (call.flags.has("u")) uncheckable("writes the files of a tree into the worktree, which cannot be checked")(call);
      call.write(...get(call.values, "index-output"));
    },
  },
  "update-index": { values: { short: "", long: ["chmod", "cacheinfo"] }, run: gitUpdateIndex },
  "checkout-index": { values: { short: "", long: ["prefix", "stage"] }, makesLinks: true, run: gitCheckoutIndex },
  "merge-file": {
    values: { short: "L", long: ["marker-size"] },
    run: (call) => {
      if (!call.flags.has("p") && !call.flags.has("stdout")) call.write(...call.operands.slice(0, 1));
    },
  },
  "interpret-trailers": {
    values: { short: "", long: ["trailer", "where", "if-exists", "if-missing"] },
    run: (call) => {
      if (call.flags.has("in-place")) call.write(...call.operands);
    },
  },
  config: { values: { short: "f", long: ["file", "blob", "type", "default", "comment", "value"] }, run: gitConfig },
  archive: {
    values: { short: "o", long: ["output", "format", "prefix", "remote", "exec", "add-file", "add-virtual-file"] },
    run: (call) => call.write(...get(call.values, "o", "output")),
  },
  "format-patch": {
    values: { short: "ovN", long: ["output-directory", "start-number", "subject-prefix", "suffix", "signature", "signature-file", "cover-letter-format", "in-reply-to", "to", "cc", "from", "base", "interdiff", "range-diff", "creation-factor", "filename-max-length"] },
    run: (call) => {
      if (call.flags.has("stdout")) return;
      flatFolderWrite(call, get(call.values, "o", "output-directory")[0] ?? ".", "0001-change.patch");
    },
  },
  bundle: {
    run: (call) => {
      if (call.operands[0] === "create") call.write(...call.operands.slice(1, 2));
    },
  },
  clone: {
    values: { short: "obuc", long: ["origin", "branch", "upload-pack", "reference", "reference-if-able", "separate-git-dir", "depth", "shallow-since", "shallow-exclude", "config", "server-option", "filter", "template", "jobs", "bundle-uri"] },
    makesLinks: true,
    run: (call) => {
      const [repository = "", folder] = call.operands;
      call.paths.folderWrites.push(folder ?? posix.basename(repository.replace(/\/+$/, "")).replace(/\.git$/, ""), ...get(call.values, "separate-git-dir"));
    },
  },
  init: {
    values: { short: "b", long: ["template", "separate-git-dir", "object-format", "initial-branch", "shared"] },
    run: (call) => call.paths.folderWrites.push(call.operands[0] ?? ".", ...get(call.values, "separate-git-dir")),
  },
  worktree: {
    values: { short: "bB", long: ["reason", "expire"] },
    makesLinks: (call) => call.operands[0] === "add",
    run: (call) => {
      const [action, folder] = call.operands;
      if (action === "add" && folder !== undefined) call.paths.folderWrites.push(folder);
      else if (action === "move" || action === "remove") uncheckable(`${action}s a worktree, whose files cannot be checked`)(call);
    },
  },
  mailsplit: { values: { short: "ob", long: [] }, run: (call) => flatFolderWrite(call, get(call.values, "o")[0] ?? ".", "0001") },
  bugreport: { values: { short: "os", long: ["output-directory", "suffix", "diagnose"] }, run: (call) => flatFolderWrite(call, get(call.values, "o", "output-directory")[0] ?? ".", "git-bugreport.txt") },
  diagnose: { values: { short: "os", long: ["output-directory", "suffix", "mode"] }, run: (call) => flatFolderWrite(call, get(call.values, "o", "output-directory")[0] ?? ".", "git-diagnostics.zip") },
  apply: {
    values: { short: "pC", long: ["directory", "exclude", "include", "whitespace"], flags: ["check", "stat", "numstat", "summary"] },
    makesLinks: true,
    run: (call) => {
      if (["check", "stat", "numstat", "summary"].some((flag) => call.flags.has(flag))) return;
      uncheckable("writes the files its patch names, which cannot be checked (check a patch with `git apply --check`, apply it with the file tools)")(call);
    },
  },
  am: { makesLinks: true, run: uncheckable("writes the files its patches name, which cannot be checked (apply a patch with the file tools)") },
  submodule: {
    run: (call) => {
      if (!["status", "summary", undefined].includes(call.operands[0])) uncheckable("clones or checks out submodules, whose files cannot be checked")(call);
    },
  },
};

/** Refused outright: they import objects, trees or commands the words do not show, or read stored credentials. */
const GIT_REFUSED: Record<string, string> = {
  mktree: "builds a tree from its input, which a later checkout would write unchecked",
  "fast-import": "imports commits from its input, which a later checkout would write unchecked",
  "unpack-objects": "imports objects from its input, which a later checkout would write unchecked",
  "index-pack": "imports objects from a pack, which a later checkout would write unchecked",
  "pack-objects": "writes pack files whose names it chooses",
  "filter-branch": "runs the shell commands it is given",
  "filter-repo": "rewrites history with code it is given",
  credential: "prints stored credentials",
  "credential-store": "prints stored credentials",
  "credential-cache": "prints stored credentials",
  daemon: "serves the repository",
  instaweb: "starts a web server and browser",
  "send-email": "sends mail",
  "http-backend": "serves the repository",
  "upload-pack": "serves the repository",
  "receive-pack": "writes a repository from its input",
  "fsmonitor--daemon": "starts a daemon",
  maintenance: "registers scheduled jobs outside the workspace",
  "replace": "can open an editor and rewrite objects later checkouts write",
};

function addGit(paths: CommandPaths, words: string[], source: string, write: Write): void {
  let at = 0;
  while (at < words.length && (words[at] ?? "").startsWith("-")) at += GIT_GLOBAL_VALUES.has(words[at] ?? "") ? 2 : 1;
  const subcommand = words[at] ?? "";
  if (subcommand === "") return;
  const rest = words.slice(at + 1);
  const spec = Object.hasOwn(GIT_SUBCOMMANDS, subcommand) ? GIT_SUBCOMMANDS[subcommand] : undefined;
  const refused = Object.hasOwn(GIT_REFUSED, subcommand) ? GIT_REFUSED[subcommand] : undefined;
  if (!spec) {
    paths.uncheckable.push({ command: source, why: refused ? `(\`git ${subcommand}\`) ${refused}` : `runs \`git ${subcommand}\`, which this checker does not model (it may write files); run a git subcommand it knows` });
    return;
  }
  const { operands, values, flags } = split(rest, spec.values ?? NO_VALUES);
  const dashes = rest.indexOf("--");
  const afterDashes = dashes === -1 ? [] : rest.slice(dashes + 1);
  const beforeDashes = dashes === -1 ? operands : operands.slice(0, operands.length - afterDashes.length);
  const call: GitCall = { paths, source, write, operands, values, flags, beforeDashes, afterDashes };
  if (GIT_SHOWS_CONTENT.has(subcommand)) {
    paths.historyReads.push(...afterDashes, ...rest.flatMap(revisionPath));
  }
  if (values.has("pathspec-from-file")) {
    paths.uncheckable.push({ command: source, why: "reads the paths it changes from a file, which cannot be checked" });
  }
  const pathspecs = spec.pathspecs ? operands : subcommand === "grep" ? grepPaths(call) : [];
  const magic = pathspecs.find(isPathspecPattern);
  if (magic !== undefined) {
    paths.uncheckable.push({ command: source, why: `gives git the pathspec \`${magic}\`, a pattern (or pathspec magic) whose files cannot be checked; name the files one by one` });
  }
  const makesLinks = typeof spec.makesLinks === "function" ? spec.makesLinks(call) : spec.makesLinks === true;
  if (makesLinks) paths.linkMakers.push(source);
  spec.run?.(call);
}

/** A pathspec git matches as a pattern: a glob character, or magic such as `:(glob)`, `:!x`, `:^x`, `:/x`. */
function isPathspecPattern(word: string): boolean {
  return /[*?[]/.test(word) || /^:[(!^/]/.test(word);
}

/** A folder a program writes files into, named by the program (`git format-patch -o DIR`): `probe` stands for them. */
function flatFolderWrite(call: GitCall, folder: string, probe: string): void {
  call.write(folder, posix.join(folder, probe));
}

/** `git diff --no-index A B` compares any two paths, folders with everything in them. */
function gitDiff(call: GitCall): void {
  if (!call.flags.has("no-index")) return;
  call.paths.folderReads.push(...call.operands.map((folder) => readsAll(folder, call.source, "compare narrower paths", false)));
}

/** The paths of `git grep`: its operands after the pattern (unless given by -e/-f) and after `--`. */
function grepPaths(call: GitCall): string[] {
  const { values, beforeDashes, afterDashes } = call;
  const given = values.has("e") || values.has("regexp") || values.has("f") || values.has("file");
  return [...(given ? beforeDashes : beforeDashes.slice(1)), ...afterDashes];
}

function gitGrep(call: GitCall): void {
  if (!call.flags.has("untracked") && !call.flags.has("no-index")) return;
  const searched = grepPaths(call);
  call.paths.folderReads.push(...(searched.length > 0 ? searched : ["."]).map((folder) => readsAll(folder, call.source, "name narrower paths", false)));
}

/**
 * `git add` reads what it adds into the index, where `git diff --cached` and `git show` print it: a folder is
 * read with everything in it that .gitignore does not leave out (everything with `-f`).
 */
function gitAdd(call: GitCall): void {
  const { operands, flags } = call;
  const whole = ["A", "all", "u", "update", "no-ignore-removal"].some((flag) => flags.has(flag));
  const folders = operands.length > 0 ? operands : whole ? ["."] : [];
  const force = flags.has("f") || flags.has("force");
  call.paths.folderReads.push(...folders.map((folder) => ({ ...readsAll(folder, call.source, "add narrower paths", false), gitignore: !force })));
}

function gitMove(call: GitCall): void {
  const { paths, operands, source, write } = call;
  const sources = operands.slice(0, -1);
  const folder = operands.at(-1);
  if (folder === undefined) return;
  paths.writes.push(...sources);
  paths.linkWrites.push(...sources);
  paths.trees.push(...sources);
  write(folder, ...sources.map((path) => posix.join(folder, posix.basename(path))));
  paths.copies.push(...sources.map((path) => ({ source: path, folder })));
  paths.linkCopies.push(...sources.map((path) => ({ source: path, command: source })));
}

function gitRemove(call: GitCall): void {
  const { paths, operands, flags } = call;
  if (flags.has("cached")) return;
  paths.writes.push(...operands);
  paths.linkWrites.push(...operands);
  if (flags.has("r")) paths.trees.push(...operands);
}

/**
 * `git update-index --cacheinfo MODE,SHA,PATH` puts any content at PATH in the index, which a checkout then
 * writes: PATH counts as written. Entries read from the input cannot be checked.
 */
function gitUpdateIndex(call: GitCall): void {
  const { values, flags, operands, write } = call;
  if (flags.has("index-info") || flags.has("stdin")) {
    uncheckable("reads index entries from its input, which cannot be checked")(call);
    return;
  }
  for (const info of get(values, "cacheinfo")) {
    const parts = info.split(",");
    if (parts.length >= 3) write(parts.slice(2).join(","));
    // The old form, `--cacheinfo MODE SHA PATH`: the path is the second operand after it.
    else write(operands[1] ?? "");
  }
}

/** `git checkout-index FILE…` writes FILE (under `--prefix`); `-a`, `--stdin` write what the index holds. */
function gitCheckoutIndex(call: GitCall): void {
  const { values, flags, operands, write } = call;
  if (flags.has("a") || flags.has("all") || flags.has("stdin")) {
    uncheckable("writes whatever the index holds, which cannot be checked; name the files")(call);
    return;
  }
  if (flags.has("temp")) {
    flatFolderWrite(call, ".", ".merge_file_0");
    return;
  }
  const prefix = get(values, "prefix")[0] ?? "";
  write(...operands.map((path) => `${prefix}${path}`));
}

/** `git config` reads freely; it writes a file given by `--file`, and refuses other writes (they can make git run code). */
function gitConfig(call: GitCall): void {
  const { values, flags, operands } = call;
  const reads = ["get", "get-all", "get-regexp", "get-urlmatch", "get-color", "get-colorbool", "list", "l"].some((flag) => flags.has(flag));
  const [first] = operands;
  const readsByVerb = first === "get" || first === "list";
  if (reads || readsByVerb || (operands.length <= 1 && !["edit", "e", "unset", "unset-all", "add", "replace-all", "rename-section", "remove-section"].some((flag) => flags.has(flag)))) return;
  const file = get(values, "f", "file");
  if (file.length > 0 && !flags.has("global") && !flags.has("system")) {
    call.write(...file);
    return;
  }
  const where = flags.has("global") || flags.has("system") ? "writes git configuration outside the workspace" : "changes git's configuration, which can make git run commands (core.pager, diff.external, alias.*)";
  uncheckable(where)(call);
}

/** `HEAD:.env`, `main~2:src/a.ts`, `:.env` (the index), `:0:.env`: the path part. */
function revisionPath(word: string): string[] {
  if (word.startsWith("-") || word.includes("://")) return [];
  const match = /^(?::[0-3]:|[^:]*:)(.+)$/s.exec(word);
  const path = match?.[1];
  return path === undefined || path.startsWith("/") ? [] : [path.replace(/^\.\//, "")];
}

const TAR_OPTIONS: OptionSpec = {
  short: "bCfgHKLNTVX",
  long: ["file", "directory", "exclude", "files-from", "exclude-from", "label", "format", "blocking-factor", "listed-incremental", "newer", "after-date", "transform", "xform", "owner", "group", "mode", "mtime", "newer-mtime", "tape-length", "volno-file", "index-file"],
  flags: ["create", "extract", "get", "list", "append", "update", "catenate", "concatenate", "delete", "diff", "compare", "to-stdout", "dereference", "verbose", "gzip", "bzip2", "xz", "zstd", "remove-files"],
};

/**
 * `tar c` reads its operands recursively and writes the archive; `tar r`/`u`/`A`/`--delete` write the archive;
 * `tar x` writes whatever the archive holds, which cannot be checked (unless it goes to stdout with `-O`).
 */
function addTar(paths: CommandPaths, words: string[], source: string, write: Write): void {
  const [first = "", ...rest] = words;
  const expanded = /^[a-zA-Z]+$/.test(first) ? bundledTarOptions(first, rest) : words;
  const { operands, values, flags } = split(expanded, TAR_OPTIONS);
  const has = (letter: string, long: string[]) => flags.has(letter) || long.some((name) => flags.has(name));
  const archives = [...(values.get("f") ?? []), ...(values.get("file") ?? [])].filter((archive) => archive !== "-");
  if (values.has("T") || values.has("files-from")) {
    paths.uncheckable.push({ command: source, why: "takes the names of the files to archive from a file, which cannot be checked" });
  }
  if (has("x", ["extract", "get"]) && !has("O", ["to-stdout"])) {
    paths.uncheckable.push({ command: source, why: "extracts files whose names and links come from the archive, which cannot be checked; list it with `tar t` or print a member with `tar xO`" });
  }
  if (has("c", ["create"]) || has("r", ["append"]) || has("u", ["update"]) || has("A", ["catenate", "concatenate"]) || flags.has("delete")) {
    write(...archives);
  }
  // The index and the snapshot file are written whatever the mode.
  write(...get(values, "index-file", "g", "listed-incremental"));
  if (flags.has("remove-files")) {
    // Deletes what it archived, folders with everything in them.
    const removed = operands.flatMap((operand) => [operand, ...[...(values.get("C") ?? []), ...(values.get("directory") ?? [])].map((directory) => posix.join(directory, operand))]);
    paths.writes.push(...removed);
    paths.linkWrites.push(...removed);
    paths.trees.push(...removed);
  }
  if (!has("c", ["create"]) && !has("r", ["append"]) && !has("u", ["update"])) return;
  const directories = [...(values.get("C") ?? []), ...(values.get("directory") ?? [])];
  // tar matches --exclude against every part of a member's name; a pattern with a slash is not modelled (kept in).
  const skipped = [...(values.get("exclude") ?? [])].filter((glob) => !glob.includes("/")).map((glob) => ({ glob, include: false }));
  for (const operand of operands) {
    const places = [operand, ...directories.map((directory) => posix.join(directory, operand))];
    paths.reads.push(...places);
    for (const folder of places) {
      paths.folderReads.push({ ...readsAll(folder, source, "--exclude=NAME", has("h", ["dereference"])), files: skipped, folders: skipped });
    }
  }
}

/** `tar czf out.tgz x`: the letters of the first word are options; value letters take the next words in turn. */
function bundledTarOptions(letters: string, rest: string[]): string[] {
  const options: string[] = [];
  let next = 0;
  for (const letter of letters) {
    options.push(`-${letter}`);
    if (TAR_OPTIONS.short.includes(letter)) options.push(rest[next++] ?? "");
  }
  return [...options, ...rest.slice(next)];
}

/** `find START… -delete` removes what it finds under START; `-fprint FILE` and friends write FILE. */
function addFind(paths: CommandPaths, words: string[], write: Write): void {
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

const PATCH_OPTIONS: OptionSpec = {
  short: "pioBDdFrVYz",
  long: ["strip", "input", "output", "prefix", "ifdef", "directory", "fuzz", "reject-file", "version-control", "basename-prefix", "suffix", "quoting-style", "get", "read-only"],
  flags: ["dry-run", "forward", "reverse", "batch", "force", "silent", "quiet", "backup", "backup-if-mismatch"],
};

/** `patch FILE [PATCH]` changes FILE; without FILE it changes what the patch names, which cannot be checked. */
function addPatch(paths: CommandPaths, words: string[], source: string, write: Write): void {
  const { operands, values, flags } = split(words, PATCH_OPTIONS);
  if (flags.has("dry-run")) return;
  write(...(values.get("o") ?? []), ...(values.get("output") ?? []), ...(values.get("r") ?? []), ...(values.get("reject-file") ?? []));
  const [file] = operands;
  const movesElsewhere = ["d", "directory", "B", "prefix", "Y", "basename-prefix"].some((name) => values.has(name));
  if (file === undefined || movesElsewhere) {
    paths.uncheckable.push({ command: source, why: "changes the files its patch names, which cannot be checked; give the file to change (`patch FILE < x.diff`) or edit it with the file tools" });
    return;
  }
  write(file);
}

/** `zip [-r] ARCHIVE FILE…`: ARCHIVE is written, the files read (folders with everything in them under -r). */
function addZip(paths: CommandPaths, words: string[], source: string, write: Write): void {
  const { operands, flags } = split(words, { short: "bnOtx", long: ["temp-path", "suffixes", "output-file", "exclude"], flags: ["recurse-paths", "symlinks"] });
  const [archive, ...files] = operands;
  if (archive !== undefined) write(archive);
  if (flags.has("r") || flags.has("R") || flags.has("recurse-paths")) {
    const keepsLinks = flags.has("y") || flags.has("symlinks");
    paths.folderReads.push(...files.map((folder) => readsAll(folder, source, "name the files one by one", !keepsLinks)));
  }
}

/** `unzip` extracts files named inside the archive, unless it only lists, tests or prints them. */
function addUnzip(paths: CommandPaths, words: string[], source: string): void {
  const { flags } = split(words, { short: "dx", long: [] });
  if (["l", "t", "v", "Z", "z", "p", "c"].some((flag) => flags.has(flag))) return;
  paths.uncheckable.push({ command: source, why: "extracts files whose names come from the archive, which cannot be checked; list it with `unzip -l`" });
}

function addDiff(paths: CommandPaths, words: string[], source: string): void {
  const { operands, flags } = split(words, { short: "CDFILSUWx", long: ["exclude", "exclude-from", "from-file", "to-file", "label", "starting-file"], flags: ["recursive", "no-dereference"] });
  if (flags.has("r") || flags.has("recursive")) paths.folderReads.push(...operands.map((folder) => readsAll(folder, source, "--exclude=NAME")));
}

function readsAll(folder: string, command: string, exclude: string, followsLinks = true): FolderRead {
  return { folder, command, files: [], readsUnmatched: true, folders: [], skipsHidden: false, followsLinks, exclude };
}

/** grep -r/-R, rg, ag, ack: the folders searched (the current one when none is named) and their filters. */
function recursiveSearch(program: string, files: string[], split: Split, source: string): FolderRead[] | undefined {
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

function get(values: Map<string, string[]>, ...names: string[]): string[] {
  return names.flatMap((name) => values.get(name) ?? []);
}

/** `sed -i`, `-i.bak`, `-Ei`, `--in-place[=SUFFIX]` (or a prefix of it, as getopt accepts). */
function inPlace(words: string[]): boolean {
  return words.some((word) => /^-[a-zA-Z]*i/.test(word) || (word.startsWith("--i") && "--in-place".startsWith(word.split("=")[0] ?? "")));
}

/**
 * An operand, the value of a `--opt=value` word, or a value glued to a short option: which letters take a
 * value is not known for every program, so every tail of a short cluster is a candidate (`-F.env` gives
 * `.env`, `-nF.env` gives `F.env` and `.env`). `--exclude=GLOB` and the like are patterns.
 */
function readCandidates(word: string): string[] {
  if (word === "" || word === "-") return [];
  if (!word.startsWith("-")) return [word];
  if (/^--(exclude|include|ignore)/.test(word)) return [];
  const value = /^--?[^=]+=(.+)$/.exec(word)?.[1];
  if (value) return [value];
  if (word.startsWith("--") || word.length < 3) return [];
  const tails: string[] = [];
  for (let at = 2; at < word.length && tails.length < 16; at++) tails.push(word.slice(at).replace(/^=/, ""));
  return tails.filter((tail) => tail !== "");
}

interface Split {
  operands: string[];
  /** Values of options that take one, by option letter or full long name. */
  values: Map<string, string[]>;
  /** Options given without a value, by letter or full long name. */
  flags: Set<string>;
  /** Every value given, in order, with its option's letter or long name. */
  ordered: { name: string; value: string }[];
}

/**
 * Operands and options, as getopt reads them: short options grouped (`-rt DIR`, `-tDIR`), long options
 * abbreviated (`--rec`, `--target=DIR`), `--` ending the options.
 */
function split(words: string[], spec: OptionSpec): Split {
  const result: Split = { operands: [], values: new Map(), flags: new Set(), ordered: [] };
  const give = (name: string, value: string) => {
    result.values.set(name, [...(result.values.get(name) ?? []), value]);
    result.ordered.push({ name, value });
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "--") {
      result.operands.push(...words.slice(i + 1));
      break;
    }
    if (word.startsWith("--")) {
      const [written = "", attached] = word.slice(2).split(/=(.*)/s);
      const name = longOption(written, spec);
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

/**
 * A long option as getopt reads it: exact, else the one option it abbreviates. An ambiguous abbreviation
 * makes the program fail; it is kept as written, or read as a value option when one matches (closed).
 */
function longOption(written: string, spec: OptionSpec): string {
  const known = [...spec.long, ...(spec.flags ?? [])];
  if (known.includes(written)) return written;
  const candidates = known.filter((long) => written.length > 0 && long.startsWith(written));
  if (candidates.length === 1) return candidates[0] ?? written;
  return candidates.find((long) => spec.long.includes(long)) ?? written;
}

/**
 * Where commands may run: the root, every `cd`/`pushd` target from the root and after the ones before it
 * (a chain `cd a && cd b`), and `env -C DIR` / `sudo -D DIR` folders from each of those. A move the words do
 * not tell (`cd`, `cd -`, `popd`, `cd "$X"`, a program only known at run time) is noted by its position.
 */
function workingFolders(commands: SimpleCommand[]): { folders: string[]; guesses: string[]; unknownAt: { index: number; command: string }[] } {
  const folders = new Set(["."]);
  const chain = new Set(["."]);
  const unknownAt: { index: number; command: string }[] = [];
  let current = ".";
  commands.forEach((command, index) => {
    if (!command.program) return;
    if (!command.program.literal) {
      unknownAt.push({ index, command: command.source });
      return;
    }
    for (const [program, ...args] of unwrapLayers([command.program, ...command.args])) {
      const name = program?.literal ? programName(program) : "";
      if (!program?.literal || movesToUnknownFolder(name, args)) {
        unknownAt.push({ index, command: command.source });
        continue;
      }
      for (const target of folderTargets(name, args)) {
        const moved = posix.normalize(posix.join(current, target));
        const folder = target.startsWith("/") ? posix.normalize(target) : moved;
        folders.add(folder);
        chain.add(folder);
        // The target from the root too, in case the cd before ran in a subshell.
        folders.add(posix.normalize(target));
        if (name === "cd" || name === "pushd") current = folder;
      }
    }
  });
  return { folders: [...folders], guesses: [...folders].filter((folder) => !chain.has(folder)), unknownAt };
}

/** `cd` (home), `cd -`, `cd ~…`, `cd "$X"`, `popd`, `pushd` (swap), `pushd +N`: the folder is not in the words. */
function movesToUnknownFolder(program: string, args: Word[]): boolean {
  if (program === "popd") return true;
  if (program !== "cd" && program !== "pushd") return false;
  const operands = args.filter((word) => !word.literal || !/^-[LPe@]+$/.test(word.value));
  const [target] = operands;
  return target === undefined || !target.literal || target.value === "-" || target.value.startsWith("~") || /^[+-]\d+$/.test(target.value);
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
