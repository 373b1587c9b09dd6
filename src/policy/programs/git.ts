import { posix } from "node:path";
import { NO_VALUES, get, split, type OptionSpec } from "./options.ts";
import { optionRisks } from "./risks.ts";
import { readsAll, type CommandPaths, type ProgramFamily, type Risk, type RiskRules, type Write } from "./types.ts";

/**
 * git: what each subcommand reads and writes in the worktree, the subcommands refused outright, and the
 * options (global or of a subcommand) that run commands or point git at another repository.
 */

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

const BLAME_VALUES: OptionSpec = { short: "LSM", long: ["ignore-revs-file", "ignore-rev", "contents", "date", "since", "after", "before", "until", "abbrev", "encoding"] };

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
      "cherry", "show-branch", "column", "stripspace", "get-tar-commit-id", "verify-pack", "mailinfo", "difftool", "merge-tree", "diff-tree",
      "diff-index", "diff-files", "hash-object",
    ].map((name) => [name, READ_ONLY]),
  ),
  // Files named by options are read, and a line of one can reach the output (`fatal: invalid object name: KEY=…`).
  blame: { values: BLAME_VALUES, run: (call) => call.paths.reads.push(...get(call.values, "ignore-revs-file", "contents", "S")) },
  annotate: { values: BLAME_VALUES, run: (call) => call.paths.reads.push(...get(call.values, "ignore-revs-file", "contents", "S")) },
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

const RUNS_CONFIG = "sets git config for this run (core.pager, core.sshCommand, diff.external… run any command)";
const OTHER_REPO = "points git at another repository, whose config and hooks can run commands";

/** git's own options, before the subcommand: git.c matches them exactly, no abbreviation. */
const GLOBAL_RISKS: RiskRules = {
  options: {
    "-c": RUNS_CONFIG,
    "--config-env": RUNS_CONFIG,
    "--exec-path": "runs git subcommands from another directory",
    "-C": OTHER_REPO,
    "--git-dir": OTHER_REPO,
    "--work-tree": OTHER_REPO,
    "-p": "starts the configured pager, which can be any command",
    "--paginate": "starts the configured pager, which can be any command",
  },
  abbreviations: "exact",
};

/** Options of subcommands, read by parse-options, which takes unique prefixes (`--ext` is `--ext-diff`). */
const SUBCOMMAND_RISKS: Record<string, string> = {
  "--output": "writes to a file the file rules do not see",
  "--ext-diff": "runs the external diff program from the git config",
  "--textconv": "runs the textconv filters from the git config",
  "--upload-pack": "runs the given program",
  "--receive-pack": "runs the given program",
  "--exec": "runs the given command",
  "--extcmd": "runs the given command",
  "--open-files-in-pager": "runs the given pager",
  "--template": "installs hooks from a template directory",
  "--config": RUNS_CONFIG,
};

/** Short options that are risky only for some subcommands (elsewhere `-x`, `-O`, `-c`, `-u` are harmless). */
const SUBCOMMAND_SHORT: Record<string, Record<string, string>> = {
  grep: { "-O": "runs the given pager" },
  rebase: { "-x": "runs the given command" },
  difftool: { "-x": "runs the given command" },
  clone: { "-c": RUNS_CONFIG, "-u": "runs the given program" },
  "ls-remote": { "-u": "runs the given program" },
};

function gitRisks(args: string[]): Risk[] {
  let at = 0;
  while (at < args.length && (args[at] ?? "").startsWith("-")) at += GIT_GLOBAL_VALUES.has(args[at] ?? "") ? 2 : 1;
  const subcommand = args[at] ?? "";
  const globals = optionRisks(args.slice(0, at), GLOBAL_RISKS);
  // `--text` is an option of its own, not an abbreviation of `--textconv`.
  const local = optionRisks(args.slice(at + 1), { options: { ...SUBCOMMAND_RISKS, ...(SUBCOMMAND_SHORT[subcommand] ?? {}) }, exact: ["--text"] });
  return [...globals, ...local];
}

export const git: ProgramFamily = {
  names: ["git"],
  paths: ({ paths, words, source, write }) => addGit(paths, words, source, write),
  risks: gitRisks,
};
