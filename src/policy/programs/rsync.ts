import { addFileChanger } from "./files.ts";
import { get, split, type OptionSpec } from "./options.ts";
import { optionRisks } from "./risks.ts";
import type { ProgramFamily } from "./types.ts";

/** rsync copies like `cp -r`: what its sources hold lands in the destination, links kept with -a or -l. */

const OPTIONS: OptionSpec = {
  short: "eBfT",
  long: ["rsh", "rsync-path", "filter", "exclude", "include", "exclude-from", "include-from", "files-from", "temp-dir", "compare-dest", "copy-dest", "link-dest", "backup-dir", "suffix", "chmod", "log-file", "partial-dir"],
  flags: ["recursive", "archive", "copy-links", "copy-unsafe-links", "copy-dirlinks", "links", "dry-run"],
};

const REMOTE_SHELL = "runs the given remote shell, which can be any command";

export const rsync: ProgramFamily = {
  names: ["rsync"],
  paths(call) {
    const { paths, words, source, write } = call;
    addFileChanger(paths, "rsync", words, OPTIONS, source, write, {
      recursive: true,
      keepsLinks: (flags) => flags.has("a") || flags.has("archive") || flags.has("l") || flags.has("links"),
      dereferences: (flags) => flags.has("k"),
    });
    const { values } = split(words, OPTIONS);
    write(...get(values, "log-file", "backup-dir", "partial-dir", "temp-dir", "T"));
    // The names come from a file and the copy writes them: unlike a read, that cannot count as "everything".
    if (values.has("files-from")) paths.uncheckable.push({ command: source, why: "takes the names of the files to copy from a file, which cannot be checked" });
  },
  risks: (args) =>
    optionRisks(args, {
      options: {
        "-e": REMOTE_SHELL,
        "--rsh": REMOTE_SHELL,
        "--rsync-path": "runs the given program",
        "--write-batch": "writes a file the file rules do not see",
        "--only-write-batch": "writes a file the file rules do not see",
        "--read-batch": "applies changes a file describes, which cannot be checked",
        "--daemon": "starts a server",
        "--config": "reads a daemon config",
      },
      letters: { e: REMOTE_SHELL },
      valueLetters: "BfT",
    }),
};
