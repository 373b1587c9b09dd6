import { programName, type SimpleCommand, type Word } from "../shell/types.ts";
import { unwrapLayers } from "../shell/wrappers.ts";
import { COMPRESSORS, addCompressor, addTar, addUnzip, addZip } from "./archives.ts";
import { FILE_CHANGERS, addFileChanger, addLinker, addPatch, addSplitter } from "./files.ts";
import { addGit } from "./git.ts";
import { get, readCandidates, split } from "./options.ts";
import { PATTERN_FIRST, addDiff, addFind, inPlace, recursiveSearch } from "./search.ts";
import type { CommandPaths } from "./types.ts";
import { workingFolders } from "./working-folders.ts";

export type { CommandPaths, Filter, FolderRead } from "./types.ts";

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
