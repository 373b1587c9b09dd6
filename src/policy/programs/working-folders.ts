import { posix } from "node:path";
import { programName, type SimpleCommand, type Word } from "../shell/types.ts";
import { unwrapLayers } from "../shell/wrappers.ts";
import { optionValues } from "./options.ts";

/**
 * Where commands may run: the root, every `cd`/`pushd` target from the root and after the ones before it
 * (a chain `cd a && cd b`), and `env -C DIR` / `sudo -D DIR` folders from each of those. A move the words do
 * not tell (`cd`, `cd -`, `popd`, `cd "$X"`, a program only known at run time) is noted by its position.
 */
export function workingFolders(commands: SimpleCommand[]): { folders: string[]; guesses: string[]; unknownAt: { index: number; command: string }[] } {
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
