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

export type Write = (...paths: string[]) => void;

export function readsAll(folder: string, command: string, exclude: string, followsLinks = true): FolderRead {
  return { folder, command, files: [], readsUnmatched: true, folders: [], skipsHidden: false, followsLinks, exclude };
}
