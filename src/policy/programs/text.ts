import { split } from "./options.ts";
import { optionRisks } from "./risks.ts";
import type { ProgramFamily } from "./types.ts";

/** sort, wc, du: text tools that can take the names of the files they read from a file or their input. */

const UNSEEN_WRITE = "writes to a file the file rules do not see";

/** `--files0-from=F` (GNU; `-` is the input): the names to read come from F, so anything reachable may be read. */
function namesFromFile(call: { paths: { namesFromInput: { command: string; via: string }[] }; words: string[]; source: string }): void {
  const { values } = split(call.words, { short: "kotST", long: ["files0-from", "key", "output", "field-separator", "buffer-size", "temporary-directory", "exclude", "max-depth", "threshold", "block-size", "time-style"] });
  if (values.has("files0-from")) call.paths.namesFromInput.push({ command: call.source, via: "--files0-from" });
}

export const sort: ProgramFamily = {
  names: ["sort"],
  onlyReads: true,
  paths: namesFromFile,
  risks: (args) =>
    optionRisks(args, {
      options: { "--output": UNSEEN_WRITE, "--compress-program": "runs the given program" },
      letters: { o: UNSEEN_WRITE },
      valueLetters: "ktST",
    }),
};

export const counters: ProgramFamily = { names: ["wc", "du"], onlyReads: true, paths: namesFromFile };
