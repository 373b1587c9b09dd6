import { programName, type SimpleCommand, type Word } from "../shell/types.ts";
import { unwrapLayers, XARGS_INPUT } from "../shell/wrappers.ts";
import { anyProgramRisks, variableRisks } from "./any.ts";
import * as archives from "./archives.ts";
import * as awk from "./awk.ts";
import * as build from "./build.ts";
import * as files from "./files.ts";
import * as git from "./git.ts";
import * as interpreters from "./interpreters.ts";
import * as network from "./network.ts";
import * as npm from "./npm.ts";
import { readCandidates } from "./options.ts";
import * as pagers from "./pagers.ts";
import * as readers from "./readers.ts";
import * as rsync from "./rsync.ts";
import * as search from "./search.ts";
import * as sed from "./sed.ts";
import * as text from "./text.ts";
import { readsAll, type CommandPaths, type ProgramFamily, type Risk } from "./types.ts";
import { workingFolders } from "./working-folders.ts";

export type { CommandPaths, Filter, FolderRead, Risk } from "./types.ts";

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
    namesFromInput: [],
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
    const layers = unwrapLayers([command.program, ...command.args]);
    layers.forEach(([program, ...args], layer) => {
      if (!program?.literal) return;
      const name = programName(program);
      addLayer(paths, name, args, command.source, followed);
      const inner = layers[layer + 1]?.[0];
      if (name === "xargs" && inner?.literal && familyOf(programName(inner))?.onlyReads) paths.namesFromInput.push({ command: command.source, via: "xargs" });
    });
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

/**
 * The files of the families. Every `ProgramFamily` a file exports is registered: adding a program to an
 * existing file, or a family to it, is an edit of that file alone.
 */
const MODULES = [archives, awk, build, files, git, interpreters, network, npm, pagers, readers, rsync, search, sed, text];

export const FAMILIES: readonly ProgramFamily[] = MODULES.flatMap((module) => Object.values(module).filter(isFamily));

function isFamily(value: unknown): value is ProgramFamily {
  return typeof value === "object" && value !== null && "names" in value && Array.isArray(value.names);
}

const BY_NAME = new Map(FAMILIES.flatMap((family) => family.names.map((name) => [name, family] as const)));

/** The family a program (base name) belongs to, if the checker knows it. */
export function familyOf(program: string): ProgramFamily | undefined {
  return BY_NAME.get(program);
}

/**
 * Risky arguments of one command (program first): options that load code for any program, variables set
 * through `env`/`export`, then the family's own. An expansion in the arguments of a family with risks counts
 * as one (it could be a risky option).
 */
export function riskyArgs(words: readonly Word[]): Risk[] {
  const [program, ...args] = words;
  if (!program) return [];
  const literal = args.filter((word) => word.literal).map((word) => word.value);
  const general = [...anyProgramRisks(literal), ...variableRisks(literal)];
  const family = program.literal ? familyOf(programName(program)) : undefined;
  if (!family?.risks) return general;
  const dynamic = args.filter((word) => !word.literal);
  if (dynamic.length > 0) {
    return [...general, ...dynamic.map((word) => ({ flag: word.source, word: word.source, why: "is an expansion, which could be an option that runs code" }))];
  }
  return [...general, ...family.risks(args.map((word) => word.value))];
}

const FOLDER_CHANGERS = new Set(["cd", "pushd", "popd"]);

function addLayer(paths: CommandPaths, program: string, args: Word[], source: string, followed: Set<string>): void {
  const words = args.filter((word) => word.literal).map((word) => word.value);
  const write = (...given: string[]) => {
    paths.writes.push(...given);
    given.forEach((path) => followed.add(path));
  };
  const family = familyOf(program);
  // `cd` reads nothing: where it leads is a working folder of what follows (resolve/command-facts.ts).
  if (!family?.ownReads && !FOLDER_CHANGERS.has(program)) {
    const end = words.indexOf("--");
    // Past `--`, a word is an operand of this program, but a script runner (`npm test -- --config=.env`) hands
    // it on as an option: both readings are checked.
    paths.reads.push(...words.flatMap(readCandidates), ...(end === -1 ? [] : words.slice(end + 1)));
  }
  family?.paths?.({ paths, program, words, source, write });
  // A pattern or variable the shell expands names files from a listing of the folders it could reach.
  if (family?.onlyReads) {
    // An option (`--include=*.py`) is a pattern for the program, not a name for the shell to expand.
    for (const word of args.filter((arg) => !arg.literal && arg.source !== XARGS_INPUT && !arg.source.startsWith("-"))) {
      const folder = expandedFolder(word.source);
      paths.folderReads.push({ ...readsAll(folder, source, "name the files one by one"), why: `reads the files \`${word.source}\` names once the shell expands it, so it counts as reading everything in ${folder === "." ? "the workspace" : folder}` });
    }
  }
}

/** The folder a word the shell expands could list: its literal folder part (`src` of `src/*.ts`), else the root. */
function expandedFolder(source: string): string {
  const literal = /^[A-Za-z0-9_.\/@%+,-]*/.exec(source)?.[0] ?? "";
  const folder = literal.slice(0, literal.lastIndexOf("/") + 1).replace(/\/+$/, "");
  return folder === "" || folder.split("/").includes("..") ? "." : folder;
}
