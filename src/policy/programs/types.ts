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
  /**
   * Commands that read files whose names come from their input, a file or a listing (`xargs cat`,
   * `sort --files0-from=-`, `tar c -T list`): they count as reading everything they could reach, the whole
   * workspace. `via` is the option or wrapper that hands them the names.
   */
  namesFromInput: { command: string; via: string }[];
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
  /** Why the whole folder counts as read, when it is not named (`xargs cat` reads what its input names). */
  why?: string;
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

export type Write = (...paths: string[]) => void;

export function readsAll(folder: string, command: string, exclude: string, followsLinks = true): FolderRead {
  return { folder, command, files: [], readsUnmatched: true, folders: [], skipsHidden: false, followsLinks, exclude };
}

/** One command of a family as its `paths` reader sees it: literal words after the program, in order. */
export interface PathCall {
  paths: CommandPaths;
  /** The program's base name, e.g. `cp` of `/bin/cp`. */
  program: string;
  words: string[];
  /** The whole simple command as written, for reasons. */
  source: string;
  /** Records paths the command writes through a final link (`tee LINK` writes what LINK points to). */
  write: Write;
}

/**
 * An argument that turns a read-only tool into one that runs code, writes files unseen or reads input
 * unseen. It is refused unless the allow rule that matches names it (`flag`, or the exact `word` as written).
 */
export interface Risk {
  flag: string;
  word: string;
  why: string;
  /**
   * The option only writes files the command's words name, which are decided as writes (`sed -i`): still
   * refused unless a rule names it, since it turns a reader into a writer, but naming it hands out nothing
   * more, so a rule that does is not warned about.
   */
  checked?: true;
}

/**
 * How a program resolves a long option written shorter than its name: `getopt` (GNU getopt_long, git's
 * parse-options: a prefix of one option is that option), `nopt` (npm: the same over npm's config keys,
 * `--scr=x` is `--script-shell=x`), `exact` (node, python: no abbreviation).
 */
export type Abbreviations = "getopt" | "nopt" | "exact";

/** Risky options of a program, read as the program reads its options. */
export interface RiskRules {
  /** Options (exact, `--name=value`, or for `--long` an abbreviation) and why each is risky. */
  options: Record<string, string>;
  /** Letters risky anywhere in a short-option cluster such as `-ni`. */
  letters?: Record<string, string>;
  /** Short options whose value is the rest of the cluster (`-es/a/b/`), so reading stops there. */
  valueLetters?: string;
  /** `--` does not end what is read (find's expression goes on after it; npm hands what follows to a script). */
  readsPastDoubleDash?: boolean;
  /** `--name.sub=…` is read as `--name` (yargs, cac). */
  dottedNames?: boolean;
  /** How a shortened long option is read; `getopt` unless given. */
  abbreviations?: Abbreviations;
  /** Options whose only effect is writing the files the words name, which the file rules decide (see Risk.checked). */
  checkedWrites?: string[];
  /** Long options that are complete names of their own, never abbreviations of a risky one (git's `--text`). */
  exact?: string[];
}

/** Short options whose value is a path the program writes, by letter: a file, or a folder it fills. */
export interface OutputRules {
  short?: Record<string, "file" | "folder">;
  /** Short options whose value is `key=value,…` reporter options (mocha's `-O output=FILE`). */
  reporterShort?: string;
  /** Short options that move the folder relative paths are taken from (`npm -C DIR`, `make -C DIR`). */
  movesBase?: string;
}

/**
 * Everything the checker knows about one family of programs, in one place: adding a program means adding or
 * editing one file of src/policy/programs/ (docs/policy.md, "Adding a program").
 */
export interface ProgramFamily {
  /** Base names of the programs (`grep`, `egrep`…). */
  names: readonly string[];
  /** What a command reads, writes and runs, from its words (folders read whole, links made, uncheckable writes). */
  paths?(call: PathCall): void;
  /**
   * The family lists the files it reads itself (`paths`): its first operand is a pattern or a script, not a
   * file. Otherwise every literal operand and `--opt=value` may name a file it reads.
   */
  ownReads?: true;
  /**
   * Whatever its options (but those `risks` names), the program only reads its operands: given names from
   * its input (`xargs cat`) or from a pattern the shell expands (`cat .e*`), it counts as reading everything
   * they could reach rather than being refused.
   */
  onlyReads?: true;
  /**
   * Risky arguments, from the literal words after the program. A family with risks also refuses an expansion
   * among its arguments: it could be a risky option.
   */
  risks?(args: string[]): Risk[];
  /** Options that write a path, checked like a `>` redirection (long ones of any program: programs/outputs.ts). */
  outputs?: OutputRules;
}
