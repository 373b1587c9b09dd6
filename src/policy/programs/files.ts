import { posix } from "node:path";
import { NO_VALUES, get, split, type OptionSpec } from "./options.ts";
import { readsAll, type CommandPaths, type PathCall, type ProgramFamily, type Write } from "./types.ts";

/** cp, mv, ln, rm, tee, chmod, patch, dd, uniq, split…: programs that change the files they are given. */

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
};

/** Programs whose first operand is a mode, an owner or a group rather than a path (without `--reference`). */
const FIRST_OPERAND_NOT_A_PATH = new Set(["chmod", "chown", "chgrp"]);

/** Programs that put their sources into a folder when the destination is one. */
const COPIERS = new Set(["cp", "mv", "ln", "install"]);

/** Programs whose `-r`/`-R`/`--recursive` change what a folder holds. */
const RECURSIVE = new Set(["rm", "chmod", "chown", "chgrp"]);

/** Programs that act on a link itself rather than on what it points to. */
const ACT_ON_LINKS = new Set(["rm", "unlink", "rmdir"]);

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

/** How a copier other than cp and mv (rsync) treats links and folders: its own file says. */
export interface CopyTraits {
  /** Copies folders whole whatever its options (rsync); cp needs -r. */
  recursive: boolean;
  keepsLinks: (flags: Set<string>) => boolean;
  dereferences: (flags: Set<string>) => boolean;
}

export function addFileChanger(paths: CommandPaths, program: string, words: string[], spec: OptionSpec, source: string, write: Write, traits?: CopyTraits): void {
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
  if (!COPIERS.has(program) && !traits) return;
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
  if ((program === "cp" && recursive) || program === "mv" || traits?.recursive) {
    paths.recursiveCopies.push(...sources.map((path) => ({ source: path, command: source, writtenBefore: [] })));
  }
  // cp copies what a link points to unless it copies recursively or keeps links (-P, -d, -a); mv moves links.
  const keepsLinks = ["P", "d", "no-dereference", "l", "links"].some((flag) => flags.has(flag)) || (program === "cp" && recursive) || traits?.keepsLinks(flags) === true;
  if (program === "mv" || keepsLinks) paths.linkCopies.push(...sources.map((path) => ({ source: path, command: source })));
  if (program === "mv") paths.trees.push(...sources);
  const dereferences = ["L", "dereference", "copy-links", "copy-unsafe-links", "copy-dirlinks"].some((flag) => flags.has(flag)) || traits?.dereferences(flags) === true;
  if (program === "mv" || recursive || traits?.recursive) paths.folderReads.push(...sources.map((folderRead) => readsAll(folderRead, source, "name the files to copy one by one", dereferences)));
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

export const changers: ProgramFamily = {
  names: Object.keys(FILE_CHANGERS).filter((name) => name !== "ln" && name !== "link"),
  paths: ({ paths, program, words, source, write }: PathCall) => addFileChanger(paths, program, words, FILE_CHANGERS[program] ?? NO_VALUES, source, write),
};

export const linkers: ProgramFamily = {
  names: ["ln", "link"],
  paths: ({ paths, program, words, source, write }) => addLinker(paths, program, words, source, write),
};

export const patch: ProgramFamily = { names: ["patch"], paths: ({ paths, words, source, write }) => addPatch(paths, words, source, write) };

export const splitters: ProgramFamily = { names: ["uniq", "split", "csplit"], paths: ({ program, words, write }) => addSplitter(program, words, write) };

/** `dd if=IN of=OUT`: operands of its own form, read and written. */
export const dd: ProgramFamily = {
  names: ["dd"],
  ownReads: true,
  paths({ paths, words, write }) {
    write(...words.flatMap((word) => (word.startsWith("of=") ? [word.slice(3)] : [])));
    paths.reads.push(...words.flatMap((word) => (word.startsWith("if=") ? [word.slice(3)] : [])));
  },
};
