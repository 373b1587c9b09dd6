import { optionRisks } from "./risks.ts";
import type { ProgramFamily } from "./types.ts";

/** less and man: pagers whose options run commands or write logs. */

const LOG = "writes a file the file rules do not see";

export const less: ProgramFamily = {
  names: ["less"],
  risks(args) {
    const risks = optionRisks(args, {
      options: { "--log-file": LOG, "--LOG-FILE": LOG, "-o": LOG, "-O": LOG },
      letters: { o: LOG, O: LOG },
      valueLetters: "bhjkpPTtxyz",
    });
    // `less +CMD` runs CMD as a less command at start, and `!` there runs a shell command.
    const initial = args.find((word) => word.startsWith("+"));
    if (initial !== undefined) risks.push({ flag: "+", word: initial, why: "runs less commands at start, which can run shell commands (`!`)" });
    return risks;
  },
};

export const man: ProgramFamily = {
  names: ["man"],
  risks: (args) =>
    optionRisks(args, {
      options: { "-P": "runs the given pager", "--pager": "runs the given pager", "-H": "runs the given browser", "--html": "runs the given browser" },
      letters: { P: "runs the given pager", H: "runs the given browser" },
    }),
};
