import { posix } from "node:path";
import { get, split, type OptionSpec } from "./options.ts";
import { optionRisks } from "./risks.ts";
import { readsAll, type CommandPaths, type ProgramFamily, type Write } from "./types.ts";

/** tar, zip, unzip and the compressors: archives written, folders read whole, extractions refused. */

/** Compressors replace each file with its compressed (or expanded) twin, unless writing to stdout or testing. */
const COMPRESSORS: Record<string, string> = {
  gzip: ".gz", gunzip: ".gz", bzip2: ".bz2", bunzip2: ".bz2", xz: ".xz", unxz: ".xz", lzma: ".lzma", zstd: ".zst", unzstd: ".zst", compress: ".Z", uncompress: ".Z",
};

function addCompressor(words: string[], suffix: string, write: Write): void {
  const { operands, flags } = split(words, { short: "bSo", long: ["suffix", "block-size", "output"], flags: ["stdout", "to-stdout", "test", "list", "keep"] });
  if (["c", "t", "l", "stdout", "to-stdout", "test", "list"].some((flag) => flags.has(flag))) return;
  write(...operands.flatMap((file) => [file, `${file}${suffix}`, file.endsWith(suffix) ? file.slice(0, -suffix.length) : file]));
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
  // The names come from a file and, with `x`, name files written: refused rather than read as "everything".
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

export const compressors: ProgramFamily = {
  names: Object.keys(COMPRESSORS),
  paths: ({ program, words, write }) => addCompressor(words, COMPRESSORS[program] ?? "", write),
};

export const tar: ProgramFamily = {
  names: ["tar"],
  paths: ({ paths, words, source, write }) => addTar(paths, words, source, write),
  risks: (args) =>
    optionRisks(/^[a-zA-Z]+$/.test(args[0] ?? "") ? [`-${args[0] ?? ""}`, ...args.slice(1)] : args, {
      options: {
        "--to-command": "runs the given command",
        "--checkpoint-action": "can run a command",
        "--use-compress-program": "runs the given program",
        "--info-script": "runs the given script",
        "--new-volume-script": "runs the given script",
        "--rsh-command": "runs the given program",
        "--rmt-command": "runs the given program",
      },
      letters: { I: "runs the given compression program", F: "runs the given script" },
      valueLetters: "bCfgHKLNTVX",
    }),
};

const TEST_COMMAND = "runs the given command to test the archive";
const NAMES_FROM_INPUT = "reads the names of the files to archive from its input, which cannot be checked";

export const zip: ProgramFamily = {
  names: ["zip"],
  paths: ({ paths, words, source, write }) => addZip(paths, words, source, write),
  risks(args) {
    const risks = optionRisks(args, {
      options: { "-TT": TEST_COMMAND, "--unzip-command": TEST_COMMAND, "-@": NAMES_FROM_INPUT, "--names-stdin": NAMES_FROM_INPUT },
      letters: { "@": NAMES_FROM_INPUT },
      valueLetters: "bnOtx",
    });
    // zip reads `-TT` as one option, also at the end of a cluster (`-rTT cmd`).
    const cluster = args.find((word) => /^-[^-]*TT/.test(word));
    if (cluster !== undefined) risks.push({ flag: "-TT", word: cluster, why: TEST_COMMAND });
    return risks;
  },
};

export const unzip: ProgramFamily = { names: ["unzip"], paths: ({ paths, words, source }) => addUnzip(paths, words, source) };
